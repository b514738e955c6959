#include "loader/stats.h"

#include <cstdio>

namespace loader {
namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

Summary Summary::From(const Stats& stats, double seconds) {
  Summary s;
  s.rows = stats.rows.load();
  s.chunks = stats.chunks.load();
  s.bytes = stats.bytes.load();
  s.retries = stats.retries.load();
  s.retried_chunks = stats.retried_chunks.load();
  s.reconnects = stats.reconnects.load();
  s.splits = stats.splits.load();
  s.ambiguous_resolved = stats.ambiguous_resolved.load();
  s.skipped_chunks = stats.skipped_chunks.load();
  s.skipped_rows = stats.skipped_rows.load();
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
  line("table:", table + " (" + method + ", " + std::to_string(workers) + " workers, " + server +
                     ")");
  line("rows:", std::to_string(rows));
  line("chunks:", std::to_string(chunks));
  line("seconds:", Format("%.3f", seconds));
  line("rows/s:", Format("%.0f", rows_per_second()));
  line("MiB/s:", Format("%.2f", mib_per_second()));
  line("retries:", std::to_string(retries));
  line("retried chunks:", std::to_string(retried_chunks));
  line("reconnects:", std::to_string(reconnects));
  line("splits:", std::to_string(splits));
  line("skipped:", std::to_string(skipped_rows) + " rows in " + std::to_string(skipped_chunks) +
                       " chunks already loaded");
  if (rejected > 0) line("rejected:", std::to_string(rejected) + " rows, in " + reject_file);
  if (ambiguous_resolved > 0) {
    line("ambiguous:", std::to_string(ambiguous_resolved) + " commits settled by the journal");
  }
  line("journal:", job.empty() ? "off: exactly-once is not guaranteed (--no-journal)"
                               : "job " + job);
  const bool already_loaded = status == "ok" && chunks == 0 && skipped_chunks > 0;
  line("status:", !error.empty()   ? status + ": " + error
                  : already_loaded ? status + ": already loaded, nothing to do"
                                   : status);
  if (!next_step.empty()) line("next:", next_step);
  return out;
}

std::string Summary::ToJson() const {
  std::string out = "{\"version\": 1";
  auto field = [&out](const char* name, const std::string& json_value) {
    out += ", \"";
    out += name;
    out += "\": ";
    out += json_value;
  };
  field("table", JsonString(table));
  field("method", JsonString(method));
  field("server", JsonString(server));
  field("workers", std::to_string(workers));
  field("rows", std::to_string(rows));
  field("chunks", std::to_string(chunks));
  field("bytes", std::to_string(bytes));
  field("seconds", Format("%.6f", seconds));
  field("rows_per_second", Format("%.1f", rows_per_second()));
  field("mib_per_second", Format("%.3f", mib_per_second()));
  field("retries", std::to_string(retries));
  field("retried_chunks", std::to_string(retried_chunks));
  field("reconnects", std::to_string(reconnects));
  field("splits", std::to_string(splits));
  field("ambiguous_resolved", std::to_string(ambiguous_resolved));
  field("skipped_chunks", std::to_string(skipped_chunks));
  field("skipped_rows", std::to_string(skipped_rows));
  field("rejected", std::to_string(rejected));
  field("reject_file", JsonString(reject_file));
  field("journal", job.empty() ? "false" : "true");
  field("job", JsonString(job));
  field("status", JsonString(status));
  field("error", JsonString(error));
  field("next_step", JsonString(next_step));
  out += "}\n";
  return out;
}

}  // namespace loader
