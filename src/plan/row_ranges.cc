#include "loader/plan/row_ranges.h"

#include <algorithm>

namespace loader {

void RowRanges::Add(uint64_t first, uint64_t count) {
  if (count == 0) return;
  uint64_t last = first + count;
  // The first range that ends at or after `first` is the first one to merge.
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), first,
                             [](const RowRange& r, uint64_t row) { return r.end() < row; });
  auto stop = it;
  while (stop != ranges_.end() && stop->first <= last) {
    first = std::min(first, stop->first);
    last = std::max(last, stop->end());
    ++stop;
  }
  it = ranges_.erase(it, stop);
  ranges_.insert(it, RowRange{first, last - first});
}

uint64_t RowRanges::rows() const {
  uint64_t n = 0;
  for (const RowRange& r : ranges_) n += r.count;
  return n;
}

std::vector<RowRange> RowRanges::Missing(uint64_t total) const {
  std::vector<RowRange> gaps;
  uint64_t next = 0;
  for (const RowRange& r : ranges_) {
    if (r.first >= total) break;
    if (r.first > next) gaps.push_back({next, r.first - next});
    next = std::max(next, r.end());
  }
  if (next < total) gaps.push_back({next, total - next});
  return gaps;
}

}  // namespace loader
