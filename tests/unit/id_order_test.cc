// --id-order scattered: a keyed permutation of [0, rows), the same whatever
// the chunking, and not the sequential order.
#include "loader/generate/id_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "loader/base/table.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

std::vector<uint64_t> Sequence(uint64_t rows, uint64_t seed) {
  const ScatteredIds ids(rows, seed);
  std::vector<uint64_t> out;
  for (uint64_t i = 0; i < rows; ++i) out.push_back(ids.Map(i));
  return out;
}

std::vector<uint64_t> Iota(uint64_t rows) {
  std::vector<uint64_t> out(rows);
  std::iota(out.begin(), out.end(), 0);
  return out;
}

TEST(ScatteredIds, IsAPermutationOfZeroToRowsForAnyCount) {
  for (uint64_t rows : {1, 2, 3, 4, 5, 10, 1000, 4096, 4097, 65535, 100003}) {
    SCOPED_TRACE(rows);
    std::vector<uint64_t> ids = Sequence(rows, 42);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, Iota(rows));
  }
}

TEST(ScatteredIds, ScattersAndDependsOnTheSeed) {
  const std::vector<uint64_t> ids = Sequence(10000, 42);
  EXPECT_NE(ids, Iota(10000));
  // Neighbouring rows land far apart: few consecutive pairs are adjacent ids.
  int adjacent = 0;
  for (size_t i = 1; i < ids.size(); ++i) adjacent += ids[i] == ids[i - 1] + 1;
  EXPECT_LT(adjacent, 20);
  EXPECT_EQ(Sequence(10000, 42), ids);  // a pure function of (rows, seed, index)
  EXPECT_NE(Sequence(10000, 43), ids);
}

// The ids the points generator writes, chunk after chunk, in row order.
std::vector<uint64_t> PointIds(uint64_t rows, uint64_t chunk_rows, IdOrder order) {
  auto source = MakeGeneratedSource(*FindGeneratedTable("points"), 7, rows,
                                    ChunkLimits{chunk_rows, 8u << 20}, Encoding::kCopyText, order);
  std::vector<uint64_t> ids;
  Chunk chunk;
  bool done = false;
  while (source->NextChunk(&chunk, &done).ok() && !done) {
    std::string_view rest = chunk.payload.view();
    while (!rest.empty()) {
      ids.push_back(std::stoull(std::string(rest.substr(0, rest.find('\t')))));
      rest.remove_prefix(rest.find('\n') + 1);
    }
  }
  return ids;
}

TEST(ScatteredIds, ThePointsGetTheSameIdsInAnotherOrderForAnyChunking) {
  constexpr uint64_t kRows = 5000;
  const std::vector<uint64_t> sequential = PointIds(kRows, 1000, {});
  EXPECT_EQ(sequential, Iota(kRows));
  const std::vector<uint64_t> scattered = PointIds(kRows, 1000, {true, kRows});
  EXPECT_NE(scattered, sequential);
  std::vector<uint64_t> sorted = scattered;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, sequential);
  for (uint64_t chunk : {1, 7, 333, 5000}) {
    SCOPED_TRACE(chunk);
    EXPECT_EQ(PointIds(kRows, chunk, {true, kRows}), scattered);
  }
}

}  // namespace
}  // namespace loader
