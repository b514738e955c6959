#include "job/seed_schema.h"

#include <spdlog/spdlog.h>

#include "job/deferred_indexes.h"
#include "job/load_setup.h"
#include "job/prepare_table.h"
#include "loader/journal/journal.h"
#include "loader/pg/seed_catalog.h"

namespace loader {
namespace {

// The schema's tables, referenced ones first; with --truncate (not a dry
// run) all emptied at once, as tables that reference each other must be.
Status ListTables(const LoadSpec& spec, std::vector<std::string>* tables) {
  FirstServer first;
  Status s = ConnectForCatalog(spec, &first);
  if (!s.ok()) return s;
  s = ReadSchemaTables(*first.conn, spec.input.schema,
                       {kJournalTable, kJobsTable, kDeferredIndexTable}, tables);
  if (s.ok() && spec.target.truncate && !spec.report.dry_run && !tables->empty()) {
    s = TruncateTables(*first.conn, *tables);
  }
  return s;
}

// The schema's summary: the tables' counts added up.
void AddUp(const Summary& table, Summary* total) {
  total->method = table.method;
  total->server = table.server;
  total->workers = std::max(total->workers, table.workers);
  total->workers_start = std::max(total->workers_start, table.workers_start);
  total->workers_end = std::max(total->workers_end, table.workers_end);
  total->in_flight = std::max(total->in_flight, table.in_flight);
  total->round_trip_ms = table.round_trip_ms;
  total->rows += table.rows;
  total->chunks += table.chunks;
  total->bytes += table.bytes;
  total->retries += table.retries;
  total->retried_chunks += table.retried_chunks;
  total->reconnects += table.reconnects;
  total->splits += table.splits;
  total->server_waits += table.server_waits;
  total->ambiguous_resolved += table.ambiguous_resolved;
  total->skipped_chunks += table.skipped_chunks;
  total->skipped_rows += table.skipped_rows;
  total->rejected += table.rejected;
  total->file_rows += table.file_rows;
  total->files += table.files;
  total->seconds += table.seconds;
  total->analyze_seconds += table.analyze_seconds;
  total->on_conflict = table.on_conflict;
  total->rows_inserted += table.rows_inserted;
  total->rows_skipped += table.rows_skipped;
  total->rows_updated += table.rows_updated;
  total->rows_written += table.rows_written;
  total->rows_untallied += table.rows_untallied;
}

}  // namespace

LoadOutcome SeedSchema(const LoadSpec& spec) {
  LoadOutcome out;
  std::vector<std::string> tables;
  out.status = ListTables(spec, &tables);
  out.summary.table = "schema " + spec.input.schema;
  if (!out.status.ok()) {
    out.summary.SetOutcome(out.status, 0, {});
    return out;
  }
  std::string names;
  for (const std::string& t : tables) names += (names.empty() ? "" : ", ") + t;
  spdlog::info("seeding schema {}: {} tables, in this order: {}", spec.input.schema, tables.size(),
               names);
  out.plan = "schema " + spec.input.schema + ": " + std::to_string(tables.size()) +
             " tables, seeded in this order: " + names + "\n";
  for (size_t i = 0; i < tables.size(); ++i) {
    LoadSpec one = spec;
    one.input.schema.clear();
    one.target.truncate = false;  // all at once, above
    one.input.table = tables[i];
    one.input.rows = spec.input.RowsFor(tables[i]);
    spdlog::info("table {} of {}: {}, {} rows", i + 1, tables.size(), tables[i], one.input.rows);
    const LoadOutcome table = RunLoad(one);
    out.plan += table.plan;
    AddUp(table.summary, &out.summary);
    if (!table.summary.job.empty()) {
      out.summary.job += (out.summary.job.empty() ? "" : ", ") + table.summary.job;
    }
    if (!table.status.ok()) {
      out.status = table.status.WithContext("table " + tables[i]);
      out.summary.SetOutcome(out.status, out.summary.rejected, table.summary.reject_file);
      out.summary.next_step =
          table.summary.next_step.empty()
              ? std::string()
              : table.summary.next_step + "; the same --schema command resumes every table";
      return out;
    }
  }
  out.summary.table = "schema " + spec.input.schema + " (" + std::to_string(tables.size()) +
                      " tables: " + names + ")";
  out.summary.SetOutcome(Status::OK(), out.summary.rejected, {});
  return out;
}

}  // namespace loader
