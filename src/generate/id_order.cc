#include "loader/generate/id_order.h"

#include "loader/base/hash.h"

namespace loader {

ScatteredIds::ScatteredIds(uint64_t rows, uint64_t seed) : rows_(rows) {
  // Two equal halves of at least one bit each, covering rows - 1.
  while (half_bits_ < 32 && (uint64_t{1} << (2 * half_bits_)) < rows) ++half_bits_;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
  for (int r = 0; r < kRounds; ++r) keys_[r] = Mix64(seed ^ (0x1d5ca7e4ULL + r));
}

uint64_t ScatteredIds::Permute(uint64_t x) const {
  uint64_t left = x >> half_bits_;
  uint64_t right = x & half_mask_;
  for (uint64_t key : keys_) {
    const uint64_t next = left ^ (Mix64(right ^ key) & half_mask_);
    left = right;
    right = next;
  }
  return left << half_bits_ | right;
}

}  // namespace loader
