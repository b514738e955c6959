// The order in which generated integer ids are written. Sequential ids send
// every insert to the end of the key space, which on CockroachDB is one range
// on one node: a hotspot. Scattered ids are a keyed permutation of the same
// ids, so consecutive rows land all over the key space, while row i's id is
// still a pure function of (seed, rows, i): retries and resumes write the
// same keys.
#ifndef LOADER_ID_ORDER_H_
#define LOADER_ID_ORDER_H_

#include <cstdint>

namespace loader {

struct IdOrder {
  bool scattered = false;
  uint64_t rows = 0;  // the job's row count: ids are a permutation of [0, rows)
};

// A bijection of [0, rows) keyed by `seed`: a balanced Feistel network on the
// smallest even number of bits that covers rows, walked until it lands back
// in range (on average under 4 steps).
class ScatteredIds {
 public:
  ScatteredIds(uint64_t rows, uint64_t seed);

  // REQUIRES: index < rows.
  uint64_t Map(uint64_t index) const {
    uint64_t x = index;
    do {
      x = Permute(x);
    } while (x >= rows_);
    return x;
  }

 private:
  static constexpr int kRounds = 4;

  uint64_t Permute(uint64_t x) const;

  uint64_t rows_;
  int half_bits_ = 1;
  uint64_t half_mask_ = 1;
  uint64_t keys_[kRounds] = {};
};

}  // namespace loader

#endif  // LOADER_ID_ORDER_H_
