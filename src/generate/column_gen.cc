#include "loader/generate/column_gen.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

#include "loader/encode/date_text.h"
#include "loader/encode/encoder.h"

namespace loader {
namespace {

constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz234567";  // 32: five bits each
constexpr char kHex[] = "0123456789abcdef";

// The value of `domain` nearest `v`, the lower of two as near.
int64_t Nearest(const ValueDomain& domain, int64_t v) {
  const auto& intervals = domain.intervals();
  const auto it = std::lower_bound(
      intervals.begin(), intervals.end(), v,
      [](const std::pair<int64_t, int64_t>& interval, int64_t x) { return interval.second < x; });
  if (it == intervals.end()) return intervals.back().second;
  if (it->first <= v || it == intervals.begin()) return std::max(it->first, v);
  const int64_t below = std::prev(it)->second;
  const uint64_t down = static_cast<uint64_t>(v) - static_cast<uint64_t>(below);
  const uint64_t up = static_cast<uint64_t>(it->first) - static_cast<uint64_t>(v);
  return down <= up ? below : it->first;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

char* RandomLetters(RowRandom& rnd, uint32_t count, char* out) {
  while (count > 0) {
    uint64_t bits = rnd.Next();
    for (int i = 0; i < 12 && count > 0; ++i, --count) {
      *out++ = kLetters[bits & 31];
      bits >>= 5;
    }
  }
  return out;
}

uint32_t Length(RowRandom& rnd, uint32_t low, uint32_t high) {
  return low + static_cast<uint32_t>(rnd.Below(uint64_t{high} - low + 1));
}

// [0, 1) from 53 random bits.
double Uniform01(RowRandom& rnd) { return static_cast<double>(rnd.Next() >> 11) * 0x1p-53; }

// Reads an unsigned run of digits; false on none or overflow.
bool ReadDigits(std::string_view& s, size_t max, int64_t* v) {
  size_t n = 0;
  *v = 0;
  while (n < s.size() && n < max && s[n] >= '0' && s[n] <= '9') *v = *v * 10 + (s[n++] - '0');
  s.remove_prefix(n);
  return n > 0;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// "HH:MM[:SS[.fff]]" as seconds; fractions are dropped (floor), or round up
// for ceil.
bool ParseTime(std::string_view& s, bool ceil, int64_t* seconds) {
  int64_t h = 0, m = 0, sec = 0;
  if (!ReadDigits(s, 2, &h) || !Expect(s, ':') || !ReadDigits(s, 2, &m)) return false;
  if (Expect(s, ':') && !ReadDigits(s, 2, &sec)) return false;
  bool fraction = false;
  if (Expect(s, '.')) {
    int64_t f = 0;
    if (!ReadDigits(s, 9, &f)) return false;
    fraction = f > 0;
  }
  *seconds = h * 3600 + m * 60 + sec + (fraction && ceil ? 1 : 0);
  return h <= 24 && m < 60 && sec < 60;
}

// "Z", "+02", "-08:00", "+05:30", "+0530" or "+00:53:28" (all of `s`) as
// seconds east of UTC.
bool ParseZone(std::string_view s, int64_t* offset) {
  if (s == "Z") {
    *offset = 0;
    return true;
  }
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return false;
  const int64_t sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  int64_t h = 0, m = 0, sec = 0;
  if (!ReadDigits(s, 2, &h)) return false;
  if (Expect(s, ':') || !s.empty()) {
    if (!ReadDigits(s, 2, &m)) return false;
    if (Expect(s, ':') && !ReadDigits(s, 2, &sec)) return false;
  }
  *offset = sign * (h * 3600 + m * 60 + sec);
  return s.empty() && h < 16 && m < 60 && sec < 60;
}

bool ParseDate(std::string_view& s, int64_t* days) {
  int64_t y = 0, m = 0, d = 0;
  if (!ReadDigits(s, 6, &y) || !Expect(s, '-') || !ReadDigits(s, 2, &m) || !Expect(s, '-') ||
      !ReadDigits(s, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return false;
  }
  *days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

// A decimal number as units of 10^-scale, rounded down (or up for ceil).
bool ParseDecimal(std::string_view s, unsigned scale, bool ceil, int64_t* units) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  Uint128 whole = 0;
  size_t digits = 0;
  unsigned fraction_digits = 0;
  bool inexact = false;
  bool point = false;
  for (char c : s) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    if (point && fraction_digits == scale) {
      inexact |= c != '0';
      continue;
    }
    if (++digits > 30) return false;
    whole = whole * 10 + static_cast<unsigned>(c - '0');
    if (point) ++fraction_digits;
  }
  if (digits == 0) return false;
  for (; fraction_digits < scale; ++fraction_digits) whole *= 10;
  // Truncated toward zero; floor and ceil differ from it by one unit on
  // opposite sides of zero.
  if (inexact && (negative ? !ceil : ceil)) whole += 1;
  if (whole > static_cast<Uint128>(std::numeric_limits<int64_t>::max())) return false;
  *units = negative ? -static_cast<int64_t>(whole) : static_cast<int64_t>(whole);
  return true;
}

}  // namespace

void ValueDomain::Add(int64_t low, int64_t high) {
  const uint64_t count = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  before_.push_back(size_);
  intervals_.emplace_back(low, high);
  size_ = count == 0 || size_ + count < size_ ? UINT64_MAX : size_ + count;
}

ValueDomain ValueDomain::Intersect(const ValueDomain& other) const {
  ValueDomain out;
  for (const auto& [a_low, a_high] : intervals_) {
    for (const auto& [b_low, b_high] : other.intervals_) {
      const int64_t low = std::max(a_low, b_low);
      const int64_t high = std::min(a_high, b_high);
      if (low <= high) out.Add(low, high);
    }
  }
  return out;
}

int64_t ValueDomain::NthOfMany(uint64_t n) const {
  const size_t i = static_cast<size_t>(std::upper_bound(before_.begin(), before_.end(), n) -
                                       before_.begin() - 1);
  return static_cast<int64_t>(static_cast<uint64_t>(intervals_[i].first) + (n - before_[i]));
}

std::string ValueDomain::ToString() const {
  std::string out;
  for (const auto& [low, high] : intervals_) {
    out += (out.empty() ? "[" : " [") + std::to_string(low) + ", " + std::to_string(high) + "]";
  }
  return out.empty() ? "none" : out;
}

ZipfDraw::ZipfDraw(uint64_t n, double exponent) : n_(n < 1 ? 1 : n), exponent_(exponent) {
  h_integral_x1_ = HIntegral(1.5) - 1.0;
  h_integral_n_ = HIntegral(static_cast<double>(n_) + 0.5);
  s_ = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
}

double ZipfDraw::H(double x) const { return std::exp(-exponent_ * std::log(x)); }

// (x^(1-e) - 1) / (1 - e), continuous at e = 1 (log x).
double ZipfDraw::HIntegral(double x) const {
  const double log_x = std::log(x);
  const double t = (1.0 - exponent_) * log_x;
  const double helper = std::abs(t) > 1e-8 ? std::expm1(t) / t : 1.0 + t / 2.0;
  return helper * log_x;
}

double ZipfDraw::HIntegralInverse(double x) const {
  double t = x * (1.0 - exponent_);
  if (t < -1.0) t = -1.0;
  const double helper = std::abs(t) > 1e-8 ? std::log1p(t) / t : 1.0 - t / 2.0;
  return std::exp(helper * x);
}

int64_t ColumnGen::OtherNumber(uint64_t row, RowRandom& rnd) const {
  switch (draw) {
    case NumberDraw::kUnique:
      return domain.Nth(unique->Map(row));
    case NumberDraw::kSequence:
      return static_cast<int64_t>(static_cast<uint64_t>(seq_start) +
                                  row * static_cast<uint64_t>(seq_step));
    case NumberDraw::kNormal: {
      const double u1 = 1.0 - Uniform01(rnd);  // (0, 1]: log is finite
      const double u2 = Uniform01(rnd);
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      // Clamped before it is an integer (2^63 - 1 is 2^63 as a double, which
      // no int64 holds), then to the nearest value of the domain: one in a gap
      // between its intervals is none of the column's.
      const double v = std::round(mean + stddev * z);
      if (!(v > static_cast<double>(domain.low()))) return domain.low();
      if (v >= static_cast<double>(domain.high())) return domain.high();
      return Nearest(domain, static_cast<int64_t>(v));
    }
    case NumberDraw::kZipf:
      return domain.Nth(zipf.Rank([&] { return Uniform01(rnd); }) - 1);
    case NumberDraw::kCombination:
      return domain.Nth(Digit(row, domain.size()));
    case NumberDraw::kUniform:
      break;
  }
  return Number(row, rnd);
}

size_t ColumnGen::WeightedChoice(RowRandom& rnd) const {
  const uint64_t r = rnd.Below(cumulative_weights.back());
  return static_cast<size_t>(
      std::upper_bound(cumulative_weights.begin(), cumulative_weights.end(), r) -
      cumulative_weights.begin());
}

std::string_view ColumnGen::Format(uint64_t row, RowRandom& rnd, char* scratch) const {
  char* p = scratch;
  switch (form) {
    case ValueForm::kInt:
    case ValueForm::kDecimal: {
      const int64_t v = Number(row, rnd);
      p = form == ValueForm::kInt ? std::to_chars(p, p + 20, v).ptr : FormatDecimal(v, scale, p);
      break;
    }
    case ValueForm::kDate:
      p = FormatDate(Number(row, rnd), p);
      break;
    case ValueForm::kTime:
      p = FormatTimeOfDay(Number(row, rnd), p);
      break;
    case ValueForm::kTimestamp:
    case ValueForm::kTimestampTz: {
      const int64_t seconds = Number(row, rnd);
      const int64_t days = FloorDiv(seconds, kSecondsPerDay);
      p = FormatDate(days, p);
      *p++ = ' ';
      p = FormatTimeOfDay(seconds - days * kSecondsPerDay, p);
      if (form == ValueForm::kTimestampTz) p = std::strcpy(p, "+00") + 3;
      break;
    }
    case ValueForm::kInterval:
      p = std::to_chars(p, p + 20, Number(row, rnd)).ptr;
      p = std::strcpy(p, " seconds") + 8;
      break;
    case ValueForm::kInet: {
      const uint64_t v = static_cast<uint64_t>(Number(row, rnd));
      for (int shift = 24; shift >= 0; shift -= 8) {
        p = std::to_chars(p, p + 3, (v >> shift) & 255).ptr;
        if (shift > 0) *p++ = '.';
      }
      break;
    }
    case ValueForm::kText: {
      const uint32_t length = Length(rnd, min_length, max_length);
      uint32_t random = length;
      if (unique) {
        uint64_t n = unique->Map(row);
        for (uint32_t i = unique_digits; i-- > 0; n >>= 5) p[i] = kLetters[n & 31];
        p += unique_digits;
        random -= unique_digits;
      }
      p = RandomLetters(rnd, random, p);
      break;
    }
    case ValueForm::kUuid: {
      UuidBytes id;
      AccountsGenerator::MakeId(rnd, id);
      FormatUuid(id, p);
      p += 36;
      break;
    }
    case ValueForm::kBytea: {
      *p++ = '\\';
      *p++ = 'x';
      const uint32_t length = Length(rnd, min_length, max_length);
      uint64_t bits = unique ? unique->Map(row) : rnd.Next();
      for (uint32_t i = 0; i < length; ++i) {
        if (i % 8 == 0 && i > 0) bits = rnd.Next();
        *p++ = kHex[(bits >> 4) & 15];
        *p++ = kHex[bits & 15];
        bits >>= 8;
      }
      break;
    }
    case ValueForm::kJson: {
      const uint64_t n = unique ? unique->Map(row) : rnd.Below(1000000);
      p = std::strcpy(p, "{\"n\": ") + 6;
      p = std::to_chars(p, p + 20, n).ptr;
      p = std::strcpy(p, ", \"s\": \"") + 8;
      p = RandomLetters(rnd, Length(rnd, 3, 12), p);
      p = std::strcpy(p, "\"}") + 2;
      break;
    }
    case ValueForm::kTsvector: {
      const uint64_t words = 1 + rnd.Below(4);
      for (uint64_t w = 0; w < words; ++w) {
        if (w > 0) *p++ = ' ';
        const uint32_t length = Length(rnd, 3, 8);
        for (uint32_t i = 0; i < length; ++i) *p++ = static_cast<char>('a' + rnd.Below(26));
      }
      break;
    }
    case ValueForm::kPattern:
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) p = std::to_chars(p, p + 20, row + 1).ptr;
        std::memcpy(p, values[i].data(), values[i].size());
        p += values[i].size();
      }
      break;
    case ValueForm::kChoice:
      return values[Choose(row, rnd)];
    case ValueForm::kConstant:
      return values[0];
    case ValueForm::kReference:
      return values[ReferenceRow(row)];
    case ValueForm::kNull:
      break;
  }
  return {scratch, static_cast<size_t>(p - scratch)};
}

// {"a","b"}: every element quoted, so any element text reads back as itself.
std::string_view ColumnGen::FormatArray(uint64_t row, RowRandom& rnd, char* scratch) const {
  char* p = scratch;
  *p++ = '{';
  const uint64_t elements = rnd.Below(4);
  char element[kMaxElement];
  for (uint64_t e = 0; e < elements; ++e) {
    if (e > 0) *p++ = ',';
    *p++ = '"';
    const std::string_view v = Format(row, rnd, element);
    for (char c : v) {
      if (c == '"' || c == '\\') *p++ = '\\';
      *p++ = c;
    }
    *p++ = '"';
  }
  *p++ = '}';
  return {scratch, static_cast<size_t>(p - scratch)};
}

bool ParseUnits(ValueForm form, unsigned scale, std::string_view s, bool ceil, int64_t* units) {
  switch (form) {
    case ValueForm::kInt:
      return ParseDecimal(s, 0, ceil, units);
    case ValueForm::kDecimal:
      return ParseDecimal(s, scale, ceil, units);
    case ValueForm::kDate:
      return ParseDate(s, units) && s.empty();
    case ValueForm::kTime:
      return ParseTime(s, ceil, units) && s.empty();
    case ValueForm::kTimestamp:
    case ValueForm::kTimestampTz: {
      int64_t days = 0, seconds = 0;
      if (!ParseDate(s, &days)) return false;
      if (!s.empty() && (s[0] == ' ' || s[0] == 'T')) {
        s.remove_prefix(1);
        if (!ParseTime(s, ceil, &seconds)) return false;
      }
      // A zone: a timestamp without time zone ignores it, as PostgreSQL
      // does; with time zone it moves the instant, which is written in UTC.
      int64_t offset = 0;
      if (!s.empty() && !ParseZone(s, &offset)) return false;
      *units = days * kSecondsPerDay + seconds - (form == ValueForm::kTimestampTz ? offset : 0);
      return true;
    }
    case ValueForm::kInterval:
      return ParseDecimal(s, 0, ceil, units);
    case ValueForm::kInet: {
      int64_t v = 0;
      for (int i = 0; i < 4; ++i) {
        int64_t octet = 0;
        if ((i > 0 && !Expect(s, '.')) || !ReadDigits(s, 3, &octet) || octet > 255) return false;
        v = v << 8 | octet;
      }
      *units = v;
      return s.empty();
    }
    default:
      return false;
  }
}

}  // namespace loader
