#include "exec/pipeline.h"

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "loader/base/bounded_queue.h"
#include "loader/base/interrupt.h"
#include "loader/exec/worker_pool.h"
#include "loader/pg/connection.h"

namespace loader {

Status RunPipeline(const PipelineConfig& config, RowSource& source, Stats* stats) {
  const size_t pool_size = 2 * static_cast<size_t>(config.workers);
  std::vector<std::unique_ptr<Chunk>> chunks;
  BoundedQueue<Chunk*> free_chunks(pool_size);
  BoundedQueue<Chunk*> ready(pool_size);
  for (size_t i = 0; i < pool_size; ++i) {
    chunks.push_back(std::make_unique<Chunk>());
    free_chunks.Push(chunks.back().get());
  }
  // INSERT statements are prepared for the chunks' row limit as it starts.
  const uint64_t max_chunk_rows = source.chunker().max_rows();
  const Status interrupted = Status::Error(Status::Code::kInterrupted, "interrupted by a signal");

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
    Chunk* chunk = nullptr;
    while (ready.Pop(&chunk)) {
      const uint64_t waits_before = ServerWaitsOnThisThread();
      Status s = InterruptRequested() ? interrupted : runner.Commit(*chunk);
      stats->server_waits.fetch_add(ServerWaitsOnThisThread() - waits_before,
                                    std::memory_order_relaxed);
      if (!s.ok()) return s;
      free_chunks.Push(chunk);
    }
    return Status::OK();
  });

  // An exception here must still cancel the queues: workers blocked in Pop
  // would otherwise keep the pool waiting forever.
  try {
    Chunk* chunk = nullptr;
    while (free_chunks.Pop(&chunk)) {
      if (InterruptRequested()) {
        workers.Fail(interrupted);
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
