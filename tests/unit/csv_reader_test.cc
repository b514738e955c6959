// CsvReader: what it returns for each kind of record, and its errors.
#include "loader/read/csv_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/csv_reader_testing.h"

namespace loader {
namespace {

using namespace test_support;  // NOLINT: the test vocabulary (Plain, Quoted, ReadBytes...)

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
  EXPECT_EQ(s.code(), Status::Code::kDataError) << s.ToString();
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

// What follows a closing quote is shown as one whole character, or as the
// hex of a byte that starts none: a message must stay valid UTF-8.
TEST(CsvReaderErrors, TextAfterAClosingQuoteIsShownAsACharacterOrAByteInHex) {
  const std::string expected =
      "expected a delimiter or the end of the line after the closing quote, found ";
  struct Case {
    std::string input;
    std::string message;
  };
  const Case cases[] = {
      {"a,b\n\"x\"\xC3\xA9,1\n", "input.csv:2:4: " + expected + "'\xC3\xA9'"},
      {"a,b\n\"x\"\xC3,1\n", "input.csv:2:4: " + expected + "byte 0xC3"},
      {"\"x\"\xA9\n", "input.csv:1:4: " + expected + "byte 0xA9"},
      {"\"x\"\xFF\n", "input.csv:1:4: " + expected + "byte 0xFF"},
      {"\"x\"\xF0\x9F\x98\x80\n", "input.csv:1:4: " + expected + "'\xF0\x9F\x98\x80'"},
      {"\"x\"\xE2\x82", "input.csv:1:4: " + expected + "byte 0xE2"},  // cut by the end
      {"\"x\"b\n", "input.csv:1:4: " + expected + "'b'"},
      {"\"x\" \n", "input.csv:1:4: " + expected + "' '"},
      {"\"x\"\x01\n", "input.csv:1:4: " + expected + "byte 0x01"},
      {"\"x\"\ry\n", "input.csv:1:4: " + expected + "byte 0x0D"},
      {"\"x\"\x7F\n", "input.csv:1:4: " + expected + "byte 0x7F"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(Escape(c.input));
    const ReadResult got = ReadBytes(c.input);
    EXPECT_EQ(got.status.message(), c.message);
  }
  // A character cut between two reads is still shown whole.
  PipeWriter split("\"x\"\xC3\xA9,1\n", {4, 1, 4}, /*drain=*/true);
  EXPECT_EQ(ReadAll(split.TakeReadEnd()).status.message(),
            "input.csv:1:4: " + expected + "'\xC3\xA9'");
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

// "(is a quote left open?)" only when the reader is inside a quoted field
// when the record passes the limit: not for a long line with no quote at all.
TEST(CsvReaderErrors, TheOpenQuoteHintOnlyWhenAQuoteIsOpen) {
  CsvOptions options;
  options.max_record_bytes = 64;
  const std::string kTooLong =
      "input.csv:2:1: a record longer than 64 bytes, the most one chunk may carry";
  const std::vector<size_t> slowly = {3, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
  struct Case {
    std::string input;
    std::string message;
  };
  const Case cases[] = {
      {"ok\n\"" + std::string(120, 'x'), kTooLong + " (is a quote left open?)"},
      {"ok\nq,\"a\"\"" + std::string(120, 'x'), kTooLong + " (is a quote left open?)"},
      {"ok\n" + std::string(120, 'x'), kTooLong},
      {"ok\n" + std::string(120, '\0'), kTooLong},                  // as /dev/zero reads
      {"ok\n\"a\",\"b\"\"c\"," + std::string(120, 'x'), kTooLong},  // quotes, all closed
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(Escape(c.input.substr(0, 12)));
    PipeWriter writer(c.input, slowly, /*drain=*/true);
    EXPECT_EQ(ReadAll(writer.TakeReadEnd(), options).status.message(), c.message);
  }
  // The reader looks no further than the limit (and a few bytes), whatever
  // else is buffered: a quote still open there is open, even if it closes
  // later, so a file read whole says what a pipe read in pieces says
  // (found by tests/fuzz/csv_reader_fuzz).
  EXPECT_EQ(ReadBytes("ok\n\"" + std::string(100, 'x') + "\"\n", options).status.message(),
            kTooLong + " (is a quote left open?)");
  EXPECT_EQ(ReadBytes("ok\n" + std::string(100, 'x') + "\n", options).status.message(), kTooLong);
  // A quote left open to the end of the input a few bytes past the limit:
  // the record is too long, as it is however far past (found by the model in
  // tests/fuzz/csv_reader_fuzz; it had been "not closed").
  EXPECT_EQ(ReadBytes("ok\n\"" + std::string(66, 'x'), options).status.message(),
            kTooLong + " (is a quote left open?)");
  EXPECT_EQ(ReadBytes("ok\n\"" + std::string(62, 'x'), options).status.message(),
            "input.csv:2:1: a quoted field is not closed before the end of the input");
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

}  // namespace
}  // namespace loader
