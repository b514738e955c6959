// A load job: everything between parsed options and a summary. It connects,
// detects the server, plans chunks, prepares the table, runs the pipeline and
// reports. The CLI is a thin shell around RunLoad; tests call it the same way.
#ifndef LOADER_LOAD_JOB_H_
#define LOADER_LOAD_JOB_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/pg/connect_settings.h"
#include "loader/plan/chunk_plan.h"
#include "loader/plan/shard.h"
#include "loader/read/csv_reader.h"
#include "loader/report/stats.h"
#include "loader/sink/sink.h"

namespace loader {

// Which transaction protocol to speak. kAuto asks the server (SELECT version()).
enum class Dialect { kAuto, kPostgres, kCockroach };

struct LoadOptions {
  std::vector<std::string> urls;  // empty: libpq's PG* environment variables
  ConnectSettings connect;        // certificates, --insecure, --statement-timeout
  std::string table = "accounts";
  uint64_t rows = 10000;
  uint64_t chunk_rows = 1000;
  uint64_t chunk_bytes = kDefaultChunkBytes;
  int workers = 1;
  Method method = Method::kCopy;
  uint64_t seed = 1;
  // --id-order scattered: points' ids are a keyed permutation of [0, rows)
  // (id_order.h) instead of the row index.
  bool scattered_ids = false;
  // Rows from CSV files (or "-", stdin) instead of the generator; any
  // existing table then, not only accounts and points.
  std::vector<std::string> inputs;
  std::vector<std::string> columns;  // the files' fields; empty: the table's columns
  bool header = false;               // each file starts with a header naming them
  CsvOptions csv;
  uint64_t max_rejects = 0;  // bad rows set aside before the load stops; 0: none
  std::string reject_file;   // where; empty: "<job>.reject.csv"
  // --shard K/N: load only the job's chunks of --chunk rows whose number mod
  // N is K (shard.h); RunLoad sets block_rows to chunk_rows.
  Shard shard;
  bool create = false;
  uint64_t presplit = 0;  // CockroachDB: split the new table into this many ranges; 0: no
  bool drop = false;
  int max_retries = 10;
  std::chrono::seconds reconnect_timeout{60};
  bool journal = true;  // record committed chunks: exactly once, resumable
  std::string job;      // the journal's job id; empty: DefaultJobId of the data
  bool dry_run = false;
  Dialect dialect = Dialect::kAuto;
  bool quiet = false;  // no progress line or progress log lines
  std::chrono::seconds progress_every{
      10};  // progress log lines when stderr is no terminal; 0: none
  // --emit-import DIR: write CSV files and import scripts instead of loading
  // (emit_import.h); the import options below shape them.
  std::string emit_dir;
  // --fallback-dir DIR: chunks that cannot be committed for a reason other
  // than bad data are written there (fallback_dir.h) and the load goes on.
  std::string fallback_dir;
  std::string import_url;          // where IMPORT reads the files; empty: nodelocal://1/<DIR name>
  uint64_t import_files = 0;       // how many files; 0: by import_file_bytes
  uint64_t import_file_bytes = 0;  // where a file closes; 0: kDefaultImportFileBytes
  std::string command;             // the command line, redacted, for manifests
};

struct LoadOutcome {
  Status status;
  Summary summary;
  std::string plan;  // the plan, as --dry-run prints it
};

// Runs the whole job. Never throws; every failure is in outcome.status, already
// redacted, and logged once where it was decided. With the journal, rows of the
// job committed by an earlier run are skipped, and a job already complete
// loads nothing.
LoadOutcome RunLoad(const LoadOptions& options);

}  // namespace loader

#endif  // LOADER_LOAD_JOB_H_
