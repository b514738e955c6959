// CsvReader: whatever the bytes and options, no crash or sanitizer report,
// and the same records, errors and recoveries whether the input is a file
// read whole or a pipe that delivers it in small pieces, so no record or
// error depends on where a read happened to end.
//
// Input: byte 0 picks the options, byte 1 the pipe's piece size; the rest is
// the CSV text.
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "fuzz_check.h"
#include "loader/csv_reader.h"

namespace {

using loader::CsvOptions;
using loader::CsvReader;
using loader::CsvRecord;
using loader::Status;
using loader::fuzz::Check;

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Everything the reader said, one line per record or error, in order.
std::string Transcript(std::unique_ptr<CsvReader> reader) {
  std::string out;
  CsvRecord record;
  for (int records = 0; records < 10000; ++records) {
    bool eof = false;
    const Status s = reader->Next(&record, &eof);
    if (!s.ok()) {
      out += "error " + s.ToString() + (reader->can_continue() ? " (goes on)\n" : "\n");
      if (!reader->can_continue()) return out;
      continue;
    }
    if (eof) return out + "eof\n";
    out += "record " + std::to_string(record.index) + " line " + std::to_string(record.line) +
           " raw [" + std::string(record.raw) + "]";
    for (const auto& f : record.fields) {
      out += " | " + std::to_string(f.line) + ":" + std::to_string(f.column) +
             (f.null ? " null" : "") + (f.quoted ? " quoted" : "") + " [" + std::string(f.text) +
             "]";
    }
    out += "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const bool ignore_sigpipe = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignore_sigpipe;
  CsvOptions options;
  options.delimiter = ",;\t|"[data[0] & 3];
  options.quote = (data[0] & 4) != 0 ? '\'' : '"';
  options.null_text = (data[0] & 8) != 0 ? "\\N" : "";
  static constexpr uint64_t kLimits[] = {8u << 20, 4096, 64, 7};
  options.max_record_bytes = kLimits[(data[0] >> 4) & 3];
  const size_t piece = 1 + data[1] % 64;
  const std::string_view csv(reinterpret_cast<const char*>(data) + 2, size - 2);

  const int file = memfd_create("csv", 0);
  Check(file >= 0 && WriteAll(file, csv) && lseek(file, 0, SEEK_SET) == 0, "memfd");
  const std::string whole = Transcript(CsvReader::FromDescriptor(file, "in.csv", options));

  int fds[2];
  Check(pipe(fds) == 0, "pipe");
  std::thread writer([fd = fds[1], csv, piece] {
    for (size_t at = 0; at < csv.size() && WriteAll(fd, csv.substr(at, piece)); at += piece) {
    }
    close(fd);
  });
  const std::string pieces = Transcript(CsvReader::FromDescriptor(fds[0], "in.csv", options));
  writer.join();
  Check(whole == pieces, "a file read whole:\n" + whole + "a pipe in pieces of " +
                             std::to_string(piece) + ":\n" + pieces);
  return 0;
}
