#include "loader/job/load_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "loader/base/interrupt.h"
#include "loader/base/table.h"
#include "loader/emit/fallback_dir.h"
#include "loader/exec/pipeline.h"
#include "loader/job/load_input.h"
#include "loader/job/load_setup.h"
#include "loader/journal/journal.h"
#include "loader/pg/connect_settings.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/plan/presplit.h"
#include "loader/plan/row_source.h"
#include "loader/read/reject_log.h"
#include "loader/report/progress.h"

namespace loader {
namespace {

// Rows of files are counted by reading them.
constexpr uint64_t kUnknownTotal = UINT64_MAX;

std::string_view MethodName(Method m) { return m == Method::kCopy ? "copy" : "insert"; }

bool IsUnreachable(const Status& s) {
  return s.code() == Status::Code::kConnectionFailed || s.code() == Status::Code::kConnectionLost;
}

// After a pass: reads the job's journal (and records its row count when the
// pass counted it), on any host, reconnecting with backoff for as long as
// --reconnect-timeout allows, as a worker would for a chunk.
Status ReadJournalAgain(const PipelineConfig& config, const Shard& shard, bool counted,
                        uint64_t total, JournalState* state) {
  const auto give_up = std::chrono::steady_clock::now() + config.retry.reconnect_timeout;
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<Connection> conn;
    size_t host = 0;
    Status s = config.hosts->ConnectAny(&conn, &host);
    if (s.ok() && counted) s = SetJobTotal(*conn, config.job, total);
    if (s.ok()) s = ReadJournal(*conn, config.job, state, shard);
    if (!IsUnreachable(s) || std::chrono::steady_clock::now() >= give_up) return s;
    const auto delay = config.retry.backoff.Delay(attempt, static_cast<uint64_t>(attempt));
    spdlog::warn("reading the journal again after loading: {}; retrying in {} ms", s.ToString(),
                 delay.count());
    if (!SleepUnlessInterrupted(delay)) return s;
  }
}

// Loads the rows of the job (of its shard, with --shard) that `state` lacks,
// and with the journal on reads it again to check: a pass leaves rows behind
// only when another process of the same job committed a chunk cut another way
// (a collision that covered part of ours), and the next pass loads them.
// Files are counted as they are read: *total is their row count after the
// first pass. *state is the journal as last read.
Status LoadMissingRows(const LoadOptions& options, const LoadInput& input, const ChunkPlan& plan,
                       const PipelineConfig& config, JournalState* state, Stats* stats,
                       uint64_t* total) {
  constexpr int kMaxPasses = 3;
  for (int pass = 1;; ++pass) {
    // Rows this run wrote to --fallback-dir are done with, as committed ones
    // are. Both by the shard's own row numbers (see shard.h).
    const Shard& shard = options.shard;
    RowRanges done = state->committed;
    if (config.fallback != nullptr) {
      const RowRanges spilled = config.fallback->spilled();
      for (const RowRange& r : spilled.ranges()) {
        done.Add(shard.OwnedBefore(r.first), shard.OwnedRows(r.first, r.end()));
      }
    }
    std::vector<RowRange> todo = done.Missing(shard.OwnedBefore(*total));
    uint64_t missing = 0;
    for (RowRange& r : todo) {
      missing += r.count;
      // The job's rows from the first of them to the last; the source skips
      // the other shards' blocks in between.
      const uint64_t first = shard.OwnedRow(r.first);
      r = {first, shard.OwnedRow(r.end() - 1) + 1 - first};
    }
    if (missing == 0) return Status::OK();
    if (pass > kMaxPasses || (pass > 1 && !input.rereadable)) {
      return Status::Internal("job " + config.job + ": " + std::to_string(missing) +
                              " rows are still missing from the journal after " +
                              std::to_string(pass - 1) + " passes; run the same command again");
    }
    if (pass > 1) {
      spdlog::warn(
          "job {}: {} rows are not in the journal after pass {} (another loader of "
          "this job cut its chunks differently); loading them",
          config.job, missing, pass - 1);
    }
    std::unique_ptr<RowSource> source;
    Status s = MakeInputSource(input, options, plan.limits, std::move(todo), *state, config.rejects,
                               &source);
    if (s.ok()) s = RunPipeline(config, *source, stats);
    if (!s.ok()) return s;
    const bool counted = !input.job.total_known && *total == kUnknownTotal;
    if (counted) *total = source->rows_read();
    if (config.job.empty()) return s;

    s = ReadJournalAgain(config, options.shard, counted, *total, state);
    const bool unreachable = IsUnreachable(s);
    if (unreachable && config.fallback != nullptr && config.fallback->files() > 0) {
      // The server went away, which is why chunks are in --fallback-dir: every
      // row is committed or there. Only what another loader of the job did
      // goes unchecked, and a re-run checks it.
      spdlog::warn("could not read the journal again after loading: {}", s.ToString());
      return Status::OK();
    }
    if (!s.ok()) return s.WithContext("checking the journal after loading");
    if (state->journaled_rows > state->committed.rows()) {
      return Status::Internal(
          "the journal of job " + config.job + " has overlapping chunks (" +
          std::to_string(state->journaled_rows - state->committed.rows()) +
          " rows journaled twice): another loader of this job ran with another --chunk, and "
          "rows may be in the table twice");
    }
  }
}

// What a re-run of a failed or interrupted load will do.
std::string NextStep(const LoadOptions& options, const LoadInput& input, const Summary& summary,
                     uint64_t total) {
  if (summary.status == CodeName(Status::Code::kRowsInFallback)) {
    const std::string load = "load them with: cd " + summary.files_dir +
                             " && psql -f load-postgres.sql (PostgreSQL), or sh upload.sh, then "
                             "import.sql (CockroachDB)";
    if (!options.journal) return load + "; with --no-journal a re-run loads every row again";
    return load + "; or run the same command again" + (options.drop ? " without --drop" : "") +
           " to retry them (job " + summary.job + ")";
  }
  if (!options.journal) {
    return "with --no-journal a re-run loads every row again; the " + std::to_string(summary.rows) +
           " rows committed stay in the table";
  }
  const std::string done = std::to_string(summary.rows + summary.skipped_rows + summary.rejected);
  if (!input.rereadable) {
    return done +
           " rows are committed or rejected; to load the rest, pipe the same data into "
           "the same command with --job " +
           summary.job;
  }
  return done + (total == kUnknownTotal ? "" : " of " + std::to_string(total)) +
         " rows are committed" + (summary.rejected > 0 ? " or rejected" : "") + "; " +
         (input.from_files ? "fix the input if it is at fault, then " : "") +
         "run the same command again" + (options.drop ? " without --drop" : "") +
         " to load the rest (job " + summary.job + ")";
}

// Past this much data, a CockroachDB load is better done by IMPORT.
constexpr uint64_t kImportAdviceBytes = 1ull << 30;

// When the rows are many enough that IMPORT INTO would serve better on
// CockroachDB, says so and why; else "".
std::string ImportAdvice(const LoadOptions& options, const LoadInput& input, ServerKind server) {
  if (server != ServerKind::kCockroach) return {};
  const uint64_t bytes =
      input.from_files ? InputBytes(options.inputs) : options.rows * input.table.max_row_bytes;
  if (bytes < kImportAdviceBytes) return {};
  char size[32];
  std::snprintf(size, sizeof size, "%.1f", static_cast<double>(bytes) / (1ull << 30));
  return "about " + std::string(size) +
         " GiB of rows: IMPORT INTO is CockroachDB's fast path for this much data. Run with "
         "--emit-import DIR instead, then DIR/upload.sh and DIR/import.sql. IMPORT takes the "
         "table offline while it runs and only inserts (a key already in the table fails it), "
         "so it suits a new or empty table; this load keeps the table online and can resume";
}

std::string DescribePlan(const LoadOptions& options, const LoadInput& input, ServerKind server,
                         const std::string& version, const std::string& where,
                         const ChunkPlan& plan) {
  const bool detected = options.dialect == Dialect::kAuto;
  std::string out = "plan:\n";
  out += "  server:         " + std::string(ServerKindName(server)) +
         (detected ? " (detected: " : " (forced by --server; server says: ") + version + ")\n";
  out += "  target:         " + where + "\n";
  out += "  table:          " + input.table.name + " (" + input.table.ColumnList() + "), " +
         input.description + "\n";
  out += "  method:         " + std::string(MethodName(options.method)) + ", " +
         std::to_string(options.workers) + " workers\n";
  out += plan.Describe(input.table);
  const uint64_t own_rows = options.shard.OwnedRows(0, options.rows);
  if (!input.from_files) {
    // A shard's chunks also end where its blocks do.
    const uint64_t max = plan.limits.max_rows;
    const uint64_t block = options.shard.whole() ? own_rows + 1 : options.shard.block_rows;
    const uint64_t chunks =
        own_rows / block * ((block + max - 1) / max) + (own_rows % block + max - 1) / max;
    out += "  chunks:         about " + std::to_string(chunks) + "\n";
  }
  if (!options.shard.whole()) {
    out += "  shard:          " + options.shard.Name() + ": the blocks of " +
           std::to_string(options.shard.block_rows) + " rows (--chunk) whose number mod " +
           std::to_string(options.shard.count) + " is " + std::to_string(options.shard.index) +
           ", " + std::to_string(own_rows) + " of the job's " + std::to_string(options.rows) +
           " rows\n";
  }
  out += "  journal:        " +
         (options.journal ? "job " + input.job.id + " in loader_journal"
                          : std::string("off (--no-journal): exactly-once is not guaranteed")) +
         "\n";
  if (const std::string advice = ImportAdvice(options, input, server); !advice.empty()) {
    out += "  advice:         " + advice + "\n";
  }
  if (options.max_rejects > 0) {
    out += "  rejects:        up to " + std::to_string(options.max_rejects) + " rows, to " +
           options.reject_file + "\n";
  }
  return out;
}

// --fallback-dir: where chunks that cannot be committed go. Shards given the
// same command on one machine each keep their own files and scripts.
std::unique_ptr<FallbackDir> MakeFallback(const LoadOptions& options, const LoadInput& input,
                                          const Shard& shard, const std::string& job) {
  if (options.fallback_dir.empty()) return nullptr;
  ImportSet set;
  set.fallback = true;
  set.table = input.table.name;
  std::vector<ColumnType> types;
  for (const Column& c : input.table.columns) {
    set.columns.push_back(c.name);
    types.push_back(c.type);
  }
  const std::string dir = shard.whole()
                              ? options.fallback_dir
                              : options.fallback_dir + "/shard-" + std::to_string(shard.index) +
                                    "-of-" + std::to_string(shard.count);
  set.url_prefix = options.import_url.empty() ? DefaultImportUrl(dir) : options.import_url;
  set.job = job;
  set.command = options.command;
  return std::make_unique<FallbackDir>(dir, std::move(set), std::move(types));
}

// Says what the journal already has of this process's rows.
void LogResumeState(const LoadInput& input, const Shard& shard, const JournalState& journal,
                    uint64_t total, uint64_t own_total) {
  const uint64_t own_done = journal.committed.rows();
  const std::string whose =
      shard.whole() ? "job " + input.job.id : "job " + input.job.id + ", shard " + shard.Name();
  if (own_total == 0 && total > 0) {
    spdlog::warn("{}: this shard owns no rows: the job's {} rows make fewer than {} blocks of {}",
                 whose, total, shard.index + 1, shard.block_rows);
  }
  if (own_done == 0) return;
  if (total != kUnknownTotal && own_done >= own_total) {
    spdlog::info("{}: already loaded: all {} rows are committed ({} chunks); nothing to do", whose,
                 own_total, journal.chunks);
  } else {
    spdlog::info("{}: resuming: {} rows in {} chunks are already committed{}", whose, own_done,
                 journal.chunks,
                 input.from_files
                     ? "; reading the input past them and checking they are "
                       "unchanged"
                     : "; loading the other " + std::to_string(own_total - own_done) + " rows");
  }
}

// The fallback files' scripts, and the outcome that says rows wait there.
Status FinishFallback(FallbackDir* fallback, const Status& load) {
  if (fallback == nullptr || fallback->files() == 0) return load;
  const Status s = fallback->Finish();
  if (!load.ok()) return load;
  if (!s.ok()) return s;
  return Status::Error(Status::Code::kRowsInFallback,
                       std::to_string(fallback->rows()) + " rows in " +
                           std::to_string(fallback->files()) +
                           " chunks could not be committed; they wait in " + fallback->dir());
}

// The summary of a load that ran, whatever its outcome.
Summary SummarizeLoad(const LoadOptions& options, const LoadInput& input, const Stats& stats,
                      double seconds, const Summary& header, const HostSet& hosts,
                      const Shard& shard, const std::string& job, const JournalState& journal,
                      uint64_t total, const RejectLog& rejects, const FallbackDir* fallback,
                      const Status& status) {
  Summary summary = Summary::From(stats, seconds);
  summary.table = input.table.name;
  summary.method = header.method;
  summary.server = header.server;
  summary.workers = header.workers;
  summary.job = job;
  if (!shard.whole()) summary.shard = shard.Name();
  // After a failure the journal as last read is stale, and this shard's rows
  // are not all in: the whole job's count would mislead.
  if (!shard.whole() && !job.empty() && status.ok()) {
    summary.job_committed_rows = journal.job_rows;
    summary.job_rows = total;
  }
  for (size_t w = 0; w < summary.per_worker.size(); ++w) {
    summary.per_worker[w].host = hosts.name(w % hosts.size());
  }
  for (size_t h = 0; h < summary.per_host.size(); ++h) summary.per_host[h].host = hosts.name(h);
  summary.rejected = rejects.rejected();
  if (summary.rejected > 0) summary.reject_file = rejects.path();
  if (fallback != nullptr && fallback->files() > 0) {
    summary.file_rows = fallback->rows();
    summary.files = fallback->files();
    summary.files_dir = fallback->dir();
  }
  summary.status = std::string(CodeName(status.code()));
  if (!status.ok()) {
    summary.error = status.ToString();
    summary.next_step = NextStep(options, input, summary, shard.OwnedRows(0, total));
  }
  return summary;
}

}  // namespace

LoadOutcome RunLoad(const LoadOptions& options) {
  LoadOutcome out;
  if (options.journal && !options.job.empty()) {
    // The id is written into SQL as a literal, so it must be one of ours.
    out.status = ValidateJobId(options.job);
    if (!out.status.ok()) return out;
  }
  std::vector<std::string> conninfos;
  out.status = ResolveHosts(options.urls, options.connect, &conninfos);
  if (!out.status.ok()) return out;
  // A host that is down is tried again after 1 s, then less and less often.
  HostSet hosts(std::move(conninfos), Backoff(std::chrono::seconds(1), std::chrono::seconds(30)),
                options.connect.statement_timeout);
  out.summary.table = options.table;
  out.summary.method = MethodName(options.method);
  out.summary.workers = options.workers;

  FirstServer first;
  out.status = ConnectFirst(hosts, &first);
  if (!out.status.ok()) return out;
  if (options.presplit > 0 && first.kind != ServerKind::kCockroach) {
    out.status = Status::InvalidArgument(
        "--presplit is CockroachDB-only: PostgreSQL keeps a table in one heap, with no ranges "
        "to split (ALTER TABLE ... SPLIT AT)");
    return out;
  }
  // The catalog is the real server's, whatever protocol --server forces.
  LoadInput input;
  out.status = ResolveInput(*first.conn, first.kind, options, &input);
  if (!out.status.ok()) return out;
  ServerKind server = first.kind;
  if (options.dialect == Dialect::kPostgres) server = ServerKind::kPostgres;
  if (options.dialect == Dialect::kCockroach) server = ServerKind::kCockroach;
  out.summary.server = std::string(ServerKindName(server));
  LoadOptions resolved = options;
  if (resolved.reject_file.empty()) resolved.reject_file = input.job.id + ".reject.csv";

  const IntentBudget budget = ReadBudget(*first.conn, server);
  const ChunkPlan plan = PlanChunks(input.table, options.chunk_rows, options.chunk_bytes,
                                    server == ServerKind::kCockroach ? &budget : nullptr);
  // A shard's blocks are --chunk rows, whatever the server's intent budget
  // makes of the chunks inside them: every process of the job cuts the same
  // blocks from the same options, whatever it can read of the cluster's settings.
  resolved.shard.block_rows = options.chunk_rows;
  const Shard& shard = resolved.shard;
  const std::vector<std::string> presplit =
      options.presplit > 0 ? PresplitStatements(input.table, options.rows, options.presplit)
                           : std::vector<std::string>();
  out.plan = DescribePlan(resolved, input, server, first.version, first.where, plan);
  for (const std::string& sql : presplit) out.plan += "  presplit:       " + sql + "\n";
  if (options.dry_run) return out;
  if (const std::string advice = ImportAdvice(options, input, server); !advice.empty()) {
    spdlog::info("{}", advice);
  }
  spdlog::info("loading {} into {} on {}: {} rows per chunk ({})", input.description,
               input.table.name, ServerKindName(server), plan.limits.max_rows, plan.reason);

  JournalState journal;
  out.status = PrepareServer(*first.conn, server, options, input, presplit, shard, &journal);
  first.conn.reset();
  if (out.status.ok()) out.status = CheckOtherHosts(hosts, first.host);
  if (!out.status.ok()) return out;

  RejectLog rejects(resolved.reject_file, options.max_rejects);
  PipelineConfig config;
  config.hosts = &hosts;
  config.workers = options.workers;
  config.server = server;
  config.method = options.method;
  config.retry.max_retries = options.max_retries;
  config.retry.reconnect_timeout = options.reconnect_timeout;
  config.job = options.journal ? input.job.id : std::string();
  config.table = &input.table;
  config.rejects = input.from_files ? &rejects : nullptr;
  const std::unique_ptr<FallbackDir> fallback = MakeFallback(options, input, shard, config.job);
  config.fallback = fallback.get();

  uint64_t total = input.job.total_known ? input.job.total_rows : kUnknownTotal;
  // With --shard, what this process loads: its blocks' rows.
  const uint64_t own_total = total == kUnknownTotal ? total : shard.OwnedRows(0, total);
  LogResumeState(input, shard, journal, total, own_total);
  Stats stats(static_cast<size_t>(options.workers), hosts.size());
  stats.skipped_chunks = journal.chunks;
  stats.skipped_rows = journal.committed.rows();
  const auto start = std::chrono::steady_clock::now();
  {
    ProgressReporter progress(stats, own_total == kUnknownTotal ? 0 : own_total,
                              ChooseProgressMode(options.quiet), options.progress_every);
    out.status = LoadMissingRows(resolved, input, plan, config, &journal, &stats, &total);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  out.status = FinishFallback(fallback.get(), out.status);
  out.summary = SummarizeLoad(options, input, stats, elapsed.count(), out.summary, hosts, shard,
                              config.job, journal, total, rejects, fallback.get(), out.status);
  return out;
}

}  // namespace loader
