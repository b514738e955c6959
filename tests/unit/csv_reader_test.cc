#include "loader/csv_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "loader/status.h"

namespace loader {
namespace {

// Owned copies of what the reader returns: its views die at the next call to Next.
struct Field {
  std::string text;
  bool quoted = false;
  bool null = false;
};

// A NULL field's text is not part of the contract, so it is not compared.
bool operator==(const Field& a, const Field& b) {
  if (a.null || b.null) return a.null == b.null && a.quoted == b.quoted;
  return a.text == b.text && a.quoted == b.quoted;
}

struct Record {
  std::vector<Field> fields;
  uint64_t line = 0;
  uint64_t index = 0;
  std::string raw;
};

bool operator==(const Record& a, const Record& b) {
  return a.fields == b.fields && a.line == b.line && a.index == b.index && a.raw == b.raw;
}

Field Plain(std::string text) { return {std::move(text), false, false}; }
Field Quoted(std::string text) { return {std::move(text), true, false}; }
Field Null() { return {"", false, true}; }

// Control and non-ASCII bytes as \n, \r, \xNN, so failures show the exact bytes.
std::string Escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void PrintTo(const Field& f, std::ostream* os) {
  if (f.null) {
    *os << (f.quoted ? "NULL(quoted!)" : "NULL");
  } else {
    *os << (f.quoted ? "Q\"" : "P\"") << Escape(f.text) << "\"";
  }
}

void PrintTo(const Record& r, std::ostream* os) {
  *os << "{line " << r.line << ", index " << r.index << ", raw \"" << Escape(r.raw)
      << "\", fields [";
  for (size_t i = 0; i < r.fields.size(); ++i) {
    if (i > 0) *os << ", ";
    PrintTo(r.fields[i], os);
  }
  *os << "]}";
}

Record Own(const CsvRecord& r) {
  Record out{{}, r.line, r.index, std::string(r.raw)};
  for (const CsvField& f : r.fields) out.fields.push_back({std::string(f.text), f.quoted, f.null});
  return out;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// A descriptor at offset 0 of a file holding exactly `bytes`. The file is unlinked at
// once, so nothing is left behind when a test fails.
int FileWith(std::string_view bytes) {
  std::string path = testing::TempDir() + "csv_reader_test.XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    ADD_FAILURE() << "mkstemp " << path << ": errno " << errno;
    return -1;
  }
  unlink(path.c_str());
  if (!WriteAll(fd, bytes) || lseek(fd, 0, SEEK_SET) != 0) {
    ADD_FAILURE() << "cannot write the input file: errno " << errno;
    close(fd);
    return -1;
  }
  return fd;
}

struct ReadResult {
  std::vector<Record> records;
  Status status;  // the first error, or OK at the end of the input
};

constexpr char kName[] = "input.csv";

// Reads `fd` to the end or to the first error. A reader that never reports the end
// is stopped after `max_records`.
ReadResult ReadAll(int fd, const CsvOptions& options = {}, const std::string& name = kName,
                   size_t max_records = 1000000) {
  ReadResult result;
  if (fd < 0) {
    result.status = Status::Internal("no input descriptor");
    return result;
  }
  std::unique_ptr<CsvReader> reader = CsvReader::FromDescriptor(fd, name, options);
  for (;;) {
    CsvRecord record;
    bool eof = false;
    result.status = reader->Next(&record, &eof);
    if (!result.status.ok() || eof) return result;
    if (result.records.size() == max_records) {
      result.status = Status::Internal("more records than the input can hold");
      return result;
    }
    result.records.push_back(Own(record));
  }
}

ReadResult ReadBytes(std::string_view bytes, const CsvOptions& options = {}) {
  return ReadAll(FileWith(bytes), options, kName, bytes.size() + 1);
}

void ExpectRecords(const ReadResult& got, const std::vector<Record>& want) {
  EXPECT_TRUE(got.status.ok()) << got.status.ToString() << " after " << got.records.size()
                               << " records";
  for (size_t i = 0; i < std::min(got.records.size(), want.size()); ++i) {
    // The first difference says enough; thousands more would drown it.
    ASSERT_EQ(got.records[i], want[i]) << "record " << i;
  }
  EXPECT_EQ(got.records.size(), want.size());
}

// The reader stopped at an error "input.csv:LINE:COLUMN: ..." holding `phrase`.
void ExpectInvalid(const ReadResult& got, std::string_view where, std::string_view phrase) {
  ASSERT_FALSE(got.status.ok()) << "no error after " << got.records.size() << " records";
  EXPECT_EQ(got.status.code(), Status::Code::kInvalidArgument) << got.status.ToString();
  const std::string& msg = got.status.message();
  EXPECT_EQ(msg.substr(0, where.size()), where) << msg;
  EXPECT_NE(msg.find(phrase), std::string::npos) << "\"" << phrase << "\" not in: " << msg;
}

std::string Quote(std::string_view text, char quote = '"') {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += c;
  }
  out += quote;
  return out;
}

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

GeneratedRecord GenerateRecord(uint64_t seed, uint64_t k) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + k);
  auto pick = [&rng](uint64_t n) { return static_cast<size_t>(rng() % n); };
  auto text_of = [&](const std::vector<std::string_view>& pieces, size_t count, std::string s) {
    for (size_t i = 0; i < count; ++i) s += pieces[pick(pieces.size())];
    return s;
  };
  static const std::vector<std::string_view> kPlain = {"a", "b", "Z", "0", "7", " ", "-", "."};
  static const std::vector<std::string_view> kQuoted = {"a",  "b",    ",", "\"",
                                                        "\n", "\r\n", " ", "\xC3\xA9"};
  // é, €, 😀, and U+FEFF, which is kept anywhere but at the very start of the input.
  static const std::vector<std::string_view> kUtf8 = {"\xC3\xA9", "\xE2\x82\xAC",
                                                      "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "x"};
  GeneratedRecord out;
  const size_t count = 1 + pick(5);
  for (size_t j = 0; j < count; ++j) {
    if (j > 0) out.raw += ',';
    size_t kind = pick(100);
    // A record of one NULL field would be an empty line, which the contract leaves open.
    if (count == 1 && kind >= 30 && kind < 40) kind = 40;
    if (j == 0 && k % 4099 == 7) {
      const std::string text = text_of(kQuoted, 10000 + pick(150000), "long");
      out.raw += Quote(text);
      out.fields.push_back(Quoted(text));
    } else if (kind < 30) {
      const std::string text = text_of(kPlain, 1 + pick(12), "");
      out.raw += text;
      out.fields.push_back(Plain(text));
    } else if (kind < 40) {
      out.fields.push_back(Null());
    } else if (kind < 50) {
      out.raw += "\"\"";
      out.fields.push_back(Quoted(""));
    } else if (kind < 70) {
      const std::string text = text_of(kQuoted, pick(10), "");
      out.raw += Quote(text);
      out.fields.push_back(Quoted(text));
    } else if (kind < 85) {
      const std::string text = text_of(kUtf8, pick(6), "x");
      out.raw += text;
      out.fields.push_back(Plain(text));
    } else {
      const std::string text = std::to_string(k * 7 + j);
      out.raw += text;
      out.fields.push_back(Plain(text));
    }
  }
  out.line_end = pick(2) == 0 ? "\n" : "\r\n";
  return out;
}

// A byte order mark, then records 0..count-1; the last without its line end unless
// `final_line_end`.
std::string GenerateInput(uint64_t seed, uint64_t count, bool final_line_end) {
  std::string bytes = "\xEF\xBB\xBF";
  for (uint64_t k = 0; k < count; ++k) {
    const GeneratedRecord r = GenerateRecord(seed, k);
    bytes += r.raw;
    if (k + 1 < count || final_line_end) bytes += r.line_end;
  }
  return bytes;
}

// Reads `fd` to the end, checking record k against GenerateRecord(seed, k) as it goes
// (a few hundred thousand owned copies would cost more than the check). Returns the
// first difference, or "" when every record matches.
std::string MatchGenerated(int fd, uint64_t seed, uint64_t count) {
  if (fd < 0) return "no input descriptor";
  std::unique_ptr<CsvReader> reader = CsvReader::FromDescriptor(fd, kName, {});
  uint64_t line = 1;
  for (uint64_t k = 0;; ++k) {
    CsvRecord record;
    bool eof = false;
    const Status s = reader->Next(&record, &eof);
    if (!s.ok()) return "record " + std::to_string(k) + ": " + s.ToString();
    if (eof) {
      if (k == count) return "";
      return "eof after " + std::to_string(k) + " records, want " + std::to_string(count);
    }
    if (k == count) return "a record after the last one: " + testing::PrintToString(Own(record));
    const GeneratedRecord g = GenerateRecord(seed, k);
    const Record want{g.fields, line, k, g.raw};
    const Record got = Own(record);
    if (!(got == want)) {
      return "record " + std::to_string(k) + ":\n got  " + testing::PrintToString(got) +
             "\n want " + testing::PrintToString(want);
    }
    line += static_cast<uint64_t>(std::count(g.raw.begin(), g.raw.end(), '\n')) + 1;
  }
}

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

TEST(CsvReader, ReadsFieldsLinesIndexesAndRawBytes) {
  ExpectRecords(ReadBytes("a,b,c\nd,e,f\n12,x y,z\n"),
                {{{Plain("a"), Plain("b"), Plain("c")}, 1, 0, "a,b,c"},
                 {{Plain("d"), Plain("e"), Plain("f")}, 2, 1, "d,e,f"},
                 {{Plain("12"), Plain("x y"), Plain("z")}, 3, 2, "12,x y,z"}});
}

TEST(CsvReader, QuotedFieldsHoldDelimitersNewlinesAndDoubledQuotes) {
  const std::string input =
      "\"a,b\",\"one\ntwo\",\"say \"\"hi\"\"\",x\n"
      "\"crlf\r\nin\r\nside\",y\r\n"
      "\"\"\"\",\"\"\"\"\"\"\n"
      "next,z\n";
  ExpectRecords(ReadBytes(input),
                {{{Quoted("a,b"), Quoted("one\ntwo"), Quoted("say \"hi\""), Plain("x")},
                  1,
                  0,
                  "\"a,b\",\"one\ntwo\",\"say \"\"hi\"\"\",x"},
                 {{Quoted("crlf\r\nin\r\nside"), Plain("y")}, 3, 1, "\"crlf\r\nin\r\nside\",y"},
                 {{Quoted("\""), Quoted("\"\"")}, 6, 2, "\"\"\"\",\"\"\"\"\"\""},
                 {{Plain("next"), Plain("z")}, 7, 3, "next,z"}});
}

TEST(CsvReader, UnquotedEmptyIsNullAndQuotedEmptyIsEmptyText) {
  ExpectRecords(
      ReadBytes(",\"\",a,\n\"\"\n"),
      {{{Null(), Quoted(""), Plain("a"), Null()}, 1, 0, ",\"\",a,"}, {{Quoted("")}, 2, 1, "\"\""}});
}

TEST(CsvReader, NullTextMakesOnlyUnquotedMatchesNull) {
  CsvOptions options;
  options.null_text = "\\N";
  const std::string line = "\\N,,\"\\N\",\\Nx,\"\",x\\N";
  ExpectRecords(
      ReadBytes(line + "\n", options),
      {{{Null(), Plain(""), Quoted("\\N"), Plain("\\Nx"), Quoted(""), Plain("x\\N")}, 1, 0, line}});
}

TEST(CsvReader, CrLfLineEndsAreNeitherInFieldsNorInRaw) {
  ExpectRecords(ReadBytes("a,b\r\nc,\"d\"\r\n,\r\n"), {{{Plain("a"), Plain("b")}, 1, 0, "a,b"},
                                                       {{Plain("c"), Quoted("d")}, 2, 1, "c,\"d\""},
                                                       {{Null(), Null()}, 3, 2, ","}});
}

TEST(CsvReader, SkipsAByteOrderMarkOnlyAtTheVeryStart) {
  const std::string bom = "\xEF\xBB\xBF";
  ExpectRecords(ReadBytes(bom + "a,b\n" + bom + "c," + bom + "d\n"),
                {{{Plain("a"), Plain("b")}, 1, 0, "a,b"},
                 {{Plain(bom + "c"), Plain(bom + "d")}, 2, 1, bom + "c," + bom + "d"}});
  // One mark is skipped, not two; a quote right after it still opens a field.
  ExpectRecords(ReadBytes(bom + bom + "x\n"), {{{Plain(bom + "x")}, 1, 0, bom + "x"}});
  ExpectRecords(ReadBytes(bom + "\"q,r\"\n"), {{{Quoted("q,r")}, 1, 0, "\"q,r\""}});
  ExpectRecords(ReadBytes(bom), {});
}

TEST(CsvReader, LastRecordMayLackItsLineEnd) {
  ExpectRecords(ReadBytes("a,b\nc,d"),
                {{{Plain("a"), Plain("b")}, 1, 0, "a,b"}, {{Plain("c"), Plain("d")}, 2, 1, "c,d"}});
  ExpectRecords(ReadBytes("x,\"y\"\"\""), {{{Plain("x"), Quoted("y\"")}, 1, 0, "x,\"y\"\"\""}});
  ExpectRecords(ReadBytes("a,"), {{{Plain("a"), Null()}, 1, 0, "a,"}});
  ExpectRecords(ReadBytes("\"multi\nline\""), {{{Quoted("multi\nline")}, 1, 0, "\"multi\nline\""}});
}

TEST(CsvReader, EmptyInputIsEndOfInputAtOnce) {
  std::unique_ptr<CsvReader> reader = CsvReader::FromDescriptor(FileWith(""), kName, {});
  CsvRecord record;
  bool eof = false;
  const Status s = reader->Next(&record, &eof);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(eof);
}

TEST(CsvReader, FinalLineEndDoesNotStartAnotherRecord) {
  ExpectRecords(ReadBytes("a,b\n"), {{{Plain("a"), Plain("b")}, 1, 0, "a,b"}});
  ExpectRecords(ReadBytes("a,b\r\n"), {{{Plain("a"), Plain("b")}, 1, 0, "a,b"}});
  ExpectRecords(ReadBytes("\"a\nb\"\n"), {{{Quoted("a\nb")}, 1, 0, "\"a\nb\""}});
}

TEST(CsvReader, DoesNotCheckTheFieldCount) {
  ExpectRecords(ReadBytes("a,b\nc,d,e\nf\n"),
                {{{Plain("a"), Plain("b")}, 1, 0, "a,b"},
                 {{Plain("c"), Plain("d"), Plain("e")}, 2, 1, "c,d,e"},
                 {{Plain("f")}, 3, 2, "f"}});
}

TEST(CsvReader, CustomDelimiter) {
  CsvOptions semicolon;
  semicolon.delimiter = ';';
  ExpectRecords(ReadBytes("a;b,c;\"d;e\"\n", semicolon),
                {{{Plain("a"), Plain("b,c"), Quoted("d;e")}, 1, 0, "a;b,c;\"d;e\""}});
  CsvOptions tab;
  tab.delimiter = '\t';
  ExpectRecords(
      ReadBytes("a\tb,c d\t\"x\ty\"\t\n", tab),
      {{{Plain("a"), Plain("b,c d"), Quoted("x\ty"), Null()}, 1, 0, "a\tb,c d\t\"x\ty\"\t"}});
}

TEST(CsvReader, CustomQuote) {
  CsvOptions options;
  options.quote = '\'';
  const std::string line = "'a,b','it''s',say \"hi\",''";
  ExpectRecords(ReadBytes(line + "\n'x\ny'\n", options),
                {{{Quoted("a,b"), Quoted("it's"), Plain("say \"hi\""), Quoted("")}, 1, 0, line},
                 {{Quoted("x\ny")}, 2, 1, "'x\ny'"}});
}

TEST(CsvReader, OpenReadsAPathAndNamesErrorsByIt) {
  std::string path = testing::TempDir() + "csv_reader_open.XXXXXX";
  const int fd = mkstemp(path.data());
  ASSERT_GE(fd, 0);
  const bool written = WriteAll(fd, "ok,1\nbad\"q\n");
  close(fd);
  ASSERT_TRUE(written);
  std::unique_ptr<CsvReader> reader;
  const Status open = CsvReader::Open(path, {}, &reader);
  ASSERT_TRUE(open.ok()) << open.ToString();
  CsvRecord record;
  bool eof = false;
  Status s = reader->Next(&record, &eof);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Own(record), (Record{{Plain("ok"), Plain("1")}, 1, 0, "ok,1"}));
  s = reader->Next(&record, &eof);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message().rfind(path + ":2:4: ", 0), 0u) << s.message();
  unlink(path.c_str());

  std::unique_ptr<CsvReader> missing;
  EXPECT_FALSE(CsvReader::Open(path + ".missing", {}, &missing).ok());
}

// Key phrases of the messages, after the "NAME:LINE:COLUMN: " prefix.
constexpr char kUnclosed[] = "a quoted field is not closed before the end of the input";
constexpr char kStrayQuote[] = "a quote inside an unquoted field";
constexpr char kAfterQuote[] =
    "expected a delimiter or the end of the line after the closing quote";
constexpr char kBadUtf8[] = "invalid UTF-8";
constexpr char kOver64[] = "a record longer than 64 bytes";

TEST(CsvReaderErrors, UnterminatedQuotePointsAtTheOpeningQuote) {
  ReadResult got = ReadBytes("a,b\nc,\"de\nf,g\n");
  ASSERT_EQ(got.records.size(), 1u);
  ExpectInvalid(got, "input.csv:2:3: ", kUnclosed);
  // A doubled quote inside does not close the field.
  ExpectInvalid(ReadBytes("x\n\"ab\"\"\n"), "input.csv:2:1: ", kUnclosed);
}

TEST(CsvReaderErrors, StrayQuoteInsideAnUnquotedField) {
  ReadResult got = ReadBytes("a,b\nxy\"z,w\n");
  ASSERT_EQ(got.records.size(), 1u);
  ExpectInvalid(got, "input.csv:2:3: ", kStrayQuote);
}

TEST(CsvReaderErrors, TextAfterAClosingQuote) {
  ExpectInvalid(ReadBytes("\"a\"b,c\n"), "input.csv:1:4: ", kAfterQuote);
  ExpectInvalid(ReadBytes("\"a\" ,c\n"), "input.csv:1:4: ", kAfterQuote);
  // The column counts from the start of the line the byte is on, not of the record.
  ExpectInvalid(ReadBytes("\"x\ny\",\"a\"b\n"), "input.csv:2:7: ", kAfterQuote);
}

TEST(CsvReaderErrors, InvalidUtf8NamesTheLineAndColumnOfTheBadByte) {
  struct Case {
    std::string input;
    std::string where;
  };
  const Case cases[] = {
      {"ok\nab,c\xC3\x28"
       "d\n",
       "input.csv:2:5: "},  // lead byte, then no continuation
      {"\xFF\n", "input.csv:1:1: "},
      {"a,b\n\"x\ny\xFF\"\n", "input.csv:3:2: "},  // inside a quoted field
      {"\x80z\n", "input.csv:1:1: "},              // a continuation byte alone
      {"a\xC0\xAF\n", "input.csv:1:2: "},          // overlong '/'
      {"\xED\xA0\x80\n", "input.csv:1:1: "},       // a UTF-16 surrogate
      {"\xF4\x90\x80\x80\n", "input.csv:1:1: "},   // above U+10FFFF
      {"ab\xE2\x82\n", "input.csv:1:3: "},         // cut short by the line end
      {"ab\xE2\x82", "input.csv:1:3: "},           // cut short by the end of input
      {"\"a\"\"\xFF\"\n", "input.csv:1:5: "},      // after a doubled quote
      {"\"x\"\"\ny\xFF\"\n", "input.csv:2:2: "},   // same, on the field's second line
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(Escape(c.input));
    ExpectInvalid(ReadBytes(c.input), c.where, kBadUtf8);
  }
}

TEST(CsvReaderErrors, RecordOverMaxRecordBytes) {
  CsvOptions options;
  options.max_record_bytes = 64;
  ReadResult got = ReadBytes("ok\n" + std::string(100, 'x') + "\nz\n", options);
  ASSERT_EQ(got.records.size(), 1u);
  ExpectInvalid(got, "input.csv:2:1: ", kOver64);
  ExpectInvalid(
      ReadBytes("ok\n\"" + std::string(40, 'q') + "\n" + std::string(40, 'r') + "\"\n", options),
      "input.csv:2:1: ", kOver64);
  // The limit is on the record, not on its line end.
  const std::string at_limit(64, 'y');
  ExpectRecords(ReadBytes(at_limit + "\n" + at_limit + "\r\n", options),
                {{{Plain(at_limit)}, 1, 0, at_limit}, {{Plain(at_limit)}, 2, 1, at_limit}});
  ExpectInvalid(ReadBytes(std::string(65, 'y') + "\n", options), "input.csv:1:1: ", kOver64);
}

TEST(CsvReaderErrors, LimitIsOnTheRecordWhereverTheReadsEnd) {
  CsvOptions options;
  options.max_record_bytes = 64;
  // 64 bytes, then a line end cut between two reads; a BOM is not part of the record.
  const std::string at_limit(64, 'y');
  PipeWriter cut_crlf(at_limit + "\r\n", {65, 1}, /*drain=*/true);
  ExpectRecords(ReadAll(cut_crlf.TakeReadEnd(), options), {{{Plain(at_limit)}, 1, 0, at_limit}});
  PipeWriter after_bom("\xEF\xBB\xBF" + at_limit + "\n", {67, 1}, /*drain=*/true);
  ExpectRecords(ReadAll(after_bom.TakeReadEnd(), options), {{{Plain(at_limit)}, 1, 0, at_limit}});
  // A long record arriving slowly is refused before its end is seen.
  const std::string over = "ok\n" + std::string(100, 'x') + "\n";
  PipeWriter slow(over, {3, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 1}, /*drain=*/true);
  const ReadResult got = ReadAll(slow.TakeReadEnd(), options);
  EXPECT_EQ(got.records.size(), 1u);
  ExpectInvalid(got, "input.csv:2:1: ", kOver64);
}

TEST(CsvReaderErrors, RefusesAnOverlongRecordBeforeItsEnd) {
  // Memory is flat: an open quote followed by 9 MiB must fail on the default 8 MiB
  // limit. The writer closes the pipe only once the reader has taken every byte, so
  // a reader that buffers to the end sees the end of input and calls the quote
  // unclosed instead.
  const std::string input = "a\n\"" + std::string(9u << 20, 'x');
  PipeWriter writer(input, {input.size()}, /*drain=*/true);
  const ReadResult got = ReadAll(writer.TakeReadEnd());
  EXPECT_EQ(got.records.size(), 1u);
  ExpectInvalid(got, "input.csv:2:1: ", "a record longer than 8388608 bytes");
}

TEST(CsvReaderErrors, ErrorsNameTheInputAsGiven) {
  const ReadResult got = ReadAll(FileWith("a\"b\n"), {}, "dir/my input.csv");
  ASSERT_FALSE(got.status.ok());
  EXPECT_EQ(got.status.message().rfind("dir/my input.csv:1:2: ", 0), 0u) << got.status.message();
}

TEST(CsvReaderErrors, FailedReadIsAnIoError) {
  // read(2) on a directory fails with EISDIR.
  const int fd = open(testing::TempDir().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  const ReadResult got = ReadAll(fd);
  EXPECT_EQ(got.status.code(), Status::Code::kIoError) << got.status.ToString();
}

TEST(CsvReaderErrors, LineOfAnErrorIsCountedAcrossReadBlocks) {
  const std::string good = GenerateInput(11, 200000, true);
  const uint64_t line = 1 + static_cast<uint64_t>(std::count(good.begin(), good.end(), '\n'));
  const ReadResult got = ReadAll(FileWith(good + "ok,x\"y\n"));
  EXPECT_EQ(got.records.size(), 200000u);
  ExpectInvalid(got, "input.csv:" + std::to_string(line) + ":5: ", kStrayQuote);
}

TEST(CsvReaderBlocks, SeveralMebibytesMatchTheGenerator) {
  const std::string input = GenerateInput(1, 200000, true);
  ASSERT_GT(input.size(), 8u << 20);
  EXPECT_EQ(MatchGenerated(FileWith(input), 1, 200000), "");
  EXPECT_EQ(MatchGenerated(FileWith(GenerateInput(2, 200000, false)), 2, 200000), "");
}

TEST(CsvReaderBlocks, RecordsLargerThanAReadBlock) {
  const std::string big_quoted = "\"\n" + std::string(3u << 20, 'q') + "\r\n";
  const std::string big_plain(5u << 20, 'p');
  InputBuilder in;
  in.Add("a", {Plain("a")});
  in.Add(Quote(big_quoted) + ",b", {Quoted(big_quoted), Plain("b")}, "\r\n");
  in.Add(big_plain, {Plain(big_plain)});
  in.Add("z", {Plain("z")});
  ExpectRecords(ReadBytes(in.bytes()), in.records());
}

// Records whose byte at `split` should start a new read: a CRLF, a doubled quote, a
// closing quote before a delimiter, a CRLF inside quotes, a character of 4 bytes, an
// unquoted \N and each byte of the record end are cut in two somewhere.
struct Construct {
  std::string raw;
  std::string line_end;
  std::vector<Field> fields;
};

const std::vector<Construct>& Constructs() {
  static const std::vector<Construct> constructs = {
      {"abc,de", "\n", {Plain("abc"), Plain("de")}},
      {"a,b", "\r\n", {Plain("a"), Plain("b")}},
      {"\"x\"\"y\",z", "\n", {Quoted("x\"y"), Plain("z")}},
      {"\"q,1\",\"l\nm\",\"c\r\nr\"", "\r\n", {Quoted("q,1"), Quoted("l\nm"), Quoted("c\r\nr")}},
      {"\"\",,\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",
       "\n",
       {Quoted(""), Null(), Plain("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80")}},
      {"x,\"y\"", "\r\n", {Plain("x"), Quoted("y")}},
  };
  return constructs;
}

TEST(CsvReaderBlocks, RecordsStraddlingTheFirstBlockOfAFile) {
  // The first read ends at the block size, a power of two we need not know: the cut
  // byte sits at every power of two from 1 KiB to 8 MiB.
  struct Cut {
    size_t construct;
    size_t split;
  };
  const Cut cuts[] = {{1, 4}, {1, 5}, {2, 3}, {2, 6}, {3, 11}, {3, 15}, {4, 5}, {4, 10}};
  for (const Cut& cut : cuts) {
    const Construct& c = Constructs()[cut.construct];
    SCOPED_TRACE(Escape(c.raw + c.line_end) + " cut before byte " + std::to_string(cut.split));
    InputBuilder in;
    for (int k = 10; k <= 23; ++k) {
      in.Pad((size_t{1} << k) - cut.split - in.bytes().size());
      in.Add(c.raw, c.fields, c.line_end);
    }
    ExpectRecords(ReadBytes(in.bytes()), in.records());
  }
}

TEST(CsvReaderBlocks, EveryCutOfARecordBetweenTwoReads) {
  InputBuilder in;
  std::vector<size_t> pieces = {1, 1, 1};  // the byte order mark, byte by byte
  std::string bytes = "\xEF\xBB\xBF";
  for (const Construct& c : Constructs()) {
    const size_t size = c.raw.size() + c.line_end.size();
    for (size_t split = 1; split < size; ++split) {
      in.Add(c.raw, c.fields, c.line_end);
      pieces.push_back(split);
      pieces.push_back(size - split);
    }
  }
  // The last record ends at the end of input, right after a closing quote.
  in.Add("\"fin\"\"al\"", {Quoted("fin\"al")}, "");
  for (size_t n : {4, 1, 3, 1}) pieces.push_back(n);
  bytes += in.bytes();
  PipeWriter writer(bytes, pieces, /*drain=*/true);
  ExpectRecords(ReadAll(writer.TakeReadEnd()), in.records());

  CsvOptions options;
  options.null_text = "\\N";
  InputBuilder nulls;
  pieces.clear();
  const std::string null_record = "\\N,,\"\\N\",\\N";
  for (size_t split = 1; split <= null_record.size(); ++split) {
    nulls.Add(null_record, {Null(), Plain(""), Quoted("\\N"), Null()});
    pieces.push_back(split);
    pieces.push_back(null_record.size() + 1 - split);
  }
  PipeWriter null_writer(nulls.bytes(), pieces, /*drain=*/true);
  ExpectRecords(ReadAll(null_writer.TakeReadEnd(), options), nulls.records());
}

TEST(CsvReaderBlocks, PipeInTinyPiecesGivesTheSameRecordsAsAFile) {
  const uint64_t kCount = 30000;
  const std::string input = GenerateInput(3, kCount, false);
  std::vector<size_t> pieces;
  std::mt19937 rng(3);
  for (size_t left = input.size(); left > 0;) {
    const size_t n = std::min<size_t>(left, 1 + rng() % 7);
    pieces.push_back(n);
    left -= n;
  }
  // Both must equal the generator's records, hence each other.
  EXPECT_EQ(MatchGenerated(FileWith(input), 3, kCount), "");
  PipeWriter writer(input, std::move(pieces), /*drain=*/false);
  EXPECT_EQ(MatchGenerated(writer.TakeReadEnd(), 3, kCount), "");
}

}  // namespace
}  // namespace loader
