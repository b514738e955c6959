// The chunk journal end to end: resume of a load that stopped part way, with
// other --chunk and --workers; a finished job that is not loaded twice;
// `loader journal`; --job; --no-journal; and a commit whose outcome is unknown.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "loader/pg/connection.h"
#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kRaiseCheckViolation[] =
    "RAISE EXCEPTION 'rejected by test' USING ERRCODE = '23514'";

// Loads chunks 0..3 of 1000 rows, then the fifth statement is rejected: a load
// that stopped part way with 4000 rows committed and journaled.
void LoadPartWay(ScratchDatabase& db, const std::string& table) {
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", table, "--rows", "0", "--create"}).exit_code,
            0);
  InstallFault(db, table, 5, kRaiseCheckViolation);
  LoaderRun run = RunLoader({"--url", db.url(), "--table", table, "--rows", "10000", "--chunk",
                             "1000", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.out,
                       "next:           4000 of 10000 rows are committed; run the same "
                       "command again to load the rest (job " +
                           table + "-"))
      << run.out;
  ASSERT_EQ(db.Count(table), 4000);
  db.Exec("DROP TRIGGER inject_fault ON " + table);
}

TEST(Journal, ResumesWithAnotherChunkSizeAndWorkerCountToExactRows) {
  ScratchDatabase db;
  LoadPartWay(db, "points");
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"), "4 4000");

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "10000", "--chunk",
                             "777", "--workers", "3", "--method", "insert", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "resuming: 4000 rows in 4 chunks are already committed; loading "
                       "the other 6000 rows"))
      << run.err;
  EXPECT_EQ(db.Count("points"), 10000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 10000));
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), 6000) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 8) << json;  // ceil(6000 / 777)
  EXPECT_EQ(JsonNumber(json, "skipped_chunks"), 4) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 4000) << json;
  // Every row is journaled once: the ranges tile [0, 10000).
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) || ' ' || "
                      "max(first_row + row_count) FROM loader_journal"),
            "12 10000 10000");
}

TEST(Journal, AFinishedLoadIsAlreadyLoadedAndChangesNothing) {
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--rows", "5000", "--chunk", "500", "--create"}).exit_code, 0);
  const std::string before = db.Checksum("accounts");

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun again = RunLoader({"--url", db.url(), "--rows", "5000", "--chunk", "64", "--workers",
                               "3", "--stats-json", stats});
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_TRUE(Contains(again.err,
                       "already loaded: all 5000 rows are committed (10 chunks); "
                       "nothing to do"))
      << again.err;
  EXPECT_TRUE(Contains(again.out, "status:         ok: already loaded, nothing to do"))
      << again.out;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_chunks"), 10) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 5000) << json;
  EXPECT_EQ(db.Count("accounts"), 5000);
  EXPECT_EQ(db.Checksum("accounts"), before);
}

TEST(Journal, TheJobIsTheDataNotHowItIsSent) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--rows", "1000", "--create", "--stats-json", stats}).exit_code,
      0);
  const std::string first = TakeFile(stats);
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "1000", "--chunk", "9", "--method", "insert",
                       "--stats-json", stats})
                .exit_code,
            0);
  const std::string same = TakeFile(stats);
  // Another seed is other rows (other ids): another job, loaded in full.
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "1000", "--seed", "2", "--stats-json", stats})
                .exit_code,
            0);
  const std::string other = TakeFile(stats);

  auto job = [](const std::string& json) { return JsonString(json, "job"); };
  EXPECT_EQ(job(first).rfind("accounts-", 0), 0u) << first;
  EXPECT_EQ(job(first), job(same));
  EXPECT_NE(job(first), job(other));
  EXPECT_EQ(JsonNumber(same, "rows"), 0) << same;
  EXPECT_EQ(JsonNumber(other, "rows"), 1000) << other;
  EXPECT_EQ(db.Count("accounts"), 2000);
}

TEST(Journal, ANamedJobCannotBeReusedForOtherRows) {
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--rows", "100", "--create", "--job", "nightly"}).exit_code, 0);
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "200", "--job", "nightly"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "job nightly already loads 100 rows into accounts (generated "
                       "accounts, seed 1); choose another --job, or forget it with: "
                       "loader journal forget nightly"))
      << run.err;
  // Other rows of the same count are other data too: no mixing of seeds.
  LoaderRun seed2 =
      RunLoader({"--url", db.url(), "--rows", "100", "--seed", "2", "--job", "nightly"});
  EXPECT_EQ(seed2.exit_code, 2) << seed2.all();
  EXPECT_TRUE(Contains(seed2.err,
                       "job nightly already loads 100 rows into accounts (generated "
                       "accounts, seed 1)"))
      << seed2.err;
  EXPECT_EQ(db.Count("accounts"), 100);
}

// Another loader of the same job, cutting 500-row chunks, commits rows 0..499
// while this one is about to load rows 0..999 as one chunk: this one's journal
// insert waits for it, collides, and then loads only rows 500..999.
TEST(Journal, ACollisionWithAShorterChunkOfTheSameJobLoadsTheRest) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", "points", "--rows", "500", "--create", "--job",
                       "first-half"})
                .exit_code,
            0);
  std::unique_ptr<Connection> other;
  ASSERT_TRUE(Connection::Open(db.url(), &other).ok());
  ASSERT_TRUE(other
                  ->Exec("BEGIN; INSERT INTO loader_journal (job, first_row, row_count) "
                         "VALUES ('whole', 0, 500)")
                  .ok());

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderProcess loader({"--url", db.url(), "--table", "points", "--rows", "1000", "--chunk", "1000",
                        "--workers", "1", "--job", "whole", "--stats-json", stats});
  // Its journal insert now waits on ours.
  ASSERT_TRUE(WaitFor(
      [&] {
        return db.Scalar(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND wait_event_type = 'Lock'") == "1";
      },
      std::chrono::seconds(30)));
  ASSERT_TRUE(other->Exec("COMMIT").ok());

  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "rows 0..499 were already committed by another transaction of "
                       "job whole"))
      << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), 500) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 500) << json;
  EXPECT_EQ(db.Count("points"), 1000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 1000));
  EXPECT_EQ(db.Scalar("SELECT string_agg(first_row || '+' || row_count, ' ' ORDER BY first_row) "
                      "FROM loader_journal WHERE job = 'whole'"),
            "0+500 500+500");
}

TEST(Journal, ListsJobsWithProgressAndForgetsOne) {
  ScratchDatabase db;
  LoadPartWay(db, "accounts");

  LoaderRun list = RunLoader({"journal", "--url", db.url()});
  ASSERT_EQ(list.exit_code, 0) << list.all();
  EXPECT_TRUE(Contains(list.out, "rows done")) << list.out;
  const std::string job = db.Scalar("SELECT job FROM loader_jobs");
  ASSERT_EQ(job.rfind("accounts-", 0), 0u) << job;
  EXPECT_TRUE(Contains(list.out, job + "  accounts             4000        10000   40.0        4"))
      << list.out;
  EXPECT_TRUE(Contains(list.out, "generated accounts, seed 1")) << list.out;

  LoaderRun forget = RunLoader({"journal", "forget", job, "--url", db.url()});
  ASSERT_EQ(forget.exit_code, 0) << forget.all();
  EXPECT_EQ(forget.out, "forgot job " + job + " (4 journal rows); its rows stay in the table\n");
  EXPECT_EQ(db.Count("loader_journal"), 0);
  EXPECT_EQ(db.Count("accounts"), 4000);

  LoaderRun empty = RunLoader({"journal", "--url", db.url()});
  EXPECT_EQ(empty.exit_code, 0) << empty.all();
  EXPECT_EQ(empty.out, "no jobs in the journal\n");

  LoaderRun unknown = RunLoader({"journal", "forget", job, "--url", db.url()});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.all();
  EXPECT_TRUE(Contains(unknown.err, "no job named " + job + " (loader journal lists them)"))
      << unknown.err;
}

TEST(Journal, NoJournalWritesNoneAndSaysExactlyOnceIsOff) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader(
      {"--url", db.url(), "--rows", "3000", "--create", "--no-journal", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(
      Contains(run.out, "journal:        off: exactly-once is not guaranteed (--no-journal)"))
      << run.out;
  const nlohmann::ordered_json json = ParseJson(TakeFile(stats));
  EXPECT_EQ(json["journal"], false) << json;
  EXPECT_EQ(json["job"], "") << json;
  EXPECT_EQ(db.Count("accounts"), 3000);
  EXPECT_EQ(db.Scalar("SELECT to_regclass('loader_journal') IS NULL"), "t");
}

// Loaders starting together race to create the journal tables, and
// CockroachDB may abort a loser with 40001. Here an event trigger of the real
// server aborts the first two tries that way: the third creates them.
TEST(Journal, CreatingItsTablesRetriesASerializationFailure) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create", "--no-journal"}).exit_code, 0);
  db.Exec("CREATE SEQUENCE ddl_tries");
  db.Exec(
      "CREATE FUNCTION abort_two_creates() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF nextval('ddl_tries') <= 2 THEN RAISE EXCEPTION 'restart transaction: injected by test' "
      "USING ERRCODE = '40001'; END IF; END $$");
  db.Exec(
      "CREATE EVENT TRIGGER abort_two_creates ON ddl_command_start WHEN TAG IN ('CREATE TABLE') "
      "EXECUTE FUNCTION abort_two_creates()");
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "1000"});
  db.Exec("DROP EVENT TRIGGER abort_two_creates");
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 1000);
  EXPECT_EQ(JournaledRows(db), 1000);
  // Two aborted tries, then the two tables of the third.
  EXPECT_EQ(db.Scalar("SELECT last_value FROM ddl_tries"), "4");
}

TEST(Journal, DropForgetsTheJobsOfThatTableOnly) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "100", "--create"}).exit_code, 0);
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "100", "--create"}).exit_code,
      0);
  LoaderRun drop = RunLoader({"--url", db.url(), "--rows", "300", "--drop"});
  ASSERT_EQ(drop.exit_code, 0) << drop.all();
  EXPECT_EQ(db.Scalar("SELECT string_agg(table_name || ':' || total_rows, ',' ORDER BY "
                      "table_name) FROM loader_jobs"),
            "accounts:300,points:100");
  EXPECT_EQ(db.Count("accounts"), 300);
}

// A COMMIT that fails with 40003 ("result is ambiguous", as CockroachDB says)
// may or may not have committed. The journal settles it: here it did not, so
// the chunk is loaded again. The deferred constraint trigger fires at COMMIT.
void InstallAmbiguousCommit(ScratchDatabase& db, int every) {
  db.Exec("CREATE SEQUENCE commit_counter");
  db.Exec(
      "CREATE FUNCTION ambiguous_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF nextval('commit_counter') % " +
      std::to_string(every) +
      " = 0 THEN RAISE "
      "EXCEPTION 'result is ambiguous: injected by test' USING ERRCODE = '40003'; END IF; "
      "RETURN NULL; END $$");
  db.Exec(
      "CREATE CONSTRAINT TRIGGER ambiguous_commit AFTER INSERT ON loader_journal "
      "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ambiguous_commit()");
}

TEST(Journal, AnAmbiguousCommitIsSettledByTheJournal) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  InstallAmbiguousCommit(db, 3);
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "10000", "--chunk", "1000", "--workers",
                             "2", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "the commit's outcome is unknown (result is ambiguous: injected "
                       "by test (SQLSTATE 40003)); asking the journal"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, "the journal says the commit did not happen; loading it again"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), 10000);
  EXPECT_EQ(db.Checksum("accounts"), ReferenceChecksum("accounts", 10000));
  const std::string json = TakeFile(stats);
  EXPECT_GT(JsonNumber(json, "ambiguous_resolved"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 10) << json;
}

TEST(Journal, WithoutItAnAmbiguousCommitStopsWithExit9NamingTheChunk) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  // Without the journal there is no journal row to hang the trigger on.
  db.Exec("CREATE SEQUENCE commit_counter");
  db.Exec(
      "CREATE FUNCTION ambiguous_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF nextval('commit_counter') = 2 THEN RAISE EXCEPTION 'result is ambiguous: "
      "injected by test' USING ERRCODE = '40003'; END IF; RETURN NULL; END $$");
  db.Exec(
      "CREATE CONSTRAINT TRIGGER ambiguous_commit AFTER INSERT ON accounts DEFERRABLE "
      "INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ambiguous_commit()");
  LoaderRun run = RunLoader(
      {"--url", db.url(), "--rows", "3000", "--chunk", "1000", "--workers", "1", "--no-journal"});
  EXPECT_EQ(run.exit_code, 9) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "chunk 0 (rows 0..999): the commit's outcome is unknown, and with "
                       "--no-journal there is no record to settle it"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), 0);
}

}  // namespace
}  // namespace loader::test_support
