#include "job/prepare_table.h"

#include <spdlog/spdlog.h>

#include <cstdint>

#include "loader/journal/journal.h"

namespace loader {
namespace {

bool TableExists(Connection& conn, const TableSpec& table, Status* s) {
  const std::string quoted = QuoteIdent(table.name);
  const char* params[] = {quoted.c_str()};
  PgResult rows;
  *s = conn.Query("SELECT to_regclass($1) IS NOT NULL", &rows, 1, params);
  if (!s->ok()) *s = s->WithContext("looking up table " + table.name);
  return FirstValue(rows) == "t";
}

// Creates the table and forgets the jobs of any earlier table of that name
// (their rows went with it) in one transaction. Only the process whose CREATE
// commits forgets, so loaders of one job started together with --create (the
// shards of a job) never forget chunks another has committed. *created is
// false when another process made the table first: our CREATE then fails, and
// the table is there.
Status CreateTable(Connection& conn, const TableSpec& table, bool* created) {
  const std::string create = table.CreateSql(TableSpec::IfExists::kFail);
  Status s;
  // CockroachDB may abort the transaction (40001) when another loader's
  // journal writes meet its scan of loader_jobs.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    uint64_t jobs = 0;
    s = conn.InTransaction([&] {
      Status create_status = conn.Exec(create.c_str());
      return create_status.ok() ? ForgetTableJobs(conn, table.name, &jobs) : create_status;
    });
    *created = s.ok();
    if (s.ok()) {
      if (jobs > 0) spdlog::info("forgot {} journal jobs of table {}", jobs, table.name);
      return s;
    }
    Status looked;
    if (TableExists(conn, table, &looked)) {
      spdlog::info("table {} was created by another loader meanwhile", table.name);
      return Status::OK();
    }
    if (s.code() != Status::Code::kRetryable) break;
  }
  return s.WithContext("creating table " + table.name);
}

}  // namespace

Status PrepareTable(Connection& conn, const TableSpec& table, const TargetSpec& target,
                    bool* created) {
  *created = false;
  Status s;
  if (target.drop) {
    // Its jobs go first, so a failure in between can leave a job that reloads
    // rows (a duplicate-key error), never one that claims rows the table lacks.
    uint64_t jobs = 0;
    s = conn.InTransaction([&] { return ForgetTableJobs(conn, table.name, &jobs); });
    if (!s.ok()) return s;
    if (jobs > 0) spdlog::info("forgot {} journal jobs of table {}", jobs, table.name);
    s = conn.Exec(table.DropSql().c_str());
    if (!s.ok()) return s.WithContext("dropping table " + table.name);
    spdlog::info("--drop: table {} starts over", table.name);
  }
  bool exists = TableExists(conn, table, &s);
  if (!s.ok()) return s;
  if (!exists && (target.create || target.drop)) {
    s = CreateTable(conn, table, created);
    if (!s.ok()) return s;
    exists = true;
  } else if (exists && target.truncate) {
    s = TruncateTables(conn, {table.name});
    if (!s.ok()) return s;
  }
  if (!exists) {
    return Status::Error(Status::Code::kTableMissing,
                         "table " + table.name + " does not exist; run with --create to create it");
  }
  const std::string quoted = QuoteIdent(table.name);
  const char* params[] = {quoted.c_str()};
  PgResult rows;
  s = conn.Query("SELECT has_table_privilege($1, 'INSERT')", &rows, 1, params);
  if (!s.ok()) return s.WithContext("checking privileges on " + table.name);
  if (FirstValue(rows) != "t") {
    return Status::Error(Status::Code::kPermissionDenied,
                         "permission denied: the role may not INSERT into " + table.name, "42501");
  }
  return Status::OK();
}

Status TruncateTables(Connection& conn, const std::vector<std::string>& tables) {
  std::string truncate = "TRUNCATE ";
  for (const std::string& t : tables) {
    truncate += (&t == &tables.front() ? "" : ", ") + QuoteIdent(t);
  }
  uint64_t jobs = 0;
  Status s;
  // CockroachDB may abort the transaction (40001) when a loader's journal
  // writes meet its scan of loader_jobs.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    jobs = 0;
    s = conn.InTransaction([&] {
      Status step = conn.Exec(truncate.c_str());
      for (const std::string& t : tables) {
        uint64_t table_jobs = 0;
        if (step.ok()) step = ForgetTableJobs(conn, t, &table_jobs);
        jobs += table_jobs;
      }
      return step;
    });
    if (s.code() != Status::Code::kRetryable) break;
  }
  if (!s.ok()) return s.WithContext("--truncate: " + truncate);
  spdlog::info("--truncate: {}{}", truncate,
               jobs > 0 ? "; forgot " + std::to_string(jobs) + " journal jobs" : "");
  return s;
}

Status Presplit(Connection& conn, const std::string& table, const std::vector<std::string>& sql,
                bool created) {
  if (!created) {
    spdlog::info("--presplit: table {} was there already; its ranges are left as they are", table);
    return Status::OK();
  }
  for (const std::string& statement : sql) {
    Status s = conn.Exec(statement.c_str());
    if (!s.ok()) return s.WithContext("--presplit: " + statement);
  }
  spdlog::info("--presplit: table {} split and scattered", table);
  return Status::OK();
}

}  // namespace loader
