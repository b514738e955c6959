#include "job/emit_import.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "job/load_input.h"
#include "job/load_setup.h"
#include "loader/base/interrupt.h"
#include "loader/base/redact.h"
#include "loader/base/table.h"
#include "loader/emit/import_file_writer.h"
#include "loader/emit/import_set.h"
#include "loader/exec/worker_pool.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"
#include "loader/plan/worker_count.h"
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
// (STEM.00001.csv, or with --compress gzip STEM.00001.csv.gz, either way so
// a run replaces the other's) and rejects.
bool IsOurs(const std::string& name, const std::string& stem) {
  if (name == "import.sql" || name == "upload.sh" || name == "load-postgres.sql" ||
      name == "manifest.json" || name == kRejectFile ||
      name == RejectLog::LogPathFor(kRejectFile)) {
    return true;
  }
  const size_t suffix = name.ends_with(".csv") ? 4 : name.ends_with(".csv.gz") ? 7 : 0;
  if (!name.starts_with(stem + ".") || suffix == 0) return false;
  if (name.size() < stem.size() + 1 + suffix) return false;
  const std::string_view number(name.data() + stem.size() + 1,
                                name.size() - stem.size() - 1 - suffix);
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

std::string FileName(const std::string& stem, uint64_t index, uint64_t files, bool gzip) {
  std::string number = std::to_string(index + 1);
  const size_t width = std::max<size_t>(5, std::to_string(files).size());
  if (number.size() < width) number.insert(0, width - number.size(), '0');
  return stem + "." + number + (gzip ? ".csv.gz" : ".csv");
}

// Average CSV bytes of the first rows, to size files by bytes.
uint64_t SampleRowBytes(const TableSpec& table, uint64_t seed, uint64_t rows,
                        const std::shared_ptr<const SyntheticRows>& synthetic) {
  const uint64_t sample = std::min<uint64_t>(rows, 1000);
  auto source =
      synthetic != nullptr
          ? MakeSyntheticSource(synthetic, {RowRange{0, sample}}, kWriteLimits, Encoding::kCsvText)
          : MakeGeneratedSource(table, seed, sample, kWriteLimits, Encoding::kCsvText);
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
// and the workers each write one file at a time.
Status EmitGenerated(const LoadSpec& spec, const LoadInput& input, const std::string& stem,
                     uint64_t files, std::vector<ImportFile>* out) {
  out->assign(files, ImportFile{});
  std::atomic<uint64_t> next{0};
  WorkerPool workers(FileWorkers(spec.target.workers),
                     [&] { next.store(files); });  // no new file starts
  workers.Start([&](int) {
    for (uint64_t k = next++; k < files; k = next++) {
      const uint64_t first = k * spec.input.rows / files;
      const uint64_t end = (k + 1) * spec.input.rows / files;
      std::unique_ptr<RowSource> source;
      Status s = MakeSource(spec.input, input.table, Shard{},
                            {.encoding = Encoding::kCsvText,
                             .limits = kWriteLimits,
                             .todo = {RowRange{first, end - first}},
                             .synthetic = input.synthetic},
                            &source);
      ImportFileWriter file;
      if (s.ok()) {
        s = file.Open(spec.import.emit_dir, FileName(stem, k, files, spec.import.gzip), first,
                      spec.import.gzip);
      }
      if (s.ok()) s = Drain(*source, file);
      if (s.ok()) s = file.Close(&(*out)[k]);
      if (!s.ok()) return s;
    }
    return Status::OK();
  });
  const Status failure = workers.Join();
  // After a failure, only the files that were finished count.
  std::erase_if(*out, [](const ImportFile& f) { return f.name.empty(); });
  return failure;
}

// Rows of --input files: one reader, and a new file once the current one
// has `file_bytes` of CSV, compressed or not, so the rows go into the same
// files either way (the last of --import-files N takes the rest). Chunks of
// an eighth of that keep each file within an eighth over the size.
Status EmitInput(const LoadSpec& spec, const LoadInput& input, const std::string& stem,
                 uint64_t file_bytes, uint64_t max_files, RejectLog* rejects,
                 std::vector<ImportFile>* out) {
  SourcePass read{
      .encoding = Encoding::kCsvText,
      .limits = {kWriteLimits.max_rows,
                 std::clamp<uint64_t>(file_bytes / 8, 4096, kWriteLimits.max_bytes)},
      .todo = {RowRange{0, UINT64_MAX}},
      .max_record_bytes = spec.chunks.bytes,
      .rejects = rejects,
      .fields = &input.fields,
      .opened = input.opened,
  };
  std::unique_ptr<RowSource> source;
  Status s = MakeSource(spec.input, input.table, Shard{}, std::move(read), &source);
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
    if (file.is_open() && file.csv_bytes() >= file_bytes && out->size() + 1 < max_files) {
      s = close();
    }
    if (s.ok() && !file.is_open()) {
      s = file.Open(spec.import.emit_dir, FileName(stem, out->size(), 0, spec.import.gzip),
                    chunk.first_row, spec.import.gzip);
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
std::string DescribeEmitPlan(const LoadSpec& spec, const TableSpec& table, uint64_t files,
                             uint64_t file_bytes, const std::string& url_prefix) {
  std::string rows;
  if (spec.input.files.empty()) {
    rows = std::to_string(spec.input.rows) + ", seed " + std::to_string(spec.input.seed);
  } else {
    rows = "CSV " + spec.input.files[0];
    if (spec.input.files.size() > 1)
      rows += " and " + std::to_string(spec.input.files.size() - 1) + " more";
  }
  std::string layout;
  if (files > 0) {
    layout = std::to_string(files) + ", written by " +
             std::to_string(std::min<uint64_t>(files, FileWorkers(spec.target.workers))) +
             " workers";
  } else {
    layout = (spec.import.files > 0 ? "at most " + std::to_string(spec.import.files)
                                    : std::string("as many as needed")) +
             ", about " + std::to_string(file_bytes) + " bytes each";
  }
  return "plan:\n  output:         " + std::string(spec.import.gzip ? "gzip CSV" : "CSV") +
         " files and import scripts in " + spec.import.emit_dir +
         " (no server)\n  table:          " + table.name + " (" + table.ColumnList() +
         ")\n  rows:           " + rows + "\n  files:          " + layout +
         "\n  import url:     " + RedactStorageUrl(url_prefix) + "\n";
}

// Synthetic rows of a table need its catalog, and the rows it references:
// the first server that answers of --url.
Status ReadSyntheticTable(const LoadSpec& spec, LoadInput* input) {
  FirstServer first;
  Status s = ConnectForCatalog(spec, &first);
  if (!s.ok()) return s;
  return ResolveSynthetic(*first.conn, first.kind, spec, input);
}

// Writing import files: no server, and files in place of transactions.
class ImportFilesJob final : public Job {
 public:
  explicit ImportFilesJob(const LoadSpec& spec) : spec_(spec) {
    summary_.table = spec.input.table;
    summary_.kind = Summary::Kind::kEmit;
    summary_.method = "emit-import";
    summary_.workers = summary_.workers_start = summary_.workers_end =
        FileWorkers(spec.target.workers);
    summary_.files_dir = spec.import.emit_dir;
  }

  // The table and how its rows are cut into files.
  Status Plan(std::string* plan) override {
    const TableSpec* ddl = nullptr;
    Status s = Synthetic()
                   ? ReadSyntheticTable(spec_, &input_)
                   : ResolveTable(spec_.input, nullptr, ServerKind::kPostgres, &input_.table, &ddl);
    input_.ddl = ddl;
    if (s.ok() && !Synthetic())
      s = MapFileHeader(spec_.input, nullptr, ServerKind::kPostgres, &input_);
    if (!s.ok()) return s;
    table_ = input_.table;
    stem_ = FileStem(table_.name);
    PlanFiles();
    set_.table = table_.name;
    set_.gzip = spec_.import.gzip;
    for (const Column& c : table_.columns) set_.columns.push_back(c.name);
    set_.url_prefix =
        spec_.import.url.empty() ? DefaultImportUrl(spec_.import.emit_dir) : spec_.import.url;
    if (spec_.target.create && ddl != nullptr) set_.create_sql = ddl->CreateSql();
    set_.command = spec_.report.command;
    *plan = DescribeEmitPlan(spec_, table_, files_, file_bytes_, set_.url_prefix) +
            DescribeSyntheticColumns(input_);
    return Status::OK();
  }

  Status Prepare() override {
    Status s = PrepareDir(spec_.import.emit_dir, stem_);
    if (!s.ok()) return s;
    spdlog::info("writing {} rows of {} as CSV to {}",
                 from_files() ? "the input's" : std::to_string(spec_.input.rows), table_.name,
                 spec_.import.emit_dir);
    rejects_ = std::make_unique<RejectLog>(spec_.faults.reject_file.empty()
                                               ? spec_.import.emit_dir + "/" + kRejectFile
                                               : spec_.faults.reject_file,
                                           spec_.faults.max_rejects);
    return Status::OK();
  }

  Status Run() override {
    Status s = from_files() ? EmitInput(spec_, input_, stem_, file_bytes_,
                                        spec_.import.files > 0 ? spec_.import.files : UINT64_MAX,
                                        rejects_.get(), &set_.files)
                            : EmitGenerated(spec_, input_, stem_, files_, &set_.files);
    // The scripts describe the files written, also when a bad row stopped the
    // input part way: they load what was read before it.
    if (s.ok() || (from_files() && !set_.files.empty())) {
      const Status scripts = WriteImportScripts(spec_.import.emit_dir, set_);
      if (s.ok()) s = scripts;
    }
    return s;
  }

  Status Finish(const Status& run, double seconds) override {
    summary_.seconds = seconds;
    for (const ImportFile& f : set_.files) {
      summary_.rows += f.rows;
      summary_.bytes += f.csv_bytes;  // the rows' CSV, as a load counts its payload
    }
    summary_.file_rows = summary_.rows;
    summary_.files = set_.files.size();
    summary_.SetOutcome(run, rejects_->rejected(), rejects_->path());
    return run;
  }

 private:
  bool from_files() const { return !spec_.input.files.empty(); }
  bool Synthetic() const {
    return !from_files() && FindGeneratedTable(spec_.input.table) == nullptr;
  }

  // Generated rows are cut into a known number of files up front; files of
  // rows read are closed at a size.
  void PlanFiles() {
    const uint64_t rows = spec_.input.rows;
    file_bytes_ = spec_.import.file_bytes > 0 ? spec_.import.file_bytes : kDefaultImportFileBytes;
    if (!from_files() && rows > 0) {
      if (spec_.import.files > 0) {
        files_ = std::min(spec_.import.files, rows);
      } else {
        const uint64_t bytes =
            SampleRowBytes(table_, spec_.input.seed, rows, input_.synthetic) * rows;
        files_ = std::max<uint64_t>((bytes + file_bytes_ - 1) / file_bytes_,
                                    static_cast<uint64_t>(FileWorkers(spec_.target.workers)));
        files_ = std::min(files_, rows);
      }
    } else if (from_files() && spec_.import.files > 0) {
      const uint64_t bytes = InputBytes(spec_.input.files, spec_.input.csv.decompress);
      file_bytes_ = std::max<uint64_t>(1, (bytes + spec_.import.files - 1) / spec_.import.files);
    }
  }

  const LoadSpec& spec_;
  LoadInput input_;  // the table; for synthetic rows, how they are made
  TableSpec table_;
  std::string stem_;
  uint64_t files_ = 0;       // generated rows: how many files
  uint64_t file_bytes_ = 0;  // where a file closes
  ImportSet set_;
  std::unique_ptr<RejectLog> rejects_;
};

}  // namespace

std::unique_ptr<Job> MakeImportFilesJob(const LoadSpec& spec) {
  return std::make_unique<ImportFilesJob>(spec);
}

}  // namespace loader
