#include "loader/exec/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace loader {
namespace {

TEST(WorkerPool, EveryWorkerRunsTheTaskOnce) {
  std::atomic<int> ran{0};
  std::atomic<int> worker_sum{0};
  WorkerPool pool(4, nullptr);
  pool.Start([&](int w) {
    ++ran;
    worker_sum += w;
    return Status::OK();
  });
  EXPECT_TRUE(pool.Join().ok());
  EXPECT_EQ(ran.load(), 4);
  EXPECT_EQ(worker_sum.load(), 0 + 1 + 2 + 3);
}

TEST(WorkerPool, TheFirstFailureWinsAndStopsTheOthersOnce) {
  std::atomic<int> stops{0};
  std::atomic<bool> stopped{false};
  WorkerPool pool(3, [&] {
    ++stops;
    stopped = true;
  });
  pool.Start([&](int w) {
    if (w == 0) return Status::InvalidArgument("worker 0 failed");
    // The others wait for the stop, as workers blocked on a queue would, and
    // then fail as cancelled work does.
    while (!stopped) std::this_thread::yield();
    return Status::Internal("cancelled");
  });
  const Status s = pool.Join();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "worker 0 failed");
  EXPECT_EQ(stops.load(), 1);
}

TEST(WorkerPool, AnExceptionIsAFailureNamingTheWorker) {
  WorkerPool pool(1, nullptr);
  pool.Start([](int) -> Status { throw std::runtime_error("disk on fire"); });
  const Status s = pool.Join();
  EXPECT_EQ(s.code(), Status::Code::kInternal);
  EXPECT_EQ(s.message(), "worker 0: disk on fire");
}

TEST(WorkerPool, ARecordedFailureStopsNothing) {
  std::atomic<int> stops{0};
  WorkerPool pool(2, [&] { ++stops; });
  pool.Record(Status::InvalidArgument("a bad row"));
  pool.Start([](int) { return Status::OK(); });
  pool.Fail(Status::Internal("later"));
  const Status s = pool.Join();
  EXPECT_EQ(s.message(), "a bad row");
  EXPECT_EQ(stops.load(), 1);  // the Fail, not the Record
}

TEST(WorkerPool, AddedWorkersRunTheTaskNumberedOnUpToTheMost) {
  std::atomic<int> worker_sum{0};
  WorkerPool pool(2, nullptr, 5);
  pool.Start([&](int w) {
    worker_sum += w;
    return Status::OK();
  });
  EXPECT_EQ(pool.Add(2), 2);
  EXPECT_EQ(pool.Add(2), 1);  // the fifth is the most
  EXPECT_EQ(pool.Add(1), 0);
  EXPECT_EQ(pool.workers(), 5);
  EXPECT_TRUE(pool.Join().ok());
  EXPECT_EQ(worker_sum.load(), 0 + 1 + 2 + 3 + 4);
}

TEST(WorkerPool, NoneIsAddedOnceStopped) {
  WorkerPool pool(1, nullptr, 4);
  pool.Start([](int) { return Status::Internal("down"); });
  pool.Fail(Status::Internal("down"));
  EXPECT_EQ(pool.Add(3), 0);
  EXPECT_EQ(pool.workers(), 1);
  EXPECT_EQ(pool.Join().message(), "down");
}

}  // namespace
}  // namespace loader
