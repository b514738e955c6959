// ColumnGen: how one column of a synthetic table gets its value in row i, as
// a pure function of (the column's key, i), so any chunk can be rebuilt in any
// order for a retry, a resume or another shard. Compiled from the catalog and
// the user's --gen rules by CompileSeedTable (synthetic_rows.h); writes into
// any encoder with the field API of encoder.h.
// Thread safety: const after compiling; Write may run on many threads.
#ifndef LOADER_GENERATE_COLUMN_GEN_H_
#define LOADER_GENERATE_COLUMN_GEN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loader/encode/date_text.h"
#include "loader/generate/id_order.h"
#include "loader/generate/row_generator.h"

namespace loader {

// A set of int64 values as sorted, disjoint, inclusive intervals: a number
// column's type range cut by its CHECKs and its partitions' bounds, in the
// column's units (integers, numeric units of 10^-scale, days, seconds...).
class ValueDomain {
 public:
  ValueDomain() = default;
  ValueDomain(int64_t low, int64_t high) { Add(low, high); }

  // Adds [low, high]; intervals must be added in order, not overlapping.
  void Add(int64_t low, int64_t high);
  // The values in both.
  ValueDomain Intersect(const ValueDomain& other) const;

  bool empty() const { return intervals_.empty(); }
  // How many values; saturates at UINT64_MAX.
  uint64_t size() const { return size_; }
  int64_t low() const { return intervals_.front().first; }
  int64_t high() const { return intervals_.back().second; }
  const std::vector<std::pair<int64_t, int64_t>>& intervals() const { return intervals_; }

  // The n-th smallest value. REQUIRES: n < size().
  int64_t Nth(uint64_t n) const {
    if (intervals_.size() == 1) return static_cast<int64_t>(static_cast<uint64_t>(low()) + n);
    return NthOfMany(n);
  }
  std::string ToString() const;  // "[1, 100] [200, 300]"

 private:
  int64_t NthOfMany(uint64_t n) const;

  std::vector<std::pair<int64_t, int64_t>> intervals_;
  std::vector<uint64_t> before_;  // values in the intervals before each
  uint64_t size_ = 0;
};

// How a value is written.
enum class ValueForm : uint8_t {
  // Numbers drawn from a ValueDomain:
  kInt,          // an integer
  kDecimal,      // units * 10^-scale
  kDate,         // days since 1970-01-01: "2024-03-01"
  kTime,         // seconds of the day: "13:04:59"
  kTimestamp,    // seconds since 1970-01-01: "2024-03-01 13:04:59"
  kTimestampTz,  // the same, "+00"
  kInterval,     // seconds: "3600 seconds"
  kInet,         // an IPv4 address as a 32-bit number: "10.1.2.3"
  // Not numbers:
  kText,       // random letters and digits, of min_length to max_length
  kUuid,       // a version-4 UUID
  kBytea,      // "\x" and hex of min_length to max_length random bytes
  kJson,       // {"n": 123, "s": "abc"}
  kTsvector,   // one to four random words
  kChoice,     // one of values, by weight (enums, IN lists, bool, --gen choice)
  kPattern,    // values[0] + row number + values[1] + ...
  kConstant,   // values[0]
  kNull,       // always NULL
  kReference,  // a column of a row of another table (a foreign key)
};

// The forms whose values are numbers drawn from a ValueDomain.
constexpr bool IsNumberForm(ValueForm form) { return form <= ValueForm::kInet; }

// How a value goes into COPY binary, by the column's type; kNone: the
// column has no binary form here, and its table goes as COPY text.
enum class BinaryForm : uint8_t {
  kNone,
  kInt2,
  kInt4,
  kInt8,
  kFloat4,
  kFloat8,
  kNumeric,
  kBool,
  kText,  // text, varchar, char, json, an enum's label: the text itself
  kJsonb,
  kUuid,
  kDate,
  kTime,
  kTimestamp,  // with or without time zone: microseconds since 2000-01-01 UTC
  kInterval,
};

// How a number is drawn from its domain.
enum class NumberDraw : uint8_t { kUniform, kUnique, kSequence, kNormal, kZipf, kCombination };

// Rows of another table's key, read once at the start, as text: a foreign
// key's columns take whole rows of it.
struct ReferenceSample {
  std::vector<std::vector<std::string>> rows;
};

// Zipf's law over ranks 1..n with exponent s, by rejection-inversion
// (Hörmann and Derflinger): a few draws per value, no table.
class ZipfDraw {
 public:
  ZipfDraw() = default;
  ZipfDraw(uint64_t n, double exponent);
  // A rank in [1, n]. `uniform` gives doubles in [0, 1).
  template <class Uniform>
  uint64_t Rank(Uniform&& uniform) const {
    for (;;) {
      const double u = h_integral_n_ + uniform() * (h_integral_x1_ - h_integral_n_);
      const double x = HIntegralInverse(u);
      uint64_t k = static_cast<uint64_t>(x + 0.5);
      if (k < 1) k = 1;
      if (k > n_) k = n_;
      const double kd = static_cast<double>(k);
      if (kd - x <= s_ || u >= HIntegral(kd + 0.5) - H(kd)) return k;
    }
  }

 private:
  double H(double x) const;
  double HIntegral(double x) const;
  double HIntegralInverse(double x) const;

  uint64_t n_ = 1;
  double exponent_ = 1.1;
  double h_integral_x1_ = 0;
  double h_integral_n_ = 0;
  double s_ = 0;
};

struct ColumnGen {
  std::string name;
  ValueForm form = ValueForm::kText;
  uint64_t key = 0;         // seeds the column's draws: (seed, table, column)
  uint64_t null_below = 0;  // NULL when the row's first draw is below this
  bool array = false;       // an array of 0 to 3 such values
  // Numbers.
  NumberDraw draw = NumberDraw::kUniform;
  ValueDomain domain;
  unsigned scale = 0;  // kDecimal
  int64_t seq_start = 1;
  int64_t seq_step = 1;
  double mean = 0;  // kNormal, in units
  double stddev = 1;
  ZipfDraw zipf;
  std::optional<ScatteredIds> unique;  // kUnique numbers, unique text and choices
  // Text, bytea: lengths; unique text starts with unique_digits base-32 digits.
  uint32_t min_length = 1;
  uint32_t max_length = 1;
  uint32_t unique_digits = 0;
  // Choices, pattern pieces, a constant, a reference's sampled values.
  std::vector<std::string> values;
  std::vector<uint64_t> cumulative_weights;  // empty: all weigh the same
  // References: values holds one column of the sample, in sample order; all
  // the columns of one foreign key take the same sample row (they share
  // ref_key).
  std::string ref_name;  // "customers(id)", for the plan
  uint64_t ref_key = 0;
  // A key no column of which has enough distinct values alone (an
  // association table's, or (order_id, line)): row i's combination number
  // is combination->Map(i), and this column's digit of it, in a mixed radix
  // of the columns' sizes, (number / combination_stride) % size picks its
  // value, sample row or choice.
  std::shared_ptr<const ScatteredIds> combination;
  uint64_t combination_stride = 1;

  // Every value Format gives is plain text (encoder.h): not empty, nothing
  // any format escapes or quotes.
  bool plain = false;
  // COPY binary: how, and for choices, constants and references each of
  // values in that form (a field's bytes without its length).
  BinaryForm binary = BinaryForm::kNone;
  std::vector<std::string> binary_values;

  // The most bytes Format writes.
  static constexpr size_t kMaxFormatted = 16384;
  // The most bytes of one element of an array, unquoted: CompileSeedTable
  // keeps array columns' values within it, so that three elements, quoted
  // and escaped, stay within kMaxFormatted.
  static constexpr size_t kMaxElement = 512;

  template <class Encoder>
  void Write(uint64_t row, char* scratch, Encoder& enc) const {
    if constexpr (std::is_same_v<Encoder, CopyBinaryEncoder>) {
      return WriteBinary(row, scratch, enc);
    }
    RowRandom rnd(key, row);
    if (null_below != 0 && rnd.Next() < null_below) return enc.Null();
    if (array) return enc.Text(FormatArray(row, rnd, scratch));
    switch (form) {
      case ValueForm::kInt:
        return enc.Int8(Number(row, rnd));
      case ValueForm::kDecimal:
        return enc.Decimal(Number(row, rnd), scale);
      case ValueForm::kNull:
        return enc.Null();
      default: {
        const std::string_view v = Format(row, rnd, scratch);
        return plain ? enc.Plain(v) : enc.Text(v);
      }
    }
  }

  // The number of row `row`: its draw from the domain.
  int64_t Number(uint64_t row, RowRandom& rnd) const {
    if (draw == NumberDraw::kUniform) {
      return domain.Nth(domain.size() == UINT64_MAX ? rnd.Next() : rnd.Below(domain.size()));
    }
    return OtherNumber(row, rnd);
  }
  uint64_t Digit(uint64_t row, uint64_t size) const {
    return combination->Map(row) / combination_stride % size;
  }
  size_t Choose(uint64_t row, RowRandom& rnd) const {
    if (unique) return static_cast<size_t>(unique->Map(row));
    if (combination) return static_cast<size_t>(Digit(row, values.size()));
    if (cumulative_weights.empty()) return static_cast<size_t>(rnd.Below(values.size()));
    return WeightedChoice(rnd);
  }
  size_t ReferenceRow(uint64_t row) const {
    const uint64_t size = values.size();
    if (combination) return static_cast<size_t>(Digit(row, size));
    return static_cast<size_t>(RowRandom(ref_key, row).Below(size));
  }

  // Write into COPY binary. REQUIRES: binary is not kNone.
  void WriteBinary(uint64_t row, char* scratch, CopyBinaryEncoder& enc) const;

  // The value of row `row` as text, for the forms Write does not write
  // directly; in `scratch` (kMaxFormatted bytes) unless it is held already.
  std::string_view Format(uint64_t row, RowRandom& rnd, char* scratch) const;

 private:
  int64_t OtherNumber(uint64_t row, RowRandom& rnd) const;
  size_t WeightedChoice(RowRandom& rnd) const;
  std::string_view FormatArray(uint64_t row, RowRandom& rnd, char* scratch) const;
};

// Parses a literal of `form` into its units ("2024-03-01" for kDate, "1.25"
// at `scale` for kDecimal), rounding toward -inf (floor) or +inf (ceil) when
// it falls between units. A timestamp's zone ("+02", "-08:00", "Z") moves a
// kTimestampTz, whose values are written in UTC, and is ignored for a
// kTimestamp, as PostgreSQL ignores it. False when it does not read.
bool ParseUnits(ValueForm form, unsigned scale, std::string_view text, bool ceil, int64_t* units);

// `text`, a value of a column of `form` (at `scale`), as the field bytes
// `binary` writes; false when it does not read as one.
bool ToBinaryValue(BinaryForm binary, ValueForm form, unsigned scale, std::string_view text,
                   std::string* out);

}  // namespace loader

#endif  // LOADER_GENERATE_COLUMN_GEN_H_
