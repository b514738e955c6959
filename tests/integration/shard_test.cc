// --shard K/N against a real server: N loader processes of one job, started
// together, load it exactly once; one killed and run again finishes its own
// share; and a loader that finds the table being created by another waits
// for it and forgets none of the other's chunks.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "loader/chunk.h"
#include "loader/connection.h"
#include "loader/journal.h"
#include "loader/row_source.h"
#include "loader/table.h"
#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kShards = 3;

std::vector<std::string> ShardLoad(const std::string& url, long long rows, int shard,
                                   const std::string& stats) {
  return {"--url",     url,        "--table", "points", "--rows",       std::to_string(rows),
          "--chunk",   "1000",     "--workers", "2",    "--create",     "--quiet",
          "--shard",   std::to_string(shard) + "/" + std::to_string(kShards),
          "--stats-json", stats};
}

std::string StatsPath(const ScratchDatabase& db, int shard) {
  return "/tmp/" + db.name() + ".shard" + std::to_string(shard) + ".json";
}

// Rows journaled in the blocks of 1000 rows that belong to `shard`.
long long ShardRows(ScratchDatabase& db, int shard) {
  return std::stoll(db.Scalar("SELECT coalesce(sum(row_count), 0) FROM loader_journal WHERE "
                              "(first_row / 1000) % " +
                              std::to_string(kShards) + " = " + std::to_string(shard)));
}

// The table and the journal agree, and no row is journaled twice.
void ExpectExactlyOnce(ScratchDatabase& db, long long rows) {
  EXPECT_EQ(db.Count("points"), rows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", rows));
  EXPECT_EQ(JournaledRows(db), rows);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_jobs"), "1");
}

TEST(Shards, ThreeStartedTogetherLoadTheJobExactlyOnce) {
  constexpr long long kRows = 60000;
  ScratchDatabase db;  // no table yet: every shard has --create
  std::vector<std::unique_ptr<LoaderProcess>> shards;
  for (int k = 0; k < kShards; ++k) {
    shards.push_back(std::make_unique<LoaderProcess>(ShardLoad(db.url(), kRows, k, StatsPath(db, k))));
  }
  std::string job;
  for (int k = 0; k < kShards; ++k) {
    SCOPED_TRACE(k);
    LoaderRun run = shards[k]->Wait();
    ASSERT_EQ(run.exit_code, 0) << run.all();
    const std::string json = TakeFile(StatsPath(db, k));
    // 60 blocks of 1000 rows, 20 to each shard.
    EXPECT_EQ(JsonNumber(json, "rows"), 20000) << json;
    EXPECT_EQ(JsonNumber(json, "chunks"), 20) << json;
    EXPECT_EQ(JsonNumber(json, "skipped_rows"), 0) << json;
    EXPECT_EQ(JsonString(json, "shard"), std::to_string(k) + "/3") << json;
    EXPECT_EQ(JsonNumber(json, "job_rows"), kRows) << json;
    if (k > 0) {
      EXPECT_EQ(JsonString(json, "job"), job) << "one job for all shards";
    }
    job = JsonString(json, "job");
    EXPECT_EQ(ShardRows(db, k), 20000);
  }
  ExpectExactlyOnce(db, kRows);
  LoaderRun journal = RunLoader({"journal", "--url", db.url()});
  ASSERT_EQ(journal.exit_code, 0) << journal.all();
  EXPECT_TRUE(Contains(journal.out, job + "  points              60000        60000  100.0       60"))
      << journal.out;
}

TEST(Shards, OneKilledAndRunAgainFinishesTheJobExactlyOnce) {
  constexpr long long kRows = 150000;
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code,
            0);
  // 20 ms a statement, so each shard's 50 chunks take a second or more.
  InstallFault(db, "points", 1, "PERFORM pg_sleep(0.02)");
  std::vector<std::unique_ptr<LoaderProcess>> shards;
  for (int k = 0; k < kShards; ++k) {
    shards.push_back(std::make_unique<LoaderProcess>(ShardLoad(db.url(), kRows, k, StatsPath(db, k))));
  }
  ASSERT_TRUE(WaitFor([&] { return ShardRows(db, 1) >= 10000 || !shards[1]->Running(); },
                      minutes(2)));
  shards[1]->Signal(SIGKILL);
  LoaderRun killed = shards[1]->Wait();
  ASSERT_EQ(killed.term_signal, SIGKILL) << "shard 1 ended before the kill: " << killed.all();
  for (int k : {0, 2}) {
    LoaderRun run = shards[k]->Wait();
    ASSERT_EQ(run.exit_code, 0) << run.all();
    const std::string json = TakeFile(StatsPath(db, k));
    EXPECT_EQ(JsonNumber(json, "rows"), 50000) << json;
  }
  WaitForLoaderBackendsToEnd(db);
  const long long committed = ShardRows(db, 1);
  EXPECT_GE(committed, 10000);
  EXPECT_LT(committed, 50000);
  EXPECT_EQ(db.Count("points"), JournaledRows(db));
  // The journal shows the whole job, three shards' rows, of its total.
  const std::string done = std::to_string(100000 + committed);
  LoaderRun journal = RunLoader({"journal", "--url", db.url()});
  EXPECT_TRUE(Contains(journal.out, " " + done + "       150000 ")) << journal.out;

  LoaderRun rerun = RunLoader(ShardLoad(db.url(), kRows, 1, StatsPath(db, 1)));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  const std::string json = TakeFile(StatsPath(db, 1));
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 50000 - committed) << json;
  EXPECT_EQ(JsonNumber(json, "job_committed_rows"), kRows) << json;
  EXPECT_TRUE(Contains(rerun.out, "shard:          1/3; the job has 150000 of 150000 rows committed\n"))
      << rerun.out;
  ExpectExactlyOnce(db, kRows);
}

// Another loader of the job (a shard) creates the table and commits its first
// chunk in one transaction, which the test holds open. The loader under test,
// also with --create, finds no table, waits on that CREATE, then uses the
// table and the chunk: it forgets nothing it did not create.
TEST(Shards, ALoaderWaitsForATableAnotherIsCreatingAndKeepsItsChunks) {
  constexpr long long kRows = 5000;
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "accounts", "--rows", "0", "--create"}).exit_code,
      0);  // the journal tables, as after any earlier load
  std::unique_ptr<Connection> other;
  ASSERT_TRUE(Connection::Open(db.url(), &other).ok());
  ASSERT_TRUE(other->Exec("BEGIN").ok());
  ASSERT_TRUE(other->Exec(FindGeneratedTable("points")->CreateSql().c_str()).ok());
  auto source = MakeGeneratedSource(*FindGeneratedTable("points"), 1, 1000,
                                    ChunkLimits{1000, 8u << 20}, Encoding::kCopyText);
  Chunk chunk;
  bool done = false;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  ASSERT_TRUE(other->CopyIn("COPY points FROM STDIN", {chunk.payload.view()}).ok());
  std::string journal_insert;
  AppendJournalInsert("race", 0, 1000, 0, &journal_insert);
  ASSERT_TRUE(other->Exec(journal_insert.c_str()).ok());

  const std::string stats = StatsPath(db, 0);
  LoaderProcess loader({"--url", db.url(), "--table", "points", "--rows", std::to_string(kRows),
                        "--chunk", "1000", "--create", "--job", "race", "--stats-json", stats});
  ASSERT_TRUE(WaitFor(
      [&] {
        return db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         "AND query LIKE 'CREATE TABLE%'") == "1" ||
               !loader.Running();
      },
      seconds(30)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  ASSERT_TRUE(other->Exec("COMMIT").ok());
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "table points was created by another loader meanwhile")) << run.err;
  EXPECT_FALSE(Contains(run.err, "forgot")) << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 1000) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 4000) << json;
  ExpectExactlyOnce(db, kRows);
}

}  // namespace
}  // namespace loader::testing
