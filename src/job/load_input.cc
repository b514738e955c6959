#include "job/load_input.h"

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
std::string FileIdentity(const std::vector<std::string>& paths, const LoadSpec& spec,
                         const TableSpec& table, const FieldMap& fields) {
  std::string identity = "csv";
  for (const std::string& path : paths) identity += "\n" + path;
  identity += "\ncolumns=";
  for (const Column& c : table.columns) identity += c.name + ",";
  identity += "\nheader=" + std::to_string(spec.input.header);
  if (!fields.column.empty()) {
    identity += "\nfields=";
    for (size_t i = 0; i < fields.header.size(); ++i) {
      identity += fields.header[i] + ">" + std::to_string(fields.column[i]) + ",";
    }
  }
  identity += std::string("\ndelimiter=") + spec.input.csv.delimiter;
  identity += std::string("\nquote=") + spec.input.csv.quote;
  identity += "\nnull=" + spec.input.csv.null_text;
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

Status ResolveTable(const InputSpec& spec, Connection* catalog, ServerKind server, TableSpec* table,
                    const TableSpec** ddl) {
  const TableSpec* generated = FindGeneratedTable(spec.table);
  *ddl = generated;
  if (generated != nullptr) {
    *table = *generated;
  } else if (spec.files.empty()) {
    return Status::InvalidArgument("synthetic rows of " + spec.table +
                                   " need its catalog: name a server with --url");
  } else if (catalog != nullptr) {
    std::vector<Column> columns;
    Status s = ReadTableColumns(*catalog, server, spec.table, &columns);
    if (!s.ok()) return s;
    *table = CatalogTable(spec.table, std::move(columns));
  } else if (spec.columns.empty() && spec.header) {
    *table = CatalogTable(spec.table, {});  // MapFileHeader takes them from the header
    return Status::OK();
  } else if (spec.columns.empty()) {
    return Status::InvalidArgument("--emit-import reads no catalog: name the columns of " +
                                   spec.table + " with --columns, or read them from a --header");
  } else {
    std::vector<Column> columns;
    for (const std::string& name : spec.columns) columns.push_back({name, ColumnType::kOther});
    *table = CatalogTable(spec.table, std::move(columns));
    return Status::OK();
  }
  if (spec.columns.empty()) return Status::OK();
  std::vector<Column> selected;
  Status s = SelectColumns(table->columns, spec.columns, spec.table, &selected);
  if (s.ok()) table->columns = std::move(selected);
  return s;
}

Status MapFileHeader(const InputSpec& spec, Connection* catalog, ServerKind server,
                     LoadInput* input) {
  if (!spec.header || !spec.columns.empty() || spec.files.empty()) return Status::OK();
  std::vector<std::string> header;
  std::unique_ptr<CsvReader> reader;
  Status s = ReadHeader(spec.files[0], spec.csv, &header, &reader);
  std::vector<std::string> required;
  if (s.ok() && catalog != nullptr && input->ddl == nullptr) {
    s = ReadRequiredColumns(*catalog, server, spec.table, &required);
  }
  std::vector<Column> loaded;
  if (s.ok()) {
    s = MapHeader(header, input->table.columns, required, spec.header_rules, reader->name() + ":1",
                  spec.table, &loaded, &input->fields);
  }
  if (!s.ok()) return s;
  if (input->ddl != nullptr) {
    input->table.columns = std::move(loaded);  // the tutorial's table, in the file's order
  } else {
    input->table = CatalogTable(spec.table, std::move(loaded));
  }
  if (spec.files[0] == "-") input->opened = std::move(reader);
  return Status::OK();
}

Status ResolveInput(Connection& conn, ServerKind server, const LoadSpec& spec, LoadInput* input) {
  input->from_files = !spec.input.files.empty();
  const bool tutorial = FindGeneratedTable(spec.input.table) != nullptr;
  if (!tutorial && (spec.target.create || spec.target.drop)) {
    return Status::InvalidArgument("--create and --drop make accounts and points only; create " +
                                   spec.input.table + " yourself");
  }
  if (!tutorial && !input->from_files) return ResolveSynthetic(conn, server, spec, input);
  Status resolved = ResolveTable(spec.input, &conn, server, &input->table, &input->ddl);
  if (!resolved.ok()) return resolved;

  JobSpec& job = input->job;
  job.table = input->table.name;
  if (!input->from_files) {
    job.total_rows = spec.input.rows;
    job.source = "generated " + job.table + ", seed " + std::to_string(spec.input.seed);
    job.id = !spec.faults.job.empty()
                 ? spec.faults.job
                 : DefaultJobId(job.table,
                                "generated:seed=" + std::to_string(spec.input.seed) +
                                    (spec.input.scattered_ids ? ",ids=scattered" : ""),
                                spec.input.rows);
    input->description = std::to_string(spec.input.rows) + " rows, seed " +
                         std::to_string(spec.input.seed) +
                         (spec.input.scattered_ids ? ", scattered ids" : "");
    return Status::OK();
  }
  std::vector<std::string> paths;
  Status s = ResolvePaths(spec.input.files, &paths);
  if (s.ok()) s = MapFileHeader(spec.input, &conn, server, input);
  if (!s.ok()) return s;
  input->rereadable = std::find(paths.begin(), paths.end(), "stdin") == paths.end();
  const std::string more =
      paths.size() > 1 ? " and " + std::to_string(paths.size() - 1) + " more" : "";
  job.total_known = false;
  job.source = "CSV " + paths[0] + more;
  job.id = !spec.faults.job.empty() ? spec.faults.job
           : input->rereadable
               ? DefaultJobId(job.table, FileIdentity(paths, spec, input->table, input->fields), 0)
               : StdinJobId(job.table);
  const std::string first = spec.input.files[0] == "-" ? "stdin" : spec.input.files[0];
  input->description = "CSV " + first + more + (spec.input.header ? ", with header" : "");
  return Status::OK();
}

uint64_t InputBytes(const std::vector<std::string>& inputs, std::optional<Compression> decompress) {
  uint64_t bytes = 0;
  for (const std::string& path : inputs) {
    if (path != "-") bytes += EstimatedInputBytes(path, decompress);
  }
  return bytes;
}

Encoding SourceEncoding(Method method, const LoadInput& input) {
  if (method == Method::kInsert) return Encoding::kInsertParams;
  if (input.from_files) return Encoding::kCopyText;
  const bool binary = input.ddl != nullptr || (input.synthetic && input.synthetic->binary());
  return binary ? Encoding::kCopyBinary : Encoding::kCopyText;
}

Status MakeSource(const InputSpec& spec, const TableSpec& table, const Shard& shard,
                  SourcePass pass, std::unique_ptr<RowSource>* out) {
  if (pass.synthetic != nullptr) {
    *out = MakeSyntheticSource(std::move(pass.synthetic), std::move(pass.todo), pass.limits,
                               pass.encoding, shard);
    return Status::OK();
  }
  if (spec.files.empty()) {
    *out = MakeGeneratedSource(table, spec.seed, std::move(pass.todo), pass.limits, pass.encoding,
                               IdOrder{spec.scattered_ids, spec.rows}, shard);
    return Status::OK();
  }
  CsvInput csv;
  csv.paths = spec.files;
  csv.csv = spec.csv;
  csv.csv.max_record_bytes =
      pass.max_record_bytes > 0 ? pass.max_record_bytes : pass.limits.max_bytes;
  csv.header = spec.header;
  csv.columns = table.columns;
  if (pass.fields != nullptr) csv.fields = *pass.fields;
  csv.opened = std::move(pass.opened);
  csv.rejects = pass.rejects;
  if (pass.journal != nullptr) csv.committed = pass.journal->digests;
  csv.job = std::move(pass.job);
  return MakeCsvSource(csv, pass.limits, pass.encoding, std::move(pass.todo), out);
}

}  // namespace loader
