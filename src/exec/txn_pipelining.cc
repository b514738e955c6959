// TxnRunner's pipelined commits (Send, Settle); see txn_runner.h.
#include <spdlog/spdlog.h>

#include "exec/txn_runner.h"
#include "loader/journal/journal.h"
#include "loader/read/content_digest.h"

namespace loader {

using Code = Status::Code;

Status TxnRunner::QueueTransaction(const Chunk& chunk, bool* commit_queued) {
  Connection& conn = connection_.get();
  const bool cockroach = config_.server == ServerKind::kCockroach;
  Status s = conn.QueueParams("BEGIN");
  if (s.ok() && cockroach) s = conn.QueueParams("SAVEPOINT cockroach_restart");
  if (s.ok() && !config_.job.empty()) {
    begin_sql_.clear();
    AppendJournalInsert(config_.job, chunk.first_row, chunk.span(), ChunkDigest(chunk),
                        &begin_sql_);
    s = conn.QueueParams(begin_sql_.c_str());
  }
  if (s.ok() && chunk.rows > 0) s = sink_->Queue(conn, chunk);
  if (s.ok() && cockroach) {
    // RELEASE is the commit; COMMIT only closes the block.
    s = conn.QueueParams("RELEASE SAVEPOINT cockroach_restart");
    *commit_queued = s.ok();
  }
  if (s.ok()) s = conn.QueueParams("COMMIT");
  *commit_queued = *commit_queued || s.ok();
  if (s.ok()) s = conn.QueueSync();
  return s;
}

void TxnRunner::Send(const Chunk& chunk) {
  if (NothingToCommit(chunk)) return;
  SentChunk sent;
  Status s;
  if (sent_.empty()) {
    // Between windows only: a connection replaced with chunks in flight
    // would lose their answers.
    s = EnsureConnected();
    if (s.ok() && !connection_.get().pipelined()) s = connection_.get().EnterPipeline();
  } else if (!connection_.open()) {
    s = Status::Error(Code::kConnectionLost, "the connection was lost", "08006");
  }
  if (s.ok()) {
    Connection& conn = connection_.get();
    const int unread = conn.groups_unread();
    s = QueueTransaction(chunk, &sent.commit_queued);
    sent.whole = conn.groups_unread() > unread;
    // Statements queued without their sync point: the connection goes.
    partial_group_ = partial_group_ || !sent.whole;
  }
  if (!s.ok()) draining_ = true;
  if (!sent.whole) {
    sent.read = true;
    sent.outcome = std::move(s);
  }
  sent_.push_back(std::move(sent));
}

void TxnRunner::DrainPipeline(bool keep_transaction) {
  for (SentChunk& sent : sent_) {
    if (sent.read) continue;
    sent.outcome = connection_.get().ReadGroup();
    sent.read = true;
  }
  if (!connection_.open() || partial_group_ ||
      (connection_.get().pipelined() && !connection_.get().ExitPipeline().ok())) {
    partial_group_ = false;
    connection_.Drop();
    return;
  }
  // The first failed chunk's transaction block: the ones after it failed
  // at their BEGIN.
  if (!keep_transaction && connection_.get().InTransactionBlock()) Rollback();
}

Status TxnRunner::Settle(const Chunk& chunk, bool stopping) {
  if (NothingToCommit(chunk)) return Status::OK();
  SentChunk sent = std::move(sent_.front());
  sent_.pop_front();
  if (!sent.read) sent.outcome = connection_.get().ReadGroup();
  Status s;
  if (sent.outcome.ok()) {
    const RowTally tally = connection_.get().TakeTally();
    CountCommitted(chunk, &tally);
  } else {
    draining_ = true;
    Status failure = std::move(sent.outcome);
    const Code code = failure.code();
    // A serialization failure on CockroachDB may be retried at once from the
    // savepoint: its transaction stays open, unless the load is stopping.
    DrainPipeline(!stopping && code == Code::kRetryable &&
                  config_.server == ServerKind::kCockroach);
    if ((code == Code::kConnectionLost || code == Code::kConnectionFailed) &&
        (sent.whole || sent.commit_queued)) {
      failure = failure.WithCode(Code::kAmbiguousCommit);
    }
    // Refused only for following a failed transaction, or the journal
    // collided (the one-at-a-time attempt tells how): no attempt of its own.
    const bool not_tried =
        failure.sqlstate() == "25P02" || (!config_.job.empty() && failure.sqlstate() == "23505");
    if (stopping) {
      // The load stops: say what became of the chunk, whose failure the
      // caller drops for an earlier one.
      if (failure.code() == Code::kAmbiguousCommit) {
        spdlog::warn("worker {}: {}: the commit's outcome is unknown ({}); {}", worker_,
                     Describe(chunk), failure.ToString(),
                     config_.job.empty() ? "with --no-journal, check whether these rows are in "
                                           "the table before loading them again"
                                         : "the journal settles it on a re-run");
      } else {
        spdlog::info("worker {}: {}: not committed: {}", worker_, Describe(chunk),
                     failure.ToString());
      }
      s = failure;
    } else {
      s = Commit(chunk, not_tried ? nullptr : &failure);
    }
  }
  if (sent_.empty()) draining_ = false;
  return s;
}

}  // namespace loader
