#include "loader/txn_runner.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "loader/row_generator.h"

namespace loader {
namespace {

std::string Describe(const Chunk& chunk) {
  return "chunk " + std::to_string(chunk.index) + " (rows " + std::to_string(chunk.first_row) +
         ".." + std::to_string(chunk.first_row + chunk.rows - 1) + ")";
}

bool IsTransient(const Status& s) {
  return s.code() == Status::Code::kRetryable || s.code() == Status::Code::kConnectionLost ||
         s.code() == Status::Code::kConnectionFailed;
}

}  // namespace

TxnRunner::TxnRunner(std::string conninfo, ServerKind server, Sink* sink, RetryPolicy policy,
                     Stats* stats, int worker)
    : conninfo_(std::move(conninfo)),
      server_(server),
      sink_(sink),
      policy_(policy),
      stats_(stats),
      worker_(worker),
      random_state_(static_cast<uint64_t>(
                        std::chrono::steady_clock::now().time_since_epoch().count()) ^
                    Mix64(static_cast<uint64_t>(worker) + 1)) {}

uint64_t TxnRunner::NextRandom() {
  random_state_ += 0x9e3779b97f4a7c15ULL;
  return Mix64(random_state_);
}

Status TxnRunner::EnsureConnected() {
  if (conn_ && !conn_->broken()) return Status::OK();
  conn_.reset();
  std::unique_ptr<Connection> conn;
  Status s = Connection::Open(conninfo_, &conn);
  if (!s.ok()) return s;
  s = sink_->Prepare(*conn);
  if (!s.ok()) return s;
  if (connected_before_) {
    stats_->reconnects.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("worker {}: reconnected", worker_);
  }
  connected_before_ = true;
  conn_ = std::move(conn);
  return Status::OK();
}

void TxnRunner::Rollback() {
  if (conn_ && !conn_->broken()) conn_->Exec("ROLLBACK");
}

Status TxnRunner::Attempt(const Chunk& chunk, bool from_savepoint) {
  const bool cockroach = server_ == ServerKind::kCockroach;
  Status s;
  if (from_savepoint) {
    s = conn_->Exec("ROLLBACK TO SAVEPOINT cockroach_restart");
  } else {
    s = conn_->Exec(cockroach ? "BEGIN; SAVEPOINT cockroach_restart" : "BEGIN");
  }
  if (!s.ok()) return s;
  s = sink_->Send(*conn_, chunk);
  if (!s.ok()) return s;
  // From here on the server may commit without our hearing about it.
  if (cockroach) {
    s = conn_->Exec("RELEASE SAVEPOINT cockroach_restart");
    if (s.code() == Status::Code::kConnectionLost) return s.WithCode(Status::Code::kAmbiguousCommit);
    if (!s.ok()) return s;
    // RELEASE was the commit; COMMIT only closes the transaction block, so
    // losing the connection now loses nothing.
    s = conn_->Exec("COMMIT");
    return s.code() == Status::Code::kConnectionLost ? Status::OK() : s;
  }
  s = conn_->Exec("COMMIT");
  if (s.code() == Status::Code::kConnectionLost) return s.WithCode(Status::Code::kAmbiguousCommit);
  return s;
}

Status TxnRunner::Run(const Chunk& chunk) {
  Status last;
  bool from_savepoint = false;
  for (int retry = 0; retry <= policy_.max_retries; ++retry) {
    if (retry == 1) stats_->retried_chunks.fetch_add(1, std::memory_order_relaxed);
    if (retry > 0) stats_->retries.fetch_add(1, std::memory_order_relaxed);

    Status s = EnsureConnected();
    if (s.ok()) s = Attempt(chunk, from_savepoint);
    if (s.ok()) {
      stats_->rows.fetch_add(chunk.rows, std::memory_order_relaxed);
      stats_->chunks.fetch_add(1, std::memory_order_relaxed);
      stats_->bytes.fetch_add(chunk.payload.size(), std::memory_order_relaxed);
      return s;
    }
    if (s.code() == Status::Code::kAmbiguousCommit) {
      return s.WithContext(Describe(chunk) + ": the commit's outcome is unknown; check whether " +
                           "these rows are in the table before loading them again");
    }
    last = s;
    // The savepoint retry: only for a 40001 on a live CockroachDB transaction,
    // only once per chunk, and never for COPY (see the header).
    from_savepoint = server_ == ServerKind::kCockroach && retry == 0 &&
                     retry < policy_.max_retries && s.code() == Status::Code::kRetryable &&
                     sink_->encoding() != Encoding::kCopyText && conn_ && !conn_->broken();
    if (!from_savepoint) Rollback();
    if (!IsTransient(s)) return s.WithContext(Describe(chunk));
    if (retry == policy_.max_retries) break;
    if (from_savepoint) {
      spdlog::warn("worker {}: {}: retry {} of {} at once from the savepoint after {}", worker_,
                   Describe(chunk), retry + 1, policy_.max_retries, s.ToString());
      continue;
    }
    const auto delay = policy_.backoff.Delay(retry + 1, NextRandom());
    spdlog::warn("worker {}: {}: retry {} of {} in {} ms after {}", worker_, Describe(chunk),
                 retry + 1, policy_.max_retries, delay.count(), s.ToString());
    std::this_thread::sleep_for(delay);
  }
  Status exhausted = last.code() == Status::Code::kRetryable
                         ? last.WithCode(Status::Code::kRetriesExhausted)
                         : last;
  return exhausted.WithContext(Describe(chunk) + ": gave up after " +
                               std::to_string(policy_.max_retries) + " retries");
}

}  // namespace loader
