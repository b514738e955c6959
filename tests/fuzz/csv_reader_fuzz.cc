// CsvReader against a small model of the rules csv_reader.h documents: for
// any bytes and options, the reader gives the records, fields, NULLs, line and
// column numbers, errors and recoveries the model does, whether the input is
// a file read whole or a socket that hands it over in pieces of any size from
// 1 byte up, so nothing depends on where a read happened to end. No crash or
// sanitizer report either.
//
// The model reads the whole input at once, with none of the reader's buffers
// or limits on how far it looks, and works out positions by counting from
// the start. Errors are compared by place and kind, not wording.
//
// Input: byte 0 picks the options, byte 1 a piece size; the rest is the CSV
// text. Inputs up to kEverySizeUpTo bytes are also read in pieces of every
// size from 1 to their length.
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "fuzz_check.h"
#include "loader/read/csv_reader.h"
#include "utf8_model.h"

namespace {

using loader::CsvOptions;
using loader::CsvReader;
using loader::CsvRecord;
using loader::Status;
using loader::fuzz::Check;

constexpr size_t kEverySizeUpTo = 24;
constexpr int kMaxRecords = 10000;

// ---- The model ----

class Model {
 public:
  Model(std::string_view in, const CsvOptions& options) : in_(in), options_(options) {
    if (in_.substr(0, 3) == "\xEF\xBB\xBF") bom_ = 3;
  }

  std::string Transcript() {
    std::string out;
    size_t at = bom_;
    uint64_t index = 0;
    for (int records = 0; records < kMaxRecords; ++records) {
      if (at == in_.size()) return out + "eof\n";
      const Outcome o = Record(at);
      if (o.error.empty()) {
        out += "record " + std::to_string(index) + " line " + std::to_string(Line(at)) + o.text;
      } else {
        out += o.error + (o.goes_on ? " (goes on)\n" : "\n");
        if (!o.goes_on) return out;
      }
      ++index;
      at = o.next;
    }
    return out;
  }

 private:
  struct Outcome {
    std::string text;   // " raw [...] | fields..." and a newline, for a good record
    std::string error;  // "error LINE:COLUMN kind", for a bad one
    bool goes_on = false;
    size_t next = 0;
  };

  uint64_t Line(size_t at) const {
    uint64_t line = 1;
    for (size_t i = 0; i < at; ++i) line += in_[i] == '\n';
    return line;
  }
  // Columns are bytes from the line's start, counted after a BOM.
  std::string Place(size_t at) const {
    const size_t nl = at == 0 ? std::string_view::npos : in_.rfind('\n', at - 1);
    const size_t line_start = nl == std::string_view::npos ? bom_ : nl + 1;
    return std::to_string(Line(at)) + ":" + std::to_string(at - line_start + 1);
  }
  std::string Error(size_t at, const char* kind) const { return "error " + Place(at) + " " + kind; }

  size_t LineEnd(size_t from) const {
    const size_t nl = in_.find('\n', from);
    return nl == std::string_view::npos ? in_.size() : nl;
  }
  // A record's text: up to its line end, without a CR that ends the line.
  std::string_view Raw(size_t start, size_t line_end) const {
    size_t end = line_end;
    if (end > start && in_[end - 1] == '\r') --end;
    return in_.substr(start, end - start);
  }
  bool TooLong(std::string_view raw) const { return raw.size() > options_.max_record_bytes; }

  // A malformed record: set aside up to the end of the line where it went
  // wrong, unless that makes it too long to set aside.
  Outcome BadLine(size_t start, size_t error_at, const char* kind) const {
    const size_t line_end = LineEnd(error_at);
    if (TooLong(Raw(start, line_end))) return {"", Error(start, "too-long"), false, 0};
    return {"", Error(error_at, kind), true, line_end == in_.size() ? line_end : line_end + 1};
  }

  Outcome Record(size_t start) const {
    const char delimiter = options_.delimiter;
    const char quote = options_.quote;
    const size_t n = in_.size();
    std::string fields;
    std::string utf8_error;
    size_t p = start;
    for (;;) {
      const size_t field_at = p;
      std::string value;
      bool quoted = false;
      bool null = false;
      size_t checked_begin = p;
      size_t checked_end = p;
      if (p < n && in_[p] == quote) {
        quoted = true;
        checked_begin = ++p;
        for (;;) {
          if (p == n) {
            if (n - start > options_.max_record_bytes)
              return {"", Error(start, "too-long"), false, 0};
            return {"", Error(field_at, "unclosed"), false, 0};
          }
          if (in_[p] == quote) {
            if (p + 1 < n && in_[p + 1] == quote) {
              value += quote;
              p += 2;
              continue;
            }
            break;
          }
          value += in_[p++];
        }
        checked_end = p++;
        const bool ends = p == n || in_[p] == delimiter || in_[p] == '\n' ||
                          (in_[p] == '\r' && (p + 1 == n || in_[p + 1] == '\n'));
        if (!ends) return BadLine(start, p, "after-quote");
      } else {
        while (p < n && in_[p] != delimiter && in_[p] != '\n') {
          if (in_[p] == quote) return BadLine(start, p, "quote-in-unquoted");
          ++p;
        }
        checked_end = p;
        if (checked_end > checked_begin && in_[checked_end - 1] == '\r' &&
            (p == n || in_[p] == '\n')) {
          --checked_end;
        }
        value = std::string(in_.substr(checked_begin, checked_end - checked_begin));
        null = value == options_.null_text;
      }
      for (size_t i = checked_begin; i < checked_end && utf8_error.empty();) {
        const size_t len = loader::fuzz::Utf8Length(in_.substr(0, checked_end), i);
        if (len == 0) utf8_error = Error(i, "utf8");
        i += len == 0 ? 1 : len;
      }
      fields += " | " + Place(field_at) + (null ? " null" : "") + (quoted ? " quoted" : "") + " [" +
                value + "]";
      if (p < n && in_[p] == delimiter) {
        ++p;
        continue;
      }
      const size_t line_end = p;  // a line end, a CR before one, or the end
      const std::string_view raw = Raw(start, line_end == n ? n : LineEnd(line_end));
      if (TooLong(raw)) return {"", Error(start, "too-long"), false, 0};
      size_t next = line_end;
      if (next < n && in_[next] == '\r') ++next;
      if (next < n && in_[next] == '\n') ++next;
      if (!utf8_error.empty()) return {"", utf8_error, true, next};
      return {" raw [" + std::string(raw) + "]" + fields + "\n", "", false, next};
    }
  }

  const std::string_view in_;
  const CsvOptions& options_;
  size_t bom_ = 0;
};

// ---- The reader ----

// "in.csv:LINE:COLUMN: what" as "error LINE:COLUMN kind".
std::string Normalized(const Status& s) {
  const std::string& m = s.message();
  const std::string prefix = "in.csv:";
  Check(m.compare(0, prefix.size(), prefix) == 0, "error without its place: " + m);
  const size_t place_end = m.find(": ", prefix.size());
  Check(place_end != std::string::npos, "error without its place: " + m);
  const std::string place = m.substr(prefix.size(), place_end - prefix.size());
  const char* kind = m.find("is not closed before the end") != std::string::npos ? "unclosed"
                     : m.find("after the closing quote") != std::string::npos    ? "after-quote"
                     : m.find("a quote inside an unquoted") != std::string::npos
                         ? "quote-in-unquoted"
                     : m.find("invalid UTF-8") != std::string::npos        ? "utf8"
                     : m.find("a record longer than") != std::string::npos ? "too-long"
                                                                           : nullptr;
  Check(kind != nullptr, "an error of no known kind: " + m);
  return "error " + place + " " + kind;
}

std::string Transcript(std::unique_ptr<CsvReader> reader) {
  std::string out;
  CsvRecord record;
  for (int records = 0; records < kMaxRecords; ++records) {
    bool eof = false;
    const Status s = reader->Next(&record, &eof);
    if (!s.ok()) {
      out += Normalized(s) + (reader->can_continue() ? " (goes on)\n" : "\n");
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

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadWhole(std::string_view csv, const CsvOptions& options) {
  const int file = memfd_create("csv", 0);
  Check(file >= 0 && WriteAll(file, csv) && lseek(file, 0, SEEK_SET) == 0, "memfd");
  return Transcript(CsvReader::FromDescriptor(file, "in.csv", options));
}

// A packet socket hands each packet to one read whole, and the reader asks
// for more than a packet holds, so every read returns exactly `piece` bytes
// (the last one fewer).
std::string ReadInPieces(std::string_view csv, const CsvOptions& options, size_t piece) {
  int fds[2];
  Check(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) == 0, "socketpair");
  std::thread writer([fd = fds[1], csv, piece] {
    for (size_t at = 0; at < csv.size() && WriteAll(fd, csv.substr(at, piece)); at += piece) {
    }
    close(fd);
  });
  std::string transcript = Transcript(CsvReader::FromDescriptor(fds[0], "in.csv", options));
  writer.join();
  return transcript;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // The reader may stop before the writer has sent everything.
  static const bool ignore_sigpipe = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignore_sigpipe;
  CsvOptions options;
  options.delimiter = ",;\t|"[data[0] & 3];
  options.quote = (data[0] & 4) != 0 ? '\'' : '"';
  options.null_text = (data[0] & 8) != 0 ? "\\N" : "";
  static constexpr uint64_t kLimits[] = {8u << 20, 4096, 64, 7};
  options.max_record_bytes = kLimits[(data[0] >> 4) & 3];
  // The model reads the bytes as CSV: none may be taken for gzip or zstd.
  options.decompress = loader::Compression::kNone;
  const std::string_view csv(reinterpret_cast<const char*>(data) + 2, size - 2);

  const std::string expected = Model(csv, options).Transcript();
  auto check = [&](const std::string& got, const std::string& how) {
    Check(got == expected, "the model:\n" + expected + how + ":\n" + got);
  };
  check(ReadWhole(csv, options), "the reader, the input read whole");
  const size_t chosen = 1 + data[1] % 64;
  check(ReadInPieces(csv, options, chosen), "the reader, in pieces of " + std::to_string(chosen));
  if (csv.size() <= kEverySizeUpTo) {
    for (size_t piece = 1; piece < csv.size(); ++piece) {
      if (piece == chosen) continue;
      check(ReadInPieces(csv, options, piece), "the reader, in pieces of " + std::to_string(piece));
    }
  }
  return 0;
}
