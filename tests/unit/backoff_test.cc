#include "loader/base/backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <set>

namespace loader {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesFromBaseUntilCapped) {
  const Backoff backoff(milliseconds(100), milliseconds(5000));
  EXPECT_EQ(backoff.Ceiling(1), milliseconds(100));
  EXPECT_EQ(backoff.Ceiling(2), milliseconds(200));
  EXPECT_EQ(backoff.Ceiling(3), milliseconds(400));
  EXPECT_EQ(backoff.Ceiling(4), milliseconds(800));
  EXPECT_EQ(backoff.Ceiling(5), milliseconds(1600));
  EXPECT_EQ(backoff.Ceiling(6), milliseconds(3200));
  EXPECT_EQ(backoff.Ceiling(7), milliseconds(5000));  // 6400 capped
  EXPECT_EQ(backoff.Ceiling(8), milliseconds(5000));
}

TEST(Backoff, CeilingStaysAtCapForHugeRetryNumbers) {
  // A naive base << (retry - 1) overflows long before these.
  const Backoff backoff(milliseconds(100), milliseconds(30000));
  for (int retry : {21, 22, 40, 63, 64, 65, 1000, 1 << 30}) {
    EXPECT_EQ(backoff.Ceiling(retry), milliseconds(30000)) << "retry " << retry;
  }
}

TEST(Backoff, DelayStaysWithinHalfCeilingAndCeiling) {
  const Backoff backoff(milliseconds(50), milliseconds(10000));
  std::mt19937_64 rng(12345);
  for (int retry = 1; retry <= 40; ++retry) {
    const int64_t ceiling = backoff.Ceiling(retry).count();
    ASSERT_GT(ceiling, 0);
    for (int i = 0; i < 2000; ++i) {
      const int64_t delay = backoff.Delay(retry, rng()).count();
      ASSERT_GE(delay, ceiling / 2) << "retry " << retry;
      ASSERT_LE(delay, ceiling) << "retry " << retry;
    }
    // The extremes of the random range must stay in bounds too.
    for (uint64_t random : {uint64_t{0}, uint64_t{1}, UINT64_MAX, UINT64_MAX - 1}) {
      const int64_t delay = backoff.Delay(retry, random).count();
      EXPECT_GE(delay, ceiling / 2) << "retry " << retry << " random " << random;
      EXPECT_LE(delay, ceiling) << "retry " << retry << " random " << random;
    }
  }
}

TEST(Backoff, DelayReachesBothEndsOfTheRange) {
  // Ceiling 100: the pick is half + random % 51, so 0 gives 50 and 50 gives 100.
  const Backoff backoff(milliseconds(100), milliseconds(1000));
  EXPECT_EQ(backoff.Delay(1, 0), milliseconds(50));
  EXPECT_EQ(backoff.Delay(1, 50), milliseconds(100));
  EXPECT_EQ(backoff.Delay(1, 51), milliseconds(50));
}

TEST(Backoff, DifferentRandomsGiveDifferentDelays) {
  const Backoff backoff(milliseconds(100), milliseconds(10000));
  std::mt19937_64 rng(7);
  std::set<int64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(backoff.Delay(5, rng()).count());
  // Ceiling 1600: 801 possible waits; 1000 random picks cover far more than a few.
  EXPECT_GT(seen.size(), 400u);
  EXPECT_GE(*seen.begin(), 800);
  EXPECT_LE(*seen.rbegin(), 1600);
}

TEST(Backoff, ZeroBaseGivesZeroDelay) {
  const Backoff backoff(milliseconds(0), milliseconds(1000));
  EXPECT_EQ(backoff.Ceiling(10), milliseconds(0));
  EXPECT_EQ(backoff.Delay(10, UINT64_MAX), milliseconds(0));
}

}  // namespace
}  // namespace loader
