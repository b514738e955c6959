// Chunks of file rows: splitting by input span with rejected rows anywhere,
// SpanBefore, and UnsendLastRow. Each part must be the very chunk a source
// would have made of its rows alone (payload, INSERT offsets, origins and
// original text), which a model builds here straight from the rows.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/encode/chunk.h"
#include "loader/encode/encoder.h"
#include "loader/read/content_digest.h"

namespace loader {
namespace {

constexpr uint32_t kNull = InsertParamEncoder::kNullOffset;

struct Row {
  uint64_t line = 0;
  std::vector<std::optional<std::string>> values;  // nullopt: NULL
  bool sent = true;
  bool keep_raw = true;  // its text is in Chunk::raw (a rejected row's may not be)
};

// The row as a CSV line: NULL as an empty field, a value with a comma or a
// line break quoted.
std::string RawOf(const Row& row) {
  std::string raw;
  for (size_t i = 0; i < row.values.size(); ++i) {
    if (i > 0) raw += ',';
    if (!row.values[i]) continue;
    const std::string& v = *row.values[i];
    raw += v.find_first_of(",\n") == std::string::npos ? v : "\"" + v + "\"";
  }
  return raw;
}

const std::string kFile = "data.csv";

// The chunk a source makes of `rows` alone.
void Build(const std::vector<Row>& rows, size_t begin, size_t end, Encoding encoding,
           uint64_t first_row, Chunk* chunk) {
  chunk->Reset(encoding);
  chunk->index = 7;
  chunk->first_row = first_row;
  chunk->file = &kFile;
  for (size_t r = begin; r < end; ++r) {
    const Row& row = rows[r];
    const std::string raw = RawOf(row);
    RowOrigin origin;
    origin.line = row.line;
    origin.digest = RowDigest(raw);
    origin.raw_offset = static_cast<uint32_t>(chunk->raw.size());
    origin.sent = row.sent;
    if (row.keep_raw) {
      chunk->raw.Append(raw);
      origin.raw_size = static_cast<uint32_t>(raw.size());
    }
    chunk->origins.push_back(origin);
    if (!row.sent) continue;
    ++chunk->rows;
    if (encoding == Encoding::kCopyText) {
      CopyTextEncoder enc(&chunk->payload);
      for (const auto& v : row.values) v ? enc.Text(*v) : enc.Null();
      enc.EndRow();
    } else {
      InsertParamEncoder enc(&chunk->payload, &chunk->value_offsets);
      for (const auto& v : row.values) v ? enc.Text(*v) : enc.Null();
    }
  }
}

const char* Name(Encoding encoding) { return encoding == Encoding::kCopyText ? "copy" : "insert"; }

void ExpectSameChunk(const Chunk& got, const Chunk& want) {
  EXPECT_EQ(got.index, want.index);
  EXPECT_EQ(got.first_row, want.first_row);
  EXPECT_EQ(got.rows, want.rows);
  EXPECT_EQ(got.span(), want.span());
  EXPECT_EQ(got.encoding, want.encoding);
  EXPECT_EQ(got.payload.view(), want.payload.view());
  EXPECT_EQ(got.value_offsets, want.value_offsets);
  EXPECT_EQ(got.raw.view(), want.raw.view());
  EXPECT_EQ(got.file, want.file);
  ASSERT_EQ(got.origins.size(), want.origins.size());
  for (size_t i = 0; i < got.origins.size(); ++i) {
    SCOPED_TRACE("origin " + std::to_string(i));
    EXPECT_EQ(got.origins[i].line, want.origins[i].line);
    EXPECT_EQ(got.origins[i].digest, want.origins[i].digest);
    EXPECT_EQ(got.origins[i].raw_offset, want.origins[i].raw_offset);
    EXPECT_EQ(got.origins[i].raw_size, want.origins[i].raw_size);
    EXPECT_EQ(got.origins[i].sent, want.origins[i].sent);
  }
}

// Rejected rows first, in the middle, together with a sent one between, and
// last; a multi-line value, a tab, and a row of NULLs only (no INSERT bytes).
std::vector<Row> Mixed() {
  return {
      {1, {"x", "a"}, false, false},     {2, {"1", "a"}},         {3, {"y", "b"}, false, false},
      {4, {"3", std::nullopt}},          {5, {"4", "c\nd"}},      {7, {"z", "e"}, false, false},
      {8, {std::nullopt, std::nullopt}}, {9, {"7", "tab\there"}}, {10, {"w", "h"}, false, false},
  };
}

constexpr uint64_t kFirst = 1000;

// Every split of the rows, and every split of each back part again, gives
// the model's chunks.
void ExpectEverySplitMatchesTheModel(const std::vector<Row>& rows) {
  for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
    Chunk whole;
    Build(rows, 0, rows.size(), encoding, kFirst, &whole);
    ASSERT_EQ(whole.span(), rows.size());
    for (size_t k = 1; k <= rows.size(); ++k) {
      SCOPED_TRACE(std::string(Name(encoding)) + " split at " + std::to_string(k));
      Chunk front;
      Chunk back;
      SplitChunkAt(whole, k, &front, &back);
      Chunk want;
      Build(rows, 0, k, encoding, kFirst, &want);
      ExpectSameChunk(front, want);
      Build(rows, k, rows.size(), encoding, kFirst + k, &want);
      ExpectSameChunk(back, want);
      for (size_t j = 1; j <= rows.size() - k; ++j) {
        SCOPED_TRACE("then the back part at " + std::to_string(j));
        Chunk back_front;
        Chunk back_back;
        SplitChunkAt(back, j, &back_front, &back_back);
        Build(rows, k, k + j, encoding, kFirst + k, &want);
        ExpectSameChunk(back_front, want);
        Build(rows, k + j, rows.size(), encoding, kFirst + k + j, &want);
        ExpectSameChunk(back_back, want);
      }
    }
  }
}

TEST(ChunkOrigins, SplitByInputSpanWithRejectedRowsAnywhere) {
  ExpectEverySplitMatchesTheModel(Mixed());
}

TEST(ChunkOrigins, SplitKeepsTheTextOfRejectedRowsThatHaveIt) {
  std::vector<Row> rows = Mixed();
  for (Row& r : rows) r.keep_raw = true;
  ExpectEverySplitMatchesTheModel(rows);
}

TEST(ChunkOrigins, SplitOfRowsThatWereAllRejected) {
  ExpectEverySplitMatchesTheModel(
      {{1, {"a"}, false, false}, {2, {"b"}, false, true}, {3, {"c"}, false, false}});
}

// The model spelled out once, so it is not the only judge.
TEST(ChunkOrigins, SplitAtThreeSpelledOut) {
  Chunk whole;
  Build(Mixed(), 0, 9, Encoding::kCopyText, kFirst, &whole);
  ASSERT_EQ(whole.payload.view(), "1\ta\n3\t\\N\n4\tc\\nd\n\\N\t\\N\n7\ttab\\there\n");
  ASSERT_EQ(whole.raw.view(), "1,a3,4,\"c\nd\",7,tab\there");
  Chunk front;
  Chunk back;
  SplitChunkAt(whole, 3, &front, &back);
  EXPECT_EQ(front.first_row, kFirst);
  EXPECT_EQ(front.rows, 1u);
  EXPECT_EQ(front.span(), 3u);
  EXPECT_EQ(front.payload.view(), "1\ta\n");
  EXPECT_EQ(front.raw.view(), "1,a");
  ASSERT_EQ(front.origins.size(), 3u);
  EXPECT_EQ(front.origins[0].line, 1u);
  EXPECT_FALSE(front.origins[0].sent);
  EXPECT_EQ(front.origins[1].line, 2u);
  EXPECT_TRUE(front.origins[1].sent);
  EXPECT_EQ(front.origins[1].digest, RowDigest("1,a"));
  EXPECT_EQ(front.origins[2].digest, RowDigest("y,b"));
  EXPECT_FALSE(front.origins[2].sent);

  EXPECT_EQ(back.first_row, kFirst + 3);
  EXPECT_EQ(back.rows, 4u);
  EXPECT_EQ(back.span(), 6u);
  EXPECT_EQ(back.payload.view(), "3\t\\N\n4\tc\\nd\n\\N\t\\N\n7\ttab\\there\n");
  EXPECT_EQ(back.raw.view(), "3,4,\"c\nd\",7,tab\there");
  ASSERT_EQ(back.origins.size(), 6u);
  EXPECT_EQ(back.origins[0].line, 4u);
  EXPECT_EQ(back.origins[0].raw_offset, 0u);
  EXPECT_EQ(back.origins[0].raw_size, 2u);
  EXPECT_EQ(back.origins[1].raw_offset, 2u);
  EXPECT_EQ(back.origins[1].raw_size, 7u);
  EXPECT_EQ(back.origins[5].line, 10u);
  EXPECT_FALSE(back.origins[5].sent);
}

TEST(ChunkOrigins, SplitAtTheFullSpanLeavesTheBackEmpty) {
  for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
    SCOPED_TRACE(Name(encoding));
    Chunk whole;
    Build(Mixed(), 0, 9, encoding, kFirst, &whole);
    Chunk front;
    Chunk back;
    // Stale contents in both must not survive.
    back.rows = 3;
    back.payload.Append("stale");
    back.origins.resize(2);
    back.raw.Append("stale");
    back.value_offsets = {1, 2};
    SplitChunkAt(whole, 9, &front, &back);
    ExpectSameChunk(front, whole);
    EXPECT_EQ(back.rows, 0u);
    EXPECT_EQ(back.span(), 0u);
    EXPECT_EQ(back.first_row, kFirst + 9);
    EXPECT_TRUE(back.payload.empty());
    EXPECT_TRUE(back.value_offsets.empty());
    EXPECT_TRUE(back.origins.empty());
    EXPECT_TRUE(back.raw.empty());
  }
}

TEST(ChunkOrigins, SplitChunkHalvesThePayloadRows) {
  // Five rows sent: the front gets two of them, with the rejected rows
  // before the third (span 4).
  for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
    SCOPED_TRACE(Name(encoding));
    const std::vector<Row> rows = Mixed();
    Chunk whole;
    Build(rows, 0, 9, encoding, kFirst, &whole);
    Chunk front;
    Chunk back;
    SplitChunk(whole, &front, &back);
    Chunk want;
    Build(rows, 0, 4, encoding, kFirst, &want);
    ExpectSameChunk(front, want);
    Build(rows, 4, 9, encoding, kFirst + 4, &want);
    ExpectSameChunk(back, want);
  }
}

TEST(SpanBefore, CountsTheRejectedRowsBeforeAPayloadRow) {
  Chunk chunk;
  Build(Mixed(), 0, 9, Encoding::kCopyText, kFirst, &chunk);
  ASSERT_EQ(chunk.rows, 5u);
  // Sent rows are inputs 1, 3, 4, 6 and 7.
  EXPECT_EQ(SpanBefore(chunk, 0), 1u);
  EXPECT_EQ(SpanBefore(chunk, 1), 3u);
  EXPECT_EQ(SpanBefore(chunk, 2), 4u);
  EXPECT_EQ(SpanBefore(chunk, 3), 6u);
  EXPECT_EQ(SpanBefore(chunk, 4), 7u);
  // All the payload rows: the whole span, trailing rejected rows included.
  EXPECT_EQ(SpanBefore(chunk, 5), 9u);
  EXPECT_EQ(SpanBefore(chunk, 6), 9u);
}

TEST(SpanBefore, WithoutOriginsIsThePayloadRow) {
  Chunk chunk;
  chunk.rows = 5;
  EXPECT_EQ(chunk.span(), 5u);
  EXPECT_EQ(SpanBefore(chunk, 0), 0u);
  EXPECT_EQ(SpanBefore(chunk, 3), 3u);
  EXPECT_EQ(SpanBefore(chunk, 5), 5u);
  EXPECT_EQ(SpanBefore(chunk, 9), 5u);
}

TEST(UnsendLastRow, TakesPayloadRowsOutOneByOneAndKeepsTheirSpan) {
  for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
    SCOPED_TRACE(Name(encoding));
    std::vector<Row> rows = Mixed();
    Chunk chunk;
    Build(rows, 0, rows.size(), encoding, kFirst, &chunk);
    // The sent rows from the last: the all-NULL row 6 has no INSERT bytes.
    for (size_t last : {7u, 6u, 4u, 3u, 1u}) {
      SCOPED_TRACE("unsend input row " + std::to_string(last));
      UnsendLastRow(&chunk);
      // The row is now a rejected one whose text the chunk still has.
      rows[last].sent = false;
      Chunk want;
      Build(rows, 0, rows.size(), encoding, kFirst, &want);
      ExpectSameChunk(chunk, want);
      // And the chunk still splits as the model does.
      ExpectEverySplitMatchesTheModel(rows);
    }
    EXPECT_EQ(chunk.rows, 0u);
    EXPECT_EQ(chunk.span(), 9u);
    EXPECT_TRUE(chunk.payload.empty());
    EXPECT_TRUE(chunk.value_offsets.empty());
  }
}

TEST(UnsendLastRow, InsertOffsetsAreThoseOfTheRowsLeft) {
  Chunk chunk;
  Build(Mixed(), 0, 9, Encoding::kInsertParams, kFirst, &chunk);
  ASSERT_EQ(chunk.value_offsets,
            (std::vector<uint32_t>{0, 2, 4, kNull, 6, 8, kNull, kNull, 12, 14}));
  UnsendLastRow(&chunk);
  EXPECT_EQ(chunk.value_offsets, (std::vector<uint32_t>{0, 2, 4, kNull, 6, 8, kNull, kNull}));
  EXPECT_EQ(chunk.payload.view(), std::string_view("1\0a\0"
                                                   "3\0"
                                                   "4\0c\nd\0",
                                                   12));
  UnsendLastRow(&chunk);  // the NULLs-only row: no bytes to take out
  EXPECT_EQ(chunk.value_offsets, (std::vector<uint32_t>{0, 2, 4, kNull, 6, 8}));
  EXPECT_EQ(chunk.payload.view(), std::string_view("1\0a\0"
                                                   "3\0"
                                                   "4\0c\nd\0",
                                                   12));
  EXPECT_FALSE(chunk.origins[6].sent);
  EXPECT_FALSE(chunk.origins[7].sent);
  EXPECT_TRUE(chunk.origins[4].sent);
  EXPECT_EQ(chunk.rows, 3u);
}

}  // namespace
}  // namespace loader
