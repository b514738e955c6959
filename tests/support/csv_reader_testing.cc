#include "support/csv_reader_testing.h"

#include <fcntl.h>

#include <cstdio>
#include <memory>
#include <random>

namespace loader::test_support {

bool operator==(const Field& a, const Field& b) {
  if (a.null || b.null) return a.null == b.null && a.quoted == b.quoted;
  return a.text == b.text && a.quoted == b.quoted;
}

bool operator==(const Record& a, const Record& b) {
  return a.fields == b.fields && a.line == b.line && a.index == b.index && a.raw == b.raw;
}

Field Plain(std::string text) { return {std::move(text), false, false}; }

Field Quoted(std::string text) { return {std::move(text), true, false}; }

Field Null() { return {"", false, true}; }

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

ReadResult ReadAll(int fd, const CsvOptions& options, const std::string& name, size_t max_records) {
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

ReadResult ReadBytes(std::string_view bytes, const CsvOptions& options) {
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

void ExpectInvalid(const ReadResult& got, std::string_view where, std::string_view phrase) {
  ASSERT_FALSE(got.status.ok()) << "no error after " << got.records.size() << " records";
  EXPECT_EQ(got.status.code(), Status::Code::kDataError) << got.status.ToString();
  const std::string& msg = got.status.message();
  EXPECT_EQ(msg.substr(0, where.size()), where) << msg;
  EXPECT_NE(msg.find(phrase), std::string::npos) << "\"" << phrase << "\" not in: " << msg;
}

std::string Quote(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += c;
  }
  out += quote;
  return out;
}

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

std::string GenerateInput(uint64_t seed, uint64_t count, bool final_line_end) {
  std::string bytes = "\xEF\xBB\xBF";
  for (uint64_t k = 0; k < count; ++k) {
    const GeneratedRecord r = GenerateRecord(seed, k);
    bytes += r.raw;
    if (k + 1 < count || final_line_end) bytes += r.line_end;
  }
  return bytes;
}

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

}  // namespace loader::test_support
