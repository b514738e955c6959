// How many chunks a worker keeps in flight when it pipelines (INSERT):
// enough that the server is still busy with the earlier ones when a round
// trip ends, within a memory bound. Explains itself for the plan.
#ifndef LOADER_IN_FLIGHT_H_
#define LOADER_IN_FLIGHT_H_

#include <cstdint>
#include <string>

#include "loader/encode/chunk.h"

namespace loader {

// How long a row of a pipelined INSERT keeps a connection busy (sending it,
// the server inserting it), about. Calibrated through delay-proxy.py on this
// project's 2-core machine, one run each: 20 ms away, 16 chunks of 1000
// points in flight loaded 1.3x as fast as 7, and 32 no faster.
constexpr double kServerMicrosPerRow = 1.5;
// Chunks in flight per worker, at most.
constexpr int kMaxInFlight = 32;
// The payload a worker may hold in flight, at most.
constexpr uint64_t kInFlightBytes = 64u << 20;

struct InFlight {
  int chunks = 1;
  std::string reason;
  // A chunk's payload, at most: min(limits.max_bytes, limits.max_rows *
  // max_row_bytes).
  uint64_t chunk_bytes = 0;
};

// `requested`: --in-flight (0: choose). A round trip of round_trip_ms costs
// round_trip_ms / (the server's time for a chunk) chunks of idle server
// time; one more keeps it busy. Bounded by kMaxInFlight and by
// kInFlightBytes of chunks of at most min(limits.max_bytes, limits.max_rows
// * max_row_bytes) bytes (max_row_bytes 0: unknown, rows from a file).
// Not `pipelined` (COPY): 1.
InFlight ChooseInFlight(bool pipelined, int requested, double round_trip_ms,
                        const ChunkLimits& limits, uint64_t max_row_bytes);

}  // namespace loader

#endif  // LOADER_IN_FLIGHT_H_
