// Reading what an encoder wrote back as rows, for the fuzz targets that hold
// the loader's CSV output to its input: the loader's own CSV (comma, '"',
// NULL an empty unquoted field), through the loader's reader.
#ifndef LOADER_TESTS_FUZZ_READ_BACK_H_
#define LOADER_TESTS_FUZZ_READ_BACK_H_

#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "loader/read/csv_reader.h"

namespace loader::fuzz {

using Value = std::optional<std::string>;  // nullopt: NULL
using Row = std::vector<Value>;

// Every record `reader` gives; a reader error fails the property.
inline std::vector<Row> ReadRows(std::unique_ptr<CsvReader> reader) {
  std::vector<Row> rows;
  CsvRecord record;
  for (;;) {
    bool eof = false;
    const Status s = reader->Next(&record, &eof);
    Check(s.ok(), "the loader's CSV does not read back: " + s.ToString());
    if (eof) return rows;
    Row& row = rows.emplace_back();
    for (const CsvField& f : record.fields) row.push_back(f.null ? Value() : Value(f.text));
  }
}

inline std::vector<Row> ReadBackFile(const std::string& path) {
  std::unique_ptr<CsvReader> reader;
  Check(CsvReader::Open(path, CsvOptions{}, &reader).ok(), "open " + path);
  return ReadRows(std::move(reader));
}

inline std::vector<Row> ReadBackBytes(std::string_view csv) {
  const int fd = memfd_create("readback", 0);
  Check(fd >= 0, "memfd");
  for (std::string_view rest = csv; !rest.empty();) {
    const ssize_t n = write(fd, rest.data(), rest.size());
    Check(n > 0, "memfd write");
    rest.remove_prefix(static_cast<size_t>(n));
  }
  Check(lseek(fd, 0, SEEK_SET) == 0, "memfd seek");
  return ReadRows(CsvReader::FromDescriptor(fd, "readback", CsvOptions{}));
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// " [a] NULL [b]", for a property's message.
inline std::string Show(const Row& row) {
  std::string out;
  for (const Value& v : row) out += v ? " [" + *v + "]" : " NULL";
  return out;
}

}  // namespace loader::fuzz

#endif  // LOADER_TESTS_FUZZ_READ_BACK_H_
