#include "exec/txn_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "loader/base/interrupt.h"
#include "loader/exec/retry_decision.h"
#include "loader/generate/row_generator.h"
#include "loader/journal/journal.h"
#include "loader/read/content_digest.h"

namespace loader {
namespace {

using Clock = std::chrono::steady_clock;
using Code = Status::Code;

// Payload rows [begin, end) of `whole`, as a chunk of their own.
void PayloadRows(const Chunk& whole, uint32_t begin, uint32_t end, Chunk* part) {
  Chunk before;
  Chunk tail;
  const Chunk* from = &whole;
  if (begin > 0) {
    SplitChunkAt(whole, SpanBefore(whole, begin), &before, &tail);
    from = &tail;
  }
  Chunk after;
  SplitChunkAt(*from, SpanBefore(*from, end - begin), part, &after);
}

// The data row COPY names in a refusal's context ("COPY points, line 17"),
// 1-based; 0 when there is none.
uint64_t CopyLineOf(const Status& error) {
  const std::string& msg = error.message();
  const size_t copy = msg.find("COPY ");
  if (copy == std::string::npos) return 0;
  const size_t at = msg.find(", line ", copy);
  if (at == std::string::npos) return 0;
  uint64_t line = 0;
  for (size_t i = at + 7; i < msg.size() && msg[i] >= '0' && msg[i] <= '9'; ++i) {
    line = line * 10 + static_cast<uint64_t>(msg[i] - '0');
  }
  return line;
}

// The server's message without its COPY context ("[... COPY t, line N ...]"),
// whose line counts rows of the chunk, not lines of the file.
std::string WithoutCopyContext(const std::string& msg) {
  const size_t context = msg.rfind(" [");
  const bool copy = context != std::string::npos && msg.find("COPY ", context) != std::string::npos;
  return msg.substr(0, copy ? context : std::string::npos);
}

}  // namespace

std::string TxnRunner::Describe(const Chunk& chunk) {
  std::string out = "chunk " + std::to_string(chunk.index) + " (rows " +
                    std::to_string(chunk.first_row) + ".." +
                    std::to_string(chunk.first_row + chunk.span() - 1);
  if (chunk.file != nullptr && !chunk.origins.empty()) {
    out += ", " + *chunk.file + " lines " + std::to_string(chunk.origins.front().line) + ".." +
           std::to_string(chunk.origins.back().line);
  }
  return out + ")";
}

bool TxnRunner::NothingToCommit(const Chunk& chunk) const {
  return chunk.rows == 0 && config_.job.empty();
}

TxnRunner::TxnRunner(TxnConfig config, Sink* sink, Stats* stats, int worker)
    : config_(std::move(config)),
      sink_(sink),
      stats_(stats),
      worker_(worker),
      mine_(static_cast<size_t>(worker) < stats->per_worker.size() ? stats->per_worker[worker]
                                                                   : unused_),
      connection_(config_.hosts, config_.home, config_.server, sink, worker, config_.warm),
      jitter_(static_cast<uint64_t>(worker) + 1) {}

ShareCounters& TxnRunner::HostShare() {
  return connection_.host() < stats_->per_host.size() ? stats_->per_host[connection_.host()]
                                                      : unused_;
}

Status TxnRunner::EnsureConnected(bool* new_connection) {
  bool reconnected = false;
  Status s = connection_.Ensure(&reconnected);
  if (new_connection != nullptr) *new_connection = reconnected;
  if (!s.ok()) return s;
  server_gone_ = false;
  if (reconnected) {
    CountShared(*stats_, &Stats::reconnects, mine_, HostShare(), &ShareCounters::reconnects, 1);
  }
  return s;
}

void TxnRunner::Rollback() {
  if (connection_.open()) connection_.get().Exec("ROLLBACK");
}

void TxnRunner::CountCommitted(const Chunk& chunk, const RowTally* tally) {
  CountShared(*stats_, &Stats::rows, mine_, HostShare(), &ShareCounters::rows, chunk.rows);
  CountShared(*stats_, &Stats::chunks, mine_, HostShare(), &ShareCounters::chunks, 1);
  stats_->bytes.fetch_add(chunk.payload.size(), std::memory_order_relaxed);
  if (tally == nullptr) return;
  stats_->tallied_rows.fetch_add(chunk.rows, std::memory_order_relaxed);
  stats_->rows_inserted.fetch_add(tally->inserted, std::memory_order_relaxed);
  stats_->rows_updated.fetch_add(tally->updated, std::memory_order_relaxed);
  stats_->rows_written.fetch_add(tally->written, std::memory_order_relaxed);
}

Status TxnRunner::Attempt(const Chunk& chunk, bool from_savepoint, bool* collided) {
  const bool cockroach = config_.server == ServerKind::kCockroach;
  *collided = false;
  begin_sql_ = from_savepoint ? "ROLLBACK TO SAVEPOINT cockroach_restart"
               : cockroach    ? "BEGIN; SAVEPOINT cockroach_restart"
                              : "BEGIN";
  if (!config_.job.empty()) {
    begin_sql_ += "; ";
    AppendJournalInsert(config_.job, chunk.first_row, chunk.span(), ChunkDigest(chunk),
                        &begin_sql_);
  }
  connection_.get().TakeTally();  // an earlier attempt's is not this one's
  if (!cockroach && chunk.rows > 0 && sink_->SendsTransactions()) {
    return AttemptInOneQuery(chunk, collided);
  }
  Status s = connection_.get().Exec(begin_sql_.c_str());
  if (!s.ok() && !config_.job.empty() && s.sqlstate() == "23505") {
    // Only the journal insert can collide here.
    Rollback();
    *collided = true;
    return Status::OK();
  }
  if (!s.ok()) return s;
  // A chunk of rejected rows only carries its journal row.
  if (chunk.rows > 0) s = sink_->Send(connection_.get(), chunk);
  if (!s.ok()) return s;
  // From here on the server may commit without our hearing about it.
  if (cockroach) {
    s = connection_.get().Exec("RELEASE SAVEPOINT cockroach_restart");
    if (s.code() == Code::kConnectionLost) return s.WithCode(Code::kAmbiguousCommit);
    if (!s.ok()) return s;
    // RELEASE was the commit; COMMIT only closes the transaction block, so
    // losing the connection now loses nothing.
    s = connection_.get().Exec("COMMIT");
    return s.code() == Code::kConnectionLost ? Status::OK() : s;
  }
  s = connection_.get().Exec("COMMIT");
  if (s.code() == Code::kConnectionLost) return s.WithCode(Code::kAmbiguousCommit);
  return s;
}

Status TxnRunner::AttemptInOneQuery(const Chunk& chunk, bool* collided) {
  Connection::CopyProgress progress;
  Status s = sink_->SendTransaction(connection_.get(), chunk, begin_sql_, &progress);
  if (!progress.started) {
    if (!s.ok() && !config_.job.empty() && s.sqlstate() == "23505") {
      // Only the journal insert, before the rows, can collide.
      Rollback();
      *collided = true;
      return Status::OK();
    }
    return s;
  }
  // The COMMIT went out with the rows' end: from then on the server may
  // commit without our hearing about it.
  if (s.code() == Code::kConnectionLost && progress.ended)
    return s.WithCode(Code::kAmbiguousCommit);
  return s;
}

Status TxnRunner::TakeCollision(const Chunk& chunk, bool maybe_ours, uint64_t* covered) {
  uint64_t rows = 0;
  Status s = CommittedRows(connection_.get(), config_.job, chunk.first_row, &rows);
  if (!s.ok()) return s.WithContext(Describe(chunk) + ": reading its journal row");
  if (maybe_ours && rows == chunk.span()) {
    // The COMMIT whose reply we lost went through after all.
    stats_->ambiguous_resolved.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("worker {}: {}: the journal says the commit succeeded; nothing to redo", worker_,
                 Describe(chunk));
    CountCommitted(chunk, nullptr);
    return s;
  }
  *covered = std::min<uint64_t>(rows, chunk.span());
  spdlog::info("worker {}: rows {}..{} were already committed by another transaction of job {}",
               worker_, chunk.first_row, chunk.first_row + rows - 1, config_.job);
  stats_->skipped_rows.fetch_add(*covered, std::memory_order_relaxed);
  stats_->skipped_chunks.fetch_add(1, std::memory_order_relaxed);
  return s;
}

Status TxnRunner::SettleUnknownOutcome(const Chunk& chunk, bool* committed) {
  uint64_t rows = 0;
  Status s = CommittedRows(connection_.get(), config_.job, chunk.first_row, &rows);
  if (!s.ok()) return s;
  *committed = rows > 0;
  stats_->ambiguous_resolved.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("worker {}: {}: the journal says the commit {}", worker_, Describe(chunk),
               *committed ? "succeeded; nothing to redo" : "did not happen; loading it again");
  return s;
}

Status TxnRunner::WaitToReconnect(const Chunk& chunk, const Status& cause, bool outcome_unknown,
                                  Outage* outage) {
  connection_.Drop();
  const RetryPolicy& policy = config_.retry;
  const auto now = Clock::now();
  if (!outage->since) outage->since = now;
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - *outage->since);
  const std::string unknown =
      outcome_unknown ? "; whether its last COMMIT went through is settled by the journal on a "
                        "re-run"
                      : "";
  if (waited >= policy.reconnect_timeout || server_gone_) {
    server_gone_ = true;
    return cause.WithCode(Code::kConnectionFailed)
        .WithContext(Describe(chunk) + ": gave up after " + std::to_string(waited.count() / 1000) +
                     " s without a working connection (--reconnect-timeout)" + unknown);
  }
  const auto delay = std::min(policy.backoff.Delay(++outage->tries, jitter_.Next()),
                              policy.reconnect_timeout - waited);
  spdlog::warn("worker {}: {}: reconnecting in {} ms after {}", worker_, Describe(chunk),
               delay.count(), cause.ToString());
  if (!SleepUnlessInterrupted(delay)) {
    return Status::Error(Code::kInterrupted,
                         Describe(chunk) + (outcome_unknown ? ": commit outcome unknown" + unknown
                                                            : ": not committed"));
  }
  return Status::OK();
}

Status TxnRunner::GiveUp(const Chunk& chunk, const Status& s) {
  Rollback();
  // Commit splits a chunk that is too large and names the halves itself,
  // and names a refused row of a file by its line.
  if (s.code() == Code::kTooLarge || (s.code() == Code::kDataError && !chunk.origins.empty())) {
    return s;
  }
  // Binary COPY does not echo the row; a generated row is named by its index.
  if (const uint64_t line = CopyLineOf(s);
      s.code() == Code::kDataError && line >= 1 && line <= chunk.rows) {
    return s.WithContext(Describe(chunk) + ": row " + std::to_string(chunk.first_row + line - 1));
  }
  return s.WithContext(Describe(chunk));
}

Status TxnRunner::CommitWhole(const Chunk& chunk, uint64_t* covered, const Status* pipelined) {
  const RetryPolicy& policy = config_.retry;
  *covered = 0;
  gave_up_unsure_ = false;
  int serialization_retries = 0;
  Outage outage;
  bool from_savepoint = false;
  bool outcome_unknown = false;  // the last attempt's COMMIT may have gone through
  bool maybe_ours = false;       // any attempt's COMMIT may have gone through
  for (int attempt = 0;; ++attempt) {
    if (attempt == 1) stats_->retried_chunks.fetch_add(1, std::memory_order_relaxed);
    if (attempt > 0) {
      CountShared(*stats_, &Stats::retries, mine_, HostShare(), &ShareCounters::retries, 1);
    }

    bool attempted = false;
    bool collided = false;
    Status s;
    if (attempt == 0 && pipelined != nullptr) {
      s = *pipelined;  // the pipeline's attempt
      // DrainPipeline left its transaction open for a retry from the savepoint.
      attempted = connection_.open() && connection_.get().InTransactionBlock();
    } else {
      bool reconnected = false;
      s = EnsureConnected(&reconnected);
      // A new connection has no savepoint to go back to.
      if (reconnected) from_savepoint = false;
      if (s.ok() && outcome_unknown) {
        bool committed = false;
        s = SettleUnknownOutcome(chunk, &committed);
        if (s.ok() && committed) {
          CountCommitted(chunk, nullptr);
          return s;
        }
        if (s.ok()) outcome_unknown = false;
      }
      if (s.ok()) {
        attempted = true;
        s = Attempt(chunk, from_savepoint, &collided);
      }
    }
    if (s.ok()) {
      if (collided) return TakeCollision(chunk, maybe_ours, covered);
      const RowTally tally = connection_.get().TakeTally();
      CountCommitted(chunk, &tally);
      return s;
    }
    from_savepoint = false;

    const RetryAction action = DecideRetry({.code = s.code(),
                                            .journal = !config_.job.empty(),
                                            .rows_from_files = !chunk.origins.empty(),
                                            .server = config_.server,
                                            .method = sink_->method(),
                                            .transaction_open = attempted && connection_.open(),
                                            .serialization_retries = serialization_retries,
                                            .max_retries = policy.max_retries});
    switch (action) {
      case RetryAction::kStopOutcomeUnknown:
        return s.WithContext(Describe(chunk) +
                             ": the commit's outcome is unknown, and with --no-journal there "
                             "is no record to settle it; check whether these rows are in the "
                             "table before loading them again");
      case RetryAction::kAskJournal:
        spdlog::warn("worker {}: {}: the commit's outcome is unknown ({}); asking the journal",
                     worker_, Describe(chunk), s.ToString());
        outcome_unknown = maybe_ours = true;
        [[fallthrough]];
      case RetryAction::kReconnect:
        // The transaction is gone with its connection.
        s = WaitToReconnect(chunk, s, outcome_unknown, &outage);
        if (!s.ok()) {
          gave_up_unsure_ = outcome_unknown;
          return s;
        }
        continue;
      case RetryAction::kRetriesExhausted:
        Rollback();
        return s.WithCode(Code::kRetriesExhausted)
            .WithContext(Describe(chunk) + ": gave up after " + std::to_string(policy.max_retries) +
                         " retries");
      case RetryAction::kRetryFromSavepoint:
        ++serialization_retries;
        from_savepoint = true;
        spdlog::warn("worker {}: {}: retry {} of {} at once from the savepoint after {}", worker_,
                     Describe(chunk), serialization_retries, policy.max_retries, s.ToString());
        continue;
      case RetryAction::kRetryAfterBackoff: {
        ++serialization_retries;
        Rollback();
        const auto delay = policy.backoff.Delay(serialization_retries, jitter_.Next());
        spdlog::warn("worker {}: {}: retry {} of {} in {} ms after {}", worker_, Describe(chunk),
                     serialization_retries, policy.max_retries, delay.count(), s.ToString());
        if (!SleepUnlessInterrupted(delay)) {
          return Status::Error(Code::kInterrupted, Describe(chunk) + ": not committed");
        }
        continue;
      }
      case RetryAction::kSplit:           // CommitSplitting's
      case RetryAction::kFindRefusedRow:  // Commit's
      case RetryAction::kStop:
        return GiveUp(chunk, s);
    }
  }
}

Status TxnRunner::Refuses(const Chunk& chunk, uint32_t begin, uint32_t end, bool* refused) {
  Chunk part;
  PayloadRows(chunk, begin, end, &part);
  Status s = EnsureConnected();
  if (s.ok()) s = connection_.get().Exec("BEGIN");
  if (s.ok()) s = sink_->Send(connection_.get(), part);
  Rollback();
  *refused = s.code() == Code::kDataError;
  return *refused ? Status::OK() : s;
}

Status TxnRunner::FindRefusedRow(const Chunk& chunk, const Status& error, uint32_t* row) {
  if (sink_->method() == Method::kCopy) {
    // One COPY data line (or binary tuple) per row: the line COPY names is the row.
    const uint64_t line = CopyLineOf(error);
    if (line >= 1 && line <= chunk.rows) {
      *row = static_cast<uint32_t>(line - 1);
      return Status::OK();
    }
  }
  // A multi-row INSERT does not say which row: try halves, each in a
  // transaction that rolls back, down to one row.
  uint32_t begin = 0;
  uint32_t end = chunk.rows;
  while (end - begin > 1) {
    const uint32_t mid = begin + (end - begin) / 2;
    bool refused = false;
    Status s = Refuses(chunk, begin, mid, &refused);
    if (!s.ok()) return s.WithContext(Describe(chunk) + ": looking for the row the server refused");
    if (refused) {
      end = mid;
    } else {
      begin = mid;
    }
  }
  bool refused = chunk.rows == 1;
  if (!refused) {
    Status s = Refuses(chunk, begin, end, &refused);
    if (!s.ok()) return s.WithContext(Describe(chunk) + ": looking for the row the server refused");
  }
  if (!refused) {
    return error.WithContext(Describe(chunk) +
                             ": the server refused the chunk, but no single row "
                             "of it on its own");
  }
  *row = begin;
  return Status::OK();
}

Status TxnRunner::Commit(const Chunk& chunk, const Status* pipelined) {
  if (NothingToCommit(chunk)) return Status::OK();
  Status s = CommitSplitting(chunk, pipelined);
  if (s.code() != Code::kDataError || chunk.origins.empty()) return s;
  // Rows read from a file: name the refused row by its line, and with
  // --max-rejects set it aside and commit the others.
  const Chunk* current = &chunk;
  Chunk rest;
  for (;;) {
    uint32_t row = 0;
    Status found = FindRefusedRow(*current, s, &row);
    if (!found.ok()) return found;
    const uint64_t span = SpanBefore(*current, row);
    const RowOrigin& origin = current->origins[span];
    const Status reason =
        Status::Error(Code::kDataError,
                      *current->file + ":" + std::to_string(origin.line) +
                          ": the server refused the row: " + WithoutCopyContext(s.message()),
                      s.sqlstate());
    if (config_.rejects == nullptr) return reason;
    s = config_.rejects->Reject(
        std::string_view(current->raw.data() + origin.raw_offset, origin.raw_size), reason);
    if (!s.ok()) return s;
    spdlog::warn("worker {}: rejected {}", worker_, reason.ToString());
    Chunk front;
    Chunk back;
    SplitChunkAt(*current, span + 1, &front, &back);
    UnsendLastRow(&front);
    s = Commit(front);
    if (!s.ok() || back.span() == 0) return s;
    rest = std::move(back);
    current = &rest;
    s = CommitSplitting(rest);
    if (s.code() != Code::kDataError) return s;
  }
}

Status TxnRunner::SpillOrFail(const Chunk& chunk, const Status& failure) {
  const Code code = failure.code();
  const bool spill =
      config_.fallback != nullptr && (code == Code::kRetriesExhausted || code == Code::kTooLarge ||
                                      code == Code::kConnectionFailed);
  if (!spill) return failure;
  Status s = config_.fallback->Spill(chunk, failure, gave_up_unsure_);
  if (!s.ok()) return s;
  spdlog::warn("worker {}: written to {} instead: {}", worker_, config_.fallback->dir(),
               failure.ToString());
  return s;
}

Status TxnRunner::CommitSplitting(const Chunk& chunk, const Status* pipelined) {
  uint64_t covered = 0;
  Status s = CommitWhole(chunk, &covered, pipelined);
  if (s.ok() && split_depth_ > 0) split_fit_rows_ = std::max<uint64_t>(split_fit_rows_, chunk.rows);
  if (s.ok() && covered > 0 && covered < chunk.span()) {
    // Another transaction committed only the first rows (it was cut with a
    // smaller --chunk): load the rest.
    Chunk done;
    Chunk rest;
    SplitChunkAt(chunk, covered, &done, &rest);
    return Commit(rest);
  }
  if (s.code() != Code::kTooLarge) return SpillOrFail(chunk, s);
  if (chunk.rows < 2) {
    return SpillOrFail(
        chunk, s.WithContext(Describe(chunk) + ": a single row is too large for the server"));
  }
  Chunk front;
  Chunk back;
  SplitChunk(chunk, &front, &back);
  stats_->splits.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("worker {}: {} is too large for the server: {}; committing it as {} + {} rows",
               worker_, Describe(chunk), s.ToString(), front.rows, back.rows);
  if (split_depth_ == 0) split_fit_rows_ = 0;
  ++split_depth_;
  s = Commit(front);
  if (s.ok()) s = Commit(back);
  if (--split_depth_ == 0 && split_fit_rows_ > 0) {
    if (config_.chunker != nullptr) config_.chunker->LowerMaxRows(split_fit_rows_);
    spdlog::info("worker {}: later chunks at most {} rows", worker_, split_fit_rows_);
  }
  return s;
}

}  // namespace loader
