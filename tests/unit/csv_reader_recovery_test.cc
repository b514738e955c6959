// CsvReader::can_continue: after a bad record the reader has consumed it and
// the next call to Next reads the record after it, with the right line
// numbers, however the input arrives; after an unterminated quote, an
// oversized record or a failed read it has nowhere to go on from.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "loader/read/csv_reader.h"
#include "support/csv_reader_testing.h"

namespace loader {
namespace {

using namespace test_support;  // NOLINT: the test vocabulary (Plain, Quoted, PipeWriter...)

// One call to Next that returned a record, or an error the reader moved past.
// An error step keeps the bad record's line, index and raw text; its fields
// are not part of the contract, so they are left empty.
struct Step {
  Record record;
  std::string error;  // empty for a good record
};

bool operator==(const Step& a, const Step& b) { return a.record == b.record && a.error == b.error; }

void PrintTo(const Step& s, std::ostream* os) {
  PrintTo(s.record, os);
  if (!s.error.empty()) *os << " error \"" << Escape(s.error) << "\"";
}

Step Good(std::vector<Field> fields, uint64_t line, uint64_t index, std::string raw) {
  return {{std::move(fields), line, index, std::move(raw)}, ""};
}

Step Bad(uint64_t line, uint64_t index, std::string raw, std::string error) {
  return {{{}, line, index, std::move(raw)}, std::move(error)};
}

struct Recovered {
  std::vector<Step> steps;
  Status stop;  // OK at the end of the input, else the error can_continue refused
};

// Reads `fd` as a load with rejects does: past every error the reader can
// continue from, up to the end of the input or the first one it cannot.
Recovered ReadRecovering(int fd, const CsvOptions& options = {}) {
  Recovered out;
  if (fd < 0) {
    out.stop = Status::Internal("no input descriptor");
    return out;
  }
  std::unique_ptr<CsvReader> reader = CsvReader::FromDescriptor(fd, kName, options);
  for (int calls = 0; calls < 10000; ++calls) {
    CsvRecord record;
    bool eof = false;
    const Status s = reader->Next(&record, &eof);
    if (s.ok() && eof) return out;
    if (s.ok()) {
      out.steps.push_back({Own(record), ""});
      continue;
    }
    if (!reader->can_continue()) {
      out.stop = s;
      return out;
    }
    Record bad = Own(record);
    bad.fields.clear();
    out.steps.push_back({std::move(bad), s.message()});
  }
  out.stop = Status::Internal("the reader never reached the end of its input");
  return out;
}

void ExpectSteps(const Recovered& got, const std::vector<Step>& want) {
  EXPECT_TRUE(got.stop.ok()) << got.stop.ToString();
  for (size_t i = 0; i < std::min(got.steps.size(), want.size()); ++i) {
    ASSERT_EQ(got.steps[i], want[i]) << "step " << i;
  }
  EXPECT_EQ(got.steps.size(), want.size());
}

constexpr char kUtf8[] = ": invalid UTF-8 (the loader reads UTF-8 text only)";
constexpr char kStray[] =
    ": a quote inside an unquoted field (quote the whole field and double the quotes in it)";
constexpr char kAfterQuote[] =
    ": expected a delimiter or the end of the line after the closing quote, found '";

std::string At(const std::string& where, const char* what) { return "input.csv:" + where + what; }

// Invalid UTF-8 anywhere in a record, a multi-line quoted one too, then a
// record cut short at the end of the input.
const std::string kUtf8Input =
    "ok,1\n"
    "bad\xFF,2\n"
    "\"multi\nline\xFF\",3\r\n"
    "next,4\n"
    "\"\xFF\nmore\",x\n"
    "two\xFE,bad\xFF\n"
    "last\xC3";

std::vector<Step> Utf8Steps() {
  return {
      Good({Plain("ok"), Plain("1")}, 1, 0, "ok,1"),
      Bad(2, 1, "bad\xFF,2", At("2:4", kUtf8)),
      Bad(3, 2, "\"multi\nline\xFF\",3", At("4:5", kUtf8)),
      Good({Plain("next"), Plain("4")}, 5, 3, "next,4"),
      Bad(6, 4, "\"\xFF\nmore\",x", At("6:2", kUtf8)),
      Bad(8, 5, "two\xFE,bad\xFF", At("8:4", kUtf8)),  // the record's first bad byte
      Bad(9, 6, "last\xC3", At("9:5", kUtf8)),
  };
}

// Stray quotes, in an unquoted field or after a closing quote, end the record
// at the end of the line they are on, even when that line opens a quote.
const std::string kStrayInput =
    "a,1\n"
    "xy\"z,5\n"
    "\"a\"b,6\r\n"
    "\"q\nr\"x,7\n"
    "s\"t,\"u\n"
    "v\",9\n"
    "end,10\r\n"
    "z\"";

std::vector<Step> StraySteps() {
  return {
      Good({Plain("a"), Plain("1")}, 1, 0, "a,1"),
      Bad(2, 1, "xy\"z,5", At("2:3", kStray)),
      Bad(3, 2, "\"a\"b,6", At("3:4", kAfterQuote) + "b'"),
      Bad(4, 3, "\"q\nr\"x,7", At("5:3", kAfterQuote) + "x'"),
      Bad(6, 4, "s\"t,\"u", At("6:2", kStray)),
      Bad(7, 5, "v\",9", At("7:2", kStray)),
      Good({Plain("end"), Plain("10")}, 8, 6, "end,10"),
      Bad(9, 7, "z\"", At("9:2", kStray)),
  };
}

TEST(CsvReaderRecovery, InvalidUtf8RecordIsConsumedWholeAndReadingGoesOn) {
  ExpectSteps(ReadRecovering(FileWith(kUtf8Input)), Utf8Steps());
}

TEST(CsvReaderRecovery, StrayQuoteSkipsToTheEndOfItsLine) {
  ExpectSteps(ReadRecovering(FileWith(kStrayInput)), StraySteps());
}

TEST(CsvReaderRecovery, BadFirstRecordAfterAByteOrderMark) {
  ExpectSteps(ReadRecovering(FileWith("\xEF\xBB\xBF\"a\"b\nc\n")),
              {Bad(1, 0, "\"a\"b", At("1:4", kAfterQuote) + "b'"), Good({Plain("c")}, 2, 1, "c")});
  ExpectSteps(ReadRecovering(FileWith("\xEF\xBB\xBF\xFF\nc\n")),
              {Bad(1, 0, "\xFF", At("1:1", kUtf8)), Good({Plain("c")}, 2, 1, "c")});
}

TEST(CsvReaderRecovery, RecoversWithACustomQuoteAndDelimiter) {
  CsvOptions options;
  options.delimiter = ';';
  options.quote = '\'';
  ExpectSteps(
      ReadRecovering(FileWith("a'b;c\n'x\ny'z;1\n\"ok\";2\n"), options),
      {Bad(1, 0, "a'b;c", At("1:2", kStray)), Bad(2, 1, "'x\ny'z;1", At("3:3", kAfterQuote) + "z'"),
       Good({Plain("\"ok\""), Plain("2")}, 4, 2, "\"ok\";2")});
}

TEST(CsvReaderRecovery, UnterminatedQuoteAtTheEndCannotContinue) {
  const Recovered got = ReadRecovering(FileWith("a\nbad\xFF\n\"open\nmore\n"));
  ASSERT_EQ(got.steps.size(), 2u);
  EXPECT_EQ(got.steps[1], Bad(2, 1, "bad\xFF", At("2:4", kUtf8)));
  EXPECT_EQ(got.stop.code(), Status::Code::kDataError);
  EXPECT_EQ(got.stop.message(),
            "input.csv:3:1: a quoted field is not closed before the end of the input");
}

TEST(CsvReaderRecovery, OversizedRecordCannotContinue) {
  CsvOptions options;
  options.max_record_bytes = 64;
  const std::string too_long =
      "input.csv:2:1: a record longer than 64 bytes, the most one chunk "
      "may carry";
  Recovered got = ReadRecovering(FileWith("ok\n" + std::string(100, 'x') + "\nz\n"), options);
  ASSERT_EQ(got.steps.size(), 1u);
  EXPECT_EQ(got.stop.code(), Status::Code::kDataError);
  EXPECT_EQ(got.stop.message(), too_long);
  // Invalid UTF-8 in it does not make it a record to skip.
  got = ReadRecovering(FileWith("ok\n\xFF" + std::string(100, 'x') + "\nz\n"), options);
  ASSERT_EQ(got.steps.size(), 1u);
  EXPECT_EQ(got.stop.message(), too_long);
}

// A line with a stray quote is skipped whole; when it is longer than a record
// may be, the reader must refuse it as it does any other oversized record,
// whether the line end is already in its buffer (a file) or not (a pipe).
TEST(CsvReaderRecovery, OversizedLineWithAStrayQuoteCannotContinue) {
  CsvOptions options;
  options.max_record_bytes = 64;
  const std::string input = "ok\na\"" + std::string(100, 'x') + "\nz\n";
  const std::string too_long = "input.csv:2:1: a record longer than 64 bytes";

  PipeWriter slow(input, {3, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5}, /*drain=*/true);
  const Recovered piped = ReadRecovering(slow.TakeReadEnd(), options);
  EXPECT_EQ(piped.steps.size(), 1u);
  EXPECT_EQ(piped.stop.message().substr(0, too_long.size()), too_long) << piped.stop.ToString();

  const Recovered file = ReadRecovering(FileWith(input), options);
  EXPECT_EQ(file.steps.size(), 1u);
  EXPECT_EQ(file.stop.message().substr(0, too_long.size()), too_long) << file.stop.ToString();
}

TEST(CsvReaderRecovery, FailedReadCannotContinue) {
  // read(2) on a directory fails with EISDIR.
  const int fd = open(testing::TempDir().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  const Recovered got = ReadRecovering(fd);
  EXPECT_TRUE(got.steps.empty());
  EXPECT_EQ(got.stop.code(), Status::Code::kIoError) << got.stop.ToString();
}

// `steps` as they read after `lines` lines and `records` records more.
std::vector<Step> Shifted(std::vector<Step> steps, uint64_t lines, uint64_t records) {
  const size_t prefix = std::string(kName).size() + 1;  // "input.csv:"
  for (Step& s : steps) {
    s.record.line += lines;
    s.record.index += records;
    if (s.error.empty()) continue;
    const size_t colon = s.error.find(':', prefix);
    const uint64_t line = std::stoull(s.error.substr(prefix, colon - prefix)) + lines;
    s.error = s.error.substr(0, prefix) + std::to_string(line) + s.error.substr(colon);
  }
  return steps;
}

std::vector<Step> Concatenated(std::vector<Step> a, const std::vector<Step>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Both inputs one after the other (9 lines and 7 records, then 9 and 8): the
// stray-quote part's lines and indexes follow on from the UTF-8 part's.
std::string BothInputs() { return kUtf8Input + "\n" + kStrayInput; }

std::vector<Step> BothSteps() { return Concatenated(Utf8Steps(), Shifted(StraySteps(), 9, 7)); }

TEST(CsvReaderRecovery, SameStepsWhenEveryByteIsItsOwnRead) {
  const std::string input = BothInputs();
  ExpectSteps(ReadRecovering(FileWith(input)), BothSteps());
  PipeWriter writer(input, std::vector<size_t>(input.size(), 1), /*drain=*/true);
  ExpectSteps(ReadRecovering(writer.TakeReadEnd()), BothSteps());
  // A byte order mark, read byte by byte too, changes no line or column.
  const std::string with_bom = "\xEF\xBB\xBF" + input;
  PipeWriter bom_writer(with_bom, std::vector<size_t>(with_bom.size(), 1), /*drain=*/true);
  ExpectSteps(ReadRecovering(bom_writer.TakeReadEnd()), BothSteps());
}

TEST(CsvReaderRecovery, SameStepsWhateverByteStartsTheSecondRead) {
  const std::string input = BothInputs();
  for (size_t split = 1; split < input.size(); ++split) {
    SCOPED_TRACE("second read from byte " + std::to_string(split));
    PipeWriter writer(input, {split, input.size() - split}, /*drain=*/true);
    ExpectSteps(ReadRecovering(writer.TakeReadEnd()), BothSteps());
  }
}

TEST(CsvReaderRecovery, SameStepsInRandomSmallPieces) {
  const std::string input = BothInputs() + "\n" + BothInputs();
  const std::vector<Step> want = Concatenated(BothSteps(), Shifted(BothSteps(), 18, 15));
  ExpectSteps(ReadRecovering(FileWith(input)), want);
  for (unsigned seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    std::vector<size_t> pieces;
    for (size_t left = input.size(); left > 0;) {
      const size_t n = std::min<size_t>(left, 1 + rng() % 5);
      pieces.push_back(n);
      left -= n;
    }
    PipeWriter writer(input, std::move(pieces), /*drain=*/true);
    ExpectSteps(ReadRecovering(writer.TakeReadEnd()), want);
  }
}

}  // namespace
}  // namespace loader
