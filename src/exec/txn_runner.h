// TxnRunner: commits one chunk per transaction on one worker's connection, and
// owns the retry policy. It is where a retry is decided, so it is where each
// retry is logged and counted.
//
// PostgreSQL:  BEGIN; [journal row]; <rows>; COMMIT. Any retry: full ROLLBACK,
//              backoff, again. With COPY all of it is one query string, the
//              COMMIT running as the rows end: two waits for the server a
//              chunk, where one statement at a time takes four.
// CockroachDB: BEGIN; SAVEPOINT cockroach_restart; [journal row]; <rows>;
//              RELEASE SAVEPOINT cockroach_restart; COMMIT.
//   RELEASE is the real commit. A chunk's first retry of a 40001 goes back to the
//   savepoint and redoes the rows at once, keeping the transaction's place in
//   line; later retries wait, and do a full ROLLBACK first so no locks are held
//   while sleeping. COPY always restarts in full: COPY after ROLLBACK TO SAVEPOINT
//   hit a server bug in CockroachDB releases still in use.
//
// The journal row (see journal.h) rides in the BEGIN round trip, so it costs no
// extra wait per chunk.
//
// Failures (DecideRetry in retry_decision.h says which case a failure is):
//  - 40001 / 40P01: retried, at most policy.max_retries times per chunk.
//  - A lost or refused connection before COMMIT was sent: the transaction is
//    known aborted; reconnect with backoff and redo, for as long as
//    policy.reconnect_timeout allows without the chunk committing. A host
//    that refuses a connection is marked down in the HostSet and the next one
//    is tried at once; the backoff is for when no host answers.
//  - Lost while COMMIT (or RELEASE) was in flight, or 40003: the outcome is
//    unknown. With a journal, reconnect and ask it: committed is done, absent is
//    redone. Without one, kAmbiguousCommit: never redone blindly.
//  - Too large (53400, 54000, "command is too large"): the chunk is split in
//    halves, each committed on its own (halved again while too large), and
//    the source's Chunker is lowered to the most rows a half committed at
//    once, so later chunks are made smaller.
//  - A row the server refuses (class 22 or 23) in rows read from a file: the
//    row is found (COPY names its line; otherwise halves are tried in
//    transactions that roll back) and named by file and line. With a
//    RejectLog that takes it, the row is set aside and the chunk's other rows
//    are committed, the rejected row still covered by its journal row.
//  - With a FallbackDir, a chunk that still cannot be committed (retries
//    exhausted, one row too large, no connection past the reconnect timeout)
//    is written there instead, and Commit returns OK. Once the reconnect
//    timeout has passed, later chunks try to connect once, not for another
//    timeout each, until a connection works again.
//  - Anything else is permanent and returned at once.
//
// Pipelined (a sink that Pipelines(), INSERT): Send queues a chunk's whole
// transaction on the connection in libpq's pipeline mode, waiting for
// nothing, so several chunks are in flight at once and a round trip is paid
// for a window of them, not for each. A chunk is the same transaction as
// one at a time, statement by statement, then a sync point. Settle, for the
// sent chunks in order, takes a chunk's outcome. A chunk that did not commit
// in the pipeline is committed by Commit's path once every later chunk in
// flight has been read and the connection has left pipeline mode: its
// failure is that path's first attempt (on CockroachDB a 40001 still
// retries at once from the savepoint), and a lost connection after its
// commit went out is an unknown outcome for the journal to settle. A failed
// transaction block makes the server refuse the chunks after it in flight
// (25P02) until the sync point: those go Commit's path untried.
// Thread safety: one TxnRunner per worker thread.
#ifndef LOADER_TXN_RUNNER_H_
#define LOADER_TXN_RUNNER_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "emit/fallback_dir.h"
#include "exec/warm_connections.h"
#include "exec/worker_connection.h"
#include "loader/base/backoff.h"
#include "loader/base/hash.h"
#include "loader/encode/chunk.h"
#include "loader/encode/chunker.h"
#include "loader/pg/server_info.h"
#include "loader/read/reject_log.h"
#include "loader/report/stats.h"
#include "loader/sink/sink.h"

namespace loader {

struct RetryPolicy {
  int max_retries = 10;  // serialization retries after a chunk's first attempt
  std::chrono::milliseconds reconnect_timeout{60000};
  Backoff backoff{std::chrono::milliseconds(100), std::chrono::milliseconds(5000)};
};

struct TxnConfig {
  HostSet* hosts = nullptr;  // shared by the workers; must outlive the runner
  size_t home = 0;           // the host this worker uses while it is up
  ServerKind server = ServerKind::kPostgres;
  RetryPolicy retry;
  std::string job;  // the journal's job id; empty: no journal
  // The source's; its row limit is lowered after a split. May be null.
  Chunker* chunker = nullptr;
  RejectLog* rejects = nullptr;  // where refused rows go; null: nowhere
  // Where chunks go that cannot be committed for a reason other than bad
  // data; null: such a chunk stops the load.
  FallbackDir* fallback = nullptr;
  // Where this worker's first connection may wait, opened ahead; may be null.
  WarmConnections* warm = nullptr;
};

class TxnRunner {
 public:
  // `sink` and `stats` must outlive the runner. `worker` names it in the log and
  // seeds its jitter.
  TxnRunner(TxnConfig config, Sink* sink, Stats* stats, int worker);

  // Commits every row of `chunk`, in one transaction or, when the server finds
  // it too large, in several, or returns why it could not (see the header
  // comment). kInterrupted when a stop was asked for during a backoff. No
  // transaction is left open on return.
  // `pipelined`: the chunk's first attempt went through the pipeline and
  // failed so (see the header comment); null when there was none.
  Status Commit(const Chunk& chunk, const Status* pipelined = nullptr);

  // Whether Send may be called: not while chunks after a failed one are
  // being settled.
  bool CanSend() const { return !draining_; }
  // Queues `chunk`'s transaction in the pipeline. Its outcome, a failure to
  // send included, is Settle's. REQUIRES: CanSend(), the sink Pipelines().
  void Send(const Chunk& chunk);
  // Waits for the outcome of the oldest chunk sent and not settled, which
  // must be `chunk`, and commits it another way when the pipeline did not;
  // returns as Commit does. With `stopping` (the load failed), a chunk the
  // pipeline did not commit is left so, and its failure returned.
  Status Settle(const Chunk& chunk, bool stopping);

 private:
  // Since when a chunk has had no working connection, and how often it tried.
  struct Outage {
    std::optional<std::chrono::steady_clock::time_point> since;
    int tries = 0;
  };

  // Commit, splitting chunks that are too large or partly committed, but
  // without setting refused rows aside.
  Status CommitSplitting(const Chunk& chunk, const Status* pipelined = nullptr);
  // Writes `chunk` to the FallbackDir when `failure` is a reason to, and
  // returns OK then; else returns `failure`.
  Status SpillOrFail(const Chunk& chunk, const Status& failure);
  // Commit without splitting; kTooLarge comes back to Commit. Sets *covered to
  // the input rows at the front of `chunk` that another transaction had
  // committed (0: this call committed them all); Commit loads the rest.
  Status CommitWhole(const Chunk& chunk, uint64_t* covered, const Status* pipelined);
  // A failure that no retry mends: rolled back, and named by the chunk (and
  // for a generated row the server refused, by its row).
  Status GiveUp(const Chunk& chunk, const Status& s);
  // Attempt's PostgreSQL COPY form: BEGIN, the journal row, the rows and
  // COMMIT in one query string, two waits for the server in all.
  Status AttemptInOneQuery(const Chunk& chunk, bool* collided);
  // After the server refused a row of `chunk` with `error`: sets *row to the
  // payload row it refused, or returns `error` named by the chunk's lines
  // when no single row is to blame.
  Status FindRefusedRow(const Chunk& chunk, const Status& error, uint32_t* row);
  // Whether the server refuses payload rows [begin, end) of `chunk` on their
  // own, in a transaction that is rolled back.
  Status Refuses(const Chunk& chunk, uint32_t begin, uint32_t end, bool* refused);
  // "chunk 3 (rows 3000..3999, FILE lines 3001..4000)", for the log.
  static std::string Describe(const Chunk& chunk);
  // A chunk of rejected rows only carries its journal row; without a
  // journal there is nothing to commit.
  bool NothingToCommit(const Chunk& chunk) const;
  // connection_.Ensure, counting a reconnect; *new_connection (when given)
  // says whether it opened one after an earlier connection.
  Status EnsureConnected(bool* new_connection = nullptr);
  // One try. With `from_savepoint`, the transaction is still open and rewinds to
  // the savepoint instead of starting anew. Sets *collided (and returns OK)
  // when the journal already has a row for this chunk's first row.
  Status Attempt(const Chunk& chunk, bool from_savepoint, bool* collided);
  // After a collision: how many of the chunk's rows the journal row covers.
  // With `maybe_ours`, an earlier attempt's COMMIT may be that row.
  Status TakeCollision(const Chunk& chunk, bool maybe_ours, uint64_t* covered);
  // After an unknown COMMIT outcome, on a new connection: sets *committed
  // from the journal.
  Status SettleUnknownOutcome(const Chunk& chunk, bool* committed);
  // Drops the connection and waits out one backoff step, or returns why the
  // chunk stops: --reconnect-timeout passed, or a stop was asked for.
  Status WaitToReconnect(const Chunk& chunk, const Status& cause, bool outcome_unknown,
                         Outage* outage);
  // The statements of `chunk`'s transaction, queued in the pipeline. Sets
  // *commit_queued once the statement that commits it is queued.
  Status QueueTransaction(const Chunk& chunk, bool* commit_queued);
  // Reads the outcome of every chunk sent whose outcome is unread, then
  // leaves pipeline mode with no transaction open (but with
  // `keep_transaction`, the one that failed), or drops the connection.
  void DrainPipeline(bool keep_transaction);
  void Rollback();
  // `tally`: what the chunk's statements said of its rows (--on-conflict);
  // null when its answers were lost (a commit the journal settled).
  void CountCommitted(const Chunk& chunk, const RowTally* tally);
  ShareCounters& HostShare();  // the current host's share of stats_

  const TxnConfig config_;
  Sink* const sink_;
  Stats* const stats_;
  const int worker_;
  ShareCounters unused_;  // where a share points when stats has no slot for it
  ShareCounters& mine_;   // this worker's share of stats_
  WorkerConnection connection_;
  // The reconnect timeout passed without a connection: the next chunk tries
  // once. Cleared by a working connection.
  bool server_gone_ = false;
  // The last CommitWhole gave up while its COMMIT's outcome was unknown.
  bool gave_up_unsure_ = false;
  // Halves of a split chunk being committed, and the most rows one of them
  // committed at once: what later chunks are cut to. Not the smallest half,
  // so one huge row does not bring every later chunk down to a row.
  int split_depth_ = 0;
  uint64_t split_fit_rows_ = 0;
  // Chunks sent in the pipeline and not settled, oldest first.
  struct SentChunk {
    bool read = false;  // `outcome` is known
    Status outcome;
    // The sync point went out, so the outcome is the server's to tell; else
    // `outcome` is why sending failed, and with `commit_queued` the chunk
    // may have committed all the same.
    bool whole = false;
    bool commit_queued = false;
  };
  std::deque<SentChunk> sent_;
  // A chunk failed in the pipeline: no more are sent until every chunk sent
  // is settled.
  bool draining_ = false;
  bool partial_group_ = false;  // a chunk's statements went out without their sync point
  Jitter jitter_;               // for retry backoff
  std::string begin_sql_;       // reused: the statements before a chunk's rows
};

}  // namespace loader

#endif  // LOADER_TXN_RUNNER_H_
