#include "job/load_setup.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "job/prepare_table.h"
#include "loader/base/redact.h"
#include "loader/pg/connect_settings.h"
#include "loader/pg/table_catalog.h"
#include "loader/plan/presplit.h"
#include "pg/abandoned_sessions.h"

namespace loader {
namespace {

// How the log names a server.
std::string Where(const std::string& conninfo) {
  return conninfo.empty() ? "the server named by PG* variables" : RedactConninfo(conninfo);
}

// A name no resolver knows is a typo, not a host that is down.
bool IsUnknownHost(const Status& s) {
  return s.message().find("could not translate host name") != std::string::npos;
}

// Sets up the journal for `job` and reads which of its rows are committed.
Status OpenJournal(Connection& conn, const JobSpec& job, const Shard& shard, JournalState* state) {
  Status s = EnsureJournal(conn);
  // A load of no rows (--rows 0 --create, to make the table) is not a job.
  if (job.total_known && job.total_rows == 0) return s;
  if (s.ok()) s = RegisterJob(conn, job);
  if (s.ok()) s = ReadJournal(conn, job.id, state, shard);
  return s;
}

// A run before this one may have lost its connections to a hung path,
// leaving chunks' transactions open and their journal rows locked.
void EndSessionsLeftOpen(Connection& conn, std::chrono::seconds statement_timeout) {
  int ended = 0;
  Status end = EndAbandonedSessions(conn, statement_timeout, &ended);
  if (!end.ok()) {
    spdlog::warn("could not look for transactions left open by hung connections: {}",
                 end.ToString());
  } else if (ended > 0) {
    spdlog::warn(
        "ended {} server session(s) that an earlier load left waiting in a "
        "transaction after its connection stopped answering",
        ended);
  }
}

// The quickest of `first_ms` (the first query's) and two SELECT 1: the
// network's round trip, plus the server's least work.
Status TimeRoundTrip(Connection& conn, double first_ms, double* ms) {
  *ms = first_ms;
  for (int i = 0; i < 2; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Status s = conn.Exec("SELECT 1");
    if (!s.ok()) return s;
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    *ms = std::min(*ms, took.count());
  }
  return Status::OK();
}

}  // namespace

Status ConnectFirst(HostSet& hosts, FirstServer* first) {
  Status s = hosts.ConnectAny(&first->conn, &first->host);
  first->where = Where(hosts.conninfo(first->host));
  if (s.ok()) {
    const auto start = std::chrono::steady_clock::now();
    s = DetectServerKind(*first->conn, &first->kind, &first->version);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    if (s.ok()) s = TimeRoundTrip(*first->conn, took.count(), &first->round_trip_ms);
    if (!s.ok()) s = s.WithContext("connecting to " + first->where);
  }
  return s;
}

Status StartSession(const TargetSpec& target, FirstServer* first, HostSet* hosts) {
  std::vector<SessionSetting> settings;
  if (!target.qos.empty()) {
    if (first->kind != ServerKind::kCockroach) {
      return Status::InvalidArgument(
          "--qos sets CockroachDB's default_transaction_quality_of_service; " + first->where +
          " is " + std::string(ServerKindName(first->kind)) +
          ", which has no such setting (to go easy on a shared PostgreSQL, use --max-rate)");
    }
    settings.push_back({.name = "default_transaction_quality_of_service",
                        .value = target.qos,
                        .option = "--qos " + target.qos});
  }
  settings.insert(settings.end(), target.connect.session.begin(), target.connect.session.end());
  if (settings.empty()) return Status::OK();
  Status s = ApplySessionSettings(*first->conn, settings);
  if (!s.ok()) return s;
  hosts->SetSessionSql(SessionSql(settings));
  return Status::OK();
}

Status ConnectForCatalog(const LoadSpec& spec, FirstServer* first) {
  std::vector<std::string> conninfos;
  Status s = ResolveHosts(spec.target.urls, spec.target.connect, &conninfos);
  if (!s.ok()) return s;
  HostSet hosts(std::move(conninfos), Backoff(std::chrono::seconds(1), std::chrono::seconds(30)),
                spec.target.connect.statement_timeout);
  s = ConnectFirst(hosts, first);
  return s.ok() ? StartSession(spec.target, first, &hosts) : s;
}

Status ResolveConflict(const LoadSpec& spec, FirstServer& first, const LoadInput& input,
                       Method method, ConflictPolicy* policy) {
  *policy = ConflictPolicy{};
  policy->mode = spec.target.on_conflict;
  if (policy->mode == OnConflict::kError) return Status::OK();
  const TableSpec& table = input.table;
  std::vector<std::string> primary;
  Status s =
      input.ddl != nullptr ? Status::OK() : ReadPrimaryKey(*first.conn, table.name, &primary);
  if (!s.ok()) return s;
  if (input.ddl != nullptr) primary = {input.ddl->primary_key};
  policy->key = spec.target.conflict_key.empty() ? primary : spec.target.conflict_key;
  if (policy->key.empty()) {
    return Status::InvalidArgument("--on-conflict: table " + table.name +
                                   " has no primary key; name the columns of a unique key with "
                                   "--conflict-key");
  }
  s = CheckConflictKey(table, *policy);
  if (!s.ok()) return s;
  const bool cockroach = first.kind == ServerKind::kCockroach;
  policy->upsert = cockroach && policy->key == primary;
  policy->split_updates = !cockroach;
  if (cockroach && method == Method::kCopy) {
    return Status::InvalidArgument(
        "--on-conflict with --method copy goes through a temporary staging table, which "
        "CockroachDB does not enable by default; use --method insert (auto takes it there)");
  }
  // A table --create is yet to make is the loader's own, with its key.
  const std::string quoted = QuoteIdent(table.name);
  const char* params[] = {quoted.c_str()};
  PgResult exists;
  s = first.conn->Query("SELECT to_regclass($1) IS NOT NULL", &exists, 1, params);
  if (!s.ok() || FirstValue(exists) != "t") return s;
  std::string values = "VALUES (";
  for (size_t i = 0; i < table.columns.size(); ++i) values += i == 0 ? "NULL" : ", NULL";
  const std::string explain = "EXPLAIN " + ConflictInsertSql(table, *policy, values + ")");
  s = first.conn->Exec(explain.c_str());
  if (s.ok() || s.code() == Status::Code::kConnectionLost) return s;
  return Status::InvalidArgument("--on-conflict " + std::string(OnConflictName(policy->mode)) +
                                 ": the server refuses its statement for table " + table.name +
                                 ": " + s.message());
}

// CockroachDB's intent budget, logged; none on PostgreSQL.
IntentBudget ReadBudget(Connection& conn, ServerKind server) {
  IntentBudget budget;
  if (server != ServerKind::kCockroach) return budget;
  budget = ReadIntentBudget(conn);
  if (budget.from_server) {
    spdlog::info("{}: {} bytes", budget.note, budget.bytes);
  } else {
    spdlog::warn("{}", budget.note);
  }
  return budget;
}

// The table made ready, split and journalled on the first server, before
// any worker starts.
Status PrepareServer(Connection& conn, ServerKind server, const LoadSpec& spec,
                     const LoadInput& input, const std::vector<std::string>& presplit,
                     const Shard& shard, const std::function<void()>& table_ready,
                     JournalState* journal) {
  bool created = false;
  Status s;
  if (server == ServerKind::kCockroach) s = KeepSchemaChangesInTransactions(conn);
  if (s.ok()) {
    s = PrepareTable(conn, input.ddl != nullptr ? *input.ddl : input.table, spec.target, &created);
  }
  if (s.ok() && !presplit.empty()) s = Presplit(conn, input.table.name, presplit, created);
  if (s.ok()) table_ready();
  if (s.ok() && spec.faults.journal) s = OpenJournal(conn, input.job, shard, journal);
  if (s.ok() && spec.faults.journal && server == ServerKind::kPostgres &&
      spec.target.connect.statement_timeout.count() > 0) {
    EndSessionsLeftOpen(conn, spec.target.connect.statement_timeout);
  }
  return s;
}

// Every other host once, so a typo in the third --url fails now, plainly,
// instead of after each of its workers has retried for half a minute. A
// host that is merely down is left to the workers, which use the others.
Status CheckOtherHosts(HostSet& hosts, size_t first_host) {
  for (size_t h = 0; h < hosts.size(); ++h) {
    if (h == first_host) continue;
    std::unique_ptr<Connection> conn;
    Status s = hosts.Open(h, &conn);
    if (s.ok()) continue;
    s = s.WithContext("connecting to " + Where(hosts.conninfo(h)));
    if (s.code() != Status::Code::kConnectionFailed || IsUnknownHost(s)) return s;
    spdlog::warn("{}; its workers start on the other hosts", s.ToString());
    hosts.MarkDown(h, std::chrono::steady_clock::now(), h);
  }
  return Status::OK();
}

}  // namespace loader
