#include "loader/connection.h"

#include <libpq-fe.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "loader/redact.h"
#include "loader/sqlstate.h"

namespace loader {
namespace {

// COPY data goes out in slices so libpq's output buffer stays small whatever
// the chunk size.
constexpr size_t kCopySliceBytes = 256 * 1024;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Server NOTICEs ("relation already exists, skipping") would otherwise go raw to
// stderr through libpq's default processor, past the log level and the scrubbing.
void LogNotice(void*, const char* message) {
  spdlog::debug("server: {}", Trim(message));
}

bool IsAuthFailure(std::string_view msg) {
  return msg.find("authentication failed") != std::string_view::npos ||
         msg.find("no password supplied") != std::string_view::npos ||
         msg.find("password is required") != std::string_view::npos;
}

}  // namespace

void PgConnCloser::operator()(pg_conn* conn) const { PQfinish(conn); }
void PgResultFreer::operator()(pg_result* result) const { PQclear(result); }

Status Connection::Open(const std::string& conninfo, std::unique_ptr<Connection>* out) {
  // Defaults go before dbname: with expand_dbname the URL's own settings, applied
  // later, override them. An empty dbname makes libpq fall back to PG* variables.
  // Keepalives and a TCP user timeout turn a connection that silently stopped
  // answering (a dead host, a dropping firewall) into an error within about 30 s
  // instead of the kernel's hours, so the retry logic gets to decide.
  const char* keys[] = {"connect_timeout",  "fallback_application_name",
                        "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout",
                        "dbname",           nullptr};
  const char* values[] = {"10", "loader", "10", "5", "3", "30000", conninfo.c_str(), nullptr};
  std::unique_ptr<pg_conn, PgConnCloser> conn(PQconnectdbParams(keys, values, 1));
  if (conn == nullptr) return Status::Internal("libpq could not allocate a connection");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string msg = ScrubSecrets(Trim(PQerrorMessage(conn.get())));
    const Status::Code code =
        IsAuthFailure(msg) ? Status::Code::kAuthFailed : Status::Code::kConnectionFailed;
    return Status::Error(code, std::move(msg));
  }
  PQsetNoticeProcessor(conn.get(), LogNotice, nullptr);
  out->reset(new Connection(conn.release()));
  return Status::OK();
}

bool Connection::broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }

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

Status Connection::Exec(const char* sql) {
  return Check(PgResult(PQexec(conn_.get(), sql)), PGRES_COMMAND_OK, nullptr);
}

Status Connection::InTransaction(const std::function<Status()>& body) {
  Status s = Exec("BEGIN");
  if (s.ok()) s = body();
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok() && !broken()) Exec("ROLLBACK");
  return s;
}

Status Connection::Query(const char* sql, PgResult* rows, int nparams,
                         const char* const* values) {
  PgResult r(PQexecParams(conn_.get(), sql, nparams, nullptr, values, nullptr, nullptr, 0));
  return Check(std::move(r), PGRES_TUPLES_OK, rows);
}

Status Connection::ExecParams(const char* sql, int nparams, const char* const* values) {
  PgResult r(PQexecParams(conn_.get(), sql, nparams, nullptr, values, nullptr, nullptr, 0));
  return Check(std::move(r), PGRES_COMMAND_OK, nullptr);
}

Status Connection::Prepare(const char* name, const char* sql, int nparams) {
  return Check(PgResult(PQprepare(conn_.get(), name, sql, nparams, nullptr)), PGRES_COMMAND_OK,
               nullptr);
}

Status Connection::ExecPrepared(const char* name, int nparams, const char* const* values) {
  PgResult r(PQexecPrepared(conn_.get(), name, nparams, values, nullptr, nullptr, 0));
  return Check(std::move(r), PGRES_COMMAND_OK, nullptr);
}

Status Connection::CopyIn(const char* copy_sql, std::initializer_list<std::string_view> data) {
  Status s = Check(PgResult(PQexec(conn_.get(), copy_sql)), PGRES_COPY_IN, nullptr);
  if (!s.ok()) return s;
  bool sent = true;
  for (std::string_view piece : data) {
    for (size_t off = 0; off < piece.size() && sent; off += kCopySliceBytes) {
      const size_t n = std::min(kCopySliceBytes, piece.size() - off);
      sent = PQputCopyData(conn_.get(), piece.data() + off, static_cast<int>(n)) == 1;
    }
  }
  // Ending the copy also reports a send failure; the server's verdict follows as
  // the next result either way.
  PQputCopyEnd(conn_.get(), sent ? nullptr : "loader: sending COPY data failed");
  s = Check(PgResult(PQgetResult(conn_.get())), PGRES_COMMAND_OK, nullptr);
  // Drain so the connection is ready for the next command. A connection still in
  // COPY state after a failed send keeps answering COPY_IN: stop there, it is
  // unusable and the caller will see the failure in `s`.
  while (PgResult extra{PQgetResult(conn_.get())}) {
    if (PQresultStatus(extra.get()) == PGRES_COPY_IN) break;
  }
  return s;
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
