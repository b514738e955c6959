#include "loader/plan/worker_count.h"

#include <gtest/gtest.h>

namespace loader {
namespace {

TEST(WorkerCount, AFixedCountIsTaken) {
  const WorkerCount count = ChooseWorkers(6, 3);  // whatever the server has free
  EXPECT_EQ(count.start, 6);
  EXPECT_EQ(count.most, 6);
  EXPECT_FALSE(count.grows());
  EXPECT_EQ(count.reason, "--workers");
}

TEST(WorkerCount, AutoGrowsToTheMostWhenTheServerHasRoom) {
  const WorkerCount count = ChooseWorkers(std::nullopt, 97);
  EXPECT_EQ(count.start, kAutoStartWorkers);
  EXPECT_EQ(count.most, kAutoMostWorkers);
  EXPECT_TRUE(count.grows());
  EXPECT_EQ(count.reason, "auto: adding connections while that raises the rows/s, at most 16");
}

TEST(WorkerCount, AutoTakesHalfTheServersFreeSlots) {
  const WorkerCount count = ChooseWorkers(std::nullopt, 9);
  EXPECT_EQ(count.start, 2);
  EXPECT_EQ(count.most, 4);
  EXPECT_EQ(count.reason,
            "auto: adding connections while that raises the rows/s, at most 4: half of the "
            "server's 9 free connection slots");
}

TEST(WorkerCount, AutoKeepsOneWorkerWhenTheServerIsNearlyFull) {
  for (int free_slots : {0, 1, 2, 3}) {
    const WorkerCount count = ChooseWorkers(std::nullopt, free_slots);
    EXPECT_EQ(count.start, 1) << free_slots;
    EXPECT_EQ(count.most, 1) << free_slots;
    EXPECT_FALSE(count.grows());
  }
}

TEST(WorkerCount, AutoSaysWhenTheServersSlotsAreUnknown) {
  const WorkerCount count = ChooseWorkers(std::nullopt, -1);
  EXPECT_EQ(count.most, kAutoMostWorkers);
  EXPECT_EQ(count.reason,
            "auto: adding connections while that raises the rows/s, at most 16; the server's "
            "free connection slots are not known");
}

TEST(WorkerCount, FilesUseTheCountGivenElseOneACore) {
  EXPECT_EQ(FileWorkers(3), 3);
  EXPECT_GE(FileWorkers(std::nullopt), 1);
}

}  // namespace
}  // namespace loader
