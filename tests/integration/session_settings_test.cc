// --set, --qos, --truncate and --analyze against the fixture's PostgreSQL:
// settings reach every worker's session (seen through column defaults the
// server evaluates in the session that inserts), a refused one stops the
// load before any row, --truncate empties a CSV table and forgets its jobs,
// and --analyze leaves the table analyzed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// A table whose defaults record the inserting session's settings.
void MakeWitnessTable(ScratchDatabase& db) {
  db.Exec(
      "CREATE TABLE witness (id INT8 PRIMARY KEY, v TEXT,"
      " commit_mode TEXT DEFAULT current_setting('synchronous_commit'),"
      " idle_timeout TEXT DEFAULT current_setting('idle_in_transaction_session_timeout'),"
      " path TEXT DEFAULT current_setting('search_path'))");
}

std::string Rows(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    out += std::to_string(i) + ",v" + std::to_string(i) + "\n";
  }
  return out;
}

TEST(SessionSettingsTest, ReachEveryWorkerSessionAfterTheLoadersOwn) {
  ScratchDatabase db;
  MakeWitnessTable(db);
  ScratchDir dir;
  const std::string file = dir.File("w.csv");
  WriteFile(file, Rows(0, 3000));
  for (const char* method : {"copy", "insert"}) {
    SCOPED_TRACE(method);
    db.Exec("TRUNCATE witness");
    const LoaderRun run = RunLoader({"--url",
                                     db.url(),
                                     "--table",
                                     "witness",
                                     "--input",
                                     file,
                                     "--columns",
                                     "id,v",
                                     "--chunk",
                                     "100",
                                     "--workers",
                                     "3",
                                     "--method",
                                     method,
                                     "--no-journal",
                                     "--set",
                                     "synchronous_commit=off",
                                     "--set",
                                     "idle_in_transaction_session_timeout=77s",
                                     "--set",
                                     "search_path=public, pg_catalog"});
    ASSERT_EQ(run.exit_code, 0) << run.all();
    EXPECT_EQ(db.Count("witness"), 3000);
    // The loader sets 60s itself; the user's value comes after and wins.
    EXPECT_EQ(db.Scalar("SELECT string_agg(DISTINCT commit_mode || '|' || idle_timeout || '|' || "
                        "path, ';') FROM witness"),
              "off|77s|public, pg_catalog");
  }
}

TEST(SessionSettingsTest, UnknownSettingStopsTheLoadBeforeAnyRow) {
  ScratchDatabase db;
  MakeWitnessTable(db);
  const LoaderRun run = RunLoader({"--url", db.url(), "--table", "witness", "--input", "-",
                                   "--columns", "id,v", "--set", "no_such_setting=1"},
                                  {}, {.stdin_bytes = Rows(0, 10), .cwd = ""});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--set no_such_setting=1: the server refused it: unrecognized "
                       "configuration parameter \"no_such_setting\""))
      << run.err;
  EXPECT_EQ(db.Count("witness"), 0);
  EXPECT_EQ(db.Count("loader_jobs"), -1);  // not even the journal was made
}

TEST(SessionSettingsTest, BadValueStopsTheLoadBeforeAnyRow) {
  ScratchDatabase db;
  MakeWitnessTable(db);
  const LoaderRun run = RunLoader({"--url", db.url(), "--table", "witness", "--input", "-",
                                   "--columns", "id,v", "--set", "synchronous_commit=sometimes"},
                                  {}, {.stdin_bytes = Rows(0, 10), .cwd = ""});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--set synchronous_commit=sometimes: the server refused it: invalid value "
                       "for parameter \"synchronous_commit\": \"sometimes\""))
      << run.err;
  EXPECT_EQ(db.Count("witness"), 0);
}

TEST(SessionSettingsTest, QosIsRefusedOnPostgres) {
  ScratchDatabase db;
  const LoaderRun run =
      RunLoader({"--url", db.url(), "--rows", "10", "--create", "--qos", "background"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "is PostgreSQL, which has no such setting (to go easy on a shared "
                       "PostgreSQL, use --max-rate)"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), -1);
}

// A CSV table with journal jobs: --truncate empties it and forgets them in
// one transaction, and the same file then loads again, exactly.
TEST(TruncateTest, EmptiesACsvTableAndForgetsItsJobs) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, v TEXT)");
  ScratchDir dir;
  const std::string first = dir.File("first.csv");
  const std::string second = dir.File("second.csv");
  WriteFile(first, Rows(0, 2500));
  WriteFile(second, Rows(10000, 1200));
  const std::vector<std::string> base = {"--url", db.url(), "--table", "items", "--chunk", "500"};
  auto load = [&](const std::string& file, bool truncate) {
    std::vector<std::string> args = base;
    args.insert(args.end(), {"--input", file});
    if (truncate) args.push_back("--truncate");
    return RunLoader(args);
  };
  ASSERT_EQ(load(first, false).exit_code, 0);
  ASSERT_EQ(load(second, false).exit_code, 0);
  ASSERT_EQ(db.Count("items"), 3700);
  ASSERT_EQ(db.Scalar("SELECT count(*) FROM loader_jobs WHERE table_name = 'items'"), "2");

  LoaderRun run = load(second, true);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "--truncate: TRUNCATE \"items\"; forgot 2 journal jobs"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 1200);
  EXPECT_EQ(db.Scalar("SELECT min(id) || '..' || max(id) || ' ' || sum(id) FROM items"),
            "10000..11199 " + std::to_string(1200LL * 10000 + 1199LL * 1200 / 2));
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(total_rows) FROM loader_jobs"), "1 1200");
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"), "3 1200");

  // The same command again empties and reloads: never doubled.
  run = load(second, true);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("items"), 1200);
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"), "3 1200");
}

// --schema --truncate empties every table of the schema in one TRUNCATE, so
// tables that reference each other can be emptied at all.
TEST(TruncateTest, SchemaTablesThatReferenceEachOtherAreEmptiedTogether) {
  ScratchDatabase db;
  db.Exec("CREATE SCHEMA shop");
  db.Exec("CREATE TABLE shop.customers (id INT8 PRIMARY KEY, name TEXT NOT NULL)");
  db.Exec(
      "CREATE TABLE shop.orders (id INT8 PRIMARY KEY, customer INT8 NOT NULL REFERENCES "
      "shop.customers (id), total NUMERIC(10,2))");
  const std::vector<std::string> args = {"--url", db.url(), "--schema",
                                         "shop",  "--rows", "customers=200,orders=700"};
  ASSERT_EQ(RunLoader(args).exit_code, 0);
  const std::string before = db.Checksum("shop.orders");
  std::vector<std::string> again = args;
  again.push_back("--truncate");
  const LoaderRun run = RunLoader(again);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--truncate: TRUNCATE \"shop\".\"customers\", \"shop\".\"orders\"; "
                       "forgot 2 journal jobs"))
      << run.err;
  // The same seed gives the same rows, loaded once.
  EXPECT_EQ(db.Count("shop.customers"), 200);
  EXPECT_EQ(db.Count("shop.orders"), 700);
  EXPECT_EQ(db.Checksum("shop.orders"), before);
}

TEST(AnalyzeTest, LeavesTheTableAnalyzedAndTimesIt) {
  ScratchDatabase db;
  ScratchDir dir;
  const std::string stats = dir.File("stats.json");
  const LoaderRun run = RunLoader(
      {"--url", db.url(), "--rows", "5000", "--create", "--analyze", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = "
                      "'accounts'"),
            "t");
  EXPECT_TRUE(Contains(run.out, "analyze:")) << run.out;
  EXPECT_GT(ParseJson(TakeFile(stats))["analyze_seconds"].get<double>(), 0.0);
  // The planner now knows the rows.
  EXPECT_EQ(db.Scalar("SELECT reltuples::int8 FROM pg_class WHERE relname = 'accounts'"), "5000");
}

}  // namespace
}  // namespace loader::test_support
