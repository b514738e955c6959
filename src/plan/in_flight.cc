#include "loader/plan/in_flight.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loader {

InFlight ChooseInFlight(bool pipelined, int requested, double round_trip_ms,
                        const ChunkLimits& limits, uint64_t max_row_bytes) {
  uint64_t chunk_bytes = limits.max_bytes;
  if (max_row_bytes > 0) chunk_bytes = std::min(chunk_bytes, limits.max_rows * max_row_bytes);
  if (!pipelined) {
    return {1, "COPY waits for each chunk: it cannot run in pipeline mode", chunk_bytes};
  }
  if (requested > 0) return {requested, "--in-flight", chunk_bytes};
  const double chunk_ms = static_cast<double>(limits.max_rows) * kServerMicrosPerRow / 1000;
  const int to_cover = 1 + static_cast<int>(std::ceil(round_trip_ms / std::max(chunk_ms, 0.001)));
  const int memory_cap = static_cast<int>(
      std::clamp<uint64_t>(kInFlightBytes / std::max<uint64_t>(chunk_bytes, 1), 1, kMaxInFlight));
  const int chunks = std::clamp(to_cover, 1, std::min(kMaxInFlight, memory_cap));
  char reason[192];
  std::snprintf(reason, sizeof reason,
                "a round trip of %.2f ms over about %.2f ms of server time a chunk%s",
                round_trip_ms, chunk_ms,
                to_cover <= chunks          ? ""
                : memory_cap < kMaxInFlight ? ", capped by memory (--in-flight)"
                                            : ", capped (--in-flight)");
  return {chunks, reason, chunk_bytes};
}

}  // namespace loader
