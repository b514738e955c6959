// TxnRunner: commits one chunk per transaction on one worker's connection, and
// owns the retry policy. It is where a retry is decided, so it is where each
// retry is logged and counted.
//
// PostgreSQL:  BEGIN; <rows>; COMMIT. Any retry: full ROLLBACK, backoff, again.
// CockroachDB: BEGIN; SAVEPOINT cockroach_restart; <rows>;
//              RELEASE SAVEPOINT cockroach_restart; COMMIT.
//   RELEASE is the real commit. A chunk's first retry of a 40001 goes back to the
//   savepoint and redoes the rows at once, keeping the transaction's place in
//   line; later retries wait, and do a full ROLLBACK first so no locks are held
//   while sleeping. COPY always restarts in full: COPY after ROLLBACK TO SAVEPOINT
//   hit a server bug in CockroachDB releases still in use.
//
// A connection lost before COMMIT was sent means the transaction is known
// aborted: reconnect and redo. Lost while COMMIT (or RELEASE) was in flight, the
// outcome is unknown: Run returns kAmbiguousCommit and never redoes it blindly.
// Thread safety: one TxnRunner per worker thread.
#ifndef LOADER_TXN_RUNNER_H_
#define LOADER_TXN_RUNNER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "loader/backoff.h"
#include "loader/chunk.h"
#include "loader/connection.h"
#include "loader/server_info.h"
#include "loader/sink.h"
#include "loader/stats.h"

namespace loader {

struct RetryPolicy {
  int max_retries = 10;  // retries after a chunk's first attempt
  Backoff backoff{std::chrono::milliseconds(100), std::chrono::milliseconds(5000)};
};

class TxnRunner {
 public:
  // `sink` and `stats` must outlive the runner. `worker` names it in the log and
  // seeds its jitter.
  TxnRunner(std::string conninfo, ServerKind server, Sink* sink, RetryPolicy policy,
            Stats* stats, int worker);

  // Commits every row of `chunk` in one transaction, or returns why it could not:
  // after policy.max_retries retries, kRetriesExhausted (or, when the last try
  // could not reach the server, kConnectionLost / kConnectionFailed);
  // kAmbiguousCommit; or the first permanent error (data, permission, auth...).
  // No transaction is left open on return.
  Status Run(const Chunk& chunk);

 private:
  Status EnsureConnected();
  // One try. With `from_savepoint`, the transaction is still open and rewinds to
  // the savepoint instead of starting anew.
  Status Attempt(const Chunk& chunk, bool from_savepoint);
  void Rollback();
  uint64_t NextRandom();

  const std::string conninfo_;
  const ServerKind server_;
  Sink* const sink_;
  const RetryPolicy policy_;
  Stats* const stats_;
  const int worker_;
  std::unique_ptr<Connection> conn_;
  bool connected_before_ = false;
  uint64_t random_state_;
};

}  // namespace loader

#endif  // LOADER_TXN_RUNNER_H_
