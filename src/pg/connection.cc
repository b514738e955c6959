#include "loader/pg/connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "loader/base/redact.h"
#include "loader/pg/sqlstate.h"

namespace loader {
namespace {

// Waits for the server's answer by this thread (see ServerWaitsOnThisThread).
thread_local uint64_t t_server_waits = 0;

// COPY data goes out in slices so libpq's output buffer stays small whatever
// the chunk size.
constexpr size_t kCopySliceBytes = 256 * 1024;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Server NOTICEs ("relation already exists, skipping") would otherwise go raw to
// stderr through libpq's default processor, past the log level and the scrubbing.
void LogNotice(void*, const char* message) { spdlog::debug("server: {}", Trim(message)); }

// How long a cancel request may take before the loader stops waiting for
// it: a healthy server answers one within a round trip, while a hung path
// would keep PQcancel, which has no timeout of its own, waiting for ever.
constexpr std::chrono::seconds kCancelWait{1};

// Asks the server to cancel what `conn` is running, waiting at most
// kCancelWait. PQcancel runs in a thread of its own that owns its state; one
// that is still stuck is left to finish, or not, on its own.
void CancelBounded(pg_conn* conn) {
  PGcancel* cancel = PQgetCancel(conn);
  if (cancel == nullptr) return;
  struct Outcome {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
  };
  auto outcome = std::make_shared<Outcome>();
  std::thread([cancel, outcome] {
    char error[256];
    PQcancel(cancel, error, sizeof error);
    PQfreeCancel(cancel);
    std::lock_guard<std::mutex> lock(outcome->mu);
    outcome->done = true;
    outcome->done_cv.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(outcome->mu);
  if (!outcome->done_cv.wait_for(lock, kCancelWait, [&] { return outcome->done; })) {
    spdlog::debug("the cancel request got no answer within {} s either", kCancelWait.count());
  }
}

// The loader's connection defaults. Each yields to the conninfo (expanded
// after them), to its environment variable (PGCONNECT_TIMEOUT) and to a
// service file (PGSERVICE), as libpq's own defaults do.
// Keepalives and a TCP user timeout turn a connection whose peer vanished (a
// dead host, a dropping firewall) into an error within about 30 s instead of
// the kernel's hours. A peer that still acknowledges every packet but never
// answers is the statement timeout's to find.
constexpr std::pair<const char*, const char*> kDefaults[] = {
    {"connect_timeout", "10"}, {"fallback_application_name", "loader"},
    {"keepalives_idle", "10"}, {"keepalives_interval", "5"},
    {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
};

bool SetOutsideConninfo(const PQconninfoOption* options, std::string_view key) {
  for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (key != o->keyword) continue;
    if (o->envvar != nullptr) {
      if (const char* env = std::getenv(o->envvar); env != nullptr && *env != '\0') return true;
    }
    // PQconndefaults() fills in the service file's settings; a value that is
    // not libpq's compiled-in default came from there.
    return o->val != nullptr && (o->compiled == nullptr || std::strcmp(o->val, o->compiled) != 0);
  }
  return false;
}

// Credentials refused or unusable: a password, or a certificate or key that
// either side will not take. libpq names the certificate or the private key
// when it refuses one; a server that refuses ours answers with a TLS alert
// ("SSL error: tlsv1 alert unknown ca"). Trying another host would not help.
bool IsAuthFailure(std::string_view msg) {
  for (std::string_view sign : {"authentication failed", "no password supplied",
                                "password is required", "certificate", "private key"}) {
    if (msg.find(sign) != std::string_view::npos) return true;
  }
  return msg.find("SSL error: ") != std::string_view::npos &&
         msg.find(" alert ") != std::string_view::npos;
}

}  // namespace

void PgConnCloser::operator()(pg_conn* conn) const { PQfinish(conn); }
void PgResultFreer::operator()(pg_result* result) const { PQclear(result); }

Status Connection::Open(const std::string& conninfo, std::unique_ptr<Connection>* out,
                        std::chrono::milliseconds statement_timeout) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  PQconninfoOption* environment = PQconndefaults();
  for (const auto& [key, value] : kDefaults) {
    if (SetOutsideConninfo(environment, key)) continue;
    keys.push_back(key);
    values.push_back(value);
  }
  PQconninfoFree(environment);
  // Defaults go before dbname: with expand_dbname the conninfo's own
  // settings, applied later, override them. An empty dbname makes libpq fall
  // back to PG* variables. The client encoding goes after it, so nothing
  // overrides it: the loader checks its input is UTF-8 and sends it as such,
  // and a database in another encoding converts it.
  keys.insert(keys.end(), {"dbname", "client_encoding", nullptr});
  values.insert(values.end(), {conninfo.c_str(), "UTF8", nullptr});
  std::unique_ptr<pg_conn, PgConnCloser> conn(PQconnectdbParams(keys.data(), values.data(), 1));
  if (conn == nullptr) return Status::Internal("libpq could not allocate a connection");
  // The secrets libpq found elsewhere (a service file, PGPASSWORD, ~/.pgpass)
  // are scrubbed from every message from now on, this one's first.
  PQconninfoOption* used = PQconninfo(conn.get());
  RegisterSecretsOf(used);
  PQconninfoFree(used);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string msg = ScrubSecrets(Trim(PQerrorMessage(conn.get())));
    const Status::Code code =
        IsAuthFailure(msg) ? Status::Code::kAuthFailed : Status::Code::kConnectionFailed;
    return Status::Error(code, std::move(msg));
  }
  PQsetNoticeProcessor(conn.get(), LogNotice, nullptr);
  // Every wait is poll()ed with a deadline, never left to libpq's own
  // blocking waits, which have none.
  if (PQsetnonblocking(conn.get(), 1) != 0) {
    return Status::Internal("libpq could not make the connection non-blocking");
  }
  out->reset(new Connection(conn.release(), statement_timeout));
  return Status::OK();
}

bool Connection::broken() const {
  return timed_out_ || lost_track_ || PQstatus(conn_.get()) != CONNECTION_OK;
}

std::string Connection::peer() const {
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  return std::string(host != nullptr ? host : "") + ":" + (port != nullptr ? port : "");
}

Status Connection::TimedOut() {
  timed_out_ = true;
  CancelBounded(conn_.get());
  // No more bytes either way: closing a connection politely sends a message,
  // which a peer that stopped reading could make wait.
  ::shutdown(PQsocket(conn_.get()), SHUT_RDWR);
  return Status::Error(Status::Code::kConnectionLost,
                       "no answer from " + peer() + " for " +
                           std::to_string(statement_timeout_.count() / 1000) +
                           " s (--statement-timeout); cancelled the statement and dropped the "
                           "connection",
                       "08006");
}

Status Connection::WaitSocket(bool for_write) {
  pollfd socket{PQsocket(conn_.get()), static_cast<short>(POLLIN | (for_write ? POLLOUT : 0)), 0};
  for (;;) {
    int wait_ms = -1;
    if (statement_timeout_.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          last_progress_ + statement_timeout_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) return TimedOut();
      wait_ms = static_cast<int>(left.count()) + 1;
    }
    const int ready = ::poll(&socket, 1, wait_ms);
    if (ready > 0) {
      last_progress_ = std::chrono::steady_clock::now();
      return Status::OK();
    }
    if (ready < 0 && errno != EINTR) {
      return Status::Error(Status::Code::kConnectionLost,
                           std::string("waiting for the server: ") + std::strerror(errno), "08006");
    }
  }
}

Status Connection::Flush() {
  for (;;) {
    const int pending = PQflush(conn_.get());
    if (pending == 0) return Status::OK();
    // A failed send: the result that follows says why.
    if (pending < 0) return Status::OK();
    Status s = WaitSocket(/*for_write=*/true);
    if (!s.ok()) return s;
    // The server may be answering (an error) instead of reading: take it in,
    // or both sides could wait for each other.
    if (PQconsumeInput(conn_.get()) == 0) return Status::OK();
  }
}

Status Connection::AwaitResult() {
  Status s = Flush();
  if (s.ok() && PQisBusy(conn_.get())) ++t_server_waits;
  while (s.ok() && PQisBusy(conn_.get())) {
    s = WaitSocket(/*for_write=*/false);
    // A connection that broke is not busy any more: its error is the result.
    if (s.ok() && PQconsumeInput(conn_.get()) == 0) break;
  }
  return s;
}

Status Connection::Collect(int sent, PgResult* last) {
  last->reset();
  last_progress_ = std::chrono::steady_clock::now();
  // A failed send leaves *last empty; Check reads libpq's message then.
  if (sent == 0) return Status::OK();
  bool failed = false;
  for (;;) {
    Status s = AwaitResult();
    if (!s.ok()) return s;
    PgResult r(PQgetResult(conn_.get()));
    if (!r) return Status::OK();
    const ExecStatusType st = PQresultStatus(r.get());
    Tally(r.get());
    // As PQexec: the last result, but the first error of several statements.
    if (!failed) *last = std::move(r);
    failed = failed || st == PGRES_FATAL_ERROR;
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) return Status::OK();
  }
}

uint64_t ServerWaitsOnThisThread() { return t_server_waits; }

void Connection::Tally(const pg_result* result) {
  if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) != 1) return;
  for (int f = 0; f < PQnfields(result); ++f) {
    const std::string_view name = PQfname(result, f);
    uint64_t* counter = name == "loader_inserted"  ? &tally_.inserted
                        : name == "loader_updated" ? &tally_.updated
                        : name == "loader_written" ? &tally_.written
                                                   : nullptr;
    if (counter != nullptr) *counter += std::strtoull(PQgetvalue(result, 0, f), nullptr, 10);
  }
}

RowTally Connection::TakeTally() {
  const RowTally out = tally_;
  tally_ = RowTally{};
  return out;
}

int Connection::backend_pid() const { return PQbackendPID(conn_.get()); }

Status Connection::Check(PgResult result, int expected, PgResult* rows) {
  const ExecStatusType st = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (st == expected || (expected == PGRES_COMMAND_OK && st == PGRES_TUPLES_OK)) {
    if (rows != nullptr) *rows = std::move(result);
    return Status::OK();
  }
  std::string sqlstate;
  std::string msg;
  if (result) {
    const char* code = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_DETAIL);
    const char* hint = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_HINT);
    // For a rejected row, the context says where it is: "COPY points, line 17".
    const char* context = PQresultErrorField(result.get(), PG_DIAG_CONTEXT);
    if (code != nullptr) sqlstate = code;
    if (primary != nullptr) msg = primary;
    if (detail != nullptr) msg += std::string(": ") + detail;
    if (hint != nullptr) msg += std::string(" (hint: ") + hint + ")";
    if (context != nullptr && ClassifySqlState(sqlstate, msg) == Status::Code::kDataError) {
      msg += std::string(" [") + Trim(context) + "]";
    }
  }
  if (msg.empty()) msg = Trim(PQerrorMessage(conn_.get()));
  if (msg.empty()) msg = std::string("unexpected result ") + PQresStatus(st);
  // A connection that died mid-call has no SQLSTATE from the server; name it as
  // the server would (08006, connection_failure) so it classifies the same way.
  if (sqlstate.empty() && broken()) sqlstate = "08006";
  const Status::Code code = ClassifySqlState(sqlstate, msg);
  return Status::Error(code, ScrubSecrets(std::move(msg)), std::move(sqlstate));
}

Status Connection::Run(int sent, int expected, PgResult* rows) {
  PgResult r;
  Status s = Collect(sent, &r);
  return s.ok() ? Check(std::move(r), expected, rows) : s;
}

Status Connection::Exec(const char* sql) {
  return Run(PQsendQuery(conn_.get(), sql), PGRES_COMMAND_OK, nullptr);
}

Status Connection::InTransaction(const std::function<Status()>& body) {
  Status s = Exec("BEGIN");
  if (s.ok()) s = body();
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok() && !broken()) Exec("ROLLBACK");
  return s;
}

Status Connection::Query(const char* sql, PgResult* rows, int nparams, const char* const* values) {
  return Run(PQsendQueryParams(conn_.get(), sql, nparams, nullptr, values, nullptr, nullptr, 0),
             PGRES_TUPLES_OK, rows);
}

Status Connection::ExecParams(const char* sql, int nparams, const char* const* values) {
  return Run(PQsendQueryParams(conn_.get(), sql, nparams, nullptr, values, nullptr, nullptr, 0),
             PGRES_COMMAND_OK, nullptr);
}

Status Connection::Prepare(const char* name, const char* sql, int nparams) {
  return Run(PQsendPrepare(conn_.get(), name, sql, nparams, nullptr), PGRES_COMMAND_OK, nullptr);
}

Status Connection::ExecPrepared(const char* name, int nparams, const char* const* values) {
  return Run(PQsendQueryPrepared(conn_.get(), name, nparams, values, nullptr, nullptr, 0),
             PGRES_COMMAND_OK, nullptr);
}

Status Connection::CopyIn(const char* sql, std::initializer_list<std::string_view> data,
                          CopyProgress* progress) {
  CopyProgress ignored;
  if (progress == nullptr) progress = &ignored;
  *progress = CopyProgress{};
  Status s = Run(PQsendQuery(conn_.get(), sql), PGRES_COPY_IN, nullptr);
  if (!s.ok()) return s;
  progress->started = true;
  bool sent = true;
  for (std::string_view piece : data) {
    for (size_t off = 0; off < piece.size() && sent && s.ok(); off += kCopySliceBytes) {
      const size_t n = std::min(kCopySliceBytes, piece.size() - off);
      int queued;
      // 0: libpq's buffer is full until the socket takes some of it.
      while ((queued = PQputCopyData(conn_.get(), piece.data() + off, static_cast<int>(n))) == 0 &&
             s.ok()) {
        s = Flush();
      }
      sent = queued == 1;
      if (sent && s.ok()) s = Flush();
    }
  }
  if (!s.ok()) return s;
  // Ending the copy also reports a send failure; the server's verdict follows as
  // the next result either way.
  int ended;
  while ((ended = PQputCopyEnd(conn_.get(), sent ? nullptr : "loader: sending COPY data failed")) ==
             0 &&
         s.ok()) {
    s = Flush();
  }
  progress->ended = s.ok() && ended == 1;
  // A connection still in COPY state after a failed send keeps answering
  // COPY_IN: it is unusable, and the check fails.
  return s.ok() ? Run(1, PGRES_COMMAND_OK, nullptr) : s;
}

Status Connection::EnterPipeline() { return Succeeded(PQenterPipelineMode(conn_.get())); }

Status Connection::ExitPipeline() { return Succeeded(PQexitPipelineMode(conn_.get())); }

bool Connection::pipelined() const { return PQpipelineStatus(conn_.get()) != PQ_PIPELINE_OFF; }

bool Connection::InTransactionBlock() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

Status Connection::Succeeded(int libpq_result) {
  return libpq_result == 1 ? Status::OK() : Check(nullptr, PGRES_COMMAND_OK, nullptr);
}

Status Connection::QueueParams(const char* sql, int nparams, const char* const* values) {
  return Succeeded(
      PQsendQueryParams(conn_.get(), sql, nparams, nullptr, values, nullptr, nullptr, 0));
}

Status Connection::QueuePrepared(const char* name, int nparams, const char* const* values) {
  return Succeeded(PQsendQueryPrepared(conn_.get(), name, nparams, values, nullptr, nullptr, 0));
}

Status Connection::QueueSync() {
  Status s = Succeeded(PQpipelineSync(conn_.get()));
  if (!s.ok()) return s;
  ++groups_unread_;
  last_progress_ = std::chrono::steady_clock::now();
  s = Flush();
  // A send that failed leaves the connection broken; say so now.
  if (s.ok() && broken()) return Check(nullptr, PGRES_COMMAND_OK, nullptr);
  return s;
}

Status Connection::ReadGroup() {
  if (groups_unread_ == 0) return Status::Internal("no pipeline group to read");
  --groups_unread_;
  last_progress_ = std::chrono::steady_clock::now();
  Status first;
  bool after_null = false;
  for (;;) {
    Status s = AwaitResult();
    if (!s.ok()) return s;
    PgResult r(PQgetResult(conn_.get()));
    // Null ends one statement's results; on a broken connection, all of them.
    // Two in a row: libpq has nothing more coming (a send that failed
    // without breaking the connection), and would answer null for ever.
    if (!r) {
      if (after_null && !broken()) {
        lost_track_ = true;
        return Status::Error(Status::Code::kConnectionLost,
                             "the pipeline's answers ended before its sync point: " +
                                 ScrubSecrets(Trim(PQerrorMessage(conn_.get()))),
                             "08006");
      }
      if (broken()) return first.ok() ? Check(nullptr, PGRES_COMMAND_OK, nullptr) : first;
      after_null = true;
      continue;
    }
    after_null = false;
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_PIPELINE_SYNC) return first;
    Tally(r.get());
    if (st == PGRES_FATAL_ERROR && first.ok()) {
      first = Check(std::move(r), PGRES_COMMAND_OK, nullptr);
      if (broken()) return first;
    }
    // PGRES_PIPELINE_ABORTED: skipped after the error, which `first` holds.
  }
}

Status ValidateConninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  // libpq's message quotes the offending token, which may be the password.
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) {
    return Status::InvalidArgument(
        "cannot parse the connection string " + RedactConninfo(conninfo) +
        "; in a URL, percent-encode special characters of the password (% as %25, @ as %40, "
        "/ as %2F)");
  }
  PQconninfoFree(opts);
  return Status::OK();
}

std::string HostOf(const std::string& conninfo) {
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
  if (opts == nullptr) return {};
  std::string host;
  std::string port;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view key = o->keyword;
    if (key == "host" || (host.empty() && key == "hostaddr")) host = o->val;
    if (key == "port") port = o->val;
  }
  PQconninfoFree(opts);
  if (host.empty()) return {};
  return host + ":" + (port.empty() ? "5432" : port);
}

std::string FirstValue(const PgResult& result) {
  if (!result || PQntuples(result.get()) < 1 || PQnfields(result.get()) < 1) return {};
  return PQgetvalue(result.get(), 0, 0);
}

int RowCount(const PgResult& result) { return result ? PQntuples(result.get()) : 0; }

const char* ValueAt(const PgResult& result, int row, int column) {
  return PQgetvalue(result.get(), row, column);
}

}  // namespace loader
