#include "loader/job/emit_import.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "loader/base/interrupt.h"
#include "loader/base/redact.h"
#include "loader/base/table.h"
#include "loader/emit/import_file_writer.h"
#include "loader/emit/import_set.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/job/load_input.h"
#include "loader/pg/table_catalog.h"
#include "loader/plan/row_source.h"
#include "loader/read/csv_source.h"
#include "loader/read/reject_log.h"

namespace loader {
namespace {

namespace fs = std::filesystem;

// A file's rows are encoded into chunks of this size and written with one
// write(2) each.
constexpr ChunkLimits kWriteLimits{1u << 16, 1u << 20};

const Status kInterrupted = Status::Error(Status::Code::kInterrupted, "interrupted by a signal");

// Where rejected rows go by default: in DIR, so a new run into it starts
// them over, under names no data file glob (STEM.*.csv) takes.
constexpr char kRejectFile[] = "rejects.csv";

// A file an --emit-import of `stem` writes: its scripts, data files
// (STEM.00001.csv) and rejects.
bool IsOurs(const std::string& name, const std::string& stem) {
  if (name == "import.sql" || name == "upload.sh" || name == "load-postgres.sql" ||
      name == "manifest.json" || name == kRejectFile ||
      name == RejectLog::LogPathFor(kRejectFile)) {
    return true;
  }
  if (!name.starts_with(stem + ".") || !name.ends_with(".csv")) return false;
  const std::string_view number(name.data() + stem.size() + 1, name.size() - stem.size() - 5);
  return !number.empty() && number.find_first_not_of("0123456789") == std::string_view::npos;
}

// Makes `dir`, or empties it of an earlier --emit-import's files, so what is
// there afterwards is this run's alone; a directory holding anything else is
// refused rather than mixed into.
Status PrepareDir(const std::string& dir, const std::string& stem) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("--emit-import " + dir + ": " + ec.message());
  std::vector<fs::path> stale;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!IsOurs(name, stem)) {
      return Status::InvalidArgument("--emit-import " + dir + ": the directory holds " + name +
                                     ", which this --emit-import would not write; choose a new "
                                     "or empty directory");
    }
    stale.push_back(entry.path());
  }
  if (ec) return Status::IoError("--emit-import " + dir + ": " + ec.message());
  for (const fs::path& path : stale) {
    fs::remove(path, ec);
    if (ec) return Status::IoError("removing " + path.string() + ": " + ec.message());
  }
  return Status::OK();
}

std::string FileName(const std::string& stem, uint64_t index, uint64_t files) {
  std::string number = std::to_string(index + 1);
  const size_t width = std::max<size_t>(5, std::to_string(files).size());
  if (number.size() < width) number.insert(0, width - number.size(), '0');
  return stem + "." + number + ".csv";
}

// The table the files fill. Without a server there is no catalog: a table
// the loader does not generate is named by --columns, and its fields pass
// through as text, to be checked by the server that loads them.
Status ResolveTable(const LoadOptions& options, TableSpec* table, const TableSpec** ddl) {
  const TableSpec* generated = FindGeneratedTable(options.table);
  if (generated != nullptr) {
    *table = *generated;
    *ddl = generated;
  } else if (options.columns.empty()) {
    return Status::InvalidArgument("--emit-import reads no catalog: name the columns of " +
                                   options.table + " with --columns");
  } else {
    std::vector<Column> columns;
    for (const std::string& name : options.columns) columns.push_back({name, ColumnType::kOther});
    *table = CatalogTable(options.table, std::move(columns));
    return Status::OK();
  }
  if (options.columns.empty()) return Status::OK();
  std::vector<Column> selected;
  Status s = SelectColumns(table->columns, options.columns, options.table, &selected);
  if (s.ok()) table->columns = std::move(selected);
  return s;
}

// Average CSV bytes of the first rows, to size files by bytes.
uint64_t SampleRowBytes(const TableSpec& table, uint64_t seed, uint64_t rows) {
  auto source = MakeGeneratedSource(table, seed, std::min<uint64_t>(rows, 1000), kWriteLimits,
                                    Encoding::kCsvText);
  Chunk chunk;
  bool done = false;
  if (!source->NextChunk(&chunk, &done).ok() || done || chunk.rows == 0) return 1;
  return std::max<uint64_t>(1, chunk.payload.size() / chunk.rows);
}

// Writes `chunk`s of `source` to one open file.
Status Drain(RowSource& source, ImportFileWriter& file) {
  Chunk chunk;
  for (;;) {
    if (InterruptRequested()) return kInterrupted;
    bool done = false;
    Status s = source.NextChunk(&chunk, &done);
    if (!s.ok() || done) return s;
    s = file.Append(chunk.payload.view(), chunk.rows);
    if (!s.ok()) return s;
  }
}

// Generated rows: file k holds rows [k * rows / files, (k + 1) * rows / files),
// and `workers` threads each write one file at a time.
Status EmitGenerated(const LoadOptions& options, const TableSpec& table, const std::string& stem,
                     uint64_t files, std::vector<ImportFile>* out) {
  out->assign(files, ImportFile{});
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  Status failure;
  auto fail = [&](const Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    if (failure.ok()) failure = s;
    next.store(files);  // no new file starts
  };
  boost::asio::thread_pool pool(static_cast<size_t>(options.workers));
  for (int w = 0; w < options.workers; ++w) {
    boost::asio::post(pool, [&]() noexcept {
      try {
        for (uint64_t k = next++; k < files; k = next++) {
          const uint64_t first = k * options.rows / files;
          const uint64_t end = (k + 1) * options.rows / files;
          auto source =
              MakeGeneratedSource(table, options.seed, {RowRange{first, end - first}}, kWriteLimits,
                                  Encoding::kCsvText, IdOrder{options.scattered_ids, options.rows});
          ImportFileWriter file;
          Status s = file.Open(options.emit_dir, FileName(stem, k, files), first);
          if (s.ok()) s = Drain(*source, file);
          if (s.ok()) s = file.Close(&(*out)[k]);
          if (!s.ok()) return fail(s);
        }
      } catch (const std::exception& e) {
        fail(Status::Internal(std::string("writing files: ") + e.what()));
      }
    });
  }
  pool.join();
  // After a failure, only the files that were finished count.
  std::erase_if(*out, [](const ImportFile& f) { return f.name.empty(); });
  return failure;
}

// Rows of --input files: one reader, and a new file once the current one
// has `file_bytes` (the last of --import-files N takes the rest). Chunks of
// an eighth of that keep each file within an eighth over the size.
Status EmitInput(const LoadOptions& options, const TableSpec& table, const std::string& stem,
                 uint64_t file_bytes, uint64_t max_files, RejectLog* rejects,
                 std::vector<ImportFile>* out) {
  CsvInput csv;
  csv.paths = options.inputs;
  csv.csv = options.csv;
  csv.csv.max_record_bytes = options.chunk_bytes;
  csv.header = options.header;
  csv.columns = table.columns;
  csv.rejects = rejects;
  std::unique_ptr<RowSource> source;
  const ChunkLimits limits{kWriteLimits.max_rows,
                           std::clamp<uint64_t>(file_bytes / 8, 4096, kWriteLimits.max_bytes)};
  Status s = MakeCsvSource(csv, limits, Encoding::kCsvText, {RowRange{0, UINT64_MAX}}, &source);
  ImportFileWriter file;
  Chunk chunk;
  auto close = [&]() {
    out->emplace_back();
    return file.Close(&out->back());
  };
  while (s.ok()) {
    if (InterruptRequested()) return kInterrupted;
    bool done = false;
    s = source->NextChunk(&chunk, &done);
    if (!s.ok() || done) break;
    if (chunk.rows == 0) continue;  // every row of it was rejected
    if (file.is_open() && file.bytes() >= file_bytes && out->size() + 1 < max_files) s = close();
    if (s.ok() && !file.is_open()) {
      s = file.Open(options.emit_dir, FileName(stem, out->size(), 0), chunk.first_row);
    }
    if (s.ok()) s = file.Append(chunk.payload.view(), chunk.rows);
  }
  // The rows before a bad one are written, as a load commits them.
  if (file.is_open()) {
    Status closed = close();
    if (s.ok()) s = closed;
  }
  return s;
}

// What --dry-run prints.
std::string DescribeEmitPlan(const LoadOptions& options, const TableSpec& table, uint64_t files,
                             uint64_t file_bytes, const std::string& url_prefix) {
  std::string rows;
  if (options.inputs.empty()) {
    rows = std::to_string(options.rows) + ", seed " + std::to_string(options.seed);
  } else {
    rows = "CSV " + options.inputs[0];
    if (options.inputs.size() > 1)
      rows += " and " + std::to_string(options.inputs.size() - 1) + " more";
  }
  std::string layout;
  if (files > 0) {
    layout = std::to_string(files) + ", written by " +
             std::to_string(std::min<uint64_t>(files, options.workers)) + " workers";
  } else {
    layout = (options.import_files > 0 ? "at most " + std::to_string(options.import_files)
                                       : std::string("as many as needed")) +
             ", about " + std::to_string(file_bytes) + " bytes each";
  }
  return "plan:\n  output:         CSV files and import scripts in " + options.emit_dir +
         " (no server)\n  table:          " + table.name + " (" + table.ColumnList() +
         ")\n  rows:           " + rows + "\n  files:          " + layout +
         "\n  import url:     " + RedactStorageUrl(url_prefix) + "\n";
}

}  // namespace

LoadOutcome RunEmit(const LoadOptions& options) {
  LoadOutcome out;
  Summary& summary = out.summary;
  summary.table = options.table;
  summary.kind = Summary::Kind::kEmit;
  summary.method = "emit-import";
  summary.workers = options.workers;
  summary.files_dir = options.emit_dir;

  TableSpec table;
  const TableSpec* ddl = nullptr;
  out.status = ResolveTable(options, &table, &ddl);
  if (!out.status.ok()) return out;
  const std::string stem = FileStem(table.name);
  const bool from_files = !options.inputs.empty();
  const uint64_t target_bytes =
      options.import_file_bytes > 0 ? options.import_file_bytes : kDefaultImportFileBytes;

  // Generated rows are cut into a known number of files up front.
  uint64_t files = 0;
  uint64_t file_bytes = target_bytes;
  if (!from_files && options.rows > 0) {
    if (options.import_files > 0) {
      files = std::min(options.import_files, options.rows);
    } else {
      const uint64_t bytes = SampleRowBytes(table, options.seed, options.rows) * options.rows;
      files = std::max<uint64_t>((bytes + target_bytes - 1) / target_bytes,
                                 static_cast<uint64_t>(options.workers));
      files = std::min(files, options.rows);
    }
  } else if (from_files && options.import_files > 0) {
    const uint64_t bytes = InputBytes(options.inputs);
    file_bytes = std::max<uint64_t>(1, (bytes + options.import_files - 1) / options.import_files);
  }

  ImportSet set;
  set.table = table.name;
  for (const Column& c : table.columns) set.columns.push_back(c.name);
  set.url_prefix =
      options.import_url.empty() ? DefaultImportUrl(options.emit_dir) : options.import_url;
  if (options.create && ddl != nullptr) set.create_sql = ddl->CreateSql();
  set.command = options.command;

  out.plan = DescribeEmitPlan(options, table, files, file_bytes, set.url_prefix);
  if (options.dry_run) return out;

  out.status = PrepareDir(options.emit_dir, stem);
  if (!out.status.ok()) return out;
  spdlog::info("writing {} rows of {} as CSV to {}",
               from_files ? "the input's" : std::to_string(options.rows), table.name,
               options.emit_dir);
  const std::string reject_file =
      options.reject_file.empty() ? options.emit_dir + "/" + kRejectFile : options.reject_file;
  RejectLog rejects(reject_file, options.max_rejects);
  const auto start = std::chrono::steady_clock::now();
  out.status = from_files ? EmitInput(options, table, stem, file_bytes,
                                      options.import_files > 0 ? options.import_files : UINT64_MAX,
                                      &rejects, &set.files)
                          : EmitGenerated(options, table, stem, files, &set.files);
  // The scripts describe the files written, also when a bad row stopped the
  // input part way: they load what was read before it.
  if (out.status.ok() || (from_files && !set.files.empty())) {
    Status s = WriteImportScripts(options.emit_dir, set);
    if (out.status.ok()) out.status = s;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  summary.seconds = elapsed.count();
  for (const ImportFile& f : set.files) {
    summary.rows += f.rows;
    summary.bytes += f.bytes;
  }
  summary.file_rows = summary.rows;
  summary.files = set.files.size();
  summary.rejected = rejects.rejected();
  if (summary.rejected > 0) summary.reject_file = rejects.path();
  summary.status = std::string(CodeName(out.status.code()));
  if (!out.status.ok()) summary.error = out.status.ToString();
  return out;
}

}  // namespace loader
