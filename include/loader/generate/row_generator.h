// Generators for the tutorials' tables. Row i is a pure function of (seed, i):
// the same seed gives the same rows whatever the chunk size, worker count or
// method, so any chunk can be rebuilt for a retry or a resume, and the table's
// contents are byte-identical across runs.
//
// Each generator writes one row into any encoder with the field API of
// encoder.h (Int8, Float8, Decimal, Uuid, Text, Null, EndRow).
#ifndef LOADER_ROW_GENERATOR_H_
#define LOADER_ROW_GENERATOR_H_

#include <cstdint>
#include <optional>

#include "loader/base/hash.h"
#include "loader/encode/encoder.h"
#include "loader/generate/id_order.h"

namespace loader {

// A counter-based random stream for one row: seeded by (table key, row), no state
// shared between rows, so rows can be generated in any order.
class RowRandom {
 public:
  RowRandom(uint64_t table_key, uint64_t row) : state_(Mix64(row ^ table_key)) {}
  // The first value: a bijection of the row index (unique per row).
  uint64_t first() const { return state_; }
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }
  // Uniform in [0, bound), by multiply-shift (no division, negligible bias).
  uint64_t Below(uint64_t bound) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * bound) >> 64);
  }

 private:
  uint64_t state_;
};

// accounts (id UUID PRIMARY KEY, balance INT8 NOT NULL), balance in [0, 1e6).
class AccountsGenerator {
 public:
  explicit AccountsGenerator(uint64_t seed) : key_(Mix64(seed ^ 0xacc0u)) {}

  // The id is a version-4 UUID whose 64 non-fixed bits in its first half carry a
  // bijection of the row index, so ids are unique for any row count, random
  // enough to spread across ranges, and the same on every retry.
  static void MakeId(RowRandom& rnd, UuidBytes& id) {
    uint64_t a = rnd.first();
    uint64_t b = rnd.Next();
    for (int i = 0; i < 6; ++i) id[i] = static_cast<uint8_t>(a >> (56 - 8 * i));
    id[6] = static_cast<uint8_t>(0x40 | ((a >> 12) & 0x0F));
    id[7] = static_cast<uint8_t>(a >> 4);
    id[8] = static_cast<uint8_t>(0x80 | ((a & 0x0F) << 2) | (b & 0x03));
    for (int i = 9; i < 16; ++i) id[i] = static_cast<uint8_t>(b >> (8 * (i - 8)));
  }

  template <class Encoder>
  void Emit(uint64_t row, Encoder& enc) const {
    RowRandom rnd(key_, row);
    UuidBytes id;
    MakeId(rnd, id);
    enc.Uuid(id);
    enc.Int8(static_cast<int64_t>(rnd.Below(1000000)));
    enc.EndRow();
  }

 private:
  uint64_t key_;
};

// points (id INT8 PRIMARY KEY, x, y, z FLOAT8 NOT NULL), coordinates uniform in
// [0, 1024) at a resolution of 1e-6. The fixed resolution is a speed choice: a
// coordinate is an integer count of micro-units, formatted with integer
// arithmetic instead of a shortest round-trip double (3x the cost per row).
class PointsGenerator {
 public:
  static constexpr unsigned kCoordinateScale = 6;
  static constexpr uint64_t kCoordinateUnits = 1024 * 1000000ULL;

  explicit PointsGenerator(uint64_t seed, IdOrder ids = {}) : key_(Mix64(seed ^ 0x9017u)) {
    if (ids.scattered) scattered_.emplace(ids.rows, seed);
  }

  template <class Encoder>
  void Emit(uint64_t row, Encoder& enc) const {
    RowRandom rnd(key_, row);
    enc.Int8(static_cast<int64_t>(scattered_ ? scattered_->Map(row) : row));
    enc.Decimal(static_cast<int64_t>(rnd.Below(kCoordinateUnits)), kCoordinateScale);
    enc.Decimal(static_cast<int64_t>(rnd.Below(kCoordinateUnits)), kCoordinateScale);
    enc.Decimal(static_cast<int64_t>(rnd.Below(kCoordinateUnits)), kCoordinateScale);
    enc.EndRow();
  }

 private:
  uint64_t key_;
  std::optional<ScatteredIds> scattered_;  // set: --id-order scattered
};

}  // namespace loader

#endif  // LOADER_ROW_GENERATOR_H_
