#include "loader/field_check.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>

namespace loader {
namespace {

// ASCII only, and inline: the C library's versions consult the locale on
// every call, and these run for every field of every row.
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsHexDigit(char c) {
  return IsDigit(c) || (static_cast<char>(c | 0x20) >= 'a' && static_cast<char>(c | 0x20) <= 'f');
}

// PostgreSQL's input functions skip leading and trailing white space.
std::string_view Trim(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// `b` must be lower case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

bool IntegerIn(std::string_view text, int64_t min, int64_t max) {
  text = Trim(text);
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && v >= min &&
         v <= max;
}

// Digits with an optional sign, decimal point and exponent, as float8in and
// numeric_in read them; also NaN and Infinity (numeric takes it since 14).
bool NumberText(std::string_view text) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "nan")) return true;
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  if (EqualsIgnoreCase(body, "infinity") || EqualsIgnoreCase(body, "inf")) {
    return true;
  }
  size_t i = 0;
  size_t digits = 0;
  while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < body.size() && IsDigit(body[i])) {
      ++i, ++exponent_digits;
    }
    if (exponent_digits == 0) return false;
  }
  return i == body.size();
}

// boolin: true/false/yes/no by any unambiguous prefix, on/off, 1/0.
bool BoolText(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return false;
  for (std::string_view word : {"true", "false", "yes", "no"}) {
    if (text.size() <= word.size() && EqualsIgnoreCase(text, word.substr(0, text.size()))) {
      return true;
    }
  }
  return EqualsIgnoreCase(text, "on") || EqualsIgnoreCase(text, "off") ||
         EqualsIgnoreCase(text, "of") || text == "1" || text == "0";
}

constexpr std::array<bool, 256> MakeHexDigits() {
  std::array<bool, 256> hex{};
  for (int c = 0; c < 256; ++c) hex[c] = IsHexDigit(static_cast<char>(c));
  return hex;
}
constexpr std::array<bool, 256> kHexDigits = MakeHexDigits();

// The 8-4-4-4-12 form nearly every file uses, checked without a branch on the
// characters: on random hex digits a digit-or-letter branch mispredicts half
// the time, and that was most of a row's cost.
bool CanonicalUuid(std::string_view text) {
  if (text.size() != 36) return false;
  bool ok = true;
  for (size_t i = 0; i < 36; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    ok &= (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : kHexDigits[c];
  }
  return ok;
}

// uuid_in: 32 hex digits, optionally in braces, with a hyphen allowed after
// any group of four.
bool UuidText(std::string_view text) {
  if (CanonicalUuid(text)) return true;
  text = Trim(text);
  if (!text.empty() && text.front() == '{') {
    if (text.back() != '}') return false;
    text = text.substr(1, text.size() - 2);
  }
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsHexDigit(c)) {
      ++digits;
    } else if (c != '-' || digits == 0 || digits % 4 != 0 || digits == 32 || text[i - 1] == '-') {
      return false;
    }
  }
  return digits == 32 && text.back() != '-';
}

}  // namespace

ColumnType ColumnTypeFromSql(std::string_view sql_type) {
  std::string t;
  for (char c : sql_type) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string_view base = std::string_view(t).substr(0, t.find('('));
  if (base == "smallint" || base == "int2") return ColumnType::kInt2;
  if (base == "integer" || base == "int4" || base == "int") return ColumnType::kInt4;
  if (base == "bigint" || base == "int8" || base == "int64") return ColumnType::kInt8;
  if (base == "real" || base == "float4") return ColumnType::kFloat4;
  if (base == "double precision" || base == "float8" || base == "float") return ColumnType::kFloat8;
  if (base == "numeric" || base == "decimal") return ColumnType::kNumeric;
  if (base == "boolean" || base == "bool") return ColumnType::kBool;
  if (base == "uuid") return ColumnType::kUuid;
  if (base == "text" || base == "string" || base == "character varying" || base == "varchar" ||
      base == "character" || base == "char" || base == "bpchar") {
    return ColumnType::kText;
  }
  return ColumnType::kOther;
}

const char* CheckField(ColumnType type, std::string_view text) {
  switch (type) {
    case ColumnType::kInt2:
      return IntegerIn(text, INT16_MIN, INT16_MAX) ? nullptr
                                                   : "an integer from -32768 to 32767 (INT2)";
    case ColumnType::kInt4:
      return IntegerIn(text, INT32_MIN, INT32_MAX)
                 ? nullptr
                 : "an integer from -2147483648 to 2147483647 (INT4)";
    case ColumnType::kInt8:
      return IntegerIn(text, INT64_MIN, INT64_MAX) ? nullptr : "a 64-bit integer (INT8)";
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      return NumberText(text) ? nullptr : "a number (FLOAT)";
    case ColumnType::kNumeric:
      return NumberText(text) ? nullptr : "a decimal number (NUMERIC)";
    case ColumnType::kBool:
      return BoolText(text) ? nullptr : "a boolean: true, false, yes, no, on, off, 1 or 0 (BOOL)";
    case ColumnType::kUuid:
      return UuidText(text) ? nullptr : "a UUID: 32 hex digits, as in 8-4-4-4-12 (UUID)";
    case ColumnType::kText:
    case ColumnType::kOther:
      return nullptr;
  }
  return nullptr;
}

}  // namespace loader
