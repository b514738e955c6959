#include "job/load_passes.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "loader/base/interrupt.h"
#include "loader/journal/journal.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

bool IsUnreachable(const Status& s) {
  return s.code() == Status::Code::kConnectionFailed || s.code() == Status::Code::kConnectionLost;
}

// The journal of the job (and its row count, when the pass counted it).
Status ReadJournalOn(Connection& conn, const PipelineConfig& config, const Shard& shard,
                     bool counted, uint64_t total, JournalState* state) {
  Status s = counted ? SetJobTotal(conn, config.job, total) : Status::OK();
  if (s.ok()) s = ReadJournal(conn, config.job, state, shard);
  return s;
}

// After a pass: reads the job's journal (and records its row count when the
// pass counted it). First over the connection that planned the load, kept
// open for this, as a new one costs several round trips; when that one is
// gone or its host is down, on any host, reconnecting with backoff for as
// long as --reconnect-timeout allows, as a worker would for a chunk.
Status ReadJournalAgain(const PipelineConfig& config, const Shard& shard, bool counted,
                        uint64_t total, FirstServer* first, JournalState* state) {
  if (first->conn && !first->conn->broken() &&
      config.hosts->Usable(first->host, std::chrono::steady_clock::now())) {
    const Status s = ReadJournalOn(*first->conn, config, shard, counted, total, state);
    if (!IsUnreachable(s)) return s;
    first->conn.reset();
  }
  const auto give_up = std::chrono::steady_clock::now() + config.retry.reconnect_timeout;
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<Connection> conn;
    size_t host = 0;
    Status s = config.hosts->ConnectAny(&conn, &host);
    if (s.ok()) s = ReadJournalOn(*conn, config, shard, counted, total, state);
    if (!IsUnreachable(s) || std::chrono::steady_clock::now() >= give_up) return s;
    const auto delay = config.retry.backoff.Delay(attempt, static_cast<uint64_t>(attempt));
    spdlog::warn("reading the journal again after loading: {}; retrying in {} ms", s.ToString(),
                 delay.count());
    if (!SleepUnlessInterrupted(delay)) return s;
  }
}

}  // namespace

Status LoadMissingRows(const LoadSpec& spec, const LoadInput& input, const ChunkPlan& plan,
                       const PipelineConfig& config, FirstServer* first, JournalState* state,
                       Stats* stats, uint64_t* total) {
  constexpr int kMaxPasses = 3;
  for (int pass = 1;; ++pass) {
    // Rows this run wrote to --fallback-dir are done with, as committed ones
    // are. Both by the shard's own row numbers (see shard.h).
    const Shard& shard = spec.chunks.shard;
    RowRanges done = state->committed;
    if (config.fallback != nullptr) {
      const RowRanges spilled = config.fallback->spilled();
      for (const RowRange& r : spilled.ranges()) {
        const RowRange own = shard.ToOwn(r);
        done.Add(own.first, own.count);
      }
    }
    std::vector<RowRange> todo = done.Missing(shard.OwnedBefore(*total));
    uint64_t missing = 0;
    for (RowRange& r : todo) {
      missing += r.count;
      r = shard.ToJob(r);
    }
    if (missing == 0) return Status::OK();
    if (pass > kMaxPasses || (pass > 1 && !input.rereadable)) {
      return Status::Internal("job " + config.job + ": " + std::to_string(missing) +
                              " rows are still missing from the journal after " +
                              std::to_string(pass - 1) + " passes; run the same command again");
    }
    if (pass > 1) {
      spdlog::warn(
          "job {}: {} rows are not in the journal after pass {} (another loader of "
          "this job cut its chunks differently); loading them",
          config.job, missing, pass - 1);
    }
    std::unique_ptr<RowSource> source;
    Status s = MakeSource(spec.input, input.table, shard,
                          {.encoding = SourceEncoding(config.method, input),
                           .limits = plan.limits,
                           .todo = std::move(todo),
                           .rejects = config.rejects,
                           .journal = state,
                           .job = input.job.id,
                           .synthetic = input.synthetic,
                           .fields = &input.fields,
                           .opened = input.opened},
                          &source);
    if (s.ok()) s = RunPipeline(config, *source, stats);
    if (!s.ok()) return s;
    const bool counted = !input.job.total_known && *total == kUnknownTotal;
    if (counted) *total = source->rows_read();
    if (config.job.empty()) return s;

    s = ReadJournalAgain(config, spec.chunks.shard, counted, *total, first, state);
    const bool unreachable = IsUnreachable(s);
    if (unreachable && config.fallback != nullptr && config.fallback->files() > 0) {
      // The server went away, which is why chunks are in --fallback-dir: every
      // row is committed or there. Only what another loader of the job did
      // goes unchecked, and a re-run checks it.
      spdlog::warn("could not read the journal again after loading: {}", s.ToString());
      return Status::OK();
    }
    if (!s.ok()) return s.WithContext("checking the journal after loading");
    if (state->journaled_rows > state->committed.rows()) {
      return Status::Internal(
          "the journal of job " + config.job + " has overlapping chunks (" +
          std::to_string(state->journaled_rows - state->committed.rows()) +
          " rows journaled twice): another loader of this job ran with another --chunk, and "
          "rows may be in the table twice");
    }
  }
}

}  // namespace loader
