#include "emit/fallback_dir.h"

#include <algorithm>
#include <filesystem>

#include "loader/base/redact.h"
#include "loader/emit/import_file_writer.h"
#include "loader/encode/chunk_csv.h"
#include "loader/read/content_digest.h"

namespace loader {

FallbackDir::FallbackDir(std::string dir, ImportSet set, std::vector<ColumnType> types)
    : dir_(std::move(dir)), types_(std::move(types)), set_(std::move(set)) {}

Status FallbackDir::Spill(const Chunk& chunk, const Status& reason, bool maybe_committed) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::IoError("--fallback-dir " + dir_ + ": " + ec.message());
  // Named by first row, zero-padded so names sort in row order: a chunk
  // spilled again by a re-run replaces its own file.
  std::string number = std::to_string(chunk.first_row);
  number.insert(0, number.size() < 12 ? 12 - number.size() : 0, '0');
  ImportFile file;
  ByteBuffer csv;
  AppendChunkAsCsv(chunk, types_, &csv);
  ImportFileWriter writer;
  Status s = writer.Open(dir_, FileStem(set_.table) + "." + number + ".csv", chunk.first_row);
  if (s.ok()) s = writer.Append(csv.view(), chunk.rows);
  if (s.ok()) s = writer.Close(&file);
  if (!s.ok()) return s.WithContext("writing a chunk to --fallback-dir");
  file.span = chunk.span();
  file.content_digest = ChunkDigest(chunk);
  file.maybe_committed = maybe_committed;
  file.reason = ScrubSecrets(reason.ToString());  // it goes into the scripts
  std::lock_guard<std::mutex> lock(mu_);
  set_.files.push_back(std::move(file));
  return Status::OK();
}

Status FallbackDir::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (set_.files.empty()) return Status::OK();
  std::sort(set_.files.begin(), set_.files.end(),
            [](const ImportFile& a, const ImportFile& b) { return a.first_row < b.first_row; });
  return WriteImportScripts(dir_, set_);
}

uint64_t FallbackDir::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t rows = 0;
  for (const ImportFile& f : set_.files) rows += f.rows;
  return rows;
}

uint64_t FallbackDir::files() const {
  std::lock_guard<std::mutex> lock(mu_);
  return set_.files.size();
}

RowRanges FallbackDir::spilled() const {
  std::lock_guard<std::mutex> lock(mu_);
  RowRanges ranges;
  for (const ImportFile& f : set_.files) ranges.Add(f.first_row, f.span);
  return ranges;
}

}  // namespace loader
