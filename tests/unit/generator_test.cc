#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "loader/base/byte_buffer.h"
#include "loader/encode/encoder.h"
#include "loader/generate/row_generator.h"

namespace loader {
namespace {

// Records every field call, so tests can look at typed values rather than bytes.
// Doubles are kept as bits so -0.0 and 0.0 compare different.
struct Field {
  enum Kind { kInt8, kFloat8, kDecimal, kUuid, kText, kNull, kEndRow };
  Kind kind = kNull;
  int64_t int8 = 0;  // also a Decimal's units
  unsigned scale = 0;
  uint64_t float8_bits = 0;
  std::array<uint8_t, 16> uuid{};
  std::string text;

  explicit Field(Kind k) : kind(k) {}
  double float8() const { return std::bit_cast<double>(float8_bits); }
  bool operator==(const Field&) const = default;
};

// The field API of encoder.h, which generators are templates over.
struct CapturingEncoder {
  std::vector<Field> fields;

  void Int8(int64_t v) { fields.emplace_back(Field::kInt8).int8 = v; }
  void Float8(double v) {
    fields.emplace_back(Field::kFloat8).float8_bits = std::bit_cast<uint64_t>(v);
  }
  void Decimal(int64_t units, unsigned scale) {
    Field& f = fields.emplace_back(Field::kDecimal);
    f.int8 = units;
    f.scale = scale;
  }
  void Uuid(const UuidBytes& v) {
    std::memcpy(fields.emplace_back(Field::kUuid).uuid.data(), v, 16);
  }
  void Text(std::string_view v) { fields.emplace_back(Field::kText).text = std::string(v); }
  void Null() { fields.emplace_back(Field::kNull); }
  void EndRow() { fields.emplace_back(Field::kEndRow); }
};

template <class Generator>
std::vector<Field> RowFields(const Generator& gen, uint64_t row) {
  CapturingEncoder enc;
  gen.Emit(row, enc);
  return enc.fields;
}

template <class Generator>
std::string CopyText(const Generator& gen, uint64_t row) {
  ByteBuffer out;
  CopyTextEncoder enc(&out);
  gen.Emit(row, enc);
  return std::string(out.view());
}

std::string FormatId(const std::array<uint8_t, 16>& id) {
  UuidBytes bytes;
  std::memcpy(bytes, id.data(), 16);
  char text[36];
  FormatUuid(bytes, text);
  return std::string(text, 36);
}

TEST(AccountsGenerator, RowShapeIsUuidThenInt8) {
  const std::vector<Field> row = RowFields(AccountsGenerator(1), 0);
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(row[0].kind, Field::kUuid);
  EXPECT_EQ(row[1].kind, Field::kInt8);
  EXPECT_EQ(row[2].kind, Field::kEndRow);
}

// Pinned rows, computed independently from the algorithm in row_generator.h.
// A change here changes every table ever loaded: resumed or re-run loads would
// no longer match what is in the database.
TEST(AccountsGenerator, GoldenRows) {
  const AccountsGenerator gen(1);
  EXPECT_EQ(CopyText(gen, 0), "9c72e747-2ce3-4057-a69c-239f292ad98d\t368223\n");
  EXPECT_EQ(CopyText(gen, 1), "ff1258c6-c3d6-4aaf-a364-2e56adb3f33a\t388373\n");
  EXPECT_EQ(CopyText(gen, 2), "b3d47ea9-1629-43a4-b147-434f0e5ae5ab\t49106\n");
  EXPECT_EQ(CopyText(AccountsGenerator(42), 0), "2f255737-5145-4373-8658-0556ac841133\t731836\n");
}

TEST(PointsGenerator, GoldenRows) {
  const PointsGenerator gen(1);
  EXPECT_EQ(CopyText(gen, 0), "0\t247.652122\t568.602969\t895.610001\n");
  EXPECT_EQ(CopyText(gen, 1), "1\t458.013803\t248.013875\t730.365076\n");
  EXPECT_EQ(CopyText(gen, 2), "2\t162.119792\t249.744811\t258.411404\n");
}

template <class Generator>
void ExpectDeterministic(uint64_t seed) {
  constexpr uint64_t kRows = 2000;
  const Generator first(seed);
  const Generator second(seed);
  std::vector<std::vector<Field>> forward;
  for (uint64_t row = 0; row < kRows; ++row) forward.push_back(RowFields(first, row));

  // Another instance, rows visited in a shuffled order, each row twice.
  std::vector<uint64_t> order(kRows);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(99));
  for (uint64_t row : order) {
    ASSERT_EQ(RowFields(second, row), forward[row]) << "row " << row;
    ASSERT_EQ(RowFields(second, row), forward[row]) << "row " << row << " again";
  }
  // Far-away rows do not depend on having generated the rows before them.
  const uint64_t far = uint64_t{1} << 40;
  EXPECT_EQ(CopyText(first, far), CopyText(second, far));
}

TEST(AccountsGenerator, SameSeedAndRowGiveSameRowInAnyOrder) {
  ExpectDeterministic<AccountsGenerator>(1);
  ExpectDeterministic<AccountsGenerator>(0xdeadbeef);
}

TEST(PointsGenerator, SameSeedAndRowGiveSameRowInAnyOrder) {
  ExpectDeterministic<PointsGenerator>(1);
  ExpectDeterministic<PointsGenerator>(0xdeadbeef);
}

TEST(AccountsGenerator, DifferentSeedsGiveDifferentRows) {
  const AccountsGenerator a(1);
  const AccountsGenerator b(2);
  int same_ids = 0;
  for (uint64_t row = 0; row < 1000; ++row) {
    if (RowFields(a, row)[0] == RowFields(b, row)[0]) ++same_ids;
  }
  EXPECT_EQ(same_ids, 0);
}

TEST(PointsGenerator, DifferentSeedsGiveDifferentCoordinates) {
  const PointsGenerator a(1);
  const PointsGenerator b(2);
  int same_rows = 0;
  for (uint64_t row = 0; row < 1000; ++row) {
    if (RowFields(a, row) == RowFields(b, row)) ++same_rows;
  }
  EXPECT_EQ(same_rows, 0);
}

TEST(AccountsGenerator, IdsAreUniqueVersion4Variant1) {
  constexpr uint64_t kRows = 200000;
  const AccountsGenerator gen(7);
  std::unordered_set<std::string> ids;
  ids.reserve(kRows);
  double balance_sum = 0;
  int64_t min_balance = INT64_MAX;
  int64_t max_balance = INT64_MIN;
  for (uint64_t row = 0; row < kRows; ++row) {
    const std::vector<Field> fields = RowFields(gen, row);
    ASSERT_EQ(fields.size(), 3u);
    const std::string id = FormatId(fields[0].uuid);
    // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx with V in 8, 9, a, b (variant bits 10).
    ASSERT_EQ(id[14], '4') << id;
    ASSERT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    ASSERT_TRUE(ids.insert(id).second) << "duplicate id " << id << " at row " << row;

    const int64_t balance = fields[1].int8;
    ASSERT_GE(balance, 0);
    ASSERT_LT(balance, 1000000);
    balance_sum += static_cast<double>(balance);
    min_balance = std::min(min_balance, balance);
    max_balance = std::max(max_balance, balance);
  }
  EXPECT_EQ(ids.size(), kRows);
  // Uniform over [0, 1e6): the mean's standard error is ~650 here, so 5000 is
  // loose; the extremes land within a few hundred of the ends.
  EXPECT_NEAR(balance_sum / kRows, 500000.0, 5000.0);
  EXPECT_LT(min_balance, 1000);
  EXPECT_GT(max_balance, 999000);
}

TEST(PointsGenerator, IdIsRowIndexAndCoordinatesInRange) {
  constexpr uint64_t kRows = 100000;
  // Coordinates are micro-units: [0, 1024) is [0, 1024 * 10^6) units at scale 6.
  constexpr int64_t kUnits = 1024 * 1000000LL;
  const PointsGenerator gen(3);
  double sum = 0;
  int64_t min_units = INT64_MAX;
  int64_t max_units = INT64_MIN;
  for (uint64_t row = 0; row < kRows; ++row) {
    const std::vector<Field> fields = RowFields(gen, row);
    ASSERT_EQ(fields.size(), 5u);
    ASSERT_EQ(fields[0].kind, Field::kInt8);
    ASSERT_EQ(fields[0].int8, static_cast<int64_t>(row));
    for (int i = 1; i <= 3; ++i) {
      ASSERT_EQ(fields[i].kind, Field::kDecimal);
      ASSERT_EQ(fields[i].scale, 6u);
      const int64_t units = fields[i].int8;
      ASSERT_GE(units, 0) << "row " << row;
      ASSERT_LT(units, kUnits) << "row " << row;
      sum += static_cast<double>(units) / 1e6;
      min_units = std::min(min_units, units);
      max_units = std::max(max_units, units);
    }
    ASSERT_EQ(fields[4].kind, Field::kEndRow);
  }
  EXPECT_NEAR(sum / (3 * kRows), 512.0, 10.0);
  EXPECT_LT(min_units, 1000000);           // some coordinate below 1.0
  EXPECT_GT(max_units, kUnits - 1000000);  // and some above 1023.0
  // The id is the row index even where it no longer fits a small integer.
  const uint64_t big = (uint64_t{1} << 62) + 5;
  EXPECT_EQ(RowFields(gen, big)[0].int8, static_cast<int64_t>(big));
}

TEST(Mix64, IsInjectiveOnASample) {
  std::unordered_set<uint64_t> outputs;
  outputs.reserve(100001);
  for (uint64_t z = 0; z <= 100000; ++z) outputs.insert(Mix64(z));
  EXPECT_EQ(outputs.size(), 100001u);
  // splitmix64's finalizer fixes 0 and is not the identity elsewhere.
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_EQ(Mix64(1), 0x5692161d100b05e5u);
}

TEST(RowRandom, BelowStaysInRange) {
  RowRandom rnd(123, 456);
  bool saw_zero = false;
  bool saw_top = false;
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rnd.Below(10);
    ASSERT_LT(v, 10u);
    saw_zero |= v == 0;
    saw_top |= v == 9;
  }
  EXPECT_TRUE(saw_zero);
  EXPECT_TRUE(saw_top);
  EXPECT_EQ(RowRandom(123, 456).first(), Mix64(456 ^ 123));
}

}  // namespace
}  // namespace loader
