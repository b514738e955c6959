// --shard K/N: which rows a shard owns, and that the shards of a job, each
// drawing its chunks from its own source, cover every row exactly once with
// the same bytes as one unsharded load.
#include "loader/plan/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

Shard MakeShard(uint64_t index, uint64_t count, uint64_t block_rows) {
  Shard shard;
  shard.index = index;
  shard.count = count;
  shard.block_rows = block_rows;
  return shard;
}

TEST(Shard, ParsesKOverN) {
  Shard shard;
  ASSERT_TRUE(ParseShard("2/3", &shard).ok());
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 3u);
  EXPECT_EQ(shard.Name(), "2/3");
  ASSERT_TRUE(ParseShard("0/1", &shard).ok());
  EXPECT_TRUE(shard.whole());
  ASSERT_TRUE(ParseShard("9999/10000", &shard).ok());
}

TEST(Shard, RefusesAnythingButKOverNWithKBelowN) {
  for (const char* bad : {"3/3", "4/3", "1/0", "0/0", "a/3", "1/3x", "-1/3", "1/-3", "", "1", "/3",
                          "1/", " 1/3", "1/10001", "1/3/5"}) {
    SCOPED_TRACE(bad);
    Shard shard;
    const Status s = ParseShard(bad, &shard);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  }
  Shard shard;
  EXPECT_EQ(ParseShard("3/3", &shard).message(),
            "--shard: '3/3' is not K/N with 0 <= K < N <= 10000 (this process loads the blocks "
            "of --chunk rows whose number mod N is K; start one process for each K)");
}

// Every question a shard answers, against counting row by row.
TEST(Shard, AnswersAgreeWithCountingRowByRow) {
  constexpr uint64_t kRows = 120;
  for (uint64_t block : {1, 3, 7}) {
    for (uint64_t count : {1, 2, 3, 5}) {
      for (uint64_t index = 0; index < count; ++index) {
        const Shard shard = MakeShard(index, count, block);
        SCOPED_TRACE(shard.Name() + " blocks of " + std::to_string(block));
        std::vector<uint64_t> owned_before(kRows + 1, 0);
        for (uint64_t row = 0; row < kRows; ++row) {
          const bool owns = count == 1 || (row / block) % count == index;
          ASSERT_EQ(shard.Owns(row), owns) << row;
          ASSERT_EQ(shard.OwnedBefore(row), owned_before[row]) << row;
          if (owns) {
            ASSERT_EQ(shard.OwnedRow(owned_before[row]), row);
          }
          owned_before[row + 1] = owned_before[row] + owns;
          uint64_t next = row;
          while ((next / block) % count != index) ++next;
          ASSERT_EQ(shard.NextOwned(row), next) << row;
          ASSERT_EQ(shard.BlockEnd(row), count == 1 ? UINT64_MAX : (row / block + 1) * block);
        }
        for (uint64_t first = 0; first <= kRows; ++first) {
          for (uint64_t end = 0; end <= kRows; ++end) {
            const uint64_t want = end > first ? owned_before[end] - owned_before[first] : 0;
            ASSERT_EQ(shard.OwnedRows(first, end), want) << first << ".." << end;
          }
        }
      }
    }
  }
}

TEST(Shard, CountsOwnedRowsOfAHugeJobWithoutWalkingIt) {
  const Shard shard = MakeShard(2, 3, 1000);
  // 10^15 rows: 333,333,333,333 whole rounds of three blocks, and then a
  // round of one whole block (shard 0's), leaving nothing for shard 2.
  EXPECT_EQ(shard.OwnedRows(0, 1000000000000000ull), 333333333333000ull);
  EXPECT_EQ(MakeShard(0, 3, 1000).OwnedRows(0, 1000000000000000ull), 333333333334000ull);
  // Its last own row is the last row of block 10^12 - 2.
  EXPECT_EQ(shard.OwnedRow(333333333333000ull - 1), 999999999999000ull - 1);
}

struct Drawn {
  uint64_t first_row;
  uint32_t rows;
  std::string payload;
};

std::vector<Drawn> Draw(std::vector<RowRange> todo, uint64_t chunk_rows, uint64_t chunk_bytes,
                        Shard shard, uint64_t* total_rows) {
  auto source = MakeGeneratedSource(*FindGeneratedTable("points"), 5, std::move(todo),
                                    ChunkLimits{chunk_rows, chunk_bytes}, Encoding::kCopyText,
                                    IdOrder{}, shard);
  *total_rows = source->total_rows();
  std::vector<Drawn> chunks;
  Chunk chunk;
  bool done = false;
  while (source->NextChunk(&chunk, &done).ok() && !done) {
    chunks.push_back({chunk.first_row, chunk.rows, std::string(chunk.payload.view())});
  }
  return chunks;
}

// Rows to load: all of [0, 200), or what a resume leaves after chunks of
// other sizes committed.
const std::vector<std::vector<RowRange>> kTodos = {
    {{0, 200}},
    {{3, 7}, {15, 25}, {41, 159}},
};

TEST(Shard, TheShardsCoverEveryRowOnceWithTheBytesOfOneLoad) {
  for (const std::vector<RowRange>& todo : kTodos) {
    // 7-row chunks, and chunks that a 150-byte cap closes after two or three rows.
    for (uint64_t chunk_bytes : {uint64_t{8} << 20, uint64_t{150}}) {
      uint64_t whole_rows = 0;
      const std::vector<Drawn> whole = Draw(todo, 7, chunk_bytes, Shard{}, &whole_rows);
      std::map<uint64_t, std::string> unsharded;
      for (const Drawn& c : whole) unsharded[c.first_row] = c.payload;
      std::string unsharded_bytes;
      for (const auto& [first, payload] : unsharded) unsharded_bytes += payload;
      for (uint64_t count : {1, 3, 4}) {
        SCOPED_TRACE(std::to_string(count) + " shards, chunk bytes " + std::to_string(chunk_bytes) +
                     ", todo ranges " + std::to_string(todo.size()));
        std::map<uint64_t, std::string> by_first_row;
        uint64_t rows = 0;
        for (uint64_t index = 0; index < count; ++index) {
          const Shard shard = MakeShard(index, count, 7);
          uint64_t total = 0;
          uint64_t drawn = 0;
          for (const Drawn& c : Draw(todo, 7, chunk_bytes, shard, &total)) {
            // Each chunk lies in one block, and that block is this shard's (one
            // shard, the whole job, cuts chunks as if there were no blocks).
            if (count > 1) {
              EXPECT_EQ(c.first_row / 7, (c.first_row + c.rows - 1) / 7) << c.first_row;
              EXPECT_EQ((c.first_row / 7) % count, index) << c.first_row;
            }
            EXPECT_TRUE(by_first_row.emplace(c.first_row, c.payload).second) << c.first_row;
            rows += c.rows;
            drawn += c.rows;
          }
          EXPECT_EQ(total, drawn) << "total_rows() is what the shard draws";
        }
        EXPECT_EQ(rows, whole_rows);
        std::string sharded_bytes;
        for (const auto& [first, payload] : by_first_row) sharded_bytes += payload;
        EXPECT_EQ(sharded_bytes, unsharded_bytes);
      }
    }
  }
}

TEST(Shard, ASourceSkipsOtherShardsBlocksAndStopsAtItsBlocksEnds) {
  uint64_t total = 0;
  const std::vector<Drawn> chunks =
      Draw({{0, 10000}}, 1000, 8u << 20, MakeShard(2, 3, 1000), &total);
  std::vector<uint64_t> firsts;
  for (const Drawn& c : chunks) firsts.push_back(c.first_row);
  EXPECT_EQ(firsts, (std::vector<uint64_t>{2000, 5000, 8000}));
  EXPECT_EQ(total, 3000u);
  // A smaller --chunk cuts within the blocks; a larger one is capped by them.
  firsts.clear();
  for (const Drawn& c : Draw({{0, 10000}}, 600, 8u << 20, MakeShard(2, 3, 1000), &total)) {
    firsts.push_back(c.first_row);
  }
  EXPECT_EQ(firsts, (std::vector<uint64_t>{2000, 2600, 5000, 5600, 8000, 8600}));
}

}  // namespace
}  // namespace loader

namespace loader {
namespace {

TEST(Shard, ToOwnAndToJobMapRangesBetweenTheJobAndTheShard) {
  const Shard shard{1, 3, 10};  // owns rows 10-19, 40-49, 70-79, ...
  EXPECT_EQ(shard.ToOwn({0, 100}), (RowRange{0, 30}));
  EXPECT_EQ(shard.ToOwn({15, 40}), (RowRange{5, 15}));  // 15-19 and 40-49
  EXPECT_EQ(shard.ToOwn({20, 20}), (RowRange{10, 0}));  // blocks 2 and 3: not its own
  EXPECT_EQ(shard.ToJob({5, 15}), (RowRange{15, 35}));  // 15 to 49
  for (uint64_t first = 0; first < 30; ++first) {
    for (uint64_t count = 1; first + count <= 30; ++count) {
      EXPECT_EQ(shard.ToOwn(shard.ToJob({first, count})), (RowRange{first, count}));
    }
  }
  const Shard whole;
  EXPECT_EQ(whole.ToOwn({7, 9}), (RowRange{7, 9}));
  EXPECT_EQ(whole.ToJob({7, 9}), (RowRange{7, 9}));
}

}  // namespace
}  // namespace loader
