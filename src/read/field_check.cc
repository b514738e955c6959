#include "loader/read/field_check.h"

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

constexpr bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimFront(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

// PostgreSQL's input functions skip leading and trailing white space.
std::string_view Trim(std::string_view s) {
  s = TrimFront(s);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
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

constexpr bool IsAlnum(char c) {
  return IsDigit(c) || (static_cast<char>(c | 0x20) >= 'a' && static_cast<char>(c | 0x20) <= 'z');
}

constexpr bool IsDigitOf(char c, int base) {
  return base == 16 ? IsHexDigit(c) : c >= '0' && c < '0' + base;
}

constexpr int DigitValue(char c) { return IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

// Removes an optional sign; true when it was a minus.
bool TakeSign(std::string_view* s) {
  if (s->empty() || (s->front() != '+' && s->front() != '-')) return false;
  const bool minus = s->front() == '-';
  s->remove_prefix(1);
  return minus;
}

// 16, 8 or 2 for a 0x, 0o or 0b prefix, which it removes; else 10.
int TakeBasePrefix(std::string_view* s) {
  if (s->size() < 2 || (*s)[0] != '0') return 10;
  const char p = static_cast<char>((*s)[1] | 0x20);
  const int base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
  if (base != 10) s->remove_prefix(2);
  return base;
}

// Removes the digits of `base` at the front of `s` and returns how many there
// were. With `underscores`, also single underscores between two digits, and
// one before the first digit of a prefixed number (`after_prefix`), as
// PostgreSQL 16 reads integers and numeric.
size_t TakeDigits(std::string_view* s, int base, bool underscores, bool after_prefix = false) {
  size_t digits = 0;
  size_t i = 0;
  while (i < s->size()) {
    const char c = (*s)[i];
    if (IsDigitOf(c, base)) {
      ++digits, ++i;
    } else if (underscores && c == '_' && (digits > 0 || after_prefix) && i + 1 < s->size() &&
               IsDigitOf((*s)[i + 1], base)) {
      ++i;
    } else {
      break;
    }
  }
  s->remove_prefix(i);
  return digits;
}

// int2in, int4in, int8in: decimal digits with an optional sign. PostgreSQL 16
// also reads 0x, 0o and 0b prefixes and underscores between digits (1_000);
// the checks do not know the server's version, so they take those forms, in
// range, and an older server's refusal is reported against the line.
bool IntegerIn(std::string_view text, int64_t min, int64_t max) {
  text = Trim(text);
  // Plain decimal digits, nearly every value, in half the time of the loop below.
  int64_t v = 0;
  const char* begin = text.data() + (text.size() > 1 && text[0] == '+' && text[1] != '-');
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size()) return v >= min && v <= max;
  const bool negative = TakeSign(&text);
  const int base = TakeBasePrefix(&text);
  const std::string_view digits = text;
  if (TakeDigits(&text, base, true, base != 10) == 0 || !text.empty()) return false;
  uint64_t magnitude = 0;
  for (char c : digits) {
    if (c == '_') continue;
    const uint64_t d = static_cast<uint64_t>(DigitValue(c));
    if (magnitude > (UINT64_MAX - d) / static_cast<uint64_t>(base)) return false;
    magnitude = magnitude * static_cast<uint64_t>(base) + d;
  }
  return negative ? magnitude <= static_cast<uint64_t>(-(min + 1)) + 1
                  : magnitude <= static_cast<uint64_t>(max);
}

// Digits with an optional decimal point and exponent: at least one digit, the
// exponent's sign optional and its digits not. `kNumeric` adds what numeric_in
// takes and strtod does not: underscores between digits (PostgreSQL 16) and
// white space between the e and the exponent (PostgreSQL 15 reads it with
// strtol, which skips white space: "1e 5" is 100000).
template <bool kNumeric>
bool DecimalText(std::string_view s) {
  // Without underscores a plain loop: floats take this path for every value.
  auto take_digits = [](std::string_view* s) {
    if constexpr (kNumeric) return TakeDigits(s, 10, true);
    size_t i = 0;
    while (i < s->size() && IsDigit((*s)[i])) ++i;
    s->remove_prefix(i);
    return i;
  };
  size_t digits = take_digits(&s);
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    digits += take_digits(&s);
  }
  if (digits == 0) return false;
  if (!s.empty() && static_cast<char>(s.front() | 0x20) == 'e') {
    s.remove_prefix(1);
    if constexpr (kNumeric) s = TrimFront(s);
    TakeSign(&s);
    if (take_digits(&s) == 0) return false;
  }
  return s.empty();
}

bool InfinityText(std::string_view s) {
  return EqualsIgnoreCase(s, "infinity") || EqualsIgnoreCase(s, "inf");
}

// What strtod reads after a 0x: hexadecimal digits with an optional point,
// at least one digit, and an optional binary exponent (p3). After 0x nothing
// is decimal: "0x" alone or "0xg" leaves strtod at the x.
bool HexFloatText(std::string_view text) {
  size_t digits = TakeDigits(&text, 16, false);
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    digits += TakeDigits(&text, 16, false);
  }
  if (digits == 0) return false;
  if (!text.empty() && static_cast<char>(text.front() | 0x20) == 'p') {
    text.remove_prefix(1);
    TakeSign(&text);
    if (TakeDigits(&text, 10, false) == 0) return false;
  }
  return text.empty();
}

// float4in and float8in take what the C library's strtof and strtod take
// (glibc's, on the servers this was checked against): decimal numbers,
// hexadecimal ones (0x1p3, 0x10: a binary exponent is optional), inf and
// infinity, and NaN with any sign and an optional (n-char-sequence).
bool FloatText(std::string_view text) {
  text = Trim(text);
  TakeSign(&text);
  if (text.empty()) return false;
  if (IsDigit(text.front()) || text.front() == '.') {
    if (text.size() < 2 || text[0] != '0' || static_cast<char>(text[1] | 0x20) != 'x') {
      return DecimalText<false>(text);
    }
    return HexFloatText(text.substr(2));
  }
  if (InfinityText(text)) return true;
  if (text.size() < 3 || !EqualsIgnoreCase(text.substr(0, 3), "nan")) return false;
  text.remove_prefix(3);
  if (text.empty()) return true;
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  for (char c : text.substr(1, text.size() - 2)) {
    if (!IsAlnum(c) && c != '_') return false;
  }
  return true;
}

// numeric_in: NaN (unsigned), infinities, and decimal numbers; PostgreSQL 16
// also takes integers with a 0x, 0o or 0b prefix, left to the server as in
// IntegerIn.
bool NumericText(std::string_view text) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "nan")) return true;
  TakeSign(&text);
  if (InfinityText(text)) return true;
  const int base = TakeBasePrefix(&text);
  if (base == 10) return DecimalText<true>(text);
  return TakeDigits(&text, base, true, true) > 0 && text.empty();
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
// any group of four; unlike the numeric types, no white space around them.
bool UuidText(std::string_view text) {
  if (CanonicalUuid(text)) return true;
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
  // format_type() writes a type's modifiers inside its name for some types
  // ("time(3) with time zone") and an array's [] after them
  // ("numeric(10,2)[]"): the name is read without every (...) group.
  std::string t;
  int depth = 0;
  for (char c : sql_type) {
    if (c == '(') ++depth;
    if (depth == 0) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == ')' && depth > 0) --depth;
  }
  // An array's elements are parsed by the server, whatever their type
  // (CockroachDB's information_schema calls every array ARRAY).
  if (t.find('[') != std::string::npos) return ColumnType::kOther;
  const std::string_view base = t;
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
      return FloatText(text) ? nullptr : "a number (FLOAT)";
    case ColumnType::kNumeric:
      return NumericText(text) ? nullptr : "a decimal number (NUMERIC)";
    case ColumnType::kBool:
      return BoolText(text) ? nullptr : "a boolean: true, false, yes, no, on, off, 1 or 0 (BOOL)";
    case ColumnType::kUuid:
      return UuidText(text) ? nullptr : "a UUID: 32 hex digits, as in 8-4-4-4-12 (UUID)";
    default:  // text, and the types only the server parses
      return nullptr;
  }
}

}  // namespace loader
