// ImportFileWriter: writes one CSV file of an import set (import_set.h) and
// counts its rows, bytes and SHA-256 on the way, so the manifest describes
// exactly the bytes on disk without reading them back.
// Thread safety: none; one writer per file.
#ifndef LOADER_IMPORT_FILE_WRITER_H_
#define LOADER_IMPORT_FILE_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "loader/base/sha256.h"
#include "loader/base/status.h"
#include "loader/emit/import_set.h"

namespace loader {

class ImportFileWriter {
 public:
  ImportFileWriter() = default;
  ImportFileWriter(const ImportFileWriter&) = delete;
  ImportFileWriter& operator=(const ImportFileWriter&) = delete;
  ~ImportFileWriter();

  // Creates dir/name, replacing a file of that name; the file's first row is
  // row `first_row` of the load.
  Status Open(const std::string& dir, const std::string& name, uint64_t first_row);
  bool is_open() const { return fd_ >= 0; }
  // Appends `rows` whole CSV rows: one write(2) for all of them.
  Status Append(std::string_view csv, uint64_t rows);
  uint64_t bytes() const { return file_.bytes; }
  // Closes the file and describes it.
  Status Close(ImportFile* file);

 private:
  int fd_ = -1;
  std::string path_;
  ImportFile file_;
  Sha256 sha_;
};

}  // namespace loader

#endif  // LOADER_IMPORT_FILE_WRITER_H_
