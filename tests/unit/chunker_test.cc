#include "loader/encode/chunker.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "loader/encode/encoder.h"

namespace loader {
namespace {

// Rows of one text value of `bytes` bytes each, COPY text: bytes + 1 a row.
bool AddTextRow(const Chunker& chunker, Chunk* chunk, size_t bytes) {
  const std::string value(bytes, 'x');
  CopyTextEncoder enc(&chunk->payload);
  const bool added = chunker.AddRow(chunk, chunk->rows > 0, enc, [&](CopyTextEncoder& e) {
    e.Text(value);
    e.EndRow();
  });
  if (added) ++chunk->rows;
  return added;
}

TEST(Chunker, ARowPastTheByteLimitIsTakenOutAndOpensTheNextChunk) {
  const Chunker chunker({100, 10});
  Chunk chunk;
  EXPECT_TRUE(AddTextRow(chunker, &chunk, 4));  // 5 bytes
  EXPECT_TRUE(AddTextRow(chunker, &chunk, 4));  // 10: at the limit, kept
  EXPECT_FALSE(AddTextRow(chunker, &chunk, 0));
  EXPECT_EQ(chunk.rows, 2u);
  EXPECT_EQ(chunk.payload.view(), "xxxx\nxxxx\n");
}

TEST(Chunker, AFirstRowIsKeptHoweverLarge) {
  const Chunker chunker({100, 10});
  Chunk chunk;
  EXPECT_TRUE(AddTextRow(chunker, &chunk, 50));
  EXPECT_EQ(chunk.payload.size(), 51u);
  EXPECT_FALSE(AddTextRow(chunker, &chunk, 1));
  EXPECT_EQ(chunk.payload.size(), 51u);
}

TEST(Chunker, InsertValuesOfARowTakenOutLeaveNoOffsets) {
  const Chunker chunker({100, 6});
  Chunk chunk;
  chunk.Reset(Encoding::kInsertParams);
  InsertParamEncoder enc(&chunk.payload, &chunk.value_offsets);
  auto row = [&](const char* a, const char* b) {
    return chunker.AddRow(&chunk, chunk.rows > 0, enc, [&](InsertParamEncoder& e) {
      e.Text(a);
      e.Text(b);
      e.EndRow();
    });
  };
  ASSERT_TRUE(row("ab", "c"));  // "ab\0c\0": 5 bytes
  ++chunk.rows;
  EXPECT_FALSE(row("d", "e"));
  EXPECT_EQ(chunk.payload.size(), 5u);
  EXPECT_EQ(chunk.value_offsets, (std::vector<uint32_t>{0, 3}));
}

TEST(Chunker, TheRowLimitIsOnlyLoweredAndNeverBelowOne) {
  Chunker chunker({1000, 1u << 20});
  chunker.LowerMaxRows(5000);
  EXPECT_EQ(chunker.max_rows(), 1000u);
  chunker.LowerMaxRows(300);
  EXPECT_EQ(chunker.max_rows(), 300u);
  chunker.LowerMaxRows(0);
  EXPECT_EQ(chunker.max_rows(), 1u);
}

TEST(Chunker, WorkersLoweringAtOnceLeaveTheLowest) {
  Chunker chunker({1u << 20, 1u << 20});
  std::vector<std::thread> workers;
  for (uint64_t w = 0; w < 4; ++w) {
    workers.emplace_back([&chunker, w] {
      for (uint64_t rows = 100000; rows >= 10 + w; rows -= 7) chunker.LowerMaxRows(rows);
    });
  }
  for (std::thread& t : workers) t.join();
  // Each worker's last value is the smallest >= 10 + w reached by steps of 7
  // from 100000.
  uint64_t lowest = UINT64_MAX;
  for (uint64_t w = 0; w < 4; ++w) {
    uint64_t rows = 100000;
    while (rows >= 10 + w + 7) rows -= 7;
    lowest = std::min(lowest, rows);
  }
  EXPECT_EQ(chunker.max_rows(), lowest);
}

}  // namespace
}  // namespace loader
