#include "loader/report/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "loader/base/json.h"

namespace loader {
namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::vector<ShareSummary> Shares(const std::vector<ShareCounters>& counters) {
  std::vector<ShareSummary> out;
  for (const ShareCounters& c : counters) {
    out.push_back({"", c.rows.load(), c.chunks.load(), c.retries.load(), c.reconnects.load()});
  }
  return out;
}

// Rows of cells as an indented table: columns as wide as their widest cell,
// numbers right-aligned, the host (column `text_column`) left-aligned.
std::string AlignedTable(const std::vector<std::vector<std::string>>& cells, size_t text_column) {
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& row : cells) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line = "  ";
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      line += c == text_column ? row[c] + pad : pad + row[c];
      if (c + 1 < row.size()) line += "  ";
    }
    out += line + "\n";
  }
  return out;
}

std::vector<std::string> ShareCells(const ShareSummary& s) {
  return {s.host.empty() ? "-" : s.host, std::to_string(s.rows), std::to_string(s.chunks),
          std::to_string(s.retries), std::to_string(s.reconnects)};
}

// One worker's or host's share, after the fields that say whose it is.
void AddShare(const ShareSummary& s, Json* out) {
  (*out)["host"] = s.host;
  (*out)["rows"] = s.rows;
  (*out)["chunks"] = s.chunks;
  (*out)["retries"] = s.retries;
  (*out)["reconnects"] = s.reconnects;
}

// `v` rounded to `digits` decimals: the summary's rates and times are
// measurements, and more digits would only be noise.
double Rounded(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

}  // namespace

void Summary::SetOutcome(const Status& end, uint64_t rejected_rows,
                         const std::string& rejects_path) {
  status = std::string(CodeName(end.code()));
  if (!end.ok()) error = end.ToString();
  rejected = rejected_rows;
  if (rejected > 0) reject_file = rejects_path;
}

Summary Summary::From(const Stats& stats, double seconds) {
  Summary s;
  s.rows = stats.rows.load();
  s.chunks = stats.chunks.load();
  s.bytes = stats.bytes.load();
  s.retries = stats.retries.load();
  s.retried_chunks = stats.retried_chunks.load();
  s.reconnects = stats.reconnects.load();
  s.splits = stats.splits.load();
  s.server_waits = stats.server_waits.load();
  s.ambiguous_resolved = stats.ambiguous_resolved.load();
  s.rate_wait_seconds = static_cast<double>(stats.rate_waits_ns.load()) / 1e9;
  s.skipped_chunks = stats.skipped_chunks.load();
  s.skipped_rows = stats.skipped_rows.load();
  const uint64_t tallied = stats.tallied_rows.load();
  s.rows_inserted = stats.rows_inserted.load();
  s.rows_updated = stats.rows_updated.load();
  s.rows_written = stats.rows_written.load();
  s.rows_skipped = tallied - std::min(tallied, s.rows_inserted + s.rows_updated + s.rows_written);
  s.rows_untallied = s.rows - std::min(s.rows, tallied);
  s.per_worker = Shares(stats.per_worker);
  s.per_host = Shares(stats.per_host);
  s.seconds = seconds;
  return s;
}

std::string Summary::ToText() const {
  std::string out;
  auto line = [&out](const char* name, const std::string& value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%-16s", name);
    out += buf;
    out += value;
    out += '\n';
  };
  const bool emitted = kind == Kind::kEmit;
  line("table:",
       table + " (" + method + ", " + std::to_string(workers) + " workers" +
           (workers_start > 0 && (workers_start < workers || workers_end < workers)
                ? " (auto: " + std::to_string(workers_start) + " to start, " +
                      std::to_string(workers_end) + " at the end)"
                : "") +
           (in_flight > 1 ? ", " + std::to_string(in_flight) + " chunks in flight each" : "") +
           (emitted ? "" : ", " + server) + ")");
  line("rows:", std::to_string(rows));
  if (emitted) {
    line("files:", std::to_string(files) + " in " + files_dir);
    line("seconds:", Format("%.3f", seconds));
    line("rows/s:", Format("%.0f", rows_per_second()));
    line("MiB/s:", Format("%.2f", mib_per_second()));
    if (rejected > 0) line("rejected:", std::to_string(rejected) + " rows, in " + reject_file);
    line("status:", error.empty() ? status : status + ": " + error);
    if (!error.empty()) return out;
    line("next:", "sh " + files_dir + "/upload.sh, then run " + files_dir +
                      "/import.sql (CockroachDB); or cd " + files_dir +
                      " && psql -f load-postgres.sql (PostgreSQL)");
    return out;
  }
  line("chunks:", std::to_string(chunks));
  line("seconds:", Format("%.3f", seconds));
  line("rows/s:", Format("%.0f", rows_per_second()));
  line("MiB/s:", Format("%.2f", mib_per_second()));
  if (!max_rate.empty()) {
    line("max rate:", max_rate + " (--max-rate); it held chunks back " +
                          Format("%.3f", rate_wait_seconds) + " s");
  }
  if (server_waits > 0) {
    line("server waits:",
         std::to_string(server_waits) + " (" +
             Format("%.1f", static_cast<double>(server_waits) /
                                static_cast<double>(std::max<uint64_t>(1, chunks))) +
             " a chunk, " +
             (in_flight > 1 ? "several chunks' answers to each; a round trip is about "
                            : "each a round trip of about ") +
             Format("%.2f", round_trip_ms) + " ms)");
  }
  line("retries:", std::to_string(retries));
  line("retried chunks:", std::to_string(retried_chunks));
  line("reconnects:", std::to_string(reconnects));
  line("splits:", std::to_string(splits));
  if (indexes_built > 0) {
    line("indexes:", std::to_string(indexes_built) + " built after the rows in " +
                         Format("%.3f", index_seconds) + " s (--build-indexes-after)");
  }
  if (analyze_seconds > 0) line("analyze:", Format("%.3f", analyze_seconds) + " s, after the rows");
  line("skipped:", std::to_string(skipped_rows) + " rows in " + std::to_string(skipped_chunks) +
                       " chunks already loaded");
  if (!on_conflict.empty() && on_conflict != "error") {
    std::string what = std::to_string(rows_inserted) + " inserted, " +
                       std::to_string(rows_skipped) + " skipped as duplicates, " +
                       std::to_string(rows_updated) + " updated";
    if (rows_written > 0) what += ", " + std::to_string(rows_written) + " inserted or updated";
    if (rows_untallied > 0) {
      what += ", " + std::to_string(rows_untallied) + " in commits the journal settled";
    }
    line("conflicts:", what + " (--on-conflict " + on_conflict + ")");
  }
  if (rejected > 0) line("rejected:", std::to_string(rejected) + " rows, in " + reject_file);
  if (files > 0) {
    line("fallback:", std::to_string(file_rows) + " rows in " + std::to_string(files) +
                          " files wait in " + files_dir + ": cd " + files_dir +
                          " && psql -f load-postgres.sql (PostgreSQL), or upload.sh then "
                          "import.sql (CockroachDB)");
  }
  if (ambiguous_resolved > 0) {
    line("ambiguous:", std::to_string(ambiguous_resolved) + " commits settled by the journal");
  }
  if (per_worker.size() > 1) out += WorkerTable();
  if (per_host.size() > 1) out += HostTable();
  line("journal:",
       job.empty() ? "off: exactly-once is not guaranteed (--no-journal)" : "job " + job);
  if (!shard.empty()) {
    // The whole job's rows are counted after a load that went through only.
    const bool counted = !job.empty() && status == "ok";
    line("shard:",
         !counted ? shard
                  : shard + "; the job has " + std::to_string(job_committed_rows) + " of " +
                        std::to_string(job_rows) + " rows committed" +
                        (job_committed_rows < job_rows ? " (the other shards load the rest)" : ""));
  }
  const bool already_loaded = status == "ok" && chunks == 0 && skipped_chunks > 0;
  line("status:", !error.empty()   ? status + ": " + error
                  : already_loaded ? status + ": already loaded, nothing to do"
                                   : status);
  if (!next_step.empty()) line("next:", next_step);
  return out;
}

std::string Summary::WorkerTable() const {
  std::vector<std::vector<std::string>> cells = {
      {"worker", "host", "rows", "chunks", "retries", "reconnects"}};
  for (size_t i = 0; i < per_worker.size(); ++i) {
    cells.push_back(ShareCells(per_worker[i]));
    cells.back().insert(cells.back().begin(), std::to_string(i));
  }
  return AlignedTable(cells, 1);
}

std::string Summary::HostTable() const {
  std::vector<std::vector<std::string>> cells = {
      {"host", "rows", "chunks", "retries", "reconnects"}};
  for (const ShareSummary& h : per_host) cells.push_back(ShareCells(h));
  return AlignedTable(cells, 0);
}

std::string Summary::ToJson() const {
  Json out;
  out["version"] = 1;
  out["table"] = table;
  out["method"] = method;
  out["server"] = server;
  out["workers"] = workers;
  out["workers_start"] = workers_start;
  out["workers_end"] = workers_end;
  out["in_flight"] = in_flight;
  out["rows"] = rows;
  out["chunks"] = chunks;
  out["bytes"] = bytes;
  out["seconds"] = Rounded(seconds, 6);
  out["analyze_seconds"] = Rounded(analyze_seconds, 6);
  out["indexes_built"] = indexes_built;
  out["index_seconds"] = Rounded(index_seconds, 6);
  out["rows_per_second"] = Rounded(rows_per_second(), 1);
  out["mib_per_second"] = Rounded(mib_per_second(), 3);
  out["retries"] = retries;
  out["retried_chunks"] = retried_chunks;
  out["reconnects"] = reconnects;
  out["splits"] = splits;
  out["server_waits"] = server_waits;
  out["round_trip_ms"] = Rounded(round_trip_ms, 3);
  out["max_rows_per_second"] = max_rows_per_second;
  out["max_bytes_per_second"] = max_bytes_per_second;
  out["rate_wait_seconds"] = Rounded(rate_wait_seconds, 3);
  out["ambiguous_resolved"] = ambiguous_resolved;
  out["skipped_chunks"] = skipped_chunks;
  out["skipped_rows"] = skipped_rows;
  out["on_conflict"] = on_conflict;
  out["rows_inserted"] = rows_inserted;
  out["rows_skipped"] = rows_skipped;
  out["rows_updated"] = rows_updated;
  out["rows_written"] = rows_written;
  out["rows_untallied"] = rows_untallied;
  out["rejected"] = rejected;
  out["reject_file"] = reject_file;
  out["file_rows"] = file_rows;
  out["files"] = files;
  out["files_dir"] = files_dir;
  Json& workers_json = out["per_worker"] = Json::array();
  for (size_t i = 0; i < per_worker.size(); ++i) {
    Json share;
    share["worker"] = i;
    AddShare(per_worker[i], &share);
    workers_json.push_back(std::move(share));
  }
  Json& hosts_json = out["per_host"] = Json::array();
  for (const ShareSummary& h : per_host) {
    Json share;
    AddShare(h, &share);
    hosts_json.push_back(std::move(share));
  }
  out["journal"] = !job.empty();
  out["job"] = job;
  out["shard"] = shard;
  out["job_committed_rows"] = job_committed_rows;
  out["job_rows"] = job_rows;
  out["status"] = status;
  out["error"] = error;
  out["next_step"] = next_step;
  return JsonText(out);
}

}  // namespace loader
