#include "loader/load_job.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "loader/connection.h"
#include "loader/pipeline.h"
#include "loader/redact.h"
#include "loader/row_source.h"
#include "loader/server_info.h"
#include "loader/table.h"

namespace loader {
namespace {

std::string_view MethodName(Method m) { return m == Method::kCopy ? "copy" : "insert"; }

// Makes sure the table is there (creating or recreating it when asked) and that
// we may insert into it, so a mistake shows up once, clearly, before any worker
// starts.
Status PrepareTable(Connection& conn, const TableSpec& table, const LoadOptions& options) {
  Status s;
  if (options.drop) {
    s = conn.Exec(table.DropSql().c_str());
    if (!s.ok()) return s.WithContext("dropping table " + table.name);
    spdlog::info("--drop: table {} starts over", table.name);
  }
  if (options.create || options.drop) {
    s = conn.Exec(table.CreateSql().c_str());
    if (!s.ok()) return s.WithContext("creating table " + table.name);
  }
  const std::string quoted = QuoteIdent(table.name);
  const char* params[] = {quoted.c_str()};
  PgResult rows;
  s = conn.Query("SELECT to_regclass($1) IS NOT NULL", &rows, 1, params);
  if (!s.ok()) return s.WithContext("looking up table " + table.name);
  if (FirstValue(rows) != "t") {
    return Status::Error(Status::Code::kTableMissing,
                         "table " + table.name +
                             " does not exist; run with --create to create it");
  }
  s = conn.Query("SELECT has_table_privilege($1, 'INSERT')", &rows, 1, params);
  if (!s.ok()) return s.WithContext("checking privileges on " + table.name);
  if (FirstValue(rows) != "t") {
    return Status::Error(Status::Code::kPermissionDenied,
                         "permission denied: the role may not INSERT into " + table.name, "42501");
  }
  return Status::OK();
}

std::string DescribePlan(const LoadOptions& options, const TableSpec& table, ServerKind server,
                         const std::string& version, const std::string& where,
                         const ChunkPlan& plan) {
  const bool detected = options.dialect == Dialect::kAuto;
  const uint64_t chunks = (options.rows + plan.limits.max_rows - 1) / plan.limits.max_rows;
  std::string out = "plan:\n";
  out += "  server:         " + std::string(ServerKindName(server)) +
         (detected ? " (detected: " : " (forced by --server; server says: ") + version + ")\n";
  out += "  target:         " + where + "\n";
  out += "  table:          " + table.name + " (" + table.ColumnList() + "), " +
         std::to_string(options.rows) + " rows, seed " + std::to_string(options.seed) + "\n";
  out += "  method:         " + std::string(MethodName(options.method)) + ", " +
         std::to_string(options.workers) + " workers\n";
  out += plan.Describe(table);
  out += "  chunks:         about " + std::to_string(chunks) + "\n";
  return out;
}

}  // namespace

LoadOutcome RunLoad(const LoadOptions& options) {
  LoadOutcome out;
  const TableSpec* table = FindGeneratedTable(options.table);
  if (table == nullptr) {
    out.status = Status::InvalidArgument("unknown table '" + options.table + "'");
    return out;
  }
  std::vector<std::string> urls = options.urls.empty() ? std::vector<std::string>{""} : options.urls;
  for (const std::string& url : urls) RegisterSecret(PasswordOf(url));

  out.summary.table = table->name;
  out.summary.method = MethodName(options.method);
  out.summary.workers = options.workers;

  const std::string where = urls[0].empty() ? "the server named by PG* variables"
                                            : RedactConninfo(urls[0]);
  spdlog::debug("connecting to {}", where);
  std::unique_ptr<Connection> conn;
  Status s = Connection::Open(urls[0], &conn);
  ServerKind server = ServerKind::kPostgres;
  std::string version;
  if (s.ok()) s = DetectServerKind(*conn, &server, &version);
  if (!s.ok()) {
    out.status = s.WithContext("connecting to " + where);
    return out;
  }
  if (options.dialect == Dialect::kPostgres) server = ServerKind::kPostgres;
  if (options.dialect == Dialect::kCockroach) server = ServerKind::kCockroach;
  out.summary.server = std::string(ServerKindName(server));

  IntentBudget budget;
  if (server == ServerKind::kCockroach) {
    budget = ReadIntentBudget(*conn);
    if (budget.from_server) {
      spdlog::info("{}: {} bytes", budget.note, budget.bytes);
    } else {
      spdlog::warn("{}", budget.note);
    }
  }
  const ChunkPlan plan = PlanChunks(*table, options.chunk_rows, options.chunk_bytes,
                                    server == ServerKind::kCockroach ? &budget : nullptr);
  out.plan = DescribePlan(options, *table, server, version, where, plan);
  if (options.dry_run) return out;
  spdlog::info("loading {} rows into {} on {}: {} rows per chunk ({})", options.rows, table->name,
               ServerKindName(server), plan.limits.max_rows, plan.reason);

  s = PrepareTable(*conn, *table, options);
  conn.reset();
  // Every other host once, so a typo in the third --url fails now, plainly,
  // instead of after each of its workers has retried for half a minute.
  for (size_t i = 1; i < urls.size() && s.ok(); ++i) {
    s = Connection::Open(urls[i], &conn);
    if (!s.ok()) s = s.WithContext("connecting to " + RedactConninfo(urls[i]));
    conn.reset();
  }
  if (!s.ok()) {
    out.status = s;
    return out;
  }

  PipelineConfig config;
  config.conninfos = urls;
  config.workers = options.workers;
  config.server = server;
  config.method = options.method;
  config.retry.max_retries = options.max_retries;
  config.table = table;
  config.max_chunk_rows = plan.limits.max_rows;
  auto source = MakeGeneratedSource(*table, options.seed, options.rows, plan.limits,
                                    EncodingFor(options.method));
  Stats stats;
  const auto start = std::chrono::steady_clock::now();
  out.status = RunPipeline(config, *source, &stats);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  Summary summary = Summary::From(stats, elapsed.count());
  summary.table = out.summary.table;
  summary.method = out.summary.method;
  summary.server = out.summary.server;
  summary.workers = out.summary.workers;
  summary.status = std::string(CodeName(out.status.code()));
  if (!out.status.ok()) summary.error = out.status.ToString();
  out.summary = std::move(summary);
  return out;
}

}  // namespace loader
