// ImportFileWriter: writes one CSV file of an import set (import_set.h) and
// counts its rows, bytes and SHA-256 on the way, so the manifest describes
// exactly the bytes on disk without reading them back. With gzip the CSV is
// compressed on the way (zlib, a gzip member), and the counts and digest are
// of the compressed bytes on disk, csv_bytes of the CSV before it.
// Thread safety: none; one writer per file.
#ifndef LOADER_IMPORT_FILE_WRITER_H_
#define LOADER_IMPORT_FILE_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "loader/base/sha256.h"
#include "loader/base/status.h"
#include "loader/emit/import_set.h"

namespace loader {

class ImportFileWriter {
 public:
  ImportFileWriter();
  ImportFileWriter(const ImportFileWriter&) = delete;
  ImportFileWriter& operator=(const ImportFileWriter&) = delete;
  ~ImportFileWriter();

  // Creates dir/name, replacing a file of that name; the file's first row is
  // row `first_row` of the load. With `gzip`, what is appended is written
  // compressed.
  Status Open(const std::string& dir, const std::string& name, uint64_t first_row,
              bool gzip = false);
  bool is_open() const { return fd_ >= 0; }
  // Appends `rows` whole CSV rows: one write(2) for all of them (compressed,
  // one for each 1 MiB of compressed output).
  Status Append(std::string_view csv, uint64_t rows);
  // The bytes on disk so far: with gzip, less than the compressor holds.
  uint64_t bytes() const { return file_.bytes; }
  // The CSV bytes appended so far, before any compression.
  uint64_t csv_bytes() const { return file_.csv_bytes; }
  // Closes the file (with gzip, after the rest of the compressed stream)
  // and describes it.
  Status Close(ImportFile* file);

 private:
  struct Deflater;
  // Writes `bytes` to the file, counted and digested.
  Status Write(std::string_view bytes);
  // Compresses `csv` (with `finish`, to the end of the gzip member) and
  // writes the output whenever the buffer fills.
  Status Deflate(std::string_view csv, bool finish);

  int fd_ = -1;
  std::string path_;
  ImportFile file_;
  Sha256 sha_;
  std::unique_ptr<Deflater> deflater_;  // with gzip
};

}  // namespace loader

#endif  // LOADER_IMPORT_FILE_WRITER_H_
