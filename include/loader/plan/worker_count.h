// How many connections load at once: --workers N, or auto, where the load
// starts with a few and adds more while that raises the rows/s
// (exec/worker_growth.h), within a bound that leaves the server's connection
// slots to others. Explains itself for the plan.
#ifndef LOADER_WORKER_COUNT_H_
#define LOADER_WORKER_COUNT_H_

#include <cstdint>
#include <optional>
#include <string>

namespace loader {

// --workers auto: where it starts, and the most it grows to. Past 16
// connections a server across a network is kept busy (8 covered a 100 ms
// round trip in scripts/bench-latency.sh), and CockroachDB's guidance is a
// pool of about 4 connections per vCPU for the whole cluster.
constexpr int kAutoStartWorkers = 2;
constexpr int kAutoMostWorkers = 16;
// The chunks workers added by auto may hold together, at most (those the
// load starts with hold theirs anyway): beyond this, added workers share.
constexpr uint64_t kAutoPoolBytes = 256u << 20;

struct WorkerCount {
  int start = 1;
  int most = 1;  // start, unless auto
  std::string reason;
  bool grows() const { return most > start; }
};

// `requested`: --workers; empty is auto. `free_slots`: connections the
// server would still accept from this user into this database (see
// FreeConnectionSlots); negative: unknown. Auto uses at most half of them,
// so others can still connect.
WorkerCount ChooseWorkers(std::optional<int> requested, int free_slots);

// Writing files (--emit-import): --workers, or one a core, auto having no
// server to measure.
int FileWorkers(std::optional<int> requested);

}  // namespace loader

#endif  // LOADER_WORKER_COUNT_H_
