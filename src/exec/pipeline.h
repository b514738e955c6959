// The load pipeline: the RowSource fills chunks on the calling thread, a bounded
// queue hands them to `workers` threads of a boost::asio::thread_pool, and each
// worker commits them through its own TxnRunner and connection, with INSERT
// several at a time in libpq's pipeline mode. Chunks are recycled through a
// free list of in_flight + 1 per worker, so memory is flat for any load.
#ifndef LOADER_PIPELINE_H_
#define LOADER_PIPELINE_H_

#include <string>
#include <vector>

#include "exec/txn_runner.h"
#include "loader/exec/rate_limit.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/plan/row_source.h"
#include "loader/report/stats.h"
#include "loader/sink/sink.h"

namespace loader {

struct PipelineConfig {
  HostSet* hosts = nullptr;  // worker i's home is host i % size
  int workers = 1;
  // --workers auto: the most workers it may grow to (worker_growth.h),
  // measuring over windows of several round trips; workers: no growth.
  int most_workers = 1;
  double round_trip_ms = 0;
  // A chunk's payload, at most: with in_flight, how many chunks the workers
  // added may hold within kAutoPoolBytes.
  uint64_t chunk_bytes = 0;
  ServerKind server = ServerKind::kPostgres;
  Method method = Method::kCopy;
  // INSERT: chunks each worker has sent before it awaits the first one's
  // outcome (TxnRunner's pipelining); 1 waits for each in turn.
  int in_flight = 1;
  RetryPolicy retry;
  std::string job;  // the journal's job id; empty: no journal
  const TableSpec* table = nullptr;
  ConflictPolicy conflict;          // --on-conflict
  RejectLog* rejects = nullptr;     // where rows the server refuses go; null: nowhere
  FallbackDir* fallback = nullptr;  // where chunks that cannot be committed go; null: none
  WarmConnections* warm = nullptr;  // the first workers' connections, opened ahead; may be null
  // --max-rate: the rows and bytes per second all workers share; none: no limit.
  RateBudget max_rate;
};

// Loads every chunk of `source`, and returns the first failure. A worker's
// failure stops the load: no new chunk is started, and chunks being sent finish
// (committed or rolled back). A source's failure (a bad row) first lets the
// chunks already queued, all rows before it, commit. A stop request
// (interrupt.h) is a failure with kInterrupted: queued chunks are dropped,
// chunks being sent finish. A worker that splits a chunk as too large lowers
// the row limit of the source's Chunker for the chunks it makes afterwards.
// With most_workers > workers, workers are added as the load goes while
// that raises the rows/s; stats->workers_started says how many ran.
//
// With config.max_rate, the producer takes each chunk's rows and bytes from
// the budget (rate_limit.h) before it queues the chunk. One thread books
// every chunk, in order, whatever the method and however many workers take
// them; a worker free for a chunk takes it at once, so a chunk goes when
// its slot comes. A chunk's retries are not charged again: the budget is of
// rows committed, the rows/s the summary measures, and a retry waits out
// its own backoff. --workers auto adds none while the budget holds chunks back.
// Waiting for the budget stops on a stop request or another failure.
// REQUIRES: config.table, config.hosts, workers >= 1.
Status RunPipeline(const PipelineConfig& config, RowSource& source, Stats* stats);

}  // namespace loader

#endif  // LOADER_PIPELINE_H_
