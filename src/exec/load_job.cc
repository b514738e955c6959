#include "loader/load_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "loader/connection.h"
#include "loader/journal.h"
#include "loader/pipeline.h"
#include "loader/redact.h"
#include "loader/row_source.h"
#include "loader/server_info.h"
#include "loader/table.h"

namespace loader {
namespace {

std::string_view MethodName(Method m) { return m == Method::kCopy ? "copy" : "insert"; }

bool TableExists(Connection& conn, const TableSpec& table, Status* s) {
  const std::string quoted = QuoteIdent(table.name);
  const char* params[] = {quoted.c_str()};
  PgResult rows;
  *s = conn.Query("SELECT to_regclass($1) IS NOT NULL", &rows, 1, params);
  if (!s->ok()) *s = s->WithContext("looking up table " + table.name);
  return FirstValue(rows) == "t";
}

// Makes sure the table is there (creating or recreating it when asked) and that
// we may insert into it, so a mistake shows up once, clearly, before any worker
// starts.
Status PrepareTable(Connection& conn, const TableSpec& table, const LoadOptions& options) {
  Status s;
  const bool existed = TableExists(conn, table, &s);
  if (!s.ok()) return s;
  if (options.drop || (options.create && !existed)) {
    // The table's rows are gone (or about to be): so are its jobs. Forget them
    // first, so a failure in between can leave a job that reloads rows (a
    // duplicate-key error), never one that claims rows the table lacks.
    uint64_t jobs = 0;
    s = ForgetTableJobs(conn, table.name, &jobs);
    if (!s.ok()) return s;
    if (jobs > 0) spdlog::info("forgot {} journal jobs of table {}", jobs, table.name);
  }
  if (options.drop) {
    s = conn.Exec(table.DropSql().c_str());
    if (!s.ok()) return s.WithContext("dropping table " + table.name);
    spdlog::info("--drop: table {} starts over", table.name);
  }
  if (options.create || options.drop) {
    s = conn.Exec(table.CreateSql().c_str());
    if (!s.ok()) return s.WithContext("creating table " + table.name);
  }
  if (!TableExists(conn, table, &s)) {
    if (!s.ok()) return s;
    return Status::Error(Status::Code::kTableMissing,
                         "table " + table.name +
                             " does not exist; run with --create to create it");
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

JobSpec JobFor(const LoadOptions& options, const TableSpec& table) {
  JobSpec job;
  job.table = table.name;
  job.total_rows = options.rows;
  job.source = "generated " + table.name + ", seed " + std::to_string(options.seed);
  job.id = !options.job.empty()
               ? options.job
               : DefaultJobId(table.name, "generated:seed=" + std::to_string(options.seed),
                              options.rows);
  return job;
}

// Sets up the journal for `job` and reads which of its rows are committed.
Status OpenJournal(Connection& conn, const JobSpec& job, JournalState* state) {
  Status s = EnsureJournal(conn);
  // A load of no rows (--rows 0 --create, to make the table) is not a job.
  if (job.total_rows == 0) return s;
  if (s.ok()) s = RegisterJob(conn, job);
  if (s.ok()) s = ReadJournal(conn, job.id, state);
  return s;
}

// Loads the rows of the job that `state` lacks, and with the journal on reads
// it again to check: a pass leaves rows behind only when another process of
// the same job committed a chunk cut another way (a collision that covered
// part of ours), and the next pass loads them.
Status LoadMissingRows(const LoadOptions& options, const TableSpec& table, const ChunkPlan& plan,
                       const PipelineConfig& config, JournalState state, Stats* stats) {
  constexpr int kMaxPasses = 3;
  for (int pass = 1;; ++pass) {
    std::vector<RowRange> todo = state.committed.Missing(options.rows);
    if (todo.empty()) return Status::OK();
    if (pass > kMaxPasses) {
      return Status::Internal("job " + config.job + ": " +
                              std::to_string(options.rows - state.committed.rows()) +
                              " rows are still missing from the journal after " +
                              std::to_string(kMaxPasses) + " passes");
    }
    if (pass > 1) {
      spdlog::warn("job {}: {} rows are not in the journal after pass {} (another loader of "
                   "this job cut its chunks differently); loading them",
                   config.job, options.rows - state.committed.rows(), pass - 1);
    }
    auto source = MakeGeneratedSource(table, options.seed, std::move(todo), plan.limits,
                                      EncodingFor(options.method));
    Status s = RunPipeline(config, *source, stats);
    if (!s.ok() || config.job.empty()) return s;

    std::unique_ptr<Connection> conn;
    s = Connection::Open(config.conninfos[0], &conn);
    if (s.ok()) s = ReadJournal(*conn, config.job, &state);
    if (!s.ok()) return s.WithContext("checking the journal after loading");
    if (state.journaled_rows > state.committed.rows()) {
      return Status::Internal(
          "the journal of job " + config.job + " has overlapping chunks (" +
          std::to_string(state.journaled_rows - state.committed.rows()) +
          " rows journaled twice): another loader of this job ran with another --chunk, and "
          "rows may be in the table twice");
    }
  }
}

// What a re-run of a failed or interrupted load will do.
std::string NextStep(const LoadOptions& options, const Summary& summary, uint64_t total_rows) {
  if (!options.journal) {
    return "with --no-journal a re-run loads every row again; the " +
           std::to_string(summary.rows) + " rows committed stay in the table";
  }
  return std::to_string(summary.rows + summary.skipped_rows) + " of " +
         std::to_string(total_rows) + " rows are committed; run the same command again" +
         (options.drop ? " without --drop" : "") + " to load the rest (job " + summary.job + ")";
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
  out += "  journal:        " +
         (options.journal ? "job " + JobFor(options, table).id + " in loader_journal"
                          : std::string("off (--no-journal): exactly-once is not guaranteed")) +
         "\n";
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
  if (options.journal && !options.job.empty()) {
    // The id is written into SQL as a literal, so it must be one of ours.
    out.status = ValidateJobId(options.job);
    if (!out.status.ok()) return out;
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
  const JobSpec job = JobFor(options, *table);
  JournalState journal;
  if (s.ok() && options.journal) s = OpenJournal(*conn, job, &journal);
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
  config.retry.reconnect_timeout = options.reconnect_timeout;
  config.job = options.journal ? job.id : std::string();
  config.table = table;
  config.max_chunk_rows = plan.limits.max_rows;
  if (journal.chunks > 0) {
    const uint64_t left = options.rows - std::min(options.rows, journal.committed.rows());
    if (left == 0) {
      spdlog::info("job {}: already loaded: all {} rows are committed ({} chunks); nothing to do",
                   job.id, options.rows, journal.chunks);
    } else {
      spdlog::info("job {}: resuming: {} rows in {} chunks are already committed; loading the "
                   "other {} rows",
                   job.id, journal.committed.rows(), journal.chunks, left);
    }
  }
  Stats stats;
  stats.skipped_chunks = journal.chunks;
  stats.skipped_rows = journal.committed.rows();
  const auto start = std::chrono::steady_clock::now();
  out.status = LoadMissingRows(options, *table, plan, config, std::move(journal), &stats);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  Summary summary = Summary::From(stats, elapsed.count());
  summary.table = out.summary.table;
  summary.method = out.summary.method;
  summary.server = out.summary.server;
  summary.workers = out.summary.workers;
  summary.job = config.job;
  summary.status = std::string(CodeName(out.status.code()));
  if (!out.status.ok()) {
    summary.error = out.status.ToString();
    summary.next_step = NextStep(options, summary, options.rows);
  }
  out.summary = std::move(summary);
  return out;
}

}  // namespace loader
