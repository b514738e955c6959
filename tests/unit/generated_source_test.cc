#include "loader/generate/generated_source.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

const TableSpec& Table(const char* name) { return *FindGeneratedTable(name); }

ChunkLimits Limits(uint64_t max_rows, uint64_t max_bytes) {
  ChunkLimits limits;
  limits.max_rows = max_rows;
  limits.max_bytes = max_bytes;
  return limits;
}

// What one chunk looked like, copied out because the Chunk object is reused.
struct ChunkCopy {
  uint64_t index;
  uint64_t first_row;
  uint32_t rows;
  std::string payload;
  std::vector<uint32_t> value_offsets;
};

// Drains a source through a single reused Chunk, the way the pipeline recycles them.
std::vector<ChunkCopy> Drain(RowSource& source) {
  std::vector<ChunkCopy> chunks;
  Chunk chunk;
  while (true) {
    bool done = false;
    const Status s = source.NextChunk(&chunk, &done);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok() || done) break;
    chunks.push_back({chunk.index, chunk.first_row, chunk.rows, std::string(chunk.payload.view()),
                      chunk.value_offsets});
  }
  return chunks;
}

std::vector<ChunkCopy> Generate(const char* table, uint64_t rows, ChunkLimits limits,
                                Encoding encoding = Encoding::kCopyText, uint64_t seed = 1) {
  auto source = MakeGeneratedSource(Table(table), seed, rows, limits, encoding);
  EXPECT_EQ(source->total_rows(), rows);
  return Drain(*source);
}

std::string Concatenate(const std::vector<ChunkCopy>& chunks) {
  std::string all;
  for (const ChunkCopy& c : chunks) all += c.payload;
  return all;
}

size_t CountNewlines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Indexes count from 0, first rows are contiguous, and rows add up.
void ExpectContiguous(const std::vector<ChunkCopy>& chunks, uint64_t total_rows) {
  uint64_t next_row = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].index, i);
    EXPECT_EQ(chunks[i].first_row, next_row) << "chunk " << i;
    EXPECT_GT(chunks[i].rows, 0u) << "chunk " << i;
    next_row += chunks[i].rows;
  }
  EXPECT_EQ(next_row, total_rows);
}

TEST(GeneratedSource, ChunksCloseAtMaxRows) {
  for (const char* table : {"accounts", "points"}) {
    const std::vector<ChunkCopy> chunks = Generate(table, 10000, Limits(7, 8u << 20));
    ASSERT_EQ(chunks.size(), 1429u) << table;  // 1428 full chunks and one of 10000 % 7 = 4
    for (size_t i = 0; i + 1 < chunks.size(); ++i) {
      ASSERT_EQ(chunks[i].rows, 7u) << table << " chunk " << i;
      ASSERT_EQ(CountNewlines(chunks[i].payload), 7u);
      ASSERT_EQ(chunks[i].first_row, 7 * i);
    }
    EXPECT_EQ(chunks.back().rows, 4u);
    EXPECT_EQ(chunks.back().first_row, 9996u);
    EXPECT_EQ(CountNewlines(chunks.back().payload), 4u);
    ExpectContiguous(chunks, 10000);
  }
}

TEST(GeneratedSource, ChunksCloseBeforeMaxBytes) {
  constexpr uint64_t kMaxBytes = 1000;
  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
      const size_t max_row = Table(table).max_row_bytes;
      const std::vector<ChunkCopy> chunks =
          Generate(table, 10000, Limits(1000000, kMaxBytes), encoding);
      ASSERT_GT(chunks.size(), 1u);
      for (size_t i = 0; i < chunks.size(); ++i) {
        const size_t size = chunks[i].payload.size();
        ASSERT_LE(size, kMaxBytes) << table << " chunk " << i;
        // Every chunk but the last closed because one more row would not fit.
        if (i + 1 < chunks.size()) {
          ASSERT_GT(size, kMaxBytes - max_row) << table << " chunk " << i;
        }
      }
      ExpectContiguous(chunks, 10000);
    }
  }
}

TEST(GeneratedSource, ByteLimitOfOneRowGivesOneRowChunks) {
  const size_t max_row = Table("points").max_row_bytes;
  const std::vector<ChunkCopy> chunks = Generate("points", 50, Limits(1000, max_row));
  ASSERT_EQ(chunks.size(), 50u);
  for (const ChunkCopy& c : chunks) EXPECT_EQ(c.rows, 1u);
}

TEST(GeneratedSource, PayloadIsTheSameWhateverTheChunking) {
  constexpr uint64_t kRows = 10000;
  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
      const std::string whole =
          Concatenate(Generate(table, kRows, Limits(kRows, 15u << 20), encoding));
      ASSERT_EQ(Generate(table, kRows, Limits(kRows, 15u << 20), encoding).size(), 1u);
      ASSERT_FALSE(whole.empty());
      for (uint64_t max_rows : {1, 7, 1000, 20000}) {
        EXPECT_EQ(Concatenate(Generate(table, kRows, Limits(max_rows, 15u << 20), encoding)), whole)
            << table << " max_rows " << max_rows;
      }
      EXPECT_EQ(Concatenate(Generate(table, kRows, Limits(kRows, 1000), encoding)), whole)
          << table << " max_bytes 1000";
    }
  }
}

TEST(GeneratedSource, SeedChangesThePayload) {
  const ChunkLimits limits = Limits(100, 8u << 20);
  EXPECT_NE(Concatenate(Generate("accounts", 100, limits, Encoding::kCopyText, 1)),
            Concatenate(Generate("accounts", 100, limits, Encoding::kCopyText, 2)));
}

TEST(GeneratedSource, InsertParamsOffsetsPointAtNulTerminatedValues) {
  for (const char* table : {"accounts", "points"}) {
    const size_t columns = Table(table).columns.size();
    const std::vector<ChunkCopy> chunks =
        Generate(table, 1000, Limits(64, 8u << 20), Encoding::kInsertParams);
    ASSERT_EQ(chunks.size(), 16u);  // 15 x 64 + 40
    for (const ChunkCopy& c : chunks) {
      ASSERT_EQ(c.value_offsets.size(), c.rows * columns) << table << " chunk " << c.index;
      ASSERT_EQ(c.value_offsets.front(), 0u);
      size_t expected_offset = 0;
      for (uint32_t offset : c.value_offsets) {
        // Values are packed back to back: each starts right after the previous NUL.
        ASSERT_EQ(offset, expected_offset);
        const char* value = c.payload.data() + offset;
        const size_t len = strnlen(value, c.payload.size() - offset);
        ASSERT_LT(offset + len, c.payload.size()) << "no NUL after offset " << offset;
        ASSERT_GT(len, 0u);
        expected_offset = offset + len + 1;
      }
      EXPECT_EQ(expected_offset, c.payload.size());
    }
  }
}

TEST(GeneratedSource, InsertParamsValuesMatchCopyText) {
  // The same rows, so the same values: COPY's tab-separated fields are the
  // INSERT values with tabs and newlines in place of the NULs.
  const std::string copy = Concatenate(Generate("points", 300, Limits(300, 8u << 20)));
  const std::vector<ChunkCopy> insert =
      Generate("points", 300, Limits(300, 8u << 20), Encoding::kInsertParams);
  ASSERT_EQ(insert.size(), 1u);
  std::string rebuilt;
  const std::vector<uint32_t>& offsets = insert[0].value_offsets;
  for (size_t i = 0; i < offsets.size(); ++i) {
    rebuilt += insert[0].payload.c_str() + offsets[i];
    rebuilt += (i % 4 == 3) ? '\n' : '\t';
  }
  EXPECT_EQ(rebuilt, copy);
}

TEST(GeneratedSource, ZeroRowsIsDoneAtOnce) {
  auto source =
      MakeGeneratedSource(Table("accounts"), 1, 0, Limits(10, 8u << 20), Encoding::kCopyText);
  EXPECT_EQ(source->total_rows(), 0u);
  Chunk chunk;
  bool done = false;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  EXPECT_TRUE(done);
  EXPECT_EQ(chunk.rows, 0u);
  EXPECT_TRUE(chunk.payload.empty());
}

TEST(GeneratedSource, DoneStaysDoneAndLeavesTheChunkEmpty) {
  auto source =
      MakeGeneratedSource(Table("points"), 1, 5, Limits(10, 8u << 20), Encoding::kInsertParams);
  Chunk chunk;
  bool done = true;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  ASSERT_FALSE(done);
  EXPECT_EQ(chunk.rows, 5u);
  EXPECT_EQ(chunk.encoding, Encoding::kInsertParams);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
    EXPECT_TRUE(done);
    EXPECT_EQ(chunk.rows, 0u);
    EXPECT_TRUE(chunk.payload.empty());
    EXPECT_TRUE(chunk.value_offsets.empty());
  }
}

TEST(GeneratedSource, ReusedChunkIsResetBetweenCalls) {
  // Fill a chunk from one source, then hand the same object to another: nothing
  // of the first load may leak into the second (encoding, payload, offsets).
  Chunk chunk;
  bool done = false;
  auto insert =
      MakeGeneratedSource(Table("points"), 1, 100, Limits(100, 8u << 20), Encoding::kInsertParams);
  ASSERT_TRUE(insert->NextChunk(&chunk, &done).ok());
  ASSERT_FALSE(chunk.value_offsets.empty());

  auto copy = MakeGeneratedSource(Table("points"), 1, 3, Limits(2, 8u << 20), Encoding::kCopyText);
  ASSERT_TRUE(copy->NextChunk(&chunk, &done).ok());
  EXPECT_EQ(chunk.encoding, Encoding::kCopyText);
  EXPECT_EQ(chunk.index, 0u);
  EXPECT_EQ(chunk.rows, 2u);
  EXPECT_TRUE(chunk.value_offsets.empty());
  const std::string first(chunk.payload.view());
  EXPECT_EQ(CountNewlines(first), 2u);
  ASSERT_TRUE(copy->NextChunk(&chunk, &done).ok());
  EXPECT_EQ(chunk.index, 1u);
  EXPECT_EQ(chunk.first_row, 2u);
  EXPECT_EQ(chunk.rows, 1u);
  EXPECT_EQ(CountNewlines(std::string(chunk.payload.view())), 1u);
  EXPECT_TRUE(chunk.payload.view().starts_with("2\t"));

  const std::string all = Concatenate(Generate("points", 3, Limits(3, 8u << 20)));
  EXPECT_EQ(first + std::string(chunk.payload.view()), all);
}

// The ranges overload: a resumed load generates only what the journal lacks.

std::vector<ChunkCopy> GenerateRanges(const char* table, std::vector<RowRange> ranges,
                                      ChunkLimits limits, Encoding encoding = Encoding::kCopyText) {
  uint64_t rows = 0;
  for (const RowRange& r : ranges) rows += r.count;
  auto source = MakeGeneratedSource(Table(table), 1, std::move(ranges), limits, encoding);
  EXPECT_EQ(source->total_rows(), rows);
  return Drain(*source);
}

TEST(GeneratedSource, RangesAreCoveredInOrderAndNoChunkSpansTwo) {
  const std::vector<RowRange> ranges = {{5, 12}, {100, 3}, {1000, 50}};
  // {first_row, rows} at --chunk 7: each range is cut on its own.
  std::vector<std::pair<uint64_t, uint32_t>> expected = {{5, 7}, {12, 5}, {100, 3}};
  for (uint64_t first = 1000; first < 1049; first += 7) expected.push_back({first, 7});
  expected.push_back({1049, 1});

  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
      // Row r of the table alone, to check each chunk holds exactly its rows.
      const std::vector<ChunkCopy> single_rows =
          Generate(table, 1050, Limits(1, 8u << 20), encoding);
      const std::vector<ChunkCopy> chunks =
          GenerateRanges(table, ranges, Limits(7, 8u << 20), encoding);
      ASSERT_EQ(chunks.size(), expected.size()) << table;
      for (size_t i = 0; i < chunks.size(); ++i) {
        const ChunkCopy& c = chunks[i];
        EXPECT_EQ(c.index, i) << table;
        EXPECT_EQ(c.first_row, expected[i].first) << table << " chunk " << i;
        ASSERT_EQ(c.rows, expected[i].second) << table << " chunk " << i;
        std::string rows;
        size_t values = 0;
        for (uint64_t row = c.first_row; row < c.first_row + c.rows; ++row) {
          rows += single_rows[row].payload;
          values += single_rows[row].value_offsets.size();
        }
        EXPECT_EQ(c.payload, rows) << table << " chunk " << i;
        EXPECT_EQ(c.value_offsets.size(), values) << table << " chunk " << i;
      }
    }
  }
}

TEST(GeneratedSource, TouchingRangesGiveTheSameRowsAsOneRange) {
  const std::vector<RowRange> split = {{0, 300}, {300, 700}};
  for (const char* table : {"accounts", "points"}) {
    for (Encoding encoding : {Encoding::kCopyText, Encoding::kInsertParams}) {
      // --chunk 100 divides 300: the boundary falls between chunks anyway, so
      // the chunks are identical.
      const std::vector<ChunkCopy> one = Generate(table, 1000, Limits(100, 8u << 20), encoding);
      const std::vector<ChunkCopy> two =
          GenerateRanges(table, split, Limits(100, 8u << 20), encoding);
      ASSERT_EQ(two.size(), one.size()) << table;
      for (size_t i = 0; i < one.size(); ++i) {
        EXPECT_EQ(two[i].index, one[i].index) << table << " chunk " << i;
        EXPECT_EQ(two[i].first_row, one[i].first_row) << table << " chunk " << i;
        EXPECT_EQ(two[i].rows, one[i].rows) << table << " chunk " << i;
        EXPECT_EQ(two[i].payload, one[i].payload) << table << " chunk " << i;
        EXPECT_EQ(two[i].value_offsets, one[i].value_offsets) << table << " chunk " << i;
      }

      // --chunk 128 does not: the chunk at row 256 stops at 300, and from there
      // the cuts differ, but the rows do not.
      const std::vector<ChunkCopy> cut =
          GenerateRanges(table, split, Limits(128, 8u << 20), encoding);
      ASSERT_EQ(cut.size(), 9u) << table;  // 128 128 44 | 128 128 128 128 128 60
      EXPECT_EQ(cut[2].first_row, 256u);
      EXPECT_EQ(cut[2].rows, 44u);
      EXPECT_EQ(cut[3].first_row, 300u);
      EXPECT_EQ(cut[8].first_row, 940u);
      EXPECT_EQ(cut[8].rows, 60u);
      ExpectContiguous(cut, 1000);
      EXPECT_EQ(Concatenate(cut), Concatenate(one)) << table;
      const std::vector<ChunkCopy> uncut = Generate(table, 1000, Limits(128, 8u << 20), encoding);
      for (size_t i = 0; i < 2; ++i) EXPECT_EQ(cut[i].payload, uncut[i].payload) << table;
    }
  }
}

TEST(GeneratedSource, LoweredRowLimitShortensLaterChunksOnly) {
  auto source =
      MakeGeneratedSource(Table("accounts"), 1, 100, Limits(10, 8u << 20), Encoding::kCopyText);
  Chunk chunk;
  bool done = true;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  ASSERT_FALSE(done);
  ASSERT_EQ(chunk.rows, 10u);
  const std::string first(chunk.payload.view());

  source->chunker().LowerMaxRows(3);
  source->chunker().LowerMaxRows(50);  // never raises the limit again
  const std::vector<ChunkCopy> rest = Drain(*source);
  ASSERT_EQ(rest.size(), 30u);  // 90 rows, 3 at a time
  for (size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].index, i + 1);
    EXPECT_EQ(rest[i].first_row, 10 + 3 * i);
    EXPECT_EQ(rest[i].rows, 3u);
  }
  EXPECT_EQ(first + Concatenate(rest),
            Concatenate(Generate("accounts", 100, Limits(100, 8u << 20))));
}

TEST(GeneratedSource, RowLimitAboveTheLimitChangesNothing) {
  auto source =
      MakeGeneratedSource(Table("points"), 1, 10, Limits(4, 8u << 20), Encoding::kInsertParams);
  source->chunker().LowerMaxRows(1000);
  const std::vector<ChunkCopy> chunks = Drain(*source);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].rows, 4u);
  EXPECT_EQ(chunks[1].rows, 4u);
  EXPECT_EQ(chunks[2].rows, 2u);
}

TEST(GeneratedSource, NoRangesIsDoneAtOnce) {
  auto source = MakeGeneratedSource(Table("points"), 1, std::vector<RowRange>{},
                                    Limits(10, 8u << 20), Encoding::kCopyText);
  EXPECT_EQ(source->total_rows(), 0u);
  Chunk chunk;
  bool done = false;
  ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
  EXPECT_TRUE(done);
  EXPECT_EQ(chunk.rows, 0u);
  EXPECT_TRUE(chunk.payload.empty());
}

}  // namespace
}  // namespace loader
