#include "exec/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "exec/warm_connections.h"
#include "loader/base/bounded_queue.h"
#include "loader/base/interrupt.h"
#include "loader/exec/worker_growth.h"
#include "loader/exec/worker_pool.h"
#include "loader/pg/connection.h"
#include "loader/plan/worker_count.h"

namespace loader {

namespace {

using ChunkQueue = BoundedQueue<Chunk*>;

Status Interrupted() {
  return Status::Error(Status::Code::kInterrupted, "interrupted by a signal");
}

// Whose turn is over: --workers auto went back to fewer than worker w + 1.
struct Retired {
  const std::atomic<int>& loading;
  const int worker;
  bool operator()() const { return worker >= loading.load(std::memory_order_relaxed); }
};

// One chunk at a time: each commit waits for the server before the next.
Status CommitOneByOne(TxnRunner& runner, ChunkQueue& ready, ChunkQueue& free_chunks,
                      const Retired& retired) {
  Chunk* chunk = nullptr;
  while (!retired() && ready.Pop(&chunk)) {
    Status s = InterruptRequested() ? Interrupted() : runner.Commit(*chunk);
    if (!s.ok()) return s;
    free_chunks.Push(chunk);
  }
  return Status::OK();
}

// Up to `in_flight` chunks sent before the oldest one's outcome is awaited.
// A chunk waits for the server only when no other is ready to go. On a
// failure, a stop or retirement no more are sent, and the ones in flight
// are settled (committed or not, and counted) before the worker returns the
// first failure.
Status CommitPipelined(TxnRunner& runner, size_t in_flight, ChunkQueue& ready,
                       ChunkQueue& free_chunks, const Retired& retired) {
  std::deque<Chunk*> window;
  Status failure;
  for (;;) {
    Chunk* chunk = nullptr;
    if (failure.ok() && !retired() && window.size() < in_flight && runner.CanSend() &&
        (window.empty() ? ready.Pop(&chunk) : ready.TryPop(&chunk))) {
      if (InterruptRequested()) {
        failure = Interrupted();
        continue;
      }
      runner.Send(*chunk);
      window.push_back(chunk);
      continue;
    }
    if (window.empty()) return failure;
    chunk = window.front();
    window.pop_front();
    // Stopping: this worker failed, or another one did (the queues are
    // cancelled).
    Status s = runner.Settle(*chunk, /*stopping=*/!failure.ok() || ready.cancelled());
    if (!s.ok() && failure.ok()) failure = s;
    free_chunks.Push(chunk);
  }
}

// The chunks every worker fills its window from: in_flight + 1 for each,
// recycled through a free list, and more as workers are added, within
// kAutoPoolBytes for those.
class ChunkPool {
 public:
  ChunkPool(const PipelineConfig& config, size_t in_flight)
      : per_worker_(in_flight + 1),
        most_(std::max(per_worker_ * static_cast<size_t>(config.workers),
                       std::min(per_worker_ * static_cast<size_t>(config.most_workers),
                                kAutoPoolBytes / std::max<uint64_t>(config.chunk_bytes, 1)))),
        free_(most_),
        ready_(most_) {
    Grow(config.workers);
  }

  ChunkQueue& free_chunks() { return free_; }
  ChunkQueue& ready() { return ready_; }

  // New chunks for `workers` more workers, as many as fit.
  void Grow(int workers) {
    const size_t want = chunks_.size() + per_worker_ * static_cast<size_t>(workers);
    while (chunks_.size() < std::min(want, most_)) {
      chunks_.push_back(std::make_unique<Chunk>());
      free_.Push(chunks_.back().get());
    }
  }

  void Cancel() {
    ready_.Cancel();
    free_.Cancel();
  }

 private:
  const size_t per_worker_;
  const size_t most_;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  ChunkQueue free_;
  ChunkQueue ready_;
};

// Workers that have committed a chunk (or found it committed).
int WorkersWorking(const Stats& stats, int workers) {
  int working = 0;
  for (int w = 0; w < workers; ++w) {
    if (stats.per_worker[static_cast<size_t>(w)].chunks.load(std::memory_order_relaxed) > 0) {
      ++working;
    }
  }
  return working;
}

// --workers auto: a window lasts several round trips, and long enough
// that a busy machine's jitter does not decide.
WorkerGrowth::Clock::duration GrowthWindow(double round_trip_ms) {
  return std::chrono::milliseconds(std::max(250, static_cast<int>(5 * round_trip_ms)));
}

}  // namespace

Status RunPipeline(const PipelineConfig& config, RowSource& source, Stats* stats) {
  // Each worker holds up to in_flight chunks, and one more is ready for it.
  const size_t in_flight = config.method == Method::kInsert ? std::max(1, config.in_flight) : 1;
  ChunkPool pool(config, in_flight);
  ChunkQueue& free_chunks = pool.free_chunks();
  ChunkQueue& ready = pool.ready();
  // INSERT statements are prepared for the chunks' row limit as it starts.
  const uint64_t max_chunk_rows = source.chunker().max_rows();
  WorkerGrowth growth(config.workers, std::max(config.workers, config.most_workers),
                      GrowthWindow(config.round_trip_ms));
  RateLimiter limiter(config.max_rate, RateBurst(config.max_rate, max_chunk_rows,
                                                 config.chunk_bytes, config.workers));

  std::atomic<int> loading{config.workers};  // workers 0..loading-1 take chunks
  // Connections opened ahead were prepared for the limit the load planned.
  WarmConnections* warm = config.warm != nullptr && config.warm->max_chunk_rows() == max_chunk_rows
                              ? config.warm
                              : nullptr;
  WorkerPool workers(
      config.workers, [&] { pool.Cancel(); }, growth.settled() ? 0 : config.most_workers);
  workers.Start([&](int w) {
    std::unique_ptr<Sink> sink =
        MakeSink(config.method, *config.table, max_chunk_rows, config.conflict);
    TxnConfig txn{config.hosts,
                  static_cast<size_t>(w) % config.hosts->size(),
                  config.server,
                  config.retry,
                  config.job,
                  &source.chunker(),
                  config.rejects,
                  config.fallback,
                  warm};
    TxnRunner runner(std::move(txn), sink.get(), stats, w);
    const uint64_t waits_before = ServerWaitsOnThisThread();
    const Retired retired{loading, w};
    const Status s = sink->Pipelines()
                         ? CommitPipelined(runner, in_flight, ready, free_chunks, retired)
                         : CommitOneByOne(runner, ready, free_chunks, retired);
    stats->server_waits.fetch_add(ServerWaitsOnThisThread() - waits_before,
                                  std::memory_order_relaxed);
    return s;
  });

  // Adds or retires the workers `growth` asks to, and says so.
  auto grow = [&] {
    if (growth.settled()) return;
    const int change = growth.Observe(WorkerGrowth::Clock::now(), stats->rows.load(),
                                      WorkersWorking(*stats, workers.workers()), limiter.waited());
    if (change > 0) {
      pool.Grow(change);
      workers.Add(change);
    }
    loading.store(growth.workers(), std::memory_order_relaxed);
    if (change != 0 || growth.settled()) spdlog::info("--workers auto: {}", growth.last_step());
  };

  // An exception here must still cancel the queues: workers blocked in Pop
  // would otherwise keep the pool waiting forever.
  try {
    Chunk* chunk = nullptr;
    while (free_chunks.Pop(&chunk)) {
      if (InterruptRequested()) {
        workers.Fail(Interrupted());
        break;
      }
      grow();
      bool done = false;
      Status s = source.NextChunk(chunk, &done);
      if (!s.ok()) {
        // Chunks already queued hold good rows before the bad one: let them commit.
        workers.Record(s);
        break;
      }
      if (done) break;
      const bool go = limiter.Acquire(chunk->rows, chunk->payload.size(),
                                      [&] { return InterruptRequested() || ready.cancelled(); });
      if (!go && InterruptRequested()) workers.Fail(Interrupted());
      if (!go || !ready.Push(chunk)) break;
    }
  } catch (const std::exception& e) {
    workers.Fail(Status::Internal(std::string("reading rows: ") + e.what()));
  }
  ready.Close();
  const Status s = workers.Join();
  stats->rate_waits_ns.fetch_add(static_cast<uint64_t>(limiter.waited().count()),
                                 std::memory_order_relaxed);
  stats->workers_started = static_cast<uint64_t>(workers.workers());
  stats->workers_at_end = static_cast<uint64_t>(loading.load());
  return s;
}

}  // namespace loader
