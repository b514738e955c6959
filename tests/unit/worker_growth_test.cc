#include "loader/exec/worker_growth.h"

#include <gtest/gtest.h>

namespace loader {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kWindow{250};

// A load as WorkerGrowth sees it: a clock, rows committed, and workers
// that have committed a chunk.
struct Load {
  WorkerGrowth growth;
  WorkerGrowth::Clock::time_point now{};
  uint64_t rows = 0;

  // Time passes at `rows_per_second` with every worker working; returns
  // the workers added on the way. Runs of kWindow + 10 ms each fill one
  // window: it starts at a run's first step and ends at its last.
  int Run(milliseconds how_long, double rows_per_second) {
    int added = 0;
    for (milliseconds t{0}; t < how_long; t += milliseconds(10)) {
      now += milliseconds(10);
      rows += static_cast<uint64_t>(rows_per_second / 100);
      added += growth.Observe(now, rows, growth.workers());
    }
    return added;
  }
};

TEST(WorkerGrowth, DoublesWhileEachDoublingPaysThenStays) {
  Load load{WorkerGrowth(2, 16, kWindow)};
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 100000), 2);  // 2 measured: try 4
  EXPECT_EQ(load.growth.workers(), 4);
  EXPECT_EQ(load.growth.last_step(), "2 workers load 100000 rows/s; adding 2");
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 190000), 4);  // 1.9x: try 8
  EXPECT_EQ(load.growth.workers(), 8);
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 200000), 0);  // 1.05x: enough
  EXPECT_TRUE(load.growth.settled());
  EXPECT_EQ(load.growth.workers(), 8);
  EXPECT_EQ(load.growth.last_step(),
            "staying at 8 workers: 200000 rows/s, 1.05x the 190000 rows/s of 4");
  EXPECT_EQ(load.Run(milliseconds(2000), 900000), 0);  // settled for good
}

TEST(WorkerGrowth, GoesBackWhenTheLastOnesCostMoreThanTheyBrought) {
  Load load{WorkerGrowth(2, 16, kWindow)};
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 900000), 2);
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 830000), -2);  // 4 load less than 2 did
  EXPECT_EQ(load.growth.workers(), 2);
  EXPECT_TRUE(load.growth.settled());
  EXPECT_EQ(load.growth.last_step(),
            "going back to 2 workers: 4 loaded 830000 rows/s, 0.92x the 900000 rows/s of 2");
  EXPECT_EQ(load.Run(milliseconds(2000), 100000), 0);
}

TEST(WorkerGrowth, StopsAtTheMost) {
  Load load{WorkerGrowth(2, 5, kWindow)};
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 100000), 2);
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 200000), 1);  // 4 + 1: the most
  EXPECT_EQ(load.growth.workers(), 5);
  EXPECT_EQ(load.growth.last_step(), "4 workers load 200000 rows/s; adding 1");
  EXPECT_EQ(load.Run(kWindow + milliseconds(10), 250000), 0);  // 1.25x: worth it, and no more
  EXPECT_TRUE(load.growth.settled());
  EXPECT_EQ(load.growth.last_step(), "staying at 5 workers, the most allowed: 250000 rows/s");
}

// --max-rate: a window the budget held chunks back for a quarter of its
// time or more settles, as more workers could only wait for it; one held
// back less grows as ever.
TEST(WorkerGrowth, StaysWhileTheBudgetHoldsChunksBack) {
  for (const milliseconds held_per_step : {milliseconds(3), milliseconds(2)}) {
    WorkerGrowth growth(2, 16, kWindow);
    WorkerGrowth::Clock::time_point now{};
    milliseconds held{500};  // before the window: not counted
    uint64_t rows = 0;
    int added = 0;
    for (int i = 0; i < 30; ++i) {  // 1900 rows/s, a window of 250 ms
      now += milliseconds(10);
      rows += 19;
      held += held_per_step;
      added += growth.Observe(now, rows, growth.workers(), held);
    }
    if (held_per_step == milliseconds(2)) {  // 20%
      EXPECT_EQ(added, 2);
      EXPECT_EQ(growth.last_step(), "2 workers load 1900 rows/s; adding 2");
      continue;
    }
    EXPECT_EQ(added, 0);
    EXPECT_TRUE(growth.settled());
    EXPECT_EQ(growth.workers(), 2);
    EXPECT_EQ(growth.last_step(),
              "staying at 2 workers: 1900 rows/s, held back by --max-rate 30% of the time");
  }
}

TEST(WorkerGrowth, AFixedCountNeverGrows) {
  Load load{WorkerGrowth(4, 4, kWindow)};
  EXPECT_TRUE(load.growth.settled());
  EXPECT_EQ(load.Run(milliseconds(2000), 100000), 0);
}

TEST(WorkerGrowth, AWindowStartsOnceEveryWorkerHasCommitted) {
  WorkerGrowth growth(2, 16, kWindow);
  WorkerGrowth::Clock::time_point now{};
  // One worker is still connecting: however long, nothing is measured.
  for (int i = 0; i < 100; ++i) {
    now += milliseconds(10);
    EXPECT_EQ(growth.Observe(now, 1000u * static_cast<uint64_t>(i), 1), 0);
  }
  // Both working: a window of kWindow from here, then 2 more.
  EXPECT_EQ(growth.Observe(now, 100000, 2), 0);
  EXPECT_EQ(growth.Observe(now + kWindow - milliseconds(1), 150000, 2), 0);
  EXPECT_EQ(growth.Observe(now + kWindow, 150000, 2), 2);
  EXPECT_EQ(growth.last_step(), "2 workers load 200000 rows/s; adding 2");
  // The two new ones have not committed yet: the next window waits.
  EXPECT_EQ(growth.Observe(now + 10 * kWindow, 900000, 3), 0);
  EXPECT_FALSE(growth.settled());
}

}  // namespace
}  // namespace loader
