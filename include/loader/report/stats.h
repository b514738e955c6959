// Counters of a load, bumped lock-free by workers once per chunk, and the
// summary made from them at the end.
#ifndef LOADER_STATS_H_
#define LOADER_STATS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/status.h"

namespace loader {

// One worker's or one host's share, for the summary's tables.
struct ShareCounters {
  std::atomic<uint64_t> rows{0};
  std::atomic<uint64_t> chunks{0};
  std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> reconnects{0};
};

struct Stats {
  // One slot of per_worker per worker index, one of per_host per host index
  // (see host_set.h).
  explicit Stats(size_t workers = 0, size_t hosts = 0) : per_worker(workers), per_host(hosts) {}

  std::atomic<uint64_t> rows{0};
  std::atomic<uint64_t> chunks{0};
  std::atomic<uint64_t> bytes{0};           // payload bytes committed
  std::atomic<uint64_t> retries{0};         // attempts beyond each chunk's first
  std::atomic<uint64_t> retried_chunks{0};  // chunks that needed any retry
  std::atomic<uint64_t> reconnects{0};
  std::atomic<uint64_t> splits{0};              // chunks split in halves as too large
  std::atomic<uint64_t> server_waits{0};        // round trips committing chunks (connection.h)
  std::atomic<uint64_t> ambiguous_resolved{0};  // unknown commit outcomes the journal settled
  std::atomic<uint64_t> rate_waits_ns{0};       // how long --max-rate held chunks back
  // --on-conflict: of the rows of chunks whose answers were read (tallied),
  // how many the server inserted, updated, or wrote without telling which
  // (CockroachDB's UPSERT); the rest of them were skipped as duplicates. A
  // commit the journal settled has no answer: its rows are not tallied.
  std::atomic<uint64_t> tallied_rows{0};
  std::atomic<uint64_t> rows_inserted{0};
  std::atomic<uint64_t> rows_updated{0};
  std::atomic<uint64_t> rows_written{0};
  // Chunks found already committed by another transaction during this run
  // (the journal's collision); RunLoad adds those committed before it started.
  std::atomic<uint64_t> skipped_chunks{0};
  std::atomic<uint64_t> skipped_rows{0};
  // --workers auto adds some as it goes, and may retire the last ones added.
  std::atomic<uint64_t> workers_started{0};
  std::atomic<uint64_t> workers_at_end{0};
  std::vector<ShareCounters> per_worker;
  std::vector<ShareCounters> per_host;  // counted on the host that did the work
};

// Adds `n` to one counter of the whole load (`total`) and of a worker's and a
// host's shares (`share`) together, so the tables always add up to the total.
inline void CountShared(Stats& stats, std::atomic<uint64_t> Stats::*total, ShareCounters& worker,
                        ShareCounters& host, std::atomic<uint64_t> ShareCounters::*share,
                        uint64_t n) {
  (stats.*total).fetch_add(n, std::memory_order_relaxed);
  (worker.*share).fetch_add(n, std::memory_order_relaxed);
  (host.*share).fetch_add(n, std::memory_order_relaxed);
}

struct ShareSummary {
  // host:port: the host, or the worker's home host (where it starts; it moves
  // to others while that one is down). "" for libpq's PG* variables.
  std::string host;
  uint64_t rows = 0;
  uint64_t chunks = 0;
  uint64_t retries = 0;
  uint64_t reconnects = 0;
};

struct Summary {
  // A load into a server, or --emit-import's files: what the summary reports.
  enum class Kind { kLoad, kEmit };
  Kind kind = Kind::kLoad;
  std::string table;
  std::string method;  // "copy", "insert" or "emit-import", as shown
  std::string server;
  int workers = 0;        // the most that ran (per_worker's rows)
  int workers_start = 0;  // how many started: fewer than workers when auto added some
  int workers_end = 0;    // how many loaded at the end: fewer when auto retired some
  int in_flight = 0;      // chunks a worker pipelines (1: none; 0: no load)
  uint64_t rows = 0;
  uint64_t chunks = 0;
  uint64_t bytes = 0;
  uint64_t retries = 0;
  uint64_t retried_chunks = 0;
  uint64_t reconnects = 0;
  uint64_t splits = 0;
  uint64_t server_waits = 0;
  double round_trip_ms = 0;  // to the first server, before loading; 0: not measured
  // --max-rate: the budget, as the plan says it ("" for none) and in
  // numbers (0: none of that kind), and how long it held chunks back: near
  // `seconds`, the budget was the limit.
  std::string max_rate;
  uint64_t max_rows_per_second = 0;
  uint64_t max_bytes_per_second = 0;
  double rate_wait_seconds = 0;
  uint64_t ambiguous_resolved = 0;
  uint64_t skipped_chunks = 0;  // already committed: not loaded again
  uint64_t skipped_rows = 0;
  uint64_t rejected = 0;    // bad rows set aside (--max-rejects)
  std::string reject_file;  // where they are, when there are any
  std::string job;          // the journal's job id; empty with --no-journal
  // --shard: which ("K/N"), and the whole job's rows committed by every shard
  // at the end, of its total.
  std::string shard;
  uint64_t job_committed_rows = 0;
  uint64_t job_rows = 0;
  // Rows written to CSV files instead of being committed: every row with
  // --emit-import, the chunks that could not be committed with --fallback-dir.
  uint64_t file_rows = 0;
  uint64_t files = 0;
  std::string files_dir;  // where, when there are any (or --emit-import's DIR)
  double seconds = 0;
  double analyze_seconds = 0;  // --analyze, after the rows (not in `seconds`)
  // --build-indexes-after: the indexes built after the rows, and how long
  // that took (not in `seconds`).
  uint64_t indexes_built = 0;
  double index_seconds = 0;
  // --on-conflict ("error", "skip", "update"; "" where it does not apply)
  // and what became of the rows: inserted, skipped as duplicates, updated,
  // written (inserted or updated, CockroachDB's UPSERT), and untallied
  // (commits the journal settled, whose answers were lost).
  std::string on_conflict;
  uint64_t rows_inserted = 0;
  uint64_t rows_skipped = 0;
  uint64_t rows_updated = 0;
  uint64_t rows_written = 0;
  uint64_t rows_untallied = 0;
  std::string status = "ok";             // CodeName of the final status
  std::string error;                     // the final error's text, when there is one
  std::string next_step;                 // after a failure: what a re-run will do
  std::vector<ShareSummary> per_worker;  // by worker index; the hosts are set by the caller
  std::vector<ShareSummary> per_host;    // by host index; the hosts are set by the caller

  static Summary From(const Stats& stats, double seconds);
  // How the job ended: its status and error, and the rows set aside as
  // rejects (in `reject_file`, named only when there are any).
  void SetOutcome(const Status& status, uint64_t rejected_rows, const std::string& reject_file);
  double rows_per_second() const { return seconds > 0 ? rows / seconds : 0; }
  double mib_per_second() const { return seconds > 0 ? bytes / 1048576.0 / seconds : 0; }

  // Aligned "name: value" lines for a person.
  std::string ToText() const;
  // One JSON object; "version" changes only when a field changes meaning.
  std::string ToJson() const;
  // The per-worker and per-host tables of ToText: rows, chunks, retries and
  // reconnects.
  std::string WorkerTable() const;
  std::string HostTable() const;
};

}  // namespace loader

#endif  // LOADER_STATS_H_
