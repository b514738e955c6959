// Every documented failure gives its documented exit code and a message that
// says what to do, and never a password.
#include <gtest/gtest.h>

#include <memory>

#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// postgresql://postgres:PW@127.0.0.1:PORT/db?... with PW replaced.
std::string WithPassword(const std::string& url, const std::string& password) {
  const size_t colon = url.find(':', url.find("://") + 3);
  const size_t at = url.find('@');
  return url.substr(0, colon + 1) + password + url.substr(at);
}

TEST(Errors, MissingTableWithoutCreateExits5) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "100"});
  EXPECT_EQ(run.exit_code, 5) << run.all();
  EXPECT_TRUE(Contains(run.err, "table accounts does not exist; run with --create to create it"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), -1);
}

TEST(Errors, ReloadingWithoutTheJournalIsADataErrorAndDropStartsOver) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "1000", "--create"}).exit_code, 0);
  const std::string first = db.Checksum("accounts");

  // Same seed, same keys, and no journal to say they are loaded: the server
  // refuses the first chunk and nothing is doubled.
  LoaderRun again = RunLoader(
      {"--url", db.url(), "--rows", "1000", "--create", "--workers", "1", "--no-journal"});
  EXPECT_EQ(again.exit_code, 8) << again.all();
  EXPECT_TRUE(Contains(again.err, "duplicate key value violates unique constraint")) << again.err;
  EXPECT_TRUE(Contains(again.err, "SQLSTATE 23505")) << again.err;
  EXPECT_TRUE(Contains(again.err, "chunk 0 (rows 0..999)")) << again.err;
  EXPECT_EQ(db.Count("accounts"), 1000);

  LoaderRun fresh = RunLoader({"--url", db.url(), "--rows", "1000", "--drop"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.all();
  EXPECT_TRUE(Contains(fresh.err, "forgot 1 journal jobs")) << fresh.err;
  EXPECT_EQ(db.Count("accounts"), 1000);
  EXPECT_EQ(db.Checksum("accounts"), first);
}

TEST(Errors, WrongPasswordExits4AndNeverPrintsIt) {
  ScratchDatabase db;
  const std::string secret = "Wr0ng-Secret-9f3b";
  LoaderRun run =
      RunLoader({"--url", WithPassword(db.url(), secret), "--rows", "10", "--log-level", "debug"});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_TRUE(Contains(run.err, "password authentication failed")) << run.err;
  EXPECT_TRUE(Contains(run.err, "postgres:****@127.0.0.1")) << run.err;
  EXPECT_FALSE(Contains(run.all(), secret)) << run.all();
}

TEST(Errors, WrongPasswordFromTheEnvironmentIsNotPrintedEither) {
  ScratchDatabase db;
  const std::string secret = "An0ther-Secret-77aa";
  LoaderRun run = RunLoader({"--rows", "10"}, {{"DATABASE_URL", WithPassword(db.url(), secret)}});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_FALSE(Contains(run.all(), secret)) << run.all();
}

TEST(Errors, UnreachableServerExits3) {
  LoaderRun run = RunLoader(
      {"--url", "postgresql://postgres:pw-xyz-123@127.0.0.1:1/postgres?connect_timeout=2"});
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_TRUE(Contains(run.err, "connecting to postgresql://postgres:****@127.0.0.1:1/postgres"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, "Connection refused")) << run.err;
  EXPECT_FALSE(Contains(run.all(), "pw-xyz-123"));
}

TEST(Errors, UnparseableUrlExits2WithoutEchoingThePassword) {
  LoaderRun run = RunLoader({"--url", "postgresql://bob:50%offNow@h/db"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--url: cannot parse the connection string "
                       "postgresql://bob:****@h/db; in a URL, percent-encode"))
      << run.err;
  EXPECT_FALSE(Contains(run.all(), "offNow")) << run.all();
}

// A second host that is merely down leaves its workers to the others
// (hosts_test.cc); one that refuses the password is a mistake in the command,
// and stops the load before any row is loaded.
TEST(Errors, ABadSecondHostFailsBeforeAnyRowIsLoaded) {
  ScratchDatabase db;
  const std::string url = db.url();
  const size_t password = url.find(':', 13) + 1;
  const auto with_password = [&](const std::string& pw) {
    return std::string(url).replace(password, url.find('@') - password, pw);
  };
  LoaderRun run = RunLoader(
      {"--url", url, "--url", with_password("other-pw-55"), "--rows", "1000", "--create"});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_TRUE(Contains(run.err, "connecting to " + with_password("****"))) << run.err;
  EXPECT_FALSE(Contains(run.all(), "other-pw-55")) << run.all();
  EXPECT_EQ(db.Count("accounts"), 0);
}

// --presplit is CockroachDB's; on PostgreSQL the load stops before it creates
// anything, in a dry run too.
TEST(Errors, PresplitOnPostgresIsRefusedBeforeAnythingIsCreated) {
  ScratchDatabase db;
  const std::string refused =
      "--presplit is CockroachDB-only: PostgreSQL keeps a table in one heap, with no ranges to "
      "split (ALTER TABLE ... SPLIT AT)";
  for (const char* dry_run : {"--dry-run", "--quiet"}) {
    LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "1000",
                               "--presplit", "4", "--create", dry_run});
    EXPECT_EQ(run.exit_code, 2) << run.all();
    EXPECT_TRUE(Contains(run.all(), refused)) << run.all();
  }
  EXPECT_EQ(db.Scalar("SELECT to_regclass('points') IS NULL AND to_regclass('loader_journal') "
                      "IS NULL"),
            "t");
}

TEST(Errors, RoleWithoutInsertPrivilegeExits6) {
  ScratchDatabase db;
  const std::string role = db.name() + "_ro";
  db.Exec("DROP ROLE IF EXISTS " + role);
  db.Exec("CREATE ROLE " + role + " LOGIN PASSWORD 'readonly-pw-31'");
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  db.Exec("GRANT SELECT ON accounts TO " + role);

  std::string url = db.url();
  url.replace(url.find("postgres:"), url.find('@') - url.find("postgres:"),
              role + ":readonly-pw-31");
  LoaderRun run = RunLoader({"--url", url, "--rows", "100"});
  db.Exec("DROP OWNED BY " + role);
  db.Exec("DROP ROLE " + role);
  EXPECT_EQ(run.exit_code, 6) << run.all();
  EXPECT_TRUE(Contains(run.err, "permission denied: the role may not INSERT into accounts"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), 0);
}

TEST(Errors, BadOptionValuesExit2WithTheOptionNamed) {
  LoaderRun zero = RunLoader({"--chunk", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_TRUE(Contains(zero.err, "--chunk: 0 is out of range (1 to 10000000)")) << zero.err;
  LoaderRun method = RunLoader({"--method", "upsert"});
  EXPECT_EQ(method.exit_code, 2);
  EXPECT_TRUE(Contains(method.err, "--method: 'upsert' is not one of auto, copy, insert"))
      << method.err;
  LoaderRun env = RunLoader({}, {{"LOADER_WORKERS", "many"}});
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_TRUE(Contains(env.err, "--workers: 'many' is not a whole number")) << env.err;
}

TEST(DryRun, PrintsThePlanAndWritesNothing) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "5000", "--create", "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "server:         PostgreSQL (detected: PostgreSQL 15")) << run.out;
  EXPECT_TRUE(Contains(run.out, "chunk rows:     1000 (--chunk 1000 rows)")) << run.out;
  EXPECT_TRUE(Contains(run.out, "intent budget:  none")) << run.out;
  EXPECT_TRUE(Contains(run.out, "chunks:         about 5")) << run.out;
  EXPECT_TRUE(Contains(run.out, "dry run: nothing was written")) << run.out;
  EXPECT_EQ(db.Count("accounts"), -1);
}

TEST(DryRun, CockroachPlanFallsBackTo4MiBWhenTheSettingIsUnreadable) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "100000", "--chunk", "100000", "--server",
                             "cockroach", "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "assuming the 4 MiB default")) << run.err;
  // accounts: 4 MiB x 50% / 76 estimated key bytes per row.
  EXPECT_TRUE(Contains(run.out, "chunk rows:     27594 (the intent budget")) << run.out;
  EXPECT_TRUE(Contains(run.out, "intent budget:  4.0 MiB, 50% used per chunk")) << run.out;
}

// Blocks of 100,000 rows cut into chunks of at most 27,594 (the intent
// budget): four chunks a block, twelve for shard 1's three blocks of ten.
TEST(DryRun, AShardCountsItsChunksBlockByBlock) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "1000000", "--chunk", "100000",
                             "--server", "cockroach", "--shard", "1/3", "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "chunk rows:     27594 (the intent budget")) << run.out;
  EXPECT_TRUE(Contains(run.out, "chunks:         about 12\n")) << run.out;
  EXPECT_TRUE(Contains(run.out,
                       "shard:          1/3: the blocks of 100000 rows (--chunk) whose "
                       "number mod 3 is 1, 300000 of the job's 1000000 rows\n"))
      << run.out;
}

TEST(DryRun, CockroachPlanAdvisesImportForALargeLoadOnly) {
  ScratchDatabase db;
  // accounts rows encode to at most 59 bytes: 20M rows are about 1.1 GiB,
  // past the 1 GiB at which IMPORT INTO is the better path.
  LoaderRun large =
      RunLoader({"--url", db.url(), "--rows", "20000000", "--server", "cockroach", "--dry-run"});
  EXPECT_EQ(large.exit_code, 0) << large.all();
  EXPECT_TRUE(Contains(large.out,
                       "  advice:         about 1.1 GiB of rows: IMPORT INTO is CockroachDB's fast "
                       "path for this much data. Run with --emit-import DIR instead"))
      << large.out;
  EXPECT_TRUE(Contains(large.out, "IMPORT takes the table offline while it runs and only inserts"))
      << large.out;
  // Just under the line, and on PostgreSQL, which has no IMPORT: no advice.
  LoaderRun small =
      RunLoader({"--url", db.url(), "--rows", "18000000", "--server", "cockroach", "--dry-run"});
  EXPECT_EQ(small.exit_code, 0) << small.all();
  EXPECT_FALSE(Contains(small.out, "advice:")) << small.out;
  LoaderRun postgres = RunLoader({"--url", db.url(), "--rows", "20000000", "--dry-run"});
  EXPECT_EQ(postgres.exit_code, 0) << postgres.all();
  EXPECT_FALSE(Contains(postgres.out, "advice:")) << postgres.out;
}

TEST(Connection, PgEnvironmentVariablesAreUsedWithoutAUrl) {
  ScratchDatabase db;
  // postgresql://postgres:PW@127.0.0.1:PORT/DB?sslmode=disable
  const std::string url = db.url();
  const size_t pw_start = url.find(':', url.find("://") + 3) + 1;
  const size_t at = url.find('@');
  const size_t port_start = url.find(':', at) + 1;
  const size_t slash = url.find('/', port_start);
  LoaderRun run = RunLoader({"--rows", "500", "--create"},
                            {{"PGHOST", "127.0.0.1"},
                             {"PGPORT", url.substr(port_start, slash - port_start)},
                             {"PGUSER", "postgres"},
                             {"PGPASSWORD", url.substr(pw_start, at - pw_start)},
                             {"PGDATABASE", db.name()},
                             {"PGSSLMODE", "disable"}});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 500);
}

}  // namespace
}  // namespace loader::test_support
