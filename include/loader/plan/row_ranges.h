// RowRanges: a set of row indexes kept as sorted, disjoint, non-adjacent
// half-open intervals. The journal records committed chunks as row ranges, not
// chunk numbers, so a resumed load can cut what is left with another --chunk.
// Thread safety: a value type; no internal locking.
#ifndef LOADER_ROW_RANGES_H_
#define LOADER_ROW_RANGES_H_

#include <cstdint>
#include <vector>

namespace loader {

struct RowRange {
  uint64_t first = 0;  // first row index
  uint64_t count = 0;  // rows, > 0
  uint64_t end() const { return first + count; }
  bool operator==(const RowRange&) const = default;
};

class RowRanges {
 public:
  // Adds [first, first + count), merging with what it overlaps or touches.
  void Add(uint64_t first, uint64_t count);
  // Rows in the set.
  uint64_t rows() const;
  // The rows of [0, total) not in the set, in order.
  std::vector<RowRange> Missing(uint64_t total) const;
  const std::vector<RowRange>& ranges() const { return ranges_; }

 private:
  std::vector<RowRange> ranges_;
};

}  // namespace loader

#endif  // LOADER_ROW_RANGES_H_
