#include "loader/job/load_input.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "loader/base/hash.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/pg/table_catalog.h"
#include "loader/read/csv_source.h"
#include "loader/sink/sink.h"

namespace loader {
namespace {

// The inputs by absolute path ("stdin" for "-"), so a job is the same job
// from any working directory.
Status ResolvePaths(const std::vector<std::string>& inputs, std::vector<std::string>* resolved) {
  for (const std::string& path : inputs) {
    if (path == "-") {
      resolved->push_back("stdin");
      continue;
    }
    char buf[PATH_MAX];
    if (realpath(path.c_str(), buf) == nullptr) {
      return Status::InvalidArgument("--input " + path + ": " + std::strerror(errno));
    }
    resolved->push_back(buf);
  }
  return Status::OK();
}

// What makes a file job's rows what they are: the files and how they are
// read. Not their size or modification time: a file fixed after a bad row is
// still the same job, and the journal's digests of the rows already committed
// tell whether those rows changed.
std::string FileIdentity(const std::vector<std::string>& paths, const LoadOptions& options,
                         const TableSpec& table) {
  std::string identity = "csv";
  for (const std::string& path : paths) identity += "\n" + path;
  identity += "\ncolumns=";
  for (const Column& c : table.columns) identity += c.name + ",";
  identity += "\nheader=" + std::to_string(options.header);
  identity += std::string("\ndelimiter=") + options.csv.delimiter;
  identity += std::string("\nquote=") + options.csv.quote;
  identity += "\nnull=" + options.csv.null_text;
  return identity;
}

// Stdin is read once and has no identity: each run is a job of its own,
// unless --job names one (to resume with the same data piped in again).
std::string StdinJobId(const std::string& table) {
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  const uint64_t salt = Mix64(static_cast<uint64_t>(now) ^ (static_cast<uint64_t>(getpid()) << 40));
  char hex[13];
  std::snprintf(hex, sizeof hex, "%012llx", static_cast<unsigned long long>(salt >> 16));
  return table + "-stdin-" + hex;
}

}  // namespace

Status ResolveInput(Connection& conn, ServerKind server, const LoadOptions& options,
                    LoadInput* input) {
  const TableSpec* generated = FindGeneratedTable(options.table);
  input->from_files = !options.inputs.empty();
  if (generated != nullptr) {
    input->table = *generated;
    input->ddl = generated;
  } else if (!input->from_files) {
    return Status::InvalidArgument(
        "--table: the loader generates rows for accounts and points "
        "only; load " +
        options.table + " from files with --input");
  } else if (options.create || options.drop) {
    return Status::InvalidArgument("--create and --drop make accounts and points only; create " +
                                   options.table + " yourself");
  } else {
    std::vector<Column> columns;
    Status s = ReadTableColumns(conn, server, options.table, &columns);
    if (!s.ok()) return s;
    input->table = CatalogTable(options.table, std::move(columns));
  }
  if (!options.columns.empty()) {
    std::vector<Column> selected;
    Status s = SelectColumns(input->table.columns, options.columns, options.table, &selected);
    if (!s.ok()) return s;
    input->table.columns = std::move(selected);
  }

  JobSpec& job = input->job;
  job.table = input->table.name;
  if (!input->from_files) {
    job.total_rows = options.rows;
    job.source = "generated " + job.table + ", seed " + std::to_string(options.seed);
    job.id = !options.job.empty()
                 ? options.job
                 : DefaultJobId(job.table,
                                "generated:seed=" + std::to_string(options.seed) +
                                    (options.scattered_ids ? ",ids=scattered" : ""),
                                options.rows);
    input->description = std::to_string(options.rows) + " rows, seed " +
                         std::to_string(options.seed) +
                         (options.scattered_ids ? ", scattered ids" : "");
    return Status::OK();
  }
  std::vector<std::string> paths;
  Status s = ResolvePaths(options.inputs, &paths);
  if (!s.ok()) return s;
  input->rereadable = std::find(paths.begin(), paths.end(), "stdin") == paths.end();
  const std::string more =
      paths.size() > 1 ? " and " + std::to_string(paths.size() - 1) + " more" : "";
  job.total_known = false;
  job.source = "CSV " + paths[0] + more;
  job.id = !options.job.empty() ? options.job
           : input->rereadable
               ? DefaultJobId(job.table, FileIdentity(paths, options, input->table), 0)
               : StdinJobId(job.table);
  const std::string first = options.inputs[0] == "-" ? "stdin" : options.inputs[0];
  input->description = "CSV " + first + more + (options.header ? ", with header" : "");
  return Status::OK();
}

uint64_t InputBytes(const std::vector<std::string>& inputs) {
  uint64_t bytes = 0;
  for (const std::string& path : inputs) {
    struct stat st {};
    if (path != "-" && ::stat(path.c_str(), &st) == 0) bytes += static_cast<uint64_t>(st.st_size);
  }
  return bytes;
}

Status MakeInputSource(const LoadInput& input, const LoadOptions& options, ChunkLimits limits,
                       std::vector<RowRange> todo, const JournalState& journal, RejectLog* rejects,
                       std::unique_ptr<RowSource>* out) {
  const Encoding encoding = EncodingFor(options.method, !input.from_files);
  if (!input.from_files) {
    *out = MakeGeneratedSource(input.table, options.seed, std::move(todo), limits, encoding,
                               IdOrder{options.scattered_ids, options.rows}, options.shard);
    return Status::OK();
  }
  CsvInput csv;
  csv.paths = options.inputs;
  csv.csv = options.csv;
  csv.csv.max_record_bytes = limits.max_bytes;
  csv.header = options.header;
  csv.columns = input.table.columns;
  csv.rejects = rejects;
  csv.committed = journal.digests;
  csv.job = input.job.id;
  return MakeCsvSource(csv, limits, encoding, std::move(todo), out);
}

}  // namespace loader
