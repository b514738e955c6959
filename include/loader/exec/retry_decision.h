// What a worker does after one attempt to commit a chunk's transaction
// failed: the retry policy as a pure function of the failure and where the
// chunk stands, so each case is decided, and tested, in one place.
// TxnRunner carries it out; splitting a chunk that is too large, finding a
// row the server refused, and spilling to --fallback-dir are its callers'.
#ifndef LOADER_EXEC_RETRY_DECISION_H_
#define LOADER_EXEC_RETRY_DECISION_H_

#include "loader/base/status.h"
#include "loader/pg/server_info.h"
#include "loader/sink/sink.h"

namespace loader {

enum class RetryAction {
  // The commit went out and its answer was lost (40003, a connection lost
  // after COMMIT or RELEASE was sent): reconnect and ask the journal; redo
  // only when it has no row for the chunk.
  kAskJournal,
  // The same, with no journal to ask: stop, and never redo blindly.
  kStopOutcomeUnknown,
  // The transaction died with its connection, before its commit went out:
  // reconnect (backing off while no host answers) and redo.
  kReconnect,
  // CockroachDB, a chunk's first serialization failure with its transaction
  // still open: ROLLBACK TO SAVEPOINT cockroach_restart and redo at once,
  // keeping the transaction's place in line. Never for COPY (a server bug
  // in CockroachDB releases still in use).
  kRetryFromSavepoint,
  // A serialization failure (40001, 40P01): roll back, back off, redo.
  kRetryAfterBackoff,
  // As kRetryAfterBackoff, but --max-retries are used up: stop.
  kRetriesExhausted,
  // Too large for the server: the caller commits the chunk in halves.
  kSplit,
  // A row the server refused (class 22, 23): the caller finds it by its
  // line, and with --max-rejects sets it aside.
  kFindRefusedRow,
  // No retry mends it (a refused generated row, a missing table, a denied
  // privilege, any other server error): stop.
  kStop,
};

struct FailedAttempt {
  Status::Code code = Status::Code::kServerError;  // from ClassifySqlState
  bool journal = false;          // a journal row rides in each chunk's transaction
  bool rows_from_files = false;  // rows have lines to name them by
  ServerKind server = ServerKind::kPostgres;
  Method method = Method::kCopy;
  bool transaction_open = false;  // the failed transaction is still open on its connection
  int serialization_retries = 0;  // the chunk's serialization retries so far
  int max_retries = 10;           // --max-retries
};

RetryAction DecideRetry(const FailedAttempt& failure);

}  // namespace loader

#endif  // LOADER_EXEC_RETRY_DECISION_H_
