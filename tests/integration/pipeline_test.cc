// The worker pool in-process (so ThreadSanitizer sees every thread): several
// workers, real connections, exact rows.
#include <gtest/gtest.h>

#include "loader/base/interrupt.h"
#include "loader/job/job.h"
#include "loader/plan/worker_count.h"
#include "support/faults.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

LoadSpec Options(const ScratchDatabase& db, Method method, int workers) {
  LoadSpec o;
  o.target.urls = {db.url()};
  o.input.table = "points";
  o.input.rows = 20000;
  o.chunks.rows = 250;
  o.target.workers = workers;
  o.target.method = method;
  o.target.create = true;
  return o;
}

TEST(Pipeline, FourWorkersCopyExactRows) {
  ScratchDatabase db;
  LoadOutcome out = RunLoad(Options(db, Method::kCopy, 4));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.summary.rows, 20000u);
  EXPECT_EQ(out.summary.chunks, 80u);
  EXPECT_EQ(db.Count("points"), 20000);
  EXPECT_EQ(db.Scalar("SELECT sum(id) FROM points"), std::to_string(20000LL * 19999 / 2));
}

TEST(Pipeline, FourWorkersInsertSameContentAsOneWorkerCopy) {
  ScratchDatabase four("four");
  ScratchDatabase one("one");
  ASSERT_TRUE(RunLoad(Options(four, Method::kInsert, 4)).status.ok());
  ASSERT_TRUE(RunLoad(Options(one, Method::kCopy, 1)).status.ok());
  EXPECT_EQ(four.Checksum("points"), one.Checksum("points"));
}

TEST(Pipeline, FirstFailureStopsEveryWorker) {
  ScratchDatabase db;
  LoadSpec o = Options(db, Method::kCopy, 4);
  o.target.create = false;
  o.faults.journal = false;  // with it, the second load would find the job done
  LoadOutcome first = RunLoad(Options(db, Method::kCopy, 4));
  ASSERT_TRUE(first.status.ok());
  // Loading the same ids again: every chunk is a duplicate-key error.
  LoadOutcome again = RunLoad(o);
  EXPECT_EQ(again.status.code(), Status::Code::kDataError) << again.status.ToString();
  EXPECT_EQ(again.summary.rows, 0u);
  EXPECT_EQ(db.Count("points"), 20000);
}

// Workers split chunks and lower the shared row limit while the producer reads
// it: the race ThreadSanitizer should see, if there were one.
TEST(Pipeline, FourWorkersSplitTooLargeChunksToExactRows) {
  ScratchDatabase db;
  LoadSpec o = Options(db, Method::kCopy, 4);
  o.input.rows = 0;
  ASSERT_TRUE(RunLoad(o).status.ok());
  InstallRowLimit(db, "points", 100, "53400");
  o.input.rows = 20000;
  o.chunks.rows = 1000;
  o.target.create = false;
  LoadOutcome out = RunLoad(o);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_GE(out.summary.splits, 4u);
  EXPECT_EQ(out.summary.rows, 20000u);
  EXPECT_EQ(db.Count("points"), 20000);
  EXPECT_EQ(db.Scalar("SELECT sum(id) FROM points"), std::to_string(20000LL * 19999 / 2));
  // 1000 -> 500 -> 250 -> 125 -> 62 + 63; the limit follows the front half.
  EXPECT_EQ(db.Scalar("SELECT max(row_count) FROM loader_journal"), "63");
}

// --workers auto: the first window's rows/s is the yardstick, so workers
// are always added once; added ones start while the others commit, the
// race ThreadSanitizer should see, if there were one.
TEST(Pipeline, AutoAddsWorkersAsItGoesToExactRows) {
  ScratchDatabase db;
  LoadSpec o = Options(db, Method::kInsert, 1);
  o.target.workers = std::nullopt;
  o.input.rows = 500000;
  o.chunks.rows = 1000;
  LoadOutcome out = RunLoad(o);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.summary.workers_start, kAutoStartWorkers);
  EXPECT_GE(out.summary.workers, 2 * kAutoStartWorkers);
  EXPECT_LE(out.summary.workers, kAutoMostWorkers);
  ASSERT_EQ(out.summary.per_worker.size(), static_cast<size_t>(out.summary.workers));
  uint64_t rows = 0;
  for (const ShareSummary& w : out.summary.per_worker) rows += w.rows;
  EXPECT_EQ(rows, 500000u);
  EXPECT_EQ(db.Count("points"), 500000);
  EXPECT_EQ(db.Scalar("SELECT sum(id) FROM points"), std::to_string(500000LL * 499999 / 2));
}

// A stop asked for before the load: nothing starts, the status says so, and
// the job is left for a re-run.
TEST(Pipeline, InterruptStopsBeforeAnyChunkWithKInterrupted) {
  ScratchDatabase db;
  RequestInterrupt();
  LoadOutcome out = RunLoad(Options(db, Method::kInsert, 4));
  EXPECT_EQ(out.status.code(), Status::Code::kInterrupted) << out.status.ToString();
  EXPECT_EQ(out.summary.rows, 0u);
  EXPECT_EQ(out.summary.next_step.rfind("0 of 20000 rows are committed; run the same command", 0),
            0u)
      << out.summary.next_step;
  EXPECT_EQ(db.Count("points"), 0);
}

}  // namespace
}  // namespace loader::test_support
