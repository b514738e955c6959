#include "loader/plan/in_flight.h"

#include <gtest/gtest.h>

namespace loader {
namespace {

constexpr ChunkLimits k1000Rows{.max_rows = 1000, .max_bytes = 8u << 20};
constexpr uint64_t kPointBytes = 60;

TEST(InFlight, CopyIsNeverPipelined) {
  const InFlight chosen = ChooseInFlight(false, 0, 100, k1000Rows, kPointBytes);
  EXPECT_EQ(chosen.chunks, 1);
  EXPECT_EQ(chosen.reason, "COPY waits for each chunk: it cannot run in pipeline mode");
}

TEST(InFlight, AskedForIsTaken) {
  const InFlight chosen = ChooseInFlight(true, 5, 100, k1000Rows, kPointBytes);
  EXPECT_EQ(chosen.chunks, 5);
  EXPECT_EQ(chosen.reason, "--in-flight");
}

TEST(InFlight, CoversTheRoundTripWithTheServersTimeForAChunk) {
  // 1000 rows at kServerMicrosPerRow (1.5 us) are 1.5 ms of a connection's
  // time: 20 ms away, 14 chunks cover the round trip, and one more.
  EXPECT_EQ(ChooseInFlight(true, 0, 20, k1000Rows, kPointBytes).chunks, 15);
  // Beside the server, two: one sent while the other is answered.
  EXPECT_EQ(ChooseInFlight(true, 0, 0.05, k1000Rows, kPointBytes).chunks, 2);
  const InFlight far = ChooseInFlight(true, 0, 100, k1000Rows, kPointBytes);
  EXPECT_EQ(far.chunks, kMaxInFlight);
  EXPECT_EQ(far.reason,
            "a round trip of 100.00 ms over about 1.50 ms of server time a chunk, capped "
            "(--in-flight)");
}

TEST(InFlight, ChunksInFlightStayWithinTheMemoryBound) {
  // Rows of unknown size (from a file): chunks of up to 8 MiB, 8 of them.
  const InFlight files = ChooseInFlight(true, 0, 100, k1000Rows, 0);
  EXPECT_EQ(files.chunks, static_cast<int>(kInFlightBytes / (8u << 20)));
  EXPECT_EQ(files.reason,
            "a round trip of 100.00 ms over about 1.50 ms of server time a chunk, capped by "
            "memory (--in-flight)");
  // Always at least one.
  EXPECT_EQ(ChooseInFlight(true, 0, 100, {.max_rows = 1000, .max_bytes = 15u << 20}, 0).chunks, 4);
  EXPECT_GE(ChooseInFlight(true, 0, 100, {.max_rows = 1, .max_bytes = 1ull << 40}, 0).chunks, 1);
}

}  // namespace
}  // namespace loader
