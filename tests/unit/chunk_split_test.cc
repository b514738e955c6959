#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/encode/encoder.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

constexpr uint64_t kSeed = 3;

using Values = std::vector<std::optional<std::string>>;  // nullopt: SQL NULL

// What a generated chunk can be encoded as for a Sink.
constexpr Encoding kEncodings[] = {Encoding::kCopyText, Encoding::kCopyBinary,
                                   Encoding::kInsertParams};

std::string Name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kCopyText:
      return "copy";
    case Encoding::kCopyBinary:
      return "binary";
    default:
      return "insert";
  }
}

// The one chunk holding rows [first, first + rows) of a generated table, made
// straight by the generator rather than by splitting.
Chunk Generated(const char* table, Encoding encoding, uint64_t first, uint64_t rows) {
  auto source =
      MakeGeneratedSource(*FindGeneratedTable(table), kSeed, std::vector<RowRange>{{first, rows}},
                          ChunkLimits{rows, 8u << 20}, encoding);
  Chunk chunk;
  bool done = true;
  const Status s = source->NextChunk(&chunk, &done);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(done);
  EXPECT_EQ(chunk.first_row, first);
  EXPECT_EQ(chunk.rows, rows);
  return chunk;
}

// The INSERT parameter values of a chunk, read through its offsets.
Values ValuesOf(const Chunk& chunk) {
  Values values;
  for (uint32_t offset : chunk.value_offsets) {
    if (offset == InsertParamEncoder::kNullOffset) {
      values.push_back(std::nullopt);
      continue;
    }
    const size_t size = chunk.payload.size();
    const void* nul =
        offset < size ? std::memchr(chunk.payload.data() + offset, '\0', size - offset) : nullptr;
    if (nul == nullptr) {
      // One failure, not thousands: the values that follow are as broken.
      ADD_FAILURE() << "no NUL-terminated value at offset " << offset << " of " << size;
      values.push_back("<bad offset>");
      break;
    }
    values.emplace_back(std::string(chunk.payload.data() + offset, static_cast<const char*>(nul)));
  }
  return values;
}

Values Concatenate(Values a, const Values& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

size_t CountNewlines(std::string_view s) { return std::count(s.begin(), s.end(), '\n'); }

// Splits `chunk` until every piece has one row; appends the pieces in row order.
void SplitToSingleRows(Chunk chunk, std::vector<Chunk>* pieces) {
  if (chunk.rows <= 1) {
    pieces->push_back(std::move(chunk));
    return;
  }
  Chunk front;
  Chunk back;
  SplitChunk(chunk, &front, &back);
  SplitToSingleRows(std::move(front), pieces);
  SplitToSingleRows(std::move(back), pieces);
}

TEST(SplitChunk, HalvesGeneratedChunks) {
  for (const char* table : {"accounts", "points"}) {
    const size_t columns = FindGeneratedTable(table)->columns.size();
    for (Encoding encoding : kEncodings) {
      for (uint64_t rows : {2, 3, 7, 1000}) {
        for (uint64_t first : {0, 4321}) {
          SCOPED_TRACE(std::string(table) + " " + Name(encoding) + " rows " + std::to_string(rows) +
                       " first " + std::to_string(first));
          Chunk whole = Generated(table, encoding, first, rows);
          whole.index = 17;
          Chunk front;
          Chunk back;
          SplitChunk(whole, &front, &back);
          const uint32_t half = static_cast<uint32_t>(rows / 2);

          EXPECT_EQ(front.index, 17u);
          EXPECT_EQ(back.index, 17u);
          EXPECT_EQ(front.encoding, encoding);
          EXPECT_EQ(back.encoding, encoding);
          EXPECT_EQ(front.first_row, first);
          EXPECT_EQ(front.rows, half);
          EXPECT_EQ(back.first_row, first + half);
          EXPECT_EQ(back.rows, rows - half);
          EXPECT_EQ(std::string(front.payload.view()) + std::string(back.payload.view()),
                    whole.payload.view());

          if (encoding != Encoding::kInsertParams) {
            if (encoding == Encoding::kCopyText) {
              EXPECT_EQ(CountNewlines(front.payload.view()), half);
            }
            EXPECT_TRUE(front.value_offsets.empty());
            EXPECT_TRUE(back.value_offsets.empty());
          } else {
            EXPECT_EQ(front.value_offsets.size(), half * columns);
            EXPECT_EQ(back.value_offsets.size(), (rows - half) * columns);
            EXPECT_EQ(Concatenate(ValuesOf(front), ValuesOf(back)), ValuesOf(whole));
          }

          // Each half is what the generator makes for its rows, byte for byte.
          const Chunk direct_front = Generated(table, encoding, first, half);
          EXPECT_EQ(front.payload.view(), direct_front.payload.view());
          EXPECT_EQ(front.value_offsets, direct_front.value_offsets);
          const Chunk direct_back = Generated(table, encoding, first + half, rows - half);
          EXPECT_EQ(back.payload.view(), direct_back.payload.view());
          EXPECT_EQ(back.value_offsets, direct_back.value_offsets);
        }
      }
    }
  }
}

// The split point the journal asks for after a partial collision: any row.
TEST(SplitChunkAt, CutsAtAnyRowLikeTheGenerator) {
  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : kEncodings) {
      for (uint32_t front_rows : {1u, 3u, 9u}) {
        SCOPED_TRACE(std::string(table) + " " + Name(encoding) + " at " +
                     std::to_string(front_rows));
        const Chunk whole = Generated(table, encoding, 100, 10);
        Chunk front;
        Chunk back;
        SplitChunkAt(whole, front_rows, &front, &back);
        const Chunk direct_front = Generated(table, encoding, 100, front_rows);
        const Chunk direct_back = Generated(table, encoding, 100 + front_rows, 10 - front_rows);
        EXPECT_EQ(front.first_row, 100u);
        EXPECT_EQ(front.rows, front_rows);
        EXPECT_EQ(back.first_row, 100u + front_rows);
        EXPECT_EQ(back.rows, 10u - front_rows);
        EXPECT_EQ(front.payload.view(), direct_front.payload.view());
        EXPECT_EQ(front.value_offsets, direct_front.value_offsets);
        EXPECT_EQ(back.payload.view(), direct_back.payload.view());
        EXPECT_EQ(back.value_offsets, direct_back.value_offsets);
      }
    }
  }
}

TEST(SplitChunk, RepeatedSplitsDownToSingleRowsReassemble) {
  constexpr uint64_t kFirst = 90;
  constexpr uint64_t kRows = 37;
  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : kEncodings) {
      SCOPED_TRACE(std::string(table) + " " + Name(encoding));
      const Chunk whole = Generated(table, encoding, kFirst, kRows);
      std::vector<Chunk> pieces;
      SplitToSingleRows(Generated(table, encoding, kFirst, kRows), &pieces);
      ASSERT_EQ(pieces.size(), kRows);
      std::string payload;
      Values values;
      for (size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_EQ(pieces[i].first_row, kFirst + i);
        EXPECT_EQ(pieces[i].rows, 1u);
        const Chunk direct = Generated(table, encoding, kFirst + i, 1);
        EXPECT_EQ(pieces[i].payload.view(), direct.payload.view()) << "row " << kFirst + i;
        EXPECT_EQ(pieces[i].value_offsets, direct.value_offsets) << "row " << kFirst + i;
        payload += pieces[i].payload.view();
        values = Concatenate(std::move(values), ValuesOf(pieces[i]));
      }
      EXPECT_EQ(payload, whole.payload.view());
      EXPECT_EQ(values, ValuesOf(whole));
    }
  }
}

// The generated tables have no NULLs and no text, so the cases below are built
// by hand with the encoders.

TEST(SplitChunk, InsertBackHalfStartsAtItsFirstNonNullValue) {
  Chunk whole;
  whole.Reset(Encoding::kInsertParams);
  whole.first_row = 10;
  whole.rows = 4;
  InsertParamEncoder enc(&whole.payload, &whole.value_offsets);
  enc.Text("a");  // row 10
  enc.Null();
  enc.Null();  // row 11
  enc.Text("b");
  enc.Null();  // row 12: the back half opens with two NULLs
  enc.Null();
  enc.Text("c");  // row 13
  enc.Null();

  Chunk front;
  Chunk back;
  SplitChunk(whole, &front, &back);
  constexpr uint32_t kNull = InsertParamEncoder::kNullOffset;
  EXPECT_EQ(front.first_row, 10u);
  EXPECT_EQ(front.rows, 2u);
  EXPECT_EQ(front.payload.view(), std::string_view("a\0b\0", 4));
  EXPECT_EQ(front.value_offsets, (std::vector<uint32_t>{0, kNull, kNull, 2}));
  EXPECT_EQ(back.first_row, 12u);
  EXPECT_EQ(back.rows, 2u);
  EXPECT_EQ(back.payload.view(), std::string_view("c\0", 2));
  EXPECT_EQ(back.value_offsets, (std::vector<uint32_t>{kNull, kNull, 0, kNull}));
}

TEST(SplitChunk, InsertBackHalfOfOnlyNullsHasNoBytes) {
  Chunk whole;
  whole.Reset(Encoding::kInsertParams);
  whole.rows = 2;
  InsertParamEncoder enc(&whole.payload, &whole.value_offsets);
  enc.Text("x");  // row 0
  enc.Text("yz");
  enc.Null();  // row 1
  enc.Null();

  Chunk front;
  Chunk back;
  SplitChunk(whole, &front, &back);
  constexpr uint32_t kNull = InsertParamEncoder::kNullOffset;
  EXPECT_EQ(front.payload.view(), std::string_view("x\0yz\0", 5));
  EXPECT_EQ(front.value_offsets, (std::vector<uint32_t>{0, 2}));
  EXPECT_TRUE(back.payload.empty());
  EXPECT_EQ(back.value_offsets, (std::vector<uint32_t>{kNull, kNull}));
  EXPECT_EQ(back.rows, 1u);
  EXPECT_EQ(back.first_row, 1u);
}

TEST(SplitChunk, CopyTextCutsAtRowEndsNotAtEscapedNewlines) {
  Chunk whole;
  whole.Reset(Encoding::kCopyText);
  whole.first_row = 5;
  whole.rows = 3;
  CopyTextEncoder enc(&whole.payload);
  enc.Int8(1);
  enc.Text("line1\nline2");
  enc.EndRow();
  enc.Int8(2);
  enc.Text("tab\there");
  enc.EndRow();
  enc.Int8(3);
  enc.Null();
  enc.EndRow();

  // Front and back held INSERT data before: nothing of it may survive.
  Chunk front;
  Chunk back;
  for (Chunk* stale : {&front, &back}) {
    stale->Reset(Encoding::kInsertParams);
    InsertParamEncoder(&stale->payload, &stale->value_offsets).Text("stale");
    stale->rows = 9;
  }
  SplitChunk(whole, &front, &back);
  EXPECT_EQ(front.encoding, Encoding::kCopyText);
  EXPECT_EQ(back.encoding, Encoding::kCopyText);
  EXPECT_EQ(front.first_row, 5u);
  EXPECT_EQ(front.rows, 1u);
  EXPECT_EQ(front.payload.view(), "1\tline1\\nline2\n");
  EXPECT_TRUE(front.value_offsets.empty());
  EXPECT_EQ(back.first_row, 6u);
  EXPECT_EQ(back.rows, 2u);
  EXPECT_EQ(back.payload.view(), "2\ttab\\there\n3\t\\N\n");
  EXPECT_TRUE(back.value_offsets.empty());
}

}  // namespace
}  // namespace loader
