#include "job/deferred_indexes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string_view>
#include <thread>

#include "loader/base/table.h"

namespace loader {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS loader_deferred_indexes (table_name TEXT NOT NULL, name TEXT NOT "
    "NULL, is_constraint BOOL NOT NULL, create_sql TEXT NOT NULL, position INT NOT NULL, PRIMARY "
    "KEY (table_name, name))";

// PostgreSQL: primary keys and unique constraints (unless a foreign key
// elsewhere needs their index), then the other indexes; each with what
// builds it and what drops it. $1: the quoted table.
constexpr char kPostgresIndexes[] =
    "SELECT c.conname, true, 'ALTER TABLE ' || $1::text || ' ADD CONSTRAINT ' || "
    "quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), 'ALTER TABLE ' || $1::text || "
    "' DROP CONSTRAINT ' || quote_ident(c.conname) FROM pg_constraint c "
    "WHERE c.conrelid = to_regclass($1) AND c.contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 "
    "FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid) "
    "UNION ALL SELECT i.relname, false, pg_get_indexdef(i.oid), 'DROP INDEX ' || "
    "quote_ident(n.nspname) || '.' || quote_ident(i.relname) FROM pg_index x JOIN pg_class i ON "
    "i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE x.indrelid = "
    "to_regclass($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
    "x.indexrelid)";
// CockroachDB cannot drop its primary index: the secondary ones only.
constexpr char kCockroachIndexes[] =
    "SELECT i.relname, false, pg_get_indexdef(i.oid), 'DROP INDEX ' || $1::text || '@' || "
    "quote_ident(i.relname) || ' CASCADE' FROM pg_index x JOIN pg_class i ON i.oid = "
    "x.indexrelid WHERE x.indrelid = to_regclass($1) AND NOT x.indisprimary";

Status ReadSaved(Connection& conn, const std::string& table, std::vector<DeferredIndex>* out) {
  const char* params[] = {table.c_str()};
  PgResult rows;
  Status s = conn.Query(
      "SELECT name, is_constraint, create_sql FROM loader_deferred_indexes WHERE table_name = $1 "
      "ORDER BY position",
      &rows, 1, params);
  if (!s.ok()) return s;
  out->clear();
  for (int i = 0; i < RowCount(rows); ++i) {
    out->push_back(
        {ValueAt(rows, i, 0), std::string(ValueAt(rows, i, 1)) == "t", ValueAt(rows, i, 2)});
  }
  return s;
}

// Saves the table's indexes and drops them, in one transaction.
Status SaveAndDrop(Connection& conn, ServerKind server, const std::string& table,
                   std::vector<DeferredIndex>* deferred) {
  const std::string quoted = QuoteIdent(table);
  const char* params[] = {quoted.c_str()};
  PgResult rows;
  Status s = conn.Query(server == ServerKind::kCockroach ? kCockroachIndexes : kPostgresIndexes,
                        &rows, 1, params);
  if (!s.ok()) return s;
  deferred->clear();
  std::vector<std::string> drops;
  for (int i = 0; i < RowCount(rows); ++i) {
    deferred->push_back(
        {ValueAt(rows, i, 0), std::string(ValueAt(rows, i, 1)) == "t", ValueAt(rows, i, 2)});
    drops.push_back(ValueAt(rows, i, 3));
  }
  if (deferred->empty()) return s;
  return conn.InTransaction([&] {
    Status step;
    for (size_t k = 0; k < deferred->size() && step.ok(); ++k) {
      const DeferredIndex& d = (*deferred)[k];
      const std::string position = std::to_string(k);
      const char* values[] = {table.c_str(), d.name.c_str(), d.constraint ? "t" : "f",
                              d.create_sql.c_str(), position.c_str()};
      step = conn.ExecParams(
          "INSERT INTO loader_deferred_indexes (table_name, name, is_constraint, create_sql, "
          "position) VALUES ($1, $2, $3, $4, $5)",
          5, values);
    }
    for (size_t k = 0; k < drops.size() && step.ok(); ++k) step = conn.Exec(drops[k].c_str());
    return step;
  });
}

// Builds one index again and forgets its definition, in one transaction.
Status Rebuild(Connection& conn, const std::string& table, const DeferredIndex& index) {
  const Status s = conn.InTransaction([&] {
    Status step = conn.Exec(index.create_sql.c_str());
    const char* params[] = {table.c_str(), index.name.c_str()};
    if (step.ok()) {
      step = conn.ExecParams(
          "DELETE FROM loader_deferred_indexes WHERE table_name = $1 AND name = $2", 2, params);
    }
    return step;
  });
  if (s.ok()) return s;
  const std::string what = "--build-indexes-after: building " + index.name + " of " + table +
                           " again (" + index.create_sql + "): ";
  if (s.sqlstate() == "23505") {
    std::string_view detail = s.message();
    if (detail.ends_with('.')) detail.remove_suffix(1);
    return Status::Error(Status::Code::kDataError,
                         what + std::string(detail) +
                             ". The rows stay in the table, and the definition in "
                             "loader_deferred_indexes: delete the duplicate rows, then run the "
                             "same command again to build it",
                         s.sqlstate());
  }
  return s.WithContext(what);
}

}  // namespace

std::string DeferredIndex::Condition() const {
  // pg_get_indexdef ends a partial index with " WHERE (condition)".
  constexpr std::string_view kWhere = " WHERE ";
  const size_t at = constraint ? std::string::npos : create_sql.find(kWhere);
  return at == std::string::npos ? std::string() : create_sql.substr(at + kWhere.size());
}

Status DeferIndexes(Connection& conn, ServerKind server, const std::string& table,
                    std::vector<DeferredIndex>* deferred) {
  Status s = conn.Exec(kCreateTable);
  if (s.ok()) s = ReadSaved(conn, table, deferred);
  if (!s.ok()) return s.WithContext("--build-indexes-after: " + std::string(kDeferredIndexTable));
  if (!deferred->empty()) {
    spdlog::info(
        "--build-indexes-after: {} index(es) of {} an earlier run dropped are built after this "
        "load",
        deferred->size(), table);
    return s;
  }
  PgResult rows;
  s = conn.Query(("SELECT EXISTS (SELECT 1 FROM " + QuoteIdent(table) + ")").c_str(), &rows);
  if (!s.ok()) return s;
  if (FirstValue(rows) == "t") {
    spdlog::info(
        "--build-indexes-after: {} has rows already, so its indexes stay (they are dropped "
        "only for a table empty at the start)",
        table);
    return s;
  }
  s = SaveAndDrop(conn, server, table, deferred);
  if (!s.ok()) return s.WithContext("--build-indexes-after: dropping the indexes of " + table);
  if (!deferred->empty()) {
    spdlog::info("--build-indexes-after: dropped {} index(es) of {}; built after the load",
                 deferred->size(), table);
  }
  return s;
}

Status RebuildIndexes(HostSet& hosts, FirstServer* first, const std::string& table,
                      const std::vector<DeferredIndex>& deferred, int parallel,
                      std::chrono::seconds timeout, double* seconds, const DeferredIndex** failed) {
  *failed = nullptr;
  const auto start = std::chrono::steady_clock::now();
  auto open = [&](size_t slot, std::unique_ptr<Connection>* conn) {
    Status s = Connection::Open(hosts.conninfo(slot % hosts.size()), conn, timeout);
    if (s.ok() && !hosts.session_sql().empty()) s = (*conn)->Exec(hosts.session_sql().c_str());
    return s;
  };
  Status failure;
  std::vector<const DeferredIndex*> indexes;
  // Constraints lock the whole table: one at a time, on one connection.
  std::unique_ptr<Connection> conn;
  for (const DeferredIndex& d : deferred) {
    if (!d.constraint) {
      indexes.push_back(&d);
      continue;
    }
    if (!conn) failure = open(first->host, &conn);
    if (failure.ok()) failure = Rebuild(*conn, table, d);
    if (!failure.ok()) {
      *failed = &d;
      break;
    }
  }
  // Indexes take a lock that lets others build too.
  std::atomic<size_t> next{0};
  std::mutex mu;
  auto build = [&](size_t slot) {
    std::unique_ptr<Connection> own;
    for (size_t k = next++; k < indexes.size(); k = next++) {
      Status s = own ? Status::OK() : open(slot, &own);
      if (s.ok()) s = Rebuild(*own, table, *indexes[k]);
      if (s.ok()) continue;
      std::lock_guard lock(mu);
      if (failure.ok()) {
        failure = s;
        *failed = indexes[k];
      }
      next = indexes.size();
    }
  };
  if (failure.ok()) {
    std::vector<std::thread> threads;
    const size_t n = std::min<size_t>(indexes.size(), static_cast<size_t>(std::max(1, parallel)));
    for (size_t slot = 0; slot < n; ++slot) threads.emplace_back(build, first->host + slot);
    for (std::thread& t : threads) t.join();
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  *seconds = took.count();
  if (failure.ok()) {
    spdlog::info("--build-indexes-after: built {} index(es) of {} in {:.2f} s", deferred.size(),
                 table, *seconds);
  }
  return failure;
}

}  // namespace loader
