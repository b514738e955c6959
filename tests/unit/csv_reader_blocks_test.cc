// CsvReader across read boundaries: large inputs, records straddling blocks,
// every cut of a record between two reads, and pipes fed in tiny pieces.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "loader/read/csv_reader.h"
#include "support/csv_reader_testing.h"

namespace loader {
namespace {

using namespace test_support;  // NOLINT: the test vocabulary (Plain, Quoted, ReadBytes...)

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
