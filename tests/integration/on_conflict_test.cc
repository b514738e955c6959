// --on-conflict against the fixture's PostgreSQL: a file loaded into a table
// that already holds a third of its keys, by COPY (through a staging table)
// and by INSERT, in both transaction protocols: exact rows, the values
// skipped or updated, and the summary's counts; with serialization failures
// injected; killed part way and run again.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/fallback_load.h"
#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr int kRows = 3000;

// items: ids 0..2999 in the file (v = 10 * id, note 'new'); the table holds
// the ids divisible by 3 already (v = -1, note 'old').
void MakeItems(ScratchDatabase& db) {
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, v INT8 NOT NULL, note TEXT)");
  db.Exec("INSERT INTO items SELECT i, -1, 'old' FROM generate_series(0, " +
          std::to_string(kRows - 1) + ", 3) i");
}

std::string ItemsFile(ScratchDir& dir, int rows = kRows) {
  std::string body;
  for (int i = 0; i < rows; ++i)
    body += std::to_string(i) + "," + std::to_string(10 * i) + ",new\n";
  const std::string file = dir.File("items.csv");
  WriteFile(file, body);
  return file;
}

// What the table holds: rows, old rows, sum of v.
std::string Contents(ScratchDatabase& db) {
  return db.Scalar(
      "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE note = 'old') || ' old, sum ' || "
      "sum(v) FROM items");
}

// The expected contents: 1000 old rows kept (skip) or none (update).
std::string Expected(bool kept_old) {
  long long sum = 0;
  int old = 0;
  for (int i = 0; i < kRows; ++i) {
    if (kept_old && i % 3 == 0) {
      sum -= 1;
      ++old;
    } else {
      sum += 10LL * i;
    }
  }
  return std::to_string(kRows) + " rows, " + std::to_string(old) + " old, sum " +
         std::to_string(sum);
}

struct Case {
  const char* method;
  const char* server;
};

class OnConflictTest : public ::testing::TestWithParam<Case> {
 protected:
  std::vector<std::string> Load(ScratchDatabase& db, const std::string& file,
                                const std::string& mode) {
    return {"--url",    db.url(),          "--table",   "items",           "--input",
            file,       "--columns",       "id,v,note", "--chunk",         "500",
            "--method", GetParam().method, "--server",  GetParam().server, "--on-conflict",
            mode,       "--stats-json",    stats_};
  }
  ScratchDir dir_;
  const std::string stats_ = dir_.File("stats.json");
};

TEST_P(OnConflictTest, SkipLeavesTheRowsThereAndCountsThem) {
  ScratchDatabase db;
  MakeItems(db);
  const std::string file = ItemsFile(dir_);
  LoaderRun run = RunLoader(Load(db, file, "skip"));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Contents(db), Expected(true));
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonString(json, "on_conflict"), "skip") << json;
  EXPECT_EQ(JsonNumber(json, "rows"), kRows) << json;
  EXPECT_EQ(JsonNumber(json, "rows_inserted"), 2000) << json;
  EXPECT_EQ(JsonNumber(json, "rows_skipped"), 1000) << json;
  EXPECT_EQ(JsonNumber(json, "rows_updated"), 0) << json;
  EXPECT_TRUE(Contains(run.out,
                       "conflicts:      2000 inserted, 1000 skipped as duplicates, 0 updated "
                       "(--on-conflict skip)\n"))
      << run.out;
  // Run again: the journal has every chunk; nothing is sent.
  run = RunLoader(Load(db, file, "skip"));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(JsonNumber(TakeFile(stats_), "rows"), 0);
  EXPECT_EQ(Contents(db), Expected(true));
}

TEST_P(OnConflictTest, UpdateSetsTheLoadedValuesAndCountsThem) {
  ScratchDatabase db;
  MakeItems(db);
  const LoaderRun run = RunLoader(Load(db, ItemsFile(dir_), "update"));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Contents(db), Expected(false));
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonNumber(json, "rows_inserted"), 2000) << json;
  EXPECT_EQ(JsonNumber(json, "rows_skipped"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "rows_updated"), 1000) << json;
}

TEST_P(OnConflictTest, ErrorStopsAtTheFirstDuplicate) {
  ScratchDatabase db;
  MakeItems(db);
  std::vector<std::string> args = Load(db, ItemsFile(dir_), "error");
  args.insert(args.end(), {"--workers", "1"});
  const LoaderRun run = RunLoader(args);
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, "duplicate key value violates unique constraint")) << run.err;
  EXPECT_EQ(db.Count("items"), 1000);
}

TEST_P(OnConflictTest, SerializationFailuresAreRetriedAndCountedOnce) {
  ScratchDatabase db;
  MakeItems(db);
  InstallFault(db, "items", 3, kRaise40001);
  const LoaderRun run = RunLoader(Load(db, ItemsFile(dir_), "update"));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Contents(db), Expected(false));
  const std::string json = TakeFile(stats_);
  EXPECT_GT(JsonNumber(json, "retries"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "rows_inserted"), 2000) << json;
  EXPECT_EQ(JsonNumber(json, "rows_updated"), 1000) << json;
}

INSTANTIATE_TEST_SUITE_P(MethodsAndProtocols, OnConflictTest,
                         ::testing::Values(Case{"copy", "postgres"}, Case{"copy", "cockroach"},
                                           Case{"insert", "postgres"}, Case{"insert", "cockroach"}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.method) + "_" + info.param.server;
                         });

// Killed part way, then run again: every row once, the old ones updated.
TEST(OnConflict, KillNineThenARerunIsExact) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, v INT8 NOT NULL, note TEXT)");
  constexpr int kBig = 200000;
  db.Exec("INSERT INTO items SELECT i, -1, 'old' FROM generate_series(0, " +
          std::to_string(kBig - 1) + ", 3) i");
  ScratchDir dir;
  const std::string file = ItemsFile(dir, kBig);
  const std::vector<std::string> load = {
      "--url",     db.url(),  "--table", "items",         "--input", file,        "--columns",
      "id,v,note", "--chunk", "500",     "--on-conflict", "update",  "--workers", "2"};
  const LoaderRun killed = KillOnceJournaled(db, load, 40000);
  ASSERT_EQ(killed.term_signal, SIGKILL) << "the load ended before the kill: " << killed.all();
  const LoaderRun rerun = RunLoader(load);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  long long sum = 0;
  for (int i = 0; i < kBig; ++i) sum += 10LL * i;
  EXPECT_EQ(Contents(db), std::to_string(kBig) + " rows, 0 old, sum " + std::to_string(sum));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), std::to_string(kBig));
}

// Chunks that cannot be committed wait in --fallback-dir; its psql script
// loads them through the staging table, as the load would have.
TEST(OnConflict, FallbackFilesLoadThroughPsqlAsTheLoadWould) {
  ScratchDatabase db;
  MakeItems(db);
  ScratchDir dir;
  WriteFile(dir.File("empty.csv"), "");
  const std::vector<std::string> base = {"--url", db.url(),    "--table",
                                         "items", "--columns", "id,v,note"};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--input", dir.File("empty.csv")});
  ASSERT_EQ(RunLoader(args).exit_code, 0);  // makes the journal
  FailChunksWhere(db, "NEW.first_row % 1000 = 500");
  const std::string fallback = dir.File("fallback");
  args = base;
  args.insert(args.end(), {"--input", ItemsFile(dir), "--chunk", "500", "--on-conflict", "update",
                           "--fallback-dir", fallback, "--max-retries", "1"});
  LoaderRun run = RunLoader(args);
  ASSERT_EQ(run.exit_code, 11) << run.all();
  db.Exec("DROP TRIGGER fail_chunk ON loader_journal");
  const ShellRun psql = LoadWithPsql(fallback, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(Contents(db), Expected(false));
  // The script journaled its files: the load run again has nothing to do.
  run = RunLoader(args);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Contents(db), Expected(false));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), std::to_string(kRows));
}

TEST(OnConflict, AKeyNoUniqueIndexBacksIsRefusedBeforeAnyRow) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, v INT8 NOT NULL, note TEXT)");
  ScratchDir dir;
  const std::string file = ItemsFile(dir, 10);
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "items", "--input", file, "--columns",
                             "id,v,note", "--on-conflict", "skip", "--conflict-key", "v"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--on-conflict skip: the server refuses its statement for table items: "
                       "there is no unique or exclusion constraint matching the ON CONFLICT "
                       "specification"))
      << run.err;
  run = RunLoader({"--url", db.url(), "--table", "items", "--input", file, "--columns", "v,note",
                   "--on-conflict", "update"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--on-conflict: the key column id is not among the loaded columns "
                       "(\"v\", \"note\"): a row's key must come with it"))
      << run.err;
  db.Exec("CREATE TABLE bare (id INT8, v INT8)");
  run = RunLoader({"--url", db.url(), "--table", "bare", "--input", file, "--columns", "id,v",
                   "--on-conflict", "skip"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "--on-conflict: table bare has no primary key; name the columns of a "
                       "unique key with --conflict-key"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 0);
}

}  // namespace
}  // namespace loader::test_support
