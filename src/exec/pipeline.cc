#include "exec/pipeline.h"

#include <algorithm>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "loader/base/bounded_queue.h"
#include "loader/base/interrupt.h"
#include "loader/exec/worker_pool.h"
#include "loader/pg/connection.h"

namespace loader {

namespace {

using ChunkQueue = BoundedQueue<Chunk*>;

Status Interrupted() {
  return Status::Error(Status::Code::kInterrupted, "interrupted by a signal");
}

// One chunk at a time: each commit waits for the server before the next.
Status CommitOneByOne(TxnRunner& runner, ChunkQueue& ready, ChunkQueue& free_chunks) {
  Chunk* chunk = nullptr;
  while (ready.Pop(&chunk)) {
    Status s = InterruptRequested() ? Interrupted() : runner.Commit(*chunk);
    if (!s.ok()) return s;
    free_chunks.Push(chunk);
  }
  return Status::OK();
}

// Up to `in_flight` chunks sent before the oldest one's outcome is awaited.
// A chunk waits for the server only when no other is ready to go. On a
// failure or a stop no more are sent, and the ones in flight are settled
// (committed or not, and counted) before the worker returns the first
// failure.
Status CommitPipelined(TxnRunner& runner, size_t in_flight, ChunkQueue& ready,
                       ChunkQueue& free_chunks) {
  std::deque<Chunk*> window;
  Status failure;
  for (;;) {
    Chunk* chunk = nullptr;
    if (failure.ok() && window.size() < in_flight && runner.CanSend() &&
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

}  // namespace

Status RunPipeline(const PipelineConfig& config, RowSource& source, Stats* stats) {
  // Each worker holds up to in_flight chunks, and one more is ready for it.
  const size_t in_flight = config.method == Method::kInsert ? std::max(1, config.in_flight) : 1;
  const size_t pool_size = (in_flight + 1) * static_cast<size_t>(config.workers);
  std::vector<std::unique_ptr<Chunk>> chunks;
  BoundedQueue<Chunk*> free_chunks(pool_size);
  BoundedQueue<Chunk*> ready(pool_size);
  for (size_t i = 0; i < pool_size; ++i) {
    chunks.push_back(std::make_unique<Chunk>());
    free_chunks.Push(chunks.back().get());
  }
  // INSERT statements are prepared for the chunks' row limit as it starts.
  const uint64_t max_chunk_rows = source.chunker().max_rows();

  WorkerPool workers(config.workers, [&] {
    ready.Cancel();
    free_chunks.Cancel();
  });
  workers.Start([&](int w) {
    std::unique_ptr<Sink> sink = MakeSink(config.method, *config.table, max_chunk_rows);
    TxnConfig txn{config.hosts,   static_cast<size_t>(w) % config.hosts->size(),
                  config.server,  config.retry,
                  config.job,     &source.chunker(),
                  config.rejects, config.fallback};
    TxnRunner runner(std::move(txn), sink.get(), stats, w);
    const uint64_t waits_before = ServerWaitsOnThisThread();
    const Status s = sink->Pipelines() ? CommitPipelined(runner, in_flight, ready, free_chunks)
                                       : CommitOneByOne(runner, ready, free_chunks);
    stats->server_waits.fetch_add(ServerWaitsOnThisThread() - waits_before,
                                  std::memory_order_relaxed);
    return s;
  });

  // An exception here must still cancel the queues: workers blocked in Pop
  // would otherwise keep the pool waiting forever.
  try {
    Chunk* chunk = nullptr;
    while (free_chunks.Pop(&chunk)) {
      if (InterruptRequested()) {
        workers.Fail(Interrupted());
        break;
      }
      bool done = false;
      Status s = source.NextChunk(chunk, &done);
      if (!s.ok()) {
        // Chunks already queued hold good rows before the bad one: let them commit.
        workers.Record(s);
        break;
      }
      if (done || !ready.Push(chunk)) break;
    }
  } catch (const std::exception& e) {
    workers.Fail(Status::Internal(std::string("reading rows: ") + e.what()));
  }
  ready.Close();
  return workers.Join();
}

}  // namespace loader
