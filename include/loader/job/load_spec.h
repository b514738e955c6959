// What a job is asked to do, as plain values: the CLI translates its options
// and environment into a LoadSpec once, at the edge, and the job layer reads
// only the part each step needs. Nothing here knows about option syntax.
#ifndef LOADER_JOB_LOAD_SPEC_H_
#define LOADER_JOB_LOAD_SPEC_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loader/exec/rate_limit.h"
#include "loader/generate/gen_spec.h"
#include "loader/pg/connect_settings.h"
#include "loader/pg/server_info.h"
#include "loader/plan/chunk_plan.h"
#include "loader/plan/shard.h"
#include "loader/read/csv_reader.h"
#include "loader/read/header_map.h"
#include "loader/sink/conflict.h"
#include "loader/sink/sink.h"

namespace loader {

// What to read: generated rows of accounts or points, synthetic rows of any
// existing table (synthetic_rows.h), or CSV files (or "-", stdin).
struct InputSpec {
  std::string table = "accounts";
  uint64_t rows = 10000;  // generated rows; with table_rows, of the tables not named there
  uint64_t seed = 1;
  // --id-order scattered: points' ids are a keyed permutation of [0, rows)
  // (id_order.h) instead of the row index.
  bool scattered_ids = false;
  std::vector<std::string> files;    // empty: generated rows
  std::vector<std::string> columns;  // the files' fields; empty: the table's columns
  bool header = false;               // each file starts with a header naming them
  // With a header and no --columns, fields go to columns by name: --map,
  // --skip-field, --skip-unknown-fields.
  HeaderRules header_rules;
  CsvOptions csv;
  // Synthetic rows: how columns are filled (--gen, --gen-file), the share of
  // NULLs in nullable columns, and how many rows of a referenced table are
  // sampled for a foreign key.
  std::vector<GenRule> gen_rules;
  double null_share = 0.05;
  uint64_t ref_sample = 100000;
  // --schema: seed every table of it, referenced tables first.
  std::string schema;
  std::map<std::string, uint64_t> table_rows;  // --rows TABLE=N

  // The rows to generate for `name`: its own count, or `rows`.
  uint64_t RowsFor(const std::string& name) const;
};

// Where and how to load: the servers, the protocol, the table made ready.
struct TargetSpec {
  std::vector<std::string> urls;  // empty: libpq's PG* environment variables
  ConnectSettings connect;        // certificates, --insecure, --statement-timeout
  // --server: the protocol to speak whatever the server says it is; empty:
  // ask it (SELECT version()).
  std::optional<ServerKind> server;
  std::optional<Method> method;  // --method; empty: auto (ChooseMethod)
  std::optional<int> workers;    // --workers; empty: auto (worker_count.h)
  int in_flight = 0;             // INSERT: chunks a worker pipelines (in_flight.h); 0: chosen
  RateBudget max_rate;           // --max-rate: rows and bytes per second, all workers together
  bool create = false;
  bool drop = false;
  // --truncate: empty the table, and forget its journal jobs, before loading.
  bool truncate = false;
  // --qos: CockroachDB's default_transaction_quality_of_service for every
  // session (background, regular, critical); empty: the server's.
  std::string qos;
  bool analyze = false;  // --analyze: ANALYZE the table after a load that ends well
  // --build-indexes-after: a table empty at the start loses its indexes
  // while the rows go in, and gets them back after (deferred_indexes.h).
  bool build_indexes_after = false;
  // --on-conflict: what a row whose key is in the table already does, and
  // --conflict-key: that key's columns (empty: the table's primary key).
  OnConflict on_conflict = OnConflict::kError;
  std::vector<std::string> conflict_key;
  uint64_t presplit = 0;  // CockroachDB: split a new table into this many ranges; 0: no
};

// How rows are cut into transactions.
struct ChunkSpec {
  uint64_t rows = 1000;  // --chunk
  uint64_t bytes = kDefaultChunkBytes;
  // --shard K/N: load only the job's blocks of --chunk rows whose number mod
  // N is K (shard.h). REQUIRES: block_rows == rows when not whole.
  Shard shard;
};

// What a failure costs: retries, the journal that makes a re-run exact, and
// where rows go that cannot be loaded.
struct FaultPolicy {
  int max_retries = 10;
  std::chrono::seconds reconnect_timeout{60};
  bool journal = true;       // record committed chunks: exactly once, resumable
  std::string job;           // the journal's job id; empty: DefaultJobId of the data
  uint64_t max_rejects = 0;  // bad rows set aside before the load stops; 0: none
  std::string reject_file;   // where; empty: "<job>.reject.csv"
  // --fallback-dir DIR: chunks that cannot be committed for a reason other
  // than bad data are written there (fallback_dir.h) and the load goes on.
  std::string fallback_dir;
};

// The CSV files and scripts of --emit-import (and of --fallback-dir).
struct ImportSpec {
  std::string emit_dir;     // --emit-import DIR: write files instead of loading
  std::string url;          // where IMPORT reads the files; empty: nodelocal://1/<DIR name>
  uint64_t files = 0;       // how many files; 0: by file_bytes
  uint64_t file_bytes = 0;  // where a file closes, in CSV bytes; 0: kDefaultImportFileBytes
  bool gzip = false;        // --compress gzip: NAME.csv.gz files
};

// What to say about the job.
struct ReportSpec {
  bool dry_run = false;                     // the plan only
  bool quiet = false;                       // no progress line or progress log lines
  std::chrono::seconds progress_every{10};  // log lines when stderr is no terminal; 0: none
  std::string command;                      // the command line, redacted, for manifests
};

struct LoadSpec {
  InputSpec input;
  TargetSpec target;
  ChunkSpec chunks;
  FaultPolicy faults;
  ImportSpec import;
  ReportSpec report;
};

}  // namespace loader

#endif  // LOADER_JOB_LOAD_SPEC_H_
