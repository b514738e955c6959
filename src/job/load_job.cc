#include "job/load_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "emit/fallback_dir.h"
#include "exec/pipeline.h"
#include "exec/warm_connections.h"
#include "job/after_load.h"
#include "job/deferred_indexes.h"
#include "job/duplicate_origins.h"
#include "job/load_input.h"
#include "job/load_passes.h"
#include "job/load_setup.h"
#include "loader/base/table.h"
#include "loader/journal/journal.h"
#include "loader/pg/connect_settings.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/plan/in_flight.h"
#include "loader/plan/presplit.h"
#include "loader/plan/worker_count.h"
#include "loader/read/reject_log.h"
#include "loader/report/progress.h"

namespace loader {
namespace {

// What a re-run of a failed or interrupted load will do.
std::string NextStep(const LoadSpec& spec, const LoadInput& input, const Summary& summary,
                     uint64_t total) {
  if (summary.status == CodeName(Status::Code::kRowsInFallback)) {
    const std::string load = "load them with: cd " + summary.files_dir +
                             " && psql -f load-postgres.sql (PostgreSQL), or sh upload.sh, then "
                             "import.sql (CockroachDB)";
    if (!spec.faults.journal) return load + "; with --no-journal a re-run loads every row again";
    return load + "; or run the same command again" + (spec.target.drop ? " without --drop" : "") +
           " to retry them (job " + summary.job + ")";
  }
  if (!spec.faults.journal) {
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
         "run the same command again" + (spec.target.drop ? " without --drop" : "") +
         " to load the rest (job " + summary.job + ")";
}

// How long --build-indexes-after lets one index build go without a byte
// from the server, when --statement-timeout is shorter.
constexpr std::chrono::seconds kIndexBuildTimeout{3600};

// Past this much data, a CockroachDB load is better done by IMPORT.
constexpr uint64_t kImportAdviceBytes = 1ull << 30;

// When the rows are many enough that IMPORT INTO would serve better on
// CockroachDB, says so and why; else "".
std::string ImportAdvice(const LoadSpec& spec, const LoadInput& input, ServerKind server) {
  if (server != ServerKind::kCockroach) return {};
  const uint64_t bytes = input.from_files ? InputBytes(spec.input.files, spec.input.csv.decompress)
                                          : spec.input.rows * input.table.max_row_bytes;
  if (bytes < kImportAdviceBytes) return {};
  char size[32];
  std::snprintf(size, sizeof size, "%.1f", static_cast<double>(bytes) / (1ull << 30));
  return "about " + std::string(size) +
         " GiB of rows: IMPORT INTO is CockroachDB's fast path for this much data. Run with "
         "--emit-import DIR instead, then DIR/upload.sh and DIR/import.sql. IMPORT takes the "
         "table offline while it runs and only inserts (a key already in the table fails it), "
         "so it suits a new or empty table; this load keeps the table online and can resume";
}

// --on-conflict's line of the plan: the statement the rows go in by.
std::string DescribeConflict(const LoadInput& input, Method method,
                             const ConflictPolicy& conflict) {
  if (conflict.mode == OnConflict::kError) return {};
  std::string key;
  for (const std::string& k : conflict.key) key += (key.empty() ? "" : ", ") + k;
  const bool update =
      conflict.mode == OnConflict::kUpdate && !UpdatedColumns(input.table, conflict).empty();
  std::string how = !update           ? "INSERT ... ON CONFLICT (" + key + ") DO NOTHING"
                    : conflict.upsert ? "UPSERT on the primary key (" + key + ")"
                                      : "INSERT ... ON CONFLICT (" + key + ") DO UPDATE";
  if (method == Method::kCopy) how += ", from a staging table each chunk is copied into";
  return "  on conflict:    " + std::string(OnConflictName(conflict.mode)) + ": " + how + "\n";
}

std::string DescribePlan(const LoadSpec& spec, const LoadInput& input, ServerKind server,
                         const FirstServer& first, const ChunkPlan& plan,
                         const MethodChoice& method, const ConflictPolicy& conflict,
                         const WorkerCount& workers, const InFlight& in_flight,
                         const RejectLog& rejects) {
  const bool detected = !spec.target.server.has_value();
  std::string out = "plan:\n";
  out += "  server:         " + std::string(ServerKindName(server)) +
         (detected ? " (detected: " : " (forced by --server; server says: ") + first.version +
         ")\n";
  out += "  target:         " + first.where + "\n";
  char round_trip[96];
  std::snprintf(round_trip, sizeof round_trip,
                "%.2f ms (the quickest of SELECT version() and 2 SELECT 1)", first.round_trip_ms);
  out += "  round trip:     " + std::string(round_trip) + "\n";
  out += "  table:          " + input.table.name + " (" + input.table.ColumnList() + "), " +
         input.description + "\n";
  out += DescribeSyntheticColumns(input);
  out +=
      "  method:         " + std::string(MethodName(method.method)) + " (" + method.reason + ")\n";
  out += DescribeConflict(input, method.method, conflict);
  out += "  workers:        " + std::to_string(workers.start) +
         (workers.grows() ? " to start" : "") + " (" + workers.reason + ")\n";
  out += "  in flight:      " + std::to_string(in_flight.chunks) + " chunk" +
         (in_flight.chunks == 1 ? "" : "s") + " a connection (" + in_flight.reason + ")\n";
  if (spec.target.max_rate.limited()) {
    out += "  max rate:       " + spec.target.max_rate.Describe() +
           ", shared by all workers (--max-rate; each chunk waits for its share)\n";
  }
  out += plan.Describe(input.table);
  const uint64_t own_rows = spec.chunks.shard.OwnedRows(0, spec.input.rows);
  if (!input.from_files) {
    // A shard's chunks also end where its blocks do.
    const uint64_t max = plan.limits.max_rows;
    const uint64_t block = spec.chunks.shard.whole() ? own_rows + 1 : spec.chunks.shard.block_rows;
    const uint64_t chunks =
        own_rows / block * ((block + max - 1) / max) + (own_rows % block + max - 1) / max;
    out += "  chunks:         about " + std::to_string(chunks) + "\n";
  }
  if (!spec.chunks.shard.whole()) {
    out += "  shard:          " + spec.chunks.shard.Name() + ": the blocks of " +
           std::to_string(spec.chunks.shard.block_rows) + " rows (--chunk) whose number mod " +
           std::to_string(spec.chunks.shard.count) + " is " +
           std::to_string(spec.chunks.shard.index) + ", " + std::to_string(own_rows) +
           " of the job's " + std::to_string(spec.input.rows) + " rows\n";
  }
  out += "  journal:        " +
         (spec.faults.journal ? "job " + input.job.id + " in loader_journal"
                              : std::string("off (--no-journal): exactly-once is not guaranteed")) +
         "\n";
  if (const std::string advice = ImportAdvice(spec, input, server); !advice.empty()) {
    out += "  advice:         " + advice + "\n";
  }
  if (spec.faults.max_rejects > 0) {
    out += "  rejects:        up to " + std::to_string(spec.faults.max_rejects) + " rows, to " +
           rejects.path() + "\n";
  }
  return out;
}

// --fallback-dir: where chunks that cannot be committed go. Shards given the
// same command on one machine each keep their own files and scripts.
std::unique_ptr<FallbackDir> MakeFallback(const LoadSpec& spec, const LoadInput& input,
                                          const Shard& shard, const std::string& job,
                                          const ConflictPolicy& conflict) {
  if (spec.faults.fallback_dir.empty()) return nullptr;
  ImportSet set;
  set.fallback = true;
  set.table = input.table.name;
  std::vector<ColumnType> types;
  for (const Column& c : input.table.columns) {
    set.columns.push_back(c.name);
    types.push_back(c.type);
  }
  const std::string dir = shard.whole()
                              ? spec.faults.fallback_dir
                              : spec.faults.fallback_dir + "/shard-" + std::to_string(shard.index) +
                                    "-of-" + std::to_string(shard.count);
  set.url_prefix = spec.import.url.empty() ? DefaultImportUrl(dir) : spec.import.url;
  set.job = job;
  set.command = spec.report.command;
  if (conflict.mode != OnConflict::kError) {
    set.stage_table = kConflictStage;
    set.stage_sql = ConflictStageSql(input.table);
    set.from_stage_sql = InsertFromStageSql(input.table, conflict);
  }
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

// Loading into a server: a journal makes it exact and resumable, workers
// commit chunks over their own connections, and chunks that cannot be
// committed go to --fallback-dir.
class ServerLoad final : public Job {
 public:
  explicit ServerLoad(const LoadSpec& spec) : spec_(spec) {
    summary_.table = spec.input.table;
    summary_.method = spec.target.method ? MethodName(*spec.target.method) : "auto";
  }

  // The hosts, what the first one is, the input, and the chunks.
  Status Plan(std::string* plan) override {
    Status s = spec_.faults.journal && !spec_.faults.job.empty()
                   ? ValidateJobId(spec_.faults.job)  // written into SQL as a literal
                   : Status::OK();
    std::vector<std::string> conninfos;
    if (s.ok()) s = ResolveHosts(spec_.target.urls, spec_.target.connect, &conninfos);
    if (!s.ok()) return s;
    // A host that is down is tried again after 1 s, then less and less often.
    hosts_ = std::make_unique<HostSet>(std::move(conninfos),
                                       Backoff(std::chrono::seconds(1), std::chrono::seconds(30)),
                                       spec_.target.connect.statement_timeout);
    s = ConnectFirst(*hosts_, &first_);
    if (s.ok()) s = StartSession(spec_.target, &first_, hosts_.get());
    if (!s.ok()) return s;
    if (spec_.target.presplit > 0 && first_.kind != ServerKind::kCockroach) {
      return Status::InvalidArgument(
          "--presplit is CockroachDB-only: PostgreSQL keeps a table in one heap, with no ranges "
          "to split (ALTER TABLE ... SPLIT AT)");
    }
    // The catalog is the real server's, whatever protocol --server forces.
    s = ResolveInput(*first_.conn, first_.kind, spec_, &input_);
    if (!s.ok()) return s;
    server_ = spec_.target.server.value_or(first_.kind);
    summary_.server = std::string(ServerKindName(server_));
    rejects_ = std::make_unique<RejectLog>(
        spec_.faults.reject_file.empty() ? input_.job.id + ".reject.csv" : spec_.faults.reject_file,
        spec_.faults.max_rejects);
    const IntentBudget budget = ReadBudget(*first_.conn, server_);
    plan_ = PlanChunks(input_.table, spec_.chunks.rows, spec_.chunks.bytes,
                       server_ == ServerKind::kCockroach ? &budget : nullptr);
    if (spec_.target.presplit > 0) {
      presplit_ = PresplitStatements(input_.table, spec_.input.rows, spec_.target.presplit);
    }
    method_ = ChooseMethod(spec_.target.method, server_, first_.round_trip_ms);
    summary_.method = MethodName(method_.method);
    s = ResolveConflict(spec_, first_, input_, method_.method, &conflict_);
    if (!s.ok()) return s;
    in_flight_ = ChooseInFlight(method_.method == Method::kInsert, spec_.target.in_flight,
                                first_.round_trip_ms, plan_.limits, input_.table.max_row_bytes);
    summary_.in_flight = in_flight_.chunks;
    workers_ = ChooseWorkers(spec_.target.workers, FreeSlots());
    summary_.workers = summary_.workers_start = workers_.start;
    *plan = DescribePlan(spec_, input_, server_, first_, plan_, method_, conflict_, workers_,
                         in_flight_, *rejects_);
    summary_.round_trip_ms = first_.round_trip_ms;
    for (const std::string& sql : presplit_) *plan += "  presplit:       " + sql + "\n";
    return Status::OK();
  }

  // The table and the journal on the first server, a look at the others,
  // and the workers' configuration.
  Status Prepare() override {
    if (const std::string advice = ImportAdvice(spec_, input_, server_); !advice.empty()) {
      spdlog::info("{}", advice);
    }
    spdlog::info("loading {} into {} on {}: {} rows per chunk ({})", input_.description,
                 input_.table.name, ServerKindName(server_), plan_.limits.max_rows, plan_.reason);
    const Shard& shard = spec_.chunks.shard;
    warm_ = std::make_unique<WarmConnections>(hosts_.get(), server_, workers_.start, method_.method,
                                              &input_.table, plan_.limits.max_rows, conflict_);
    // The first connection stays open, idle, to read the journal after loading.
    Status s = PrepareServer(
        *first_.conn, server_, spec_, input_, presplit_, shard, [this] { warm_->TableReady(); },
        &journal_);
    if (s.ok() && spec_.target.build_indexes_after) {
      s = DeferIndexes(*first_.conn, first_.kind, input_.table.name, &deferred_);
    }
    if (!spec_.faults.journal) first_.conn.reset();
    if (s.ok()) s = CheckOtherHosts(*hosts_, first_.host);
    if (!s.ok()) return s;

    config_.hosts = hosts_.get();
    config_.warm = warm_.get();
    config_.workers = workers_.start;
    config_.most_workers = workers_.most;
    config_.round_trip_ms = first_.round_trip_ms;
    config_.chunk_bytes = in_flight_.chunk_bytes;
    config_.server = server_;
    config_.method = method_.method;
    config_.in_flight = in_flight_.chunks;
    config_.max_rate = spec_.target.max_rate;
    config_.retry.max_retries = spec_.faults.max_retries;
    config_.retry.reconnect_timeout = spec_.faults.reconnect_timeout;
    config_.job = spec_.faults.journal ? input_.job.id : std::string();
    config_.table = &input_.table;
    config_.conflict = conflict_;
    config_.rejects = input_.from_files ? rejects_.get() : nullptr;
    fallback_ = MakeFallback(spec_, input_, shard, config_.job, conflict_);
    config_.fallback = fallback_.get();

    total_ = input_.job.total_known ? input_.job.total_rows : kUnknownTotal;
    // With --shard, what this process loads: its blocks' rows.
    own_total_ = total_ == kUnknownTotal ? total_ : shard.OwnedRows(0, total_);
    LogResumeState(input_, shard, journal_, total_, own_total_);
    stats_ = std::make_unique<Stats>(static_cast<size_t>(workers_.most), hosts_->size());
    stats_->skipped_chunks = journal_.chunks;
    stats_->skipped_rows = journal_.committed.rows();
    return Status::OK();
  }

  Status Run() override {
    ProgressReporter progress(*stats_, own_total_ == kUnknownTotal ? 0 : own_total_,
                              ChooseProgressMode(spec_.report.quiet), spec_.report.progress_every);
    return LoadMissingRows(spec_, input_, plan_, config_, &first_, &journal_, stats_.get(),
                           &total_);
  }

  Status Finish(const Status& run, double seconds) override {
    Status status = ExplainRefusedSyntheticRow(FinishFallback(fallback_.get(), run), input_);
    double index_seconds = 0;
    bool indexes_pending = false;  // rows all in, indexes not all built
    const DeferredIndex* failed = nullptr;
    if (status.ok() && !deferred_.empty()) {
      // Building an index over many rows sends nothing for a long time.
      const auto bound = spec_.target.connect.statement_timeout;
      status = RebuildIndexes(*hosts_, &first_, input_.table.name, deferred_, workers_.start,
                              bound.count() == 0 ? bound : std::max(bound, kIndexBuildTimeout),
                              &index_seconds, &failed);
      indexes_pending = !status.ok();
      Connection* conn = nullptr;
      if (failed != nullptr && status.sqlstate() == "23505" &&
          UsableConnection(*hosts_, &first_, &conn).ok()) {
        status = WithDuplicateOrigins(status, *conn, {input_.table.name, failed->Condition()},
                                      {spec_.input, input_, plan_.limits, total_});
      }
    }
    double analyze_seconds = 0;
    if (status.ok() && spec_.target.analyze) {
      status = AnalyzeTable(*hosts_, &first_, input_.table.name, &analyze_seconds);
    }
    Summarize(status, seconds);
    if (indexes_pending && spec_.faults.journal) {
      const std::string rerun =
          input_.rereadable ? "run the same command again (job " + summary_.job + ")"
                            : "pipe the same data into the same command with --job " + summary_.job;
      summary_.next_step = "the rows are all in; the indexes not built are saved in " +
                           std::string(kDeferredIndexTable) + ": once the cause above is fixed, " +
                           rerun + " to build them";
    }
    summary_.analyze_seconds = analyze_seconds;
    summary_.index_seconds = index_seconds;
    if (status.ok()) summary_.indexes_built = deferred_.size();
    return status;
  }

 private:
  // --workers auto on PostgreSQL: its free connection slots bound the
  // growth; -1: unknown.
  int FreeSlots() {
    if (spec_.target.workers || first_.kind != ServerKind::kPostgres) return -1;
    int slots = -1;
    const Status s = FreeConnectionSlots(*first_.conn, &slots);
    if (!s.ok()) {
      spdlog::warn("--workers auto: could not count the server's free connection slots: {}",
                   s.ToString());
      return -1;
    }
    return slots;
  }

  // The summary of a load that ran, whatever its outcome.
  void Summarize(const Status& status, double seconds) {
    const Shard& shard = spec_.chunks.shard;
    Summary summary = Summary::From(*stats_, seconds);
    summary.table = input_.table.name;
    summary.method = summary_.method;
    summary.server = summary_.server;
    summary.workers_start = summary_.workers_start;
    summary.workers = std::max<int>(summary_.workers, static_cast<int>(stats_->workers_started));
    summary.workers_end =
        stats_->workers_at_end > 0 ? static_cast<int>(stats_->workers_at_end) : summary.workers;
    summary.per_worker.resize(static_cast<size_t>(summary.workers));
    summary.in_flight = summary_.in_flight;
    summary.on_conflict = OnConflictName(conflict_.mode);
    if (conflict_.mode == OnConflict::kError) summary.rows_skipped = summary.rows_untallied = 0;
    summary.round_trip_ms = summary_.round_trip_ms;
    if (spec_.target.max_rate.limited()) summary.max_rate = spec_.target.max_rate.Describe();
    summary.max_rows_per_second = spec_.target.max_rate.rows_per_second;
    summary.max_bytes_per_second = spec_.target.max_rate.bytes_per_second;
    summary.job = config_.job;
    if (!shard.whole()) summary.shard = shard.Name();
    // After a failure the journal as last read is stale, and this shard's
    // rows are not all in: the whole job's count would mislead.
    if (!shard.whole() && !config_.job.empty() && status.ok()) {
      summary.job_committed_rows = journal_.job_rows;
      summary.job_rows = total_;
    }
    for (size_t w = 0; w < summary.per_worker.size(); ++w) {
      summary.per_worker[w].host = hosts_->name(w % hosts_->size());
    }
    for (size_t h = 0; h < summary.per_host.size(); ++h) summary.per_host[h].host = hosts_->name(h);
    if (fallback_ != nullptr && fallback_->files() > 0) {
      summary.file_rows = fallback_->rows();
      summary.files = fallback_->files();
      summary.files_dir = fallback_->dir();
    }
    summary.SetOutcome(status, rejects_->rejected(), rejects_->path());
    if (!status.ok()) {
      summary.next_step = NextStep(spec_, input_, summary, shard.OwnedRows(0, total_));
    }
    summary_ = std::move(summary);
  }

  const LoadSpec& spec_;
  std::unique_ptr<HostSet> hosts_;
  std::unique_ptr<WarmConnections> warm_;  // opened while the server is prepared
  FirstServer first_;
  LoadInput input_;
  ServerKind server_ = ServerKind::kPostgres;
  std::unique_ptr<RejectLog> rejects_;
  ChunkPlan plan_;
  std::vector<std::string> presplit_;
  JournalState journal_;
  MethodChoice method_;
  ConflictPolicy conflict_;
  std::vector<DeferredIndex> deferred_;  // --build-indexes-after
  InFlight in_flight_;
  WorkerCount workers_;
  PipelineConfig config_;
  std::unique_ptr<FallbackDir> fallback_;
  uint64_t total_ = 0;
  uint64_t own_total_ = 0;
  std::unique_ptr<Stats> stats_;
};

}  // namespace

std::unique_ptr<Job> MakeServerLoad(const LoadSpec& spec) {
  return std::make_unique<ServerLoad>(spec);
}

}  // namespace loader
