// CsvSource with file rows' origins and --max-rejects: every input row is in
// its chunk's origins (line, digest, sent or not), bad rows go to the reject
// file instead of the payload, chunks never span two files, and a re-run
// checks the rows the journal has committed against their digests.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "loader/read/content_digest.h"
#include "loader/read/csv_source.h"
#include "loader/read/reject_log.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

using test_support::Contents;
using test_support::TempDir;

// Standard input reads `path` while the object lives.
class ScopedStdin {
 public:
  explicit ScopedStdin(const std::string& path) : saved_(dup(STDIN_FILENO)) {
    const int fd = open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0) << path;
    EXPECT_EQ(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
  }
  ~ScopedStdin() {
    dup2(saved_, STDIN_FILENO);
    close(saved_);
  }
  ScopedStdin(const ScopedStdin&) = delete;
  ScopedStdin& operator=(const ScopedStdin&) = delete;

 private:
  int saved_;
};

// An owned copy of what a chunk says about its rows.
struct Got {
  uint64_t index = 0;
  uint64_t first_row = 0;
  uint32_t rows = 0;
  uint64_t span = 0;
  std::string file;
  std::string payload;
  std::vector<uint32_t> value_offsets;
  std::vector<RowOrigin> origins;
  std::string raw;
};

struct Drained {
  std::vector<Got> chunks;
  Status status;  // OK once the source said done, else its error
  uint64_t rows_read = 0;
};

const std::vector<Column>& IdNote() {
  static const std::vector<Column> columns = {{"id", ColumnType::kInt8},
                                              {"note", ColumnType::kText}};
  return columns;
}

constexpr uint64_t kAll = UINT64_MAX / 4;  // a file job's todo: to the end, however long

CsvInput Input(std::vector<std::string> paths, RejectLog* rejects, bool header = false) {
  CsvInput input;
  input.paths = std::move(paths);
  input.header = header;
  input.columns = IdNote();
  input.rejects = rejects;
  return input;
}

Drained Drain(const CsvInput& input, uint64_t max_rows, std::vector<RowRange> todo = {{0, kAll}},
              Encoding encoding = Encoding::kCopyText) {
  Drained out;
  std::unique_ptr<RowSource> source;
  out.status = MakeCsvSource(input, {max_rows, 8u << 20}, encoding, std::move(todo), &source);
  if (!out.status.ok()) return out;
  for (int calls = 0; calls < 1000; ++calls) {
    Chunk chunk;
    bool done = false;
    out.status = source->NextChunk(&chunk, &done);
    out.rows_read = source->rows_read();
    if (!out.status.ok() || done) return out;
    out.chunks.push_back({chunk.index, chunk.first_row, chunk.rows, chunk.span(),
                          chunk.file == nullptr ? "<none>" : *chunk.file,
                          std::string(chunk.payload.view()), chunk.value_offsets, chunk.origins,
                          std::string(chunk.raw.view())});
  }
  out.status = Status::Internal("the source never said done");
  return out;
}

std::vector<uint64_t> Lines(const Got& chunk) {
  std::vector<uint64_t> lines;
  for (const RowOrigin& o : chunk.origins) lines.push_back(o.line);
  return lines;
}

std::vector<bool> Sent(const Got& chunk) {
  std::vector<bool> sent;
  for (const RowOrigin& o : chunk.origins) sent.push_back(o.sent);
  return sent;
}

std::vector<uint64_t> Digests(const std::vector<std::string>& raws) {
  std::vector<uint64_t> digests;
  for (const std::string& raw : raws) digests.push_back(RowDigest(raw));
  return digests;
}

std::vector<uint64_t> Digests(const Got& chunk) {
  std::vector<uint64_t> digests;
  for (const RowOrigin& o : chunk.origins) digests.push_back(o.digest);
  return digests;
}

// Seven rows: good, a bad INT8, too few fields, good over two lines, a stray
// quote, invalid UTF-8, good.
const std::string kMixed =
    "1,a\n"
    "x,b\n"
    "3\n"
    "4,\"c\nd\"\n"
    "5,e\"f\n"
    "6,\xFF\n"
    "7,g\n";
const std::vector<std::string> kMixedRaws = {"1,a",    "x,b",    "3",  "4,\"c\nd\"",
                                             "5,e\"f", "6,\xFF", "7,g"};

std::string MixedReasons(const std::string& path) {
  return path + ":2:1: column id: expected a 64-bit integer (INT8), found 'x'\n" + path +
         ":3:1: expected 2 fields (id, note), found 1\n" + path +
         ":6:4: a quote inside an unquoted field (quote the whole field and double the quotes in "
         "it)\n" +
         path + ":7:3: invalid UTF-8 (the loader reads UTF-8 text only)\n";
}

TEST(CsvSourceRejects, BadRowsAreCoveredButNotSent) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", kMixed);
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({path}, &rejects), 100);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 1u);
  const Got& c = got.chunks[0];
  EXPECT_EQ(c.index, 0u);
  EXPECT_EQ(c.first_row, 0u);
  EXPECT_EQ(c.rows, 3u);
  EXPECT_EQ(c.span, 7u);
  EXPECT_EQ(c.file, path);
  EXPECT_EQ(c.payload, "1\ta\n4\tc\\nd\n7\tg\n");
  EXPECT_EQ(Lines(c), (std::vector<uint64_t>{1, 2, 3, 4, 6, 7, 8}));
  EXPECT_EQ(Sent(c), (std::vector<bool>{true, false, false, true, false, false, true}));
  EXPECT_EQ(Digests(c), Digests(kMixedRaws));
  // The text of the rows sent, so a row the server refuses can be copied out;
  // the rejected ones are in the reject file already.
  EXPECT_EQ(c.raw, "1,a4,\"c\nd\"7,g");
  ASSERT_EQ(c.origins.size(), 7u);
  EXPECT_EQ(c.origins[3].raw_offset, 3u);
  EXPECT_EQ(c.origins[3].raw_size, 7u);
  EXPECT_EQ(c.origins[6].raw_offset, 10u);
  EXPECT_EQ(c.origins[6].raw_size, 3u);
  EXPECT_EQ(c.origins[1].raw_size, 0u);

  EXPECT_EQ(got.rows_read, 7u);
  EXPECT_EQ(rejects.rejected(), 4u);
  EXPECT_EQ(Contents(dir.File("r.csv")), "x,b\n3\n5,e\"f\n6,\xFF\n");
  EXPECT_EQ(Contents(dir.File("r.log")), MixedReasons(path));
}

TEST(CsvSourceRejects, InsertPayloadHoldsOnlyTheSentRows) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", kMixed);
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({path}, &rejects), 100, {{0, kAll}}, Encoding::kInsertParams);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 1u);
  EXPECT_EQ(got.chunks[0].rows, 3u);
  EXPECT_EQ(got.chunks[0].span, 7u);
  EXPECT_EQ(got.chunks[0].payload, std::string("1\0a\0"
                                               "4\0c\nd\0"
                                               "7\0g\0",
                                               14));
  EXPECT_EQ(got.chunks[0].value_offsets, (std::vector<uint32_t>{0, 2, 4, 6, 10, 12}));
}

TEST(CsvSourceRejects, AChunkOfOnlyRejectedRowsIsReturnedForTheJournal) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "x,1\ny,2\n3,c\nz,4\nw,5\nv,6\n");
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({path}, &rejects), 2);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 3u);
  const uint64_t want[][4] = {// index, first_row, rows, span
                              {0, 0, 0, 2},
                              {1, 2, 1, 2},
                              {2, 4, 0, 2}};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE("chunk " + std::to_string(i));
    EXPECT_EQ(got.chunks[i].index, want[i][0]);
    EXPECT_EQ(got.chunks[i].first_row, want[i][1]);
    EXPECT_EQ(got.chunks[i].rows, want[i][2]);
    EXPECT_EQ(got.chunks[i].span, want[i][3]);
    EXPECT_EQ(got.chunks[i].file, path);
  }
  EXPECT_EQ(got.chunks[0].payload, "");
  EXPECT_EQ(got.chunks[1].payload, "3\tc\n");
  EXPECT_EQ(Sent(got.chunks[1]), (std::vector<bool>{true, false}));
  EXPECT_EQ(got.rows_read, 6u);
  EXPECT_EQ(rejects.rejected(), 5u);
  EXPECT_EQ(Contents(dir.File("r.csv")), "x,1\ny,2\nz,4\nw,5\nv,6\n");
}

TEST(CsvSourceRejects, ChunksNeverSpanTwoFiles) {
  TempDir dir;
  const std::string a = dir.Write("a.csv", "id,note\n1,a\nx,b\n");
  const std::string empty = dir.Write("empty.csv", "id,note\n");
  const std::string b = dir.Write("b.csv", "id,note\r\ny,c\r\n2,d\r\n3,\"e\r\nf\"\r\n");
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({a, empty, b}, &rejects, /*header=*/true), 10);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 2u);
  const Got& first = got.chunks[0];
  EXPECT_EQ(first.file, a);
  EXPECT_EQ(first.first_row, 0u);
  EXPECT_EQ(first.rows, 1u);
  EXPECT_EQ(first.span, 2u);
  EXPECT_EQ(Lines(first), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(Sent(first), (std::vector<bool>{true, false}));
  EXPECT_EQ(first.raw, "1,a");
  const Got& second = got.chunks[1];
  EXPECT_EQ(second.file, b);
  EXPECT_EQ(second.index, 1u);
  EXPECT_EQ(second.first_row, 2u);
  EXPECT_EQ(second.rows, 2u);
  EXPECT_EQ(second.span, 3u);
  EXPECT_EQ(Lines(second), (std::vector<uint64_t>{2, 3, 4}));
  EXPECT_EQ(Sent(second), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(Digests(second), Digests({"y,c", "2,d", "3,\"e\r\nf\""}));
  EXPECT_EQ(second.payload, "2\td\n3\te\\r\\nf\n");
  EXPECT_EQ(second.raw, "2,d3,\"e\r\nf\"");
  EXPECT_EQ(got.rows_read, 5u);
  EXPECT_EQ(Contents(dir.File("r.csv")), "x,b\ny,c\n");
  EXPECT_EQ(Contents(dir.File("r.log")),
            a + ":3:1: column id: expected a 64-bit integer (INT8), found 'x'\n" + b +
                ":2:1: column id: expected a 64-bit integer (INT8), found 'y'\n");
}

TEST(CsvSourceRejects, StandardInputIsNamedStdin) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\nx,b\n");
  ScopedStdin in(path);
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({"-"}, &rejects), 10);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 1u);
  EXPECT_EQ(got.chunks[0].file, "stdin");
  EXPECT_EQ(got.chunks[0].span, 2u);
  EXPECT_EQ(Contents(dir.File("r.log")),
            "stdin:2:1: column id: expected a 64-bit integer (INT8), found 'x'\n");
}

TEST(CsvSourceRejects, WithoutRejectsNoTextIsKeptAndABadRowStopsTheLoad) {
  TempDir dir;
  const std::string good = dir.Write("good.csv", "1,a\n2,\"b\nc\"\n");
  for (bool with_log : {false, true}) {
    SCOPED_TRACE(with_log ? "RejectLog with max 0" : "no RejectLog");
    RejectLog none(dir.File("r.csv"), 0);
    Drained got = Drain(Input({good}, with_log ? &none : nullptr), 10);
    ASSERT_TRUE(got.status.ok()) << got.status.ToString();
    ASSERT_EQ(got.chunks.size(), 1u);
    const Got& c = got.chunks[0];
    EXPECT_EQ(c.raw, "");
    EXPECT_EQ(c.span, 2u);
    EXPECT_EQ(Lines(c), (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(Sent(c), (std::vector<bool>{true, true}));
    EXPECT_EQ(Digests(c), Digests({"1,a", "2,\"b\nc\""}));
    for (const RowOrigin& o : c.origins) EXPECT_EQ(o.raw_size, 0u);

    const std::string bad = dir.Write("bad.csv", "1,a\n2,\xFF\n3,c\n");
    got = Drain(Input({bad}, with_log ? &none : nullptr), 10);
    EXPECT_EQ(got.status.code(), Status::Code::kDataError);
    EXPECT_EQ(got.status.message(), bad + ":2:3: invalid UTF-8 (the loader reads UTF-8 text only)");
    // The rows before the bad one come out first, as a chunk of their own.
    ASSERT_EQ(got.chunks.size(), 1u);
    EXPECT_EQ(got.chunks[0].span, 1u);
    EXPECT_EQ(Lines(got.chunks[0]), (std::vector<uint64_t>{1}));
    EXPECT_FALSE(std::filesystem::exists(dir.File("r.csv")));
    EXPECT_FALSE(std::filesystem::exists(dir.File("r.log")));
  }
}

TEST(CsvSourceRejects, OnePastTheLimitStopsTheLoad) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\nx,b\n2,c\ny,d\n3,e\n");
  const std::string reject_path = dir.File("r.csv");
  RejectLog rejects(reject_path, 1);
  const Drained got = Drain(Input({path}, &rejects), 10);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  // The message starts with the place it is about, as every other one does.
  EXPECT_EQ(got.status.message(),
            path + ":4:1: more than 1 rows rejected (--max-rejects 1); the rejected rows are in " +
                reject_path +
                "; this one is past the limit: column id: expected a 64-bit integer (INT8), "
                "found 'y'");
  EXPECT_EQ(Contents(reject_path), "x,b\n");
}

TEST(CsvSourceRejects, ErrorsWithNoNextRecordAreNotRejected) {
  TempDir dir;
  RejectLog rejects(dir.File("r.csv"), 10);
  const std::string open_quote = dir.Write("open.csv", "1,a\nx,b\n3,\"c\n4,d\n");
  Drained got = Drain(Input({open_quote}, &rejects), 10);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_EQ(got.status.message(),
            open_quote + ":3:3: a quoted field is not closed before the end of the input");

  CsvInput small =
      Input({dir.Write("long.csv", "1,a\n2," + std::string(40, 'b') + "\n")}, &rejects);
  small.csv.max_record_bytes = 16;
  got = Drain(small, 10);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_EQ(got.status.message(), small.paths[0] +
                                      ":2:1: a record longer than 16 bytes, the most "
                                      "one chunk may carry");

  // A header must be right: it is not a row to set aside.
  got = Drain(Input({dir.Write("header.csv", "id,n\xFFte\n1,a\n")}, &rejects, true), 10);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_NE(got.status.message().find(":1:5: invalid UTF-8"), std::string::npos)
      << got.status.message();
  got = Drain(Input({dir.Write("header2.csv", "id,nope\n1,a\n")}, &rejects, true), 10);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_NE(got.status.message().find("the header names (id, nope)"), std::string::npos)
      << got.status.message();
  // Only the bad row before the open quote was set aside.
  EXPECT_EQ(rejects.rejected(), 1u);
  EXPECT_EQ(Contents(dir.File("r.csv")), "x,b\n");
}

TEST(CsvSourceRejects, RowsReadCountsEveryDataRecordAtTheEnd) {
  TempDir dir;
  const std::string a = dir.Write("a.csv", "id,note\n1,a\nx,b\n");
  const std::string b = dir.Write("b.csv", "id,note\n2,c\n3,\"d\"\"\"\n4,e\n");
  RejectLog rejects(dir.File("r.csv"), 10);
  const Drained got = Drain(Input({a, b}, &rejects, true), 2);
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.rows_read, 5u);
  uint64_t spans = 0;
  for (const Got& c : got.chunks) spans += c.span;
  EXPECT_EQ(spans, 5u);
}

// A journal chunk of `rows` rows from `first_row` whose lines were `raws`.
CommittedChunk Committed(uint64_t first_row, const std::vector<std::string>& raws) {
  uint64_t digest = 0;
  for (const std::string& raw : raws) digest = CombineDigest(digest, RowDigest(raw));
  return {first_row, raws.size(), digest};
}

const char kChanged[] =
    ": the input changed where it was already loaded. Fix a bad line in place (every record "
    "before it must stay), or start over with --drop, or load it as a new job with --job NAME";

TEST(CsvSourceCommitted, UnchangedCommittedRowsAreReadAndSkipped) {
  TempDir dir;
  // Row 1 was bad and rejected when it was committed: it is read, not rejected again.
  const std::string path = dir.Write("in.csv", "1,a\nx,b\n3,\"c\nd\"\n4,e\n5,f\n");
  RejectLog rejects(dir.File("r.csv"), 10);
  CsvInput input = Input({path}, &rejects);
  input.committed = {Committed(0, {"1,a", "x,b", "3,\"c\nd\""})};
  input.job = "j1";
  const Drained got = Drain(input, 10, {{3, kAll}});
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 1u);
  EXPECT_EQ(got.chunks[0].first_row, 3u);
  EXPECT_EQ(got.chunks[0].payload, "4\te\n5\tf\n");
  EXPECT_EQ(Lines(got.chunks[0]), (std::vector<uint64_t>{5, 6}));
  EXPECT_EQ(got.rows_read, 5u);
  EXPECT_EQ(rejects.rejected(), 0u);
}

TEST(CsvSourceCommitted, AChangedLineInACommittedRangeIsAnError) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\n2,B\n3,\"c\nd\"\n4,e\n");
  CsvInput input = Input({path}, nullptr);
  input.committed = {Committed(0, {"1,a", "2,b", "3,\"c\nd\""})};
  input.job = "nightly";
  const Drained got = Drain(input, 10, {{3, kAll}});
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_EQ(got.status.message(),
            path + ":1: lines 1..3 are not what job nightly committed as rows 0..2" + kChanged);
  EXPECT_TRUE(got.chunks.empty());
}

TEST(CsvSourceCommitted, ACommittedRangeInTheMiddleIsCheckedAfterTheRowsBeforeIt) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\n2,b\n3,\"c\nd\"\n4,E\n5,f\n");
  CsvInput input = Input({path}, nullptr);
  input.committed = {Committed(2, {"3,\"c\nd\"", "4,e"})};
  input.job = "j";
  const Drained got = Drain(input, 10, {{0, 2}, {4, kAll}});
  ASSERT_EQ(got.chunks.size(), 1u);
  EXPECT_EQ(got.chunks[0].first_row, 0u);
  EXPECT_EQ(got.chunks[0].rows, 2u);
  EXPECT_EQ(got.status.code(), Status::Code::kDataError);
  EXPECT_EQ(got.status.message(),
            path + ":3: lines 3..5 are not what job j committed as rows 2..3" + kChanged);

  // The same range unchanged passes.
  const std::string same = dir.Write("same.csv", "1,a\n2,b\n3,\"c\nd\"\n4,e\n5,f\n");
  input.paths = {same};
  const Drained ok = Drain(input, 10, {{0, 2}, {4, kAll}});
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  ASSERT_EQ(ok.chunks.size(), 2u);
  EXPECT_EQ(ok.chunks[1].first_row, 4u);
  EXPECT_EQ(ok.chunks[1].payload, "5\tf\n");
}

TEST(CsvSourceCommitted, EachCommittedChunkIsCheckedOnItsOwn) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\n2,b\n3,c\n4,d\n5,e\n");
  CsvInput input = Input({path}, nullptr);
  input.committed = {Committed(0, {"1,a", "2,b"}), Committed(2, {"3,c", "4,x"})};
  input.job = "j";
  const Drained got = Drain(input, 10, {{4, kAll}});
  EXPECT_EQ(got.status.message(),
            path + ":3: lines 3..4 are not what job j committed as rows 2..3" + kChanged);
}

TEST(CsvSourceCommitted, ADigestOfZeroIsNotChecked) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,changed\n2,b\n3,c\n");
  CsvInput input = Input({path}, nullptr);
  input.committed = {{0, 2, 0}};
  input.job = "j";
  const Drained got = Drain(input, 10, {{2, kAll}});
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.chunks.size(), 1u);
  EXPECT_EQ(got.chunks[0].payload, "3\tc\n");
}

// A committed chunk whose last lines are gone from the file changed too: its
// rows cannot be read as they were committed.
TEST(CsvSourceCommitted, ACommittedRangeCutShortByTheEndOfTheFileIsAnError) {
  TempDir dir;
  const std::string path = dir.Write("in.csv", "1,a\n2,b\n");
  CsvInput input = Input({path}, nullptr);
  input.committed = {Committed(0, {"1,a", "2,b", "3,c"})};
  input.job = "j";
  const Drained got = Drain(input, 10, {{3, kAll}});
  EXPECT_EQ(got.status.code(), Status::Code::kDataError) << got.status.ToString();
  EXPECT_EQ(got.status.message(),
            path +
                ": the input ends after 2 rows, but job j committed rows 0..2: the input "
                "changed where it was already loaded. Start over with --drop, or load it as "
                "a new job with --job NAME");
}

}  // namespace
}  // namespace loader
