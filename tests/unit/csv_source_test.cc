#include "loader/read/csv_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"

namespace loader {
namespace {

// A CSV file in /tmp, deleted with the object.
class TempCsv {
 public:
  explicit TempCsv(const std::string& contents) {
    char name[] = "/tmp/loader-csv-source-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    close(fd);
    path_ = name;
  }
  ~TempCsv() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<Column> Accounts() { return FindGeneratedTable("accounts")->columns; }

struct Cut {
  uint64_t first_row;
  uint32_t rows;
  std::string payload;
};

// Every chunk of the source, or the first error.
Status Drain(RowSource& source, std::vector<Cut>* cuts) {
  for (;;) {
    Chunk chunk;
    bool done = false;
    Status s = source.NextChunk(&chunk, &done);
    if (!s.ok() || done) return s;
    cuts->push_back({chunk.first_row, chunk.rows, std::string(chunk.payload.view())});
  }
}

// Built member by member: GCC 12 at -O3 warns, wrongly, that a braced
// CsvInput's CsvOptions may be used uninitialized.
CsvInput Csv(std::vector<std::string> paths, bool header, std::vector<Column> columns) {
  CsvInput input;
  input.paths = std::move(paths);
  input.header = header;
  input.columns = std::move(columns);
  return input;
}

std::unique_ptr<RowSource> Source(CsvInput input, uint64_t max_rows,
                                  std::vector<RowRange> todo = {{0, 1000000}},
                                  Encoding encoding = Encoding::kCopyText,
                                  uint64_t max_bytes = 8u << 20) {
  std::unique_ptr<RowSource> source;
  EXPECT_TRUE(MakeCsvSource(input, {max_rows, max_bytes}, encoding, std::move(todo), &source).ok());
  return source;
}

// Generated accounts rows written as CSV load as the very bytes the generator
// would send: the file path and the generated path agree.
TEST(CsvSource, GeneratedRowsAsCsvGiveTheGeneratedPayload) {
  auto generated = MakeGeneratedSource(*FindGeneratedTable("accounts"), 1, 2500, {1000, 8u << 20},
                                       Encoding::kCopyText);
  std::vector<Cut> expected;
  ASSERT_TRUE(Drain(*generated, &expected).ok());
  std::string csv = "id,balance\r\n";
  for (const Cut& c : expected) {
    std::string rows = c.payload;
    std::replace(rows.begin(), rows.end(), '\t', ',');
    csv += rows;
  }
  TempCsv file(csv);
  std::vector<Cut> got;
  ASSERT_TRUE(Drain(*Source(Csv({file.path()}, true, Accounts()), 1000), &got).ok());
  ASSERT_EQ(got.size(), 3u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first_row, expected[i].first_row);
    EXPECT_EQ(got[i].rows, expected[i].rows);
    EXPECT_EQ(got[i].payload, expected[i].payload);
  }
}

TEST(CsvSource, SkipsRowsOutsideTheRangesAndNeverSpansAGap) {
  std::string csv;
  for (int i = 0; i < 10; ++i)
    csv += "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1" + std::to_string(i % 10) + "," +
           std::to_string(i) + "\n";
  TempCsv file(csv);
  std::vector<Cut> got;
  ASSERT_TRUE(
      Drain(*Source(Csv({file.path()}, false, Accounts()), 2, {{0, 3}, {5, 3}}), &got).ok());
  std::vector<std::pair<uint64_t, uint32_t>> cuts;
  for (const Cut& c : got) cuts.emplace_back(c.first_row, c.rows);
  EXPECT_EQ(cuts, (std::vector<std::pair<uint64_t, uint32_t>>{{0, 2}, {2, 1}, {5, 2}, {7, 1}}));
  EXPECT_EQ(got[3].payload, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a17\t7\n");
}

TEST(CsvSource, RowsAreNumberedAcrossFilesWithoutHeaders) {
  TempCsv one("id,balance\na0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,1\n");
  TempCsv two(
      "id,balance\na0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12,2\na0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13,"
      "3\n");
  std::vector<Cut> got;
  ASSERT_TRUE(
      Drain(*Source(Csv({one.path(), two.path()}, true, Accounts()), 1, {{1, 2}}), &got).ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first_row, 1u);
  EXPECT_EQ(got[0].payload, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12\t2\n");
  EXPECT_EQ(got[1].first_row, 2u);
}

TEST(CsvSource, NullsAndTextAreEncodedForCopy) {
  TempCsv file("1,\n2,\"tab\there\nand \"\"quotes\"\"\"\n3,\"\"\n");
  const std::vector<Column> columns = {{"id", ColumnType::kInt8}, {"note", ColumnType::kText}};
  std::vector<Cut> got;
  ASSERT_TRUE(Drain(*Source(Csv({file.path()}, false, columns), 10), &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "1\t\\N\n2\ttab\\there\\nand \"quotes\"\n3\t\n");
}

TEST(CsvSource, AChunkClosesBeforeItsByteCap) {
  TempCsv file("1,aaaa\n2,bbbb\n3,cccc\n");
  const std::vector<Column> columns = {{"id", ColumnType::kInt8}, {"note", ColumnType::kText}};
  std::vector<Cut> got;
  // Each row is 7 bytes of COPY text; 15 bytes hold two.
  ASSERT_TRUE(
      Drain(*Source(Csv({file.path()}, false, columns), 10, {{0, 100}}, Encoding::kCopyText, 15),
            &got)
          .ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload, "1\taaaa\n2\tbbbb\n");
  EXPECT_EQ(got[1].payload, "3\tcccc\n");
  EXPECT_EQ(got[1].first_row, 2u);
}

TEST(CsvSource, ErrorsNameFileLineAndColumn) {
  TempCsv bad_value(
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,5\n\n"
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12,abc\n");
  std::vector<Cut> got;
  Status s = Drain(*Source(Csv({bad_value.path()}, false, Accounts()), 10), &got);
  // The empty line is a record of one (NULL) field: too few.
  EXPECT_EQ(s.message(), bad_value.path() + ":2:1: expected 2 fields (id, balance), found 1");

  TempCsv bad_type(
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,5\na0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12,abc\n");
  got.clear();
  s = Drain(*Source(Csv({bad_type.path()}, false, Accounts()), 10), &got);
  EXPECT_EQ(s.code(), Status::Code::kDataError);
  EXPECT_EQ(
      s.message(),
      bad_type.path() + ":2:38: column balance: expected a 64-bit integer (INT8), found 'abc'");

  TempCsv bad_header("uuid,balance\n");
  got.clear();
  s = Drain(*Source(Csv({bad_header.path()}, true, Accounts()), 10), &got);
  EXPECT_EQ(s.message(),
            bad_header.path() +
                ":1:1: the header names (uuid, balance) but the columns are (id, balance)");
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A value shown in a message is cut at 40 bytes, never inside a character:
// a cut UTF-8 sequence would make the message, and the JSON it goes to,
// invalid.
TEST(CsvSource, AShownValueIsCutAtACharacterBoundary) {
  const std::string e_acute = "\xC3\xA9";
  struct Case {
    std::string balance;
    std::string shown;
  };
  const Case cases[] = {
      // 1 + 19 * 2 bytes is 39: the 20th character would end at byte 41.
      {"1" + Repeat(e_acute, 25), "'1" + Repeat(e_acute, 19) + "...'"},
      // 2 + 19 * 2 bytes is exactly 40.
      {"12" + Repeat(e_acute, 25), "'12" + Repeat(e_acute, 19) + "...'"},
      // 39 + a 4-byte character: cut before it.
      {Repeat("9", 39) + "\xF0\x9F\x98\x80", "'" + Repeat("9", 39) + "...'"},
      // 40 bytes in all: nothing to cut.
      {"1" + Repeat("\xE2\x82\xAC", 13), "'1" + Repeat("\xE2\x82\xAC", 13) + "'"},
  };
  for (const Case& c : cases) {
    TempCsv file("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11," + c.balance + "\n");
    std::vector<Cut> got;
    const Status s = Drain(*Source(Csv({file.path()}, false, Accounts()), 10), &got);
    EXPECT_EQ(
        s.message(),
        file.path() + ":1:38: column balance: expected a 64-bit integer (INT8), found " + c.shown);
  }
}

}  // namespace
}  // namespace loader
