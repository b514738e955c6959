// --shard K/N against a real server: N loader processes of one job, started
// together, load it exactly once; one killed and run again finishes its own
// share; a loader that finds the table being created by another waits for it
// and forgets none of the other's chunks; and a shard reads the journal into
// as few ranges as its own progress makes, in pages.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/journal/journal.h"
#include "loader/pg/connection.h"
#include "loader/plan/row_source.h"
#include "support/csv_files.h"
#include "support/fallback_load.h"
#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kShards = 3;

std::vector<std::string> ShardLoad(const std::string& url, long long rows, int shard,
                                   const std::string& stats) {
  return {"--url", url, "--table", "points", "--rows", std::to_string(rows), "--chunk", "1000",
          "--workers", "2",
          // COPY, not whatever --method auto makes of a loaded machine's round
          // trip: the kill test counts on one chunk in flight a worker.
          "--method", "copy", "--create", "--quiet", "--shard",
          std::to_string(shard) + "/" + std::to_string(kShards), "--stats-json", stats};
}

std::string StatsPath(const ScratchDatabase& db, int shard) {
  return "/tmp/" + db.name() + ".shard" + std::to_string(shard) + ".json";
}

// Rows journaled in the blocks of 1000 rows that belong to `shard`.
long long ShardRows(ScratchDatabase& db, int shard) {
  return std::stoll(
      db.Scalar("SELECT coalesce(sum(row_count), 0) FROM loader_journal WHERE "
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
    shards.push_back(
        std::make_unique<LoaderProcess>(ShardLoad(db.url(), kRows, k, StatsPath(db, k))));
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
  EXPECT_TRUE(
      Contains(journal.out, job + "  points              60000        60000  100.0       60"))
      << journal.out;
}

// Shards given the same --fallback-dir on one machine: each writes its own
// spilled chunks and scripts to DIR/shard-K-of-N, so neither overwrites the
// other's load-postgres.sql.
TEST(Shards, EachShardSpillsToItsOwnPartOfTheFallbackDir) {
  ScratchDatabase db;
  CreateTable(db, "points");
  FailChunksWhere(db, "NEW.first_row % 3000 = 0");  // blocks 0, 3, 6 and 9
  ScratchDir scratch;
  const std::string dir = scratch.File("fallback");
  for (int k = 0; k < 2; ++k) {
    SCOPED_TRACE(k);
    const std::string part = dir + "/shard-" + std::to_string(k) + "-of-2";
    LoaderRun run =
        RunLoader({"--url", db.url(), "--table", "points", "--rows", "10000", "--chunk", "1000",
                   "--workers", "1", "--max-retries", "0", "--shard", std::to_string(k) + "/2",
                   "--fallback-dir", dir, "--stats-json", scratch.File("stats.json")});
    ASSERT_EQ(run.exit_code, 11) << run.all();
    const std::string json = TakeFile(scratch.File("stats.json"));
    EXPECT_EQ(JsonString(json, "files_dir"), part) << json;
    EXPECT_EQ(JsonNumber(json, "rows"), 3000) << json;
    EXPECT_EQ(JsonNumber(json, "file_rows"), 2000) << json;
    // Shard 0 has the even blocks (0 and 6 fail), shard 1 the odd (3 and 9).
    const std::vector<std::string> spilled =
        k == 0
            ? std::vector<std::string>{FallbackName("points", 0), FallbackName("points", 6000)}
            : std::vector<std::string>{FallbackName("points", 3000), FallbackName("points", 9000)};
    EXPECT_EQ(CsvFilesIn(part), spilled);
    EXPECT_TRUE(Contains(ReadFile(part + "/load-postgres.sql"), spilled[1]));
  }
  EXPECT_EQ(db.Count("points"), 6000);
}

// How many of the loader's backends in this database wait for a lock of
// `kind` ('relation', 'advisory', ...; "" for any).
long long LoaderBackendsWaiting(ScratchDatabase& db, const std::string& kind) {
  return std::stoll(
      db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                "application_name = 'loader' AND wait_event_type = 'Lock'" +
                (kind.empty() ? std::string() : " AND wait_event = '" + kind + "'")));
}

TEST(Shards, OneKilledAndRunAgainFinishesTheJobExactlyOnce) {
  constexpr long long kRows = 150000;
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  // Shard 1's rows from 30,000 on wait for an advisory lock the test holds, so
  // it commits exactly its ten blocks below that and then hangs, to be killed.
  db.Exec(
      "CREATE FUNCTION hold_shard_1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.id >= 30000 AND (NEW.id / 1000) % 3 = 1 THEN "
      "PERFORM pg_advisory_xact_lock_shared(4242); END IF; RETURN NEW; END $$");
  db.Exec(
      "CREATE TRIGGER hold_shard_1 BEFORE INSERT ON points FOR EACH ROW "
      "EXECUTE FUNCTION hold_shard_1()");
  std::unique_ptr<Connection> holder;
  ASSERT_TRUE(Connection::Open(db.url(), &holder).ok());
  ASSERT_TRUE(holder->Exec("SELECT pg_advisory_lock(4242)").ok());

  std::vector<std::unique_ptr<LoaderProcess>> shards;
  for (int k = 0; k < kShards; ++k) {
    shards.push_back(
        std::make_unique<LoaderProcess>(ShardLoad(db.url(), kRows, k, StatsPath(db, k))));
  }
  // Both of shard 1's workers wait, each on its first chunk past row 30,000.
  ASSERT_TRUE(
      WaitFor([&] { return LoaderBackendsWaiting(db, "advisory") == 2 || !shards[1]->Running(); },
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
  // The killed shard's backends go on once the lock is free (closing the
  // holder's session frees it). A chunk whose rows and COMMIT had all gone
  // out in one query string (COPY on PostgreSQL) then commits, with its
  // journal row, client or not; one still being sent finds its client gone
  // and rolls back. Either way the journal says what is in the table.
  holder.reset();
  WaitForLoaderBackendsToEnd(db);
  db.Exec("DROP TRIGGER hold_shard_1 ON points");
  const long long committed = ShardRows(db, 1);
  EXPECT_TRUE(committed == 10000 || committed == 11000 || committed == 12000)
      << committed << " rows; its chunks from row 30,000 on: "
      << db.Scalar(
             "SELECT string_agg(first_row || '+' || row_count, ' ' ORDER BY first_row) FROM "
             "loader_journal WHERE first_row >= 30000 AND (first_row / 1000) % 3 = 1");
  EXPECT_EQ(db.Count("points"), 100000 + committed);
  EXPECT_EQ(JournaledRows(db), 100000 + committed);
  // The journal shows the whole job, three shards' rows, of its total.
  LoaderRun journal = RunLoader({"journal", "--url", db.url()});
  char line[64];
  std::snprintf(line, sizeof line, " %lld       150000   %.1f ", 100000 + committed,
                100.0 * static_cast<double>(100000 + committed) / kRows);
  EXPECT_TRUE(Contains(journal.out, line)) << journal.out;

  LoaderRun rerun = RunLoader(ShardLoad(db.url(), kRows, 1, StatsPath(db, 1)));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  const std::string json = TakeFile(StatsPath(db, 1));
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_chunks"), committed / 1000) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 50000 - committed) << json;
  EXPECT_EQ(JsonNumber(json, "job_committed_rows"), kRows) << json;
  EXPECT_TRUE(Contains(rerun.err, "job " + JsonString(json, "job") +
                                      ", shard 1/3: resuming: " + std::to_string(committed) +
                                      " rows in " + std::to_string(committed / 1000) +
                                      " chunks are already committed; loading the other " +
                                      std::to_string(50000 - committed) + " rows"))
      << rerun.err;
  EXPECT_TRUE(
      Contains(rerun.out, "shard:          1/3; the job has 150000 of 150000 rows committed\n"))
      << rerun.out;
  ExpectExactlyOnce(db, kRows);
}

// Another loader of the job (a shard) creates the table, registers the job
// and commits its first chunk, in one transaction that the test holds open,
// with loader_journal locked as a busy journal might be. The loader under
// test, also with --create, finds no table and must wait; once the other
// commits, it uses that table and keeps that chunk. (A loader that forgot the
// table's jobs because it saw no table would delete the other's chunk from the
// journal and then fail on its rows: a duplicate key.)
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
  JobSpec job;
  job.id = "race";
  job.table = "points";
  job.total_rows = kRows;
  job.source = "generated points, seed 1";
  ASSERT_TRUE(RegisterJob(*other, job).ok());
  auto source = MakeGeneratedSource(*FindGeneratedTable("points"), 1, 1000,
                                    ChunkLimits{1000, 8u << 20}, Encoding::kCopyText);
  Chunk chunk;
  bool done = false;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  ASSERT_TRUE(other->CopyIn("COPY points FROM STDIN", {chunk.payload.view()}).ok());
  std::string journal_insert;
  AppendJournalInsert("race", 0, 1000, 0, &journal_insert);
  ASSERT_TRUE(other->Exec(journal_insert.c_str()).ok());
  ASSERT_TRUE(other->Exec("LOCK TABLE loader_journal IN EXCLUSIVE MODE").ok());

  const std::string stats = StatsPath(db, 0);
  LoaderProcess loader({"--url", db.url(), "--table", "points", "--rows", std::to_string(kRows),
                        "--chunk", "1000", "--create", "--job", "race", "--stats-json", stats});
  ASSERT_TRUE(WaitFor([&] { return LoaderBackendsWaiting(db, "") == 1 || !loader.Running(); },
                      seconds(30)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  ASSERT_TRUE(other->Exec("COMMIT").ok());
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "table points was created by another loader meanwhile")) << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 1000) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 4000) << json;
  ExpectExactlyOnce(db, kRows);
}

// CockroachDB from v25.1 commits the open transaction before a schema change
// (autocommit_before_ddl), which would split CREATE TABLE from the journal
// cleanup that commits with it; the loader turns that off on CockroachDB.
// PostgreSQL, speaking the CockroachDB dialect here, has no such setting: the
// loader must send it, take the refusal for "already so", and load.
TEST(Shards, OnCockroachDBTheCreatingTransactionKeepsItsSchemaChange) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "1000", "--create",
                             "--server", "cockroach", "--log-level", "debug"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "debug: SET autocommit_before_ddl = false: the server has no such setting "
                       "(unrecognized configuration parameter \"autocommit_before_ddl\")"))
      << run.err;
  EXPECT_EQ(db.Count("points"), 1000);
  LoaderRun postgres = RunLoader({"--url", db.url(), "--table", "accounts", "--rows", "1000",
                                  "--create", "--log-level", "debug"});
  ASSERT_EQ(postgres.exit_code, 0) << postgres.all();
  EXPECT_FALSE(Contains(postgres.err, "autocommit_before_ddl")) << postgres.err;
}

// A journal of 3 shards in blocks of 10 rows, written in descending row
// order: shards 0 and 2 have all 20,000 of their blocks, shard 1 its first
// 100 and 10 more from its 5,000th. Shard 1 sees two ranges of its own rows
// (not one gap per block of the others), read in pages of any size.
TEST(Shards, AShardReadsItsOwnRowsAsFewRangesHoweverFarTheOthersAre) {
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  db.Exec(
      "INSERT INTO loader_journal (job, first_row, row_count) SELECT 'frag', b * 10, 10 FROM "
      "generate_series(29999, 0, -1) AS b WHERE b % 3 <> 1 OR b / 3 < 100 OR b / 3 BETWEEN 5000 "
      "AND 5009");
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Open(db.url(), &conn).ok());
  Shard shard;
  shard.index = 1;
  shard.count = 3;
  shard.block_rows = 10;
  for (int page_rows : {7, 1000, 100000}) {
    SCOPED_TRACE(page_rows);
    JournalState state;
    ASSERT_TRUE(ReadJournal(*conn, "frag", &state, shard, page_rows).ok());
    EXPECT_EQ(state.committed.ranges(), (std::vector<RowRange>{{0, 1000}, {50000, 100}}));
    EXPECT_EQ(state.chunks, 110u);
    EXPECT_EQ(state.journaled_rows, 1100u);
    EXPECT_EQ(state.job_rows, 201100u);
  }
  // The whole job: the same rows, by the job's own numbers, up to block 301
  // (shard 1's 101st).
  JournalState whole;
  ASSERT_TRUE(ReadJournal(*conn, "frag", &whole, Shard{}, 999).ok());
  EXPECT_EQ(whole.committed.rows(), 201100u);
  EXPECT_EQ(whole.committed.ranges().front(), (RowRange{0, 3010}));
  EXPECT_EQ(whole.chunks, 20110u);
  EXPECT_EQ(whole.job_rows, 201100u);
}

}  // namespace
}  // namespace loader::test_support
