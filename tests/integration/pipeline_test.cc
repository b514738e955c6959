// The worker pool in-process (so ThreadSanitizer sees every thread): several
// workers, real connections, exact rows.
#include <gtest/gtest.h>

#include "loader/load_job.h"
#include "support/test_db.h"

namespace loader::testing {
namespace {

LoadOptions Options(const ScratchDatabase& db, Method method, int workers) {
  LoadOptions o;
  o.urls = {db.url()};
  o.table = "points";
  o.rows = 20000;
  o.chunk_rows = 250;
  o.workers = workers;
  o.method = method;
  o.create = true;
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
  LoadOptions o = Options(db, Method::kCopy, 4);
  o.create = false;
  o.journal = false;  // with it, the second load would find the job done
  LoadOutcome first = RunLoad(Options(db, Method::kCopy, 4));
  ASSERT_TRUE(first.status.ok());
  // Loading the same ids again: every chunk is a duplicate-key error.
  LoadOutcome again = RunLoad(o);
  EXPECT_EQ(again.status.code(), Status::Code::kDataError) << again.status.ToString();
  EXPECT_EQ(again.summary.rows, 0u);
  EXPECT_EQ(db.Count("points"), 20000);
}

}  // namespace
}  // namespace loader::testing
