#include "loader/plan/row_ranges.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace loader {
namespace {

using Ranges = std::vector<RowRange>;

// The class invariant: sorted, every range non-empty, and a gap of at least one
// row between neighbours (touching ranges must have been merged).
void ExpectCanonical(const RowRanges& set) {
  const Ranges& r = set.ranges();
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_GT(r[i].count, 0u) << "range " << i;
    if (i > 0) {
      EXPECT_GT(r[i].first, r[i - 1].end()) << "ranges " << i - 1 << " and " << i;
    }
  }
}

// Splits [0, rows) into `pieces` consecutive non-empty ranges of random sizes.
Ranges RandomPartition(uint64_t rows, size_t pieces, std::mt19937_64& rng) {
  std::vector<uint64_t> cuts(rows - 1);
  for (uint64_t i = 0; i < cuts.size(); ++i) cuts[i] = i + 1;
  std::shuffle(cuts.begin(), cuts.end(), rng);
  cuts.resize(pieces - 1);
  std::sort(cuts.begin(), cuts.end());
  Ranges parts;
  uint64_t first = 0;
  for (uint64_t cut : cuts) {
    parts.push_back({first, cut - first});
    first = cut;
  }
  parts.push_back({first, rows - first});
  return parts;
}

TEST(RowRanges, EmptySet) {
  const RowRanges set;
  EXPECT_TRUE(set.ranges().empty());
  EXPECT_EQ(set.rows(), 0u);
  EXPECT_EQ(set.Missing(7), (Ranges{{0, 7}}));
  EXPECT_TRUE(set.Missing(0).empty());
}

TEST(RowRanges, DisjointRangesStaySeparateAndSorted) {
  RowRanges set;
  set.Add(30, 5);
  set.Add(0, 5);
  set.Add(10, 10);
  EXPECT_EQ(set.ranges(), (Ranges{{0, 5}, {10, 10}, {30, 5}}));
  EXPECT_EQ(set.rows(), 20u);
  ExpectCanonical(set);
}

TEST(RowRanges, AddMergesOverlappingRanges) {
  RowRanges set;
  set.Add(10, 10);  // [10, 20)
  set.Add(15, 10);  // [15, 25)
  EXPECT_EQ(set.ranges(), (Ranges{{10, 15}}));
  set.Add(5, 7);  // [5, 12)
  EXPECT_EQ(set.ranges(), (Ranges{{5, 20}}));
  EXPECT_EQ(set.rows(), 20u);
}

TEST(RowRanges, AddMergesAdjacentRangesOnEitherSide) {
  RowRanges set;
  set.Add(10, 5);  // [10, 15)
  set.Add(15, 5);  // touches the end
  EXPECT_EQ(set.ranges(), (Ranges{{10, 10}}));
  set.Add(4, 6);  // [4, 10) touches the start
  EXPECT_EQ(set.ranges(), (Ranges{{4, 16}}));
  set.Add(0, 3);  // [0, 3): one row short of touching
  EXPECT_EQ(set.ranges(), (Ranges{{0, 3}, {4, 16}}));
  set.Add(3, 1);  // fills the one-row gap
  EXPECT_EQ(set.ranges(), (Ranges{{0, 20}}));
}

TEST(RowRanges, AddBridgesSeveralRanges) {
  RowRanges set;
  for (uint64_t first : {0, 4, 8, 12}) set.Add(first, 2);
  set.Add(1, 10);  // [1, 11) swallows [0,2), [4,6), [8,10) but not [12,14)
  EXPECT_EQ(set.ranges(), (Ranges{{0, 11}, {12, 2}}));
  EXPECT_EQ(set.rows(), 13u);
  set.Add(11, 1);
  EXPECT_EQ(set.ranges(), (Ranges{{0, 14}}));
}

TEST(RowRanges, AddInsideOrAroundAnExistingRange) {
  RowRanges inside;
  inside.Add(0, 100);
  inside.Add(10, 5);
  inside.Add(0, 100);
  EXPECT_EQ(inside.ranges(), (Ranges{{0, 100}}));
  EXPECT_EQ(inside.rows(), 100u);

  RowRanges around;
  around.Add(10, 5);
  around.Add(50, 5);
  around.Add(0, 100);
  EXPECT_EQ(around.ranges(), (Ranges{{0, 100}}));
}

TEST(RowRanges, AddOfZeroRowsChangesNothing) {
  RowRanges set;
  set.Add(5, 0);
  EXPECT_TRUE(set.ranges().empty());
  set.Add(0, 5);
  set.Add(6, 4);
  set.Add(5, 0);  // must not bridge the gap at row 5
  set.Add(10, 0);
  EXPECT_EQ(set.ranges(), (Ranges{{0, 5}, {6, 4}}));
  EXPECT_EQ(set.rows(), 9u);
}

TEST(RowRanges, MissingGivesTheGapsInOrder) {
  RowRanges set;
  set.Add(10, 10);  // [10, 20)
  set.Add(30, 10);  // [30, 40)
  EXPECT_EQ(set.Missing(50), (Ranges{{0, 10}, {20, 10}, {40, 10}}));
  EXPECT_EQ(set.Missing(40), (Ranges{{0, 10}, {20, 10}}));
  EXPECT_EQ(set.Missing(35), (Ranges{{0, 10}, {20, 10}}));
  EXPECT_EQ(set.Missing(25), (Ranges{{0, 10}, {20, 5}}));
  EXPECT_EQ(set.Missing(10), (Ranges{{0, 10}}));
  EXPECT_EQ(set.Missing(5), (Ranges{{0, 5}}));
  EXPECT_TRUE(set.Missing(0).empty());
}

TEST(RowRanges, MissingOfASetStartingAtZero) {
  RowRanges set;
  set.Add(0, 50);
  EXPECT_TRUE(set.Missing(50).empty());
  EXPECT_TRUE(set.Missing(20).empty());
  EXPECT_EQ(set.Missing(60), (Ranges{{50, 10}}));
}

TEST(RowRanges, MissingIgnoresRangesBeyondTotal) {
  RowRanges set;
  set.Add(100, 10);
  set.Add(200, 10);
  EXPECT_EQ(set.Missing(50), (Ranges{{0, 50}}));
  EXPECT_EQ(set.Missing(100), (Ranges{{0, 100}}));
  EXPECT_EQ(set.Missing(150), (Ranges{{0, 100}, {110, 40}}));
}

TEST(RowRanges, ShuffledPartitionMergesToOneRange) {
  constexpr uint64_t kRows = 100000;
  std::mt19937_64 rng(20261101);
  Ranges parts = RandomPartition(kRows, 1000, rng);
  ASSERT_EQ(parts.size(), 1000u);
  std::shuffle(parts.begin(), parts.end(), rng);
  RowRanges set;
  uint64_t added = 0;
  for (const RowRange& r : parts) {
    set.Add(r.first, r.count);
    added += r.count;
    ASSERT_EQ(set.rows(), added);
  }
  ExpectCanonical(set);
  EXPECT_EQ(set.ranges(), (Ranges{{0, kRows}}));
  EXPECT_TRUE(set.Missing(kRows).empty());
}

TEST(RowRanges, OrderOfAddsDoesNotMatter) {
  // Every third piece left out, so the result has gaps; duplicates added too,
  // as a re-read journal might.
  constexpr uint64_t kRows = 50000;
  std::mt19937_64 rng(7);
  const Ranges parts = RandomPartition(kRows, 600, rng);
  Ranges some;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i % 3 != 2) some.push_back(parts[i]);
  }
  RowRanges in_order;
  for (const RowRange& r : some) in_order.Add(r.first, r.count);

  Ranges shuffled = some;
  shuffled.insert(shuffled.end(), some.begin(), some.begin() + 50);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  RowRanges any_order;
  for (const RowRange& r : shuffled) {
    any_order.Add(r.first, r.count);
    ExpectCanonical(any_order);
  }
  EXPECT_EQ(any_order.ranges(), in_order.ranges());
  EXPECT_EQ(any_order.rows(), in_order.rows());
  EXPECT_EQ(any_order.Missing(kRows), in_order.Missing(kRows));

  // The gaps are exactly the pieces left out (no two of them touch).
  RowRanges left_out;
  for (size_t i = 2; i < parts.size(); i += 3) left_out.Add(parts[i].first, parts[i].count);
  EXPECT_EQ(in_order.Missing(kRows), left_out.ranges());
  EXPECT_EQ(in_order.rows() + left_out.rows(), kRows);
}

}  // namespace
}  // namespace loader
