// Test support for the CsvReader tests: owned copies of records, inputs in
// files and pipes (whole, or cut at chosen read boundaries), a reproducible
// record generator, and checks of what a reader returned.
#ifndef LOADER_TESTS_UNIT_CSV_READER_TESTING_H_
#define LOADER_TESTS_UNIT_CSV_READER_TESTING_H_

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "loader/base/status.h"
#include "loader/read/csv_reader.h"

namespace loader::test_support {

// Owned copies of what the reader returns: its views die at the next call to Next.
struct Field {
  std::string text;
  bool quoted = false;
  bool null = false;
};

// A NULL field's text is not part of the contract, so it is not compared.
bool operator==(const Field& a, const Field& b);

struct Record {
  std::vector<Field> fields;
  uint64_t line = 0;
  uint64_t index = 0;
  std::string raw;
};

bool operator==(const Record& a, const Record& b);

Field Plain(std::string text);
Field Quoted(std::string text);
Field Null();

// Control and non-ASCII bytes as \n, \r, \xNN, so failures show the exact bytes.
std::string Escape(std::string_view s);

void PrintTo(const Field& f, std::ostream* os);

void PrintTo(const Record& r, std::ostream* os);

Record Own(const CsvRecord& r);

bool WriteAll(int fd, std::string_view bytes);

// A descriptor at offset 0 of a file holding exactly `bytes`. The file is unlinked at
// once, so nothing is left behind when a test fails.
int FileWith(std::string_view bytes);

struct ReadResult {
  std::vector<Record> records;
  Status status;  // the first error, or OK at the end of the input
};

inline constexpr char kName[] = "input.csv";

// Reads `fd` to the end or to the first error. A reader that never reports the end
// is stopped after `max_records`.
ReadResult ReadAll(int fd, const CsvOptions& options = {}, const std::string& name = kName,
                   size_t max_records = 1000000);

ReadResult ReadBytes(std::string_view bytes, const CsvOptions& options = {});

void ExpectRecords(const ReadResult& got, const std::vector<Record>& want);

// The reader stopped at an error "input.csv:LINE:COLUMN: ..." holding `phrase`.
void ExpectInvalid(const ReadResult& got, std::string_view where, std::string_view phrase);

std::string Quote(std::string_view text, char quote = '"');

// Builds an input and the records the reader must return for it.
class InputBuilder {
 public:
  void Add(std::string_view raw, std::vector<Field> fields, std::string_view line_end = "\n") {
    records_.push_back({std::move(fields), line_, records_.size(), std::string(raw)});
    bytes_.append(raw).append(line_end);
    line_ += static_cast<uint64_t>(std::count(raw.begin(), raw.end(), '\n') +
                                   std::count(line_end.begin(), line_end.end(), '\n'));
  }
  // Plain one-field records of at most 1000 bytes, exactly `n` bytes in all (n >= 2).
  void Pad(size_t n) {
    while (n > 0) {
      size_t len = std::min<size_t>(n, 1000);
      if (n - len == 1) --len;
      const std::string text = "p" + std::string(len - 2, 'x');
      Add(text, {Plain(text)});
      n -= len;
    }
  }
  const std::string& bytes() const { return bytes_; }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::string bytes_;
  std::vector<Record> records_;
  uint64_t line_ = 1;
};

// Record k of a reproducible input, a function of (seed, k) alone: plain, NULL, quoted
// (with delimiters, doubled quotes, LF and CRLF inside), multi-byte UTF-8 fields, LF or
// CRLF line ends, and now and then a field of up to 160 KB.
struct GeneratedRecord {
  std::string raw;
  std::string line_end;
  std::vector<Field> fields;
};

GeneratedRecord GenerateRecord(uint64_t seed, uint64_t k);

// A byte order mark, then records 0..count-1; the last without its line end unless
// `final_line_end`.
std::string GenerateInput(uint64_t seed, uint64_t count, bool final_line_end);

// Reads `fd` to the end, checking record k against GenerateRecord(seed, k) as it goes
// (a few hundred thousand owned copies would cost more than the check). Returns the
// first difference, or "" when every record matches.
std::string MatchGenerated(int fd, uint64_t seed, uint64_t count);

// Writes `bytes` into a pipe from its own thread, in pieces of the given sizes. With
// `drain`, a piece is written only once the reader has taken every byte before it,
// so each piece boundary is a boundary between two reads.
class PipeWriter {
 public:
  PipeWriter(std::string bytes, std::vector<size_t> pieces, bool drain) {
    // A reader that stops early closes the read end; the writer must see EPIPE
    // instead of the process dying of SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (pipe(fds) != 0) {
      ADD_FAILURE() << "pipe: errno " << errno;
      return;
    }
    read_fd_ = fds[0];
    thread_ =
        std::thread([fd = fds[1], bytes = std::move(bytes), pieces = std::move(pieces), drain] {
          size_t pos = 0;
          for (size_t n : pieces) {
            if (!WriteAll(fd, std::string_view(bytes).substr(pos, n))) break;
            pos += n;
            if (drain && !WaitDrained(fd)) break;
          }
          close(fd);
        });
  }
  ~PipeWriter() {
    if (read_fd_ >= 0) close(read_fd_);
    if (thread_.joinable()) thread_.join();
  }
  PipeWriter(const PipeWriter&) = delete;
  PipeWriter& operator=(const PipeWriter&) = delete;

  // The read end, for the reader under test, which closes it.
  int TakeReadEnd() { return std::exchange(read_fd_, -1); }

 private:
  // False when the read end is gone or the reader stalls.
  static bool WaitDrained(int fd) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      int unread = 0;
      if (ioctl(fd, FIONREAD, &unread) != 0) return false;
      if (unread == 0) return true;
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, 0) < 0 || (p.revents & POLLERR) != 0) return false;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }

  int read_fd_ = -1;
  std::thread thread_;
};

}  // namespace loader::test_support

#endif  // LOADER_TESTS_UNIT_CSV_READER_TESTING_H_
