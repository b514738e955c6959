#include "loader/exec/pipeline.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <memory>
#include <mutex>

#include "loader/base/bounded_queue.h"
#include "loader/base/interrupt.h"

namespace loader {
namespace {

// The first failure wins; later ones are consequences (cancelled work) or
// independent, and are logged by whoever decided them.
class FirstFailure {
 public:
  void Record(const Status& s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.ok()) status_ = s;
  }
  Status Get() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  Status status_;
};

}  // namespace

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

  FirstFailure failure;
  auto fail = [&](const Status& s) {
    failure.Record(s);
    ready.Cancel();
    free_chunks.Cancel();
  };

  boost::asio::thread_pool pool(static_cast<size_t>(config.workers));
  for (int w = 0; w < config.workers; ++w) {
    // A task must not let an exception escape: Asio would terminate the process.
    boost::asio::post(pool, [&, w]() noexcept {
      try {
        std::unique_ptr<Sink> sink = MakeSink(config.method, *config.table, max_chunk_rows);
        TxnConfig txn{config.hosts,   static_cast<size_t>(w) % config.hosts->size(),
                      config.server,  config.retry,
                      config.job,     &source.chunker(),
                      config.rejects, config.fallback};
        TxnRunner runner(std::move(txn), sink.get(), stats, w);
        Chunk* chunk = nullptr;
        while (ready.Pop(&chunk)) {
          Status s = InterruptRequested() ? interrupted : runner.Commit(*chunk);
          if (!s.ok()) {
            fail(s);
            return;
          }
          free_chunks.Push(chunk);
        }
      } catch (const std::exception& e) {
        fail(Status::Internal(std::string("worker ") + std::to_string(w) + ": " + e.what()));
      } catch (...) {
        fail(Status::Internal("worker " + std::to_string(w) + ": unknown exception"));
      }
    });
  }

  // An exception here must still cancel the queues: workers blocked in Pop
  // would otherwise keep the pool's destructor waiting forever.
  try {
    Chunk* chunk = nullptr;
    while (free_chunks.Pop(&chunk)) {
      if (InterruptRequested()) {
        fail(interrupted);
        break;
      }
      bool done = false;
      Status s = source.NextChunk(chunk, &done);
      if (!s.ok()) {
        // Chunks already queued hold good rows before the bad one: let them commit.
        failure.Record(s);
        break;
      }
      if (done || !ready.Push(chunk)) break;
    }
  } catch (const std::exception& e) {
    fail(Status::Internal(std::string("reading rows: ") + e.what()));
  }
  ready.Close();
  pool.join();
  return failure.Get();
}

}  // namespace loader
