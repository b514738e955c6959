// --fallback-dir DIR (issue 5) end to end against the real server, for the
// chunks that cannot commit because they hit 40001 past --max-retries: they
// are written to DIR and the load goes on to exit 11. The test then loads
// DIR/load-postgres.sql with the real psql and checks the table against a
// clean load by count and ordered checksum; running the script twice, or the
// loader again, in either order, never doubles a row. The other faults are in
// fallback_faults_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/fallback_load.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kJournalTiles[] =
    "SELECT count(*) || ' ' || coalesce(sum(row_count), 0) || ' ' || "
    "coalesce(max(first_row + row_count), 0) FROM loader_journal";

// 30,000 points in chunks of 1,000 of which the 10 starting at 1000, 4000,
// ..., 28000 always hit 40001, loaded with --max-retries 1 and --fallback-dir.
class FallbackRetriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr long long kRows = 30000;
  static constexpr char kFailing[] = "id % 3000 BETWEEN 1000 AND 1999";

  void SetUp() override {
    CreateTable(db_, "points");
    FailChunksWhere(db_, "NEW.first_row % 3000 = 1000");
    ASSERT_EQ(RunLoader({"--url", ref_.url(), "--table", "points", "--rows", "30000", "--create"})
                  .exit_code,
              0);
  }

  std::vector<std::string> Command() const {
    return {"--url",         db_.url(), "--table",        "points", "--rows",       "30000",
            "--chunk",       "1000",    "--workers",      "2",      "--method",     GetParam(),
            "--max-retries", "1",       "--fallback-dir", dir_,     "--stats-json", stats_};
  }

  // The first run: exit 11 with the 10 failing chunks in DIR and the other
  // 20,000 rows in the table.
  void LoadWithFallback() {
    LoaderRun run = RunLoader(Command());
    ASSERT_EQ(run.exit_code, 11) << run.all();
    const std::string json = TakeFile(stats_);
    job_ = JsonString(json, "job");
    ASSERT_EQ(job_.rfind("points-", 0), 0u) << json;
    EXPECT_EQ(JsonNumber(json, "rows"), 20000) << json;
    EXPECT_EQ(JsonNumber(json, "chunks"), 20) << json;
    EXPECT_EQ(JsonNumber(json, "retries"), 10) << json;
    EXPECT_EQ(JsonNumber(json, "retried_chunks"), 10) << json;
    EXPECT_EQ(JsonNumber(json, "file_rows"), 10000) << json;
    EXPECT_EQ(JsonNumber(json, "files"), 10) << json;
    EXPECT_EQ(JsonString(json, "files_dir"), dir_) << json;
    EXPECT_EQ(JsonString(json, "status"), "rows_in_fallback") << json;
    EXPECT_TRUE(Contains(run.out, Summary("rows", "20000"))) << run.out;
    EXPECT_TRUE(Contains(run.out, FallbackSummary(10000, 10, dir_))) << run.out;
    EXPECT_TRUE(Contains(run.out, FallbackStatus(10000, 10, dir_) + FallbackNext(dir_, job_)))
        << run.out;

    std::vector<std::string> expected_names;
    for (long long first = 1000; first < kRows; first += 3000) {
      const std::string reason = "chunk " + std::to_string(first / 1000) + " (rows " +
                                 std::to_string(first) + ".." + std::to_string(first + 999) +
                                 "): gave up after 1 retries: restart transaction: injected by "
                                 "test (SQLSTATE 40001)";
      EXPECT_TRUE(Contains(run.err, "written to " + dir_ + " instead: " + reason)) << run.err;
      expected_names.push_back(FallbackName("points", first));
    }
    ExpectManifestMatchesFiles(dir_);
    EXPECT_EQ(CsvFilesIn(dir_), expected_names);
    const std::string manifest = ReadFile(dir_ + "/manifest.json");
    EXPECT_EQ(JsonString(manifest, "job"), job_) << manifest;
    EXPECT_EQ(JsonNumber(manifest, "rows"), 10000) << manifest;
    for (const ManifestFile& f : ManifestFiles(dir_)) {
      SCOPED_TRACE(f.name);
      EXPECT_EQ(f.first_row % 3000, 1000);
      EXPECT_EQ(f.rows, 1000);
      EXPECT_EQ(f.journal_rows, 1000);
      EXPECT_FALSE(f.maybe_committed);
      EXPECT_EQ(f.reason, "chunk " + std::to_string(f.first_row / 1000) + " (rows " +
                              std::to_string(f.first_row) + ".." +
                              std::to_string(f.first_row + 999) +
                              "): gave up after 1 retries: restart transaction: "
                              "injected by test (SQLSTATE 40001)");
      // Each file holds its chunk's rows as the server prints them.
      EXPECT_EQ(
          ReadFile(dir_ + "/" + f.name),
          ref_.Scalar("SELECT string_agg(concat_ws(',', id, x, y, z), E'\\n' ORDER BY id) "
                      "|| E'\\n' FROM points WHERE id BETWEEN " +
                      std::to_string(f.first_row) + " AND " + std::to_string(f.first_row + 999)));
    }

    // The table holds exactly the other rows, each journaled once.
    EXPECT_EQ(db_.Count("points"), 20000);
    EXPECT_EQ(db_.Scalar(ChecksumOutside()), ref_.Scalar(ChecksumOutside()));
    EXPECT_EQ(db_.Scalar("SELECT count(*) FROM points WHERE " + std::string(kFailing)), "0");
    EXPECT_EQ(db_.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"),
              "20 20000");
    EXPECT_EQ(db_.Scalar(kTableMatchesJournal), "t");
  }

  std::string ChecksumOutside() const {
    return "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM points t WHERE NOT (" +
           std::string(kFailing) + ")";
  }

  // What running load-postgres.sql prints when every file is journaled already.
  std::string AllSkipped() const {
    std::string out;
    for (long long first = 1000; first < kRows; first += 3000) out += SkippedLine(first, 1000);
    return out;
  }

  void ExpectExactTable() {
    EXPECT_EQ(db_.Count("points"), kRows);
    EXPECT_EQ(db_.Checksum("points"), ref_.Checksum("points"));
    EXPECT_EQ(db_.Scalar(kJournalTiles), "30 30000 30000");
  }

  // Loads DIR with load-postgres.sql: psql must exit 0 having printed exactly
  // `output` and leave the exact table.
  void LoadScriptPrinting(const std::string& output) {
    const ShellRun psql = LoadWithPsql(dir_, db_.url());
    ASSERT_EQ(psql.exit_code, 0) << psql.output;
    EXPECT_EQ(psql.output, output);
    ExpectExactTable();
  }

  // Runs the same command again into `*rerun`: it must exit 0 and say
  // "job <job_>: <progress>" on stderr.
  void Rerun(const std::string& progress, LoaderRun* rerun) {
    *rerun = RunLoader(Command());
    ASSERT_EQ(rerun->exit_code, 0) << rerun->all();
    EXPECT_TRUE(Contains(rerun->err, "job " + job_ + ": " + progress)) << rerun->err;
  }

  ScratchDatabase db_;
  ScratchDatabase ref_{"ref"};
  ScratchDir scratch_;
  const std::string dir_ = scratch_.File("fallback");
  const std::string stats_ = scratch_.File("stats.json");
  std::string job_;
};

TEST_P(FallbackRetriesTest, ScriptLoadsTheRestThenNeitherScriptNorLoaderDoublesARow) {
  ASSERT_NO_FATAL_FAILURE(LoadWithFallback());
  db_.Exec("DROP TRIGGER fail_chunk ON loader_journal");

  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(""));
  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(AllSkipped()));

  LoaderRun rerun;
  ASSERT_NO_FATAL_FAILURE(
      Rerun("already loaded: all 30000 rows are committed (30 chunks); nothing to do", &rerun));
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok: already loaded, nothing to do")))
      << rerun.out;
  EXPECT_FALSE(Contains(rerun.out, "fallback:")) << rerun.out;
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonNumber(json, "rows"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), kRows) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 0) << json;
  ExpectExactTable();
}

TEST_P(FallbackRetriesTest, LoaderRerunLoadsTheRestThenTheScriptSkipsEveryFile) {
  ASSERT_NO_FATAL_FAILURE(LoadWithFallback());
  db_.Exec("DROP TRIGGER fail_chunk ON loader_journal");

  LoaderRun rerun;
  ASSERT_NO_FATAL_FAILURE(
      Rerun("resuming: 20000 rows in 20 chunks are already committed; loading the other 10000 rows",
            &rerun));
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok"))) << rerun.out;
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 10) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 20000) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_chunks"), 20) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 0) << json;
  ExpectExactTable();

  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(AllSkipped()));
}

INSTANTIATE_TEST_SUITE_P(Methods, FallbackRetriesTest, ::testing::Values("copy", "insert"),
                         MethodName);

}  // namespace
}  // namespace loader::test_support
