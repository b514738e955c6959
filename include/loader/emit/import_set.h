// ImportSet: a directory of CSV files and the scripts that load them, as
// --emit-import writes it and as --fallback-dir keeps the chunks a load could
// not commit. The scripts are made from the same description as the files,
// so a statement never disagrees with the files it reads.
//
//   import.sql         IMPORT INTO ... CSV DATA (...) for CockroachDB
//   upload.sh          puts the files where import.sql reads them
//   load-postgres.sql  \copy commands for psql
//   manifest.json      every file with its rows, bytes and SHA-256
//
// The files are RFC 4180 CSV, comma-separated, without a header; NULL is an
// empty unquoted field and the empty string is "" (CsvTextEncoder). With
// gzip they are NAME.csv.gz: IMPORT decompresses them by that extension,
// psql's \copy through gzip -dc.
#ifndef LOADER_IMPORT_SET_H_
#define LOADER_IMPORT_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"

namespace loader {

struct ImportFile {
  std::string name;        // within the directory
  uint64_t first_row = 0;  // the load's row index of its first row
  uint64_t rows = 0;
  uint64_t bytes = 0;      // on disk
  uint64_t csv_bytes = 0;  // of CSV: `bytes` before compression
  std::string sha256;      // hex, of the bytes on disk, as sha256sum prints it
  // A fallback file only: the input rows its journal row covers (rows
  // rejected before sending included), their digest, and why it is here.
  uint64_t span = 0;
  uint64_t content_digest = 0;
  bool maybe_committed = false;  // the connection was lost while its COMMIT was in flight
  std::string reason;
};

struct ImportSet {
  std::string table;                 // unquoted, as --table names it
  std::vector<std::string> columns;  // unquoted, in the files' order
  std::string url_prefix;            // where the server reads the files from
  std::string create_sql;            // CREATE TABLE IF NOT EXISTS ...; empty: none
  bool fallback = false;             // chunks a load could not commit, not --emit-import
  bool gzip = false;                 // the files are gzip (NAME.csv.gz), not plain CSV
  // The journal job of a fallback set: its scripts record each file in
  // loader_journal as they load it. Empty for --emit-import and --no-journal.
  std::string job;
  std::string command;  // the loader command that wrote it, redacted
  // --on-conflict: load-postgres.sql copies each file into this temporary
  // table (made by stage_sql), then runs from_stage_sql, as the load did;
  // empty: it copies into the table.
  std::string stage_table;
  std::string stage_sql;
  std::string from_stage_sql;
  std::vector<ImportFile> files;
};

// The URL the server reads `name` from: the prefix's path, then the name,
// then the prefix's query (credentials) if it has one.
std::string FileUrl(std::string_view prefix, std::string_view name);
// nodelocal://1/<the directory's name>: where IMPORT reads files uploaded
// with `cockroach nodelocal upload` to node 1 under that name.
std::string DefaultImportUrl(const std::string& dir);
// kInvalidArgument unless `prefix` is a URL IMPORT reads: nodelocal://,
// userfile://, s3://, gs://, azure://, azure-blob://, http:// or https://.
Status ValidateImportUrl(std::string_view prefix);
// "accounts", or the table name with every character that is not a letter,
// digit, '.', '_' or '-' made '_', for file names.
std::string FileStem(std::string_view table);

std::string ImportSql(const ImportSet& set);
std::string UploadScript(const ImportSet& set);
std::string PostgresScript(const ImportSet& set);
std::string ManifestJson(const ImportSet& set);

// Writes the four scripts into `dir`. import.sql and upload.sh are readable by
// the owner only when the prefix holds credentials.
Status WriteImportScripts(const std::string& dir, const ImportSet& set);

}  // namespace loader

#endif  // LOADER_IMPORT_SET_H_
