// Connection: the only owner of libpq handles. Every call returns a Status that
// keeps the server's SQLSTATE and message, classified by ClassifySqlState, so
// callers decide on codes, never on libpq result states.
// Thread safety: one Connection is used by one thread at a time.
#ifndef LOADER_CONNECTION_H_
#define LOADER_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "loader/base/status.h"
#include "loader/pg/connect_settings.h"

struct pg_conn;
struct pg_result;

namespace loader {

struct PgConnCloser {
  void operator()(pg_conn* conn) const;
};
struct PgResultFreer {
  void operator()(pg_result* result) const;
};
using PgResult = std::unique_ptr<pg_result, PgResultFreer>;

// What data statements said of their rows, added up from result columns
// named loader_inserted, loader_updated and loader_written (inserted or
// updated, not told apart): the counts of --on-conflict (conflict.h).
struct RowTally {
  uint64_t inserted = 0;
  uint64_t updated = 0;
  uint64_t written = 0;
};

class Connection {
 public:
  // Connects with a URL or key=value conninfo; empty means libpq's PG* variables.
  // Failures come back as kAuthFailed or kConnectionFailed with a message that
  // never contains a secret. Every later call waits at most
  // `statement_timeout` (0: no bound) for the server between two bytes; past
  // it, the statement is cancelled, the connection dropped (broken() and
  // timed_out() are true) and the call returns kConnectionLost naming the
  // host and the wait. The connection's secrets, wherever libpq found them,
  // are registered for scrubbing (redact.h).
  static Status Open(const std::string& conninfo, std::unique_ptr<Connection>* out,
                     std::chrono::milliseconds statement_timeout = kDefaultStatementTimeout);

  // Runs one or more statements that return no rows the caller needs.
  Status Exec(const char* sql);
  // BEGIN, `body`, COMMIT; ROLLBACK instead when anything fails, returning
  // that failure. Not for chunks, which have their own retry protocol.
  Status InTransaction(const std::function<Status()>& body);
  // Runs a statement with text parameters and keeps its rows in *rows.
  Status Query(const char* sql, PgResult* rows, int nparams = 0,
               const char* const* values = nullptr);
  // Runs a statement with text parameters, discarding any rows.
  Status ExecParams(const char* sql, int nparams, const char* const* values);
  Status Prepare(const char* name, const char* sql, int nparams);
  Status ExecPrepared(const char* name, int nparams, const char* const* values);
  // COPY ... FROM STDIN: starts the copy, streams the pieces of `data` one
  // after another, ends it and checks the server accepted every row.
  // `sql` may hold statements before the COPY and after it (PostgreSQL runs
  // "BEGIN; ...; COPY ...; COMMIT" as one query: the ones after it run as
  // the copy ends, with no wait between); the first failure of any of them
  // is returned. *progress, when given, says how far it got.
  // REQUIRES: sql holds one COPY FROM STDIN statement.
  struct CopyProgress {
    bool started = false;  // the statements before the COPY ran, and the copy began
    bool ended = false;    // the copy's end, and so the statements after it, went out
  };
  Status CopyIn(const char* sql, std::initializer_list<std::string_view> data,
                CopyProgress* progress = nullptr);

  // Pipeline mode (libpq 14+, any server of the extended protocol): statements
  // are queued and sent without waiting for their answers; the server runs
  // them in order. Each group of statements ends with a sync point, and
  // ReadGroup takes a group's answers, oldest first. Outside a BEGIN, a
  // group is one transaction that the sync point commits (or, after an
  // error, rolls back); inside one, an error leaves the transaction failed.
  // Only the Queue* calls and ReadGroup work in pipeline mode.
  Status EnterPipeline();
  // REQUIRES: every group read (groups_unread() == 0).
  Status ExitPipeline();
  bool pipelined() const;
  Status QueueParams(const char* sql, int nparams = 0, const char* const* values = nullptr);
  Status QueuePrepared(const char* name, int nparams, const char* const* values);
  // Ends the group queued so far with a sync point and sends it all.
  Status QueueSync();
  // Waits for the oldest unread group's answers up to its sync point, and
  // returns OK when each of its statements succeeded, else the first failure.
  // kConnectionLost when the connection failed (or timed out) first.
  // REQUIRES: groups_unread() > 0.
  Status ReadGroup();
  int groups_unread() const { return groups_unread_; }
  // The RowTally of the results read since the last call, which starts a
  // new one.
  RowTally TakeTally();
  // Whether the server has a transaction block open, or failed, on this
  // connection (as of its last answer).
  bool InTransactionBlock() const;

  // True once the connection is known dead; it must be replaced, not reused.
  bool broken() const;
  // True once a statement got no answer within the statement timeout.
  bool timed_out() const { return timed_out_; }
  int backend_pid() const;
  // "host:port" of the server, as libpq connected to it.
  std::string peer() const;

 private:
  Connection(pg_conn* conn, std::chrono::milliseconds statement_timeout)
      : conn_(conn), statement_timeout_(statement_timeout) {}
  // Collects the results of the query just sent (`sent`: what the PQsend*
  // call returned) and checks the one that counts against `expected`.
  Status Run(int sent, int expected, PgResult* rows);
  // The results of the query just sent, as PQexec would keep them: the last
  // one, or the first error; a COPY start ends them.
  Status Collect(int sent, PgResult* last);
  Status Check(PgResult result, int expected, PgResult* rows);
  // Sends everything libpq holds, then waits until a result is ready.
  Status Flush();
  Status AwaitResult();
  // Waits for the socket to be readable (or writable), at most until the
  // statement timeout after the last progress.
  Status WaitSocket(bool for_write);
  // Gives up on the statement: cancel, drop, say so.
  Status TimedOut();
  // OK when a libpq call that returns 1 on success did, else libpq's reason.
  Status Succeeded(int libpq_result);
  // Adds a result's loader_* counts to tally_.
  void Tally(const pg_result* result);

  std::unique_ptr<pg_conn, PgConnCloser> conn_;
  const std::chrono::milliseconds statement_timeout_;
  std::chrono::steady_clock::time_point last_progress_;
  bool timed_out_ = false;
  int groups_unread_ = 0;    // pipeline groups sent whose answers are not read
  bool lost_track_ = false;  // libpq's answers ended before a group's sync point
  RowTally tally_;
};

// How many times this thread has waited for a server's answer, on any
// connection: once per call that found no reply there yet and had to wait,
// however many results then came. Over a network each is a round trip, so
// the difference around a chunk's commit is what the distance costs it.
uint64_t ServerWaitsOnThisThread();

// Checks that libpq can parse a conninfo, without echoing any part of it that
// could be the password. Empty is valid (libpq's PG* variables).
Status ValidateConninfo(const std::string& conninfo);

// "host:port" of a conninfo, as given (libpq's default port when it names
// none); "" when it names no host (libpq's PG* variables decide).
std::string HostOf(const std::string& conninfo);

// The value in row 0, column 0 of a result ("" when absent).
std::string FirstValue(const PgResult& result);
// The number of rows of a result (0 for none).
int RowCount(const PgResult& result);
// The text of one value ("" for NULL). REQUIRES: row < RowCount(result) and
// column within the result.
const char* ValueAt(const PgResult& result, int row, int column);

}  // namespace loader

#endif  // LOADER_CONNECTION_H_
