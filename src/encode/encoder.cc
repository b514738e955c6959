#include "loader/encode/encoder.h"

#include <array>
#include <cstring>

#include "loader/base/hash.h"

namespace loader {

void FormatUuid(const UuidBytes& uuid, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    // Dashes go before bytes 4, 6, 8 and 10: 8-4-4-4-12 hex digits.
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = kHex[uuid[i] >> 4];
    *out++ = kHex[uuid[i] & 0xF];
  }
}

char* FormatDecimal(int64_t units, unsigned scale, char* out) {
  static constexpr uint64_t kPow10[] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000,
                                        100000000000,
                                        1000000000000,
                                        10000000000000,
                                        100000000000000,
                                        1000000000000000,
                                        10000000000000000,
                                        100000000000000000,
                                        1000000000000000000};
  uint64_t magnitude = static_cast<uint64_t>(units);
  if (units < 0) {
    *out++ = '-';
    magnitude = 0 - magnitude;  // well defined for INT64_MIN too
  }
  const uint64_t whole = magnitude / kPow10[scale];
  uint64_t fraction = magnitude % kPow10[scale];
  out = std::to_chars(out, out + 20, whole).ptr;
  if (fraction == 0) return out;
  unsigned digits = scale;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  *out++ = '.';
  for (unsigned i = digits; i > 0; --i) {
    out[i - 1] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  return out + digits;
}

void CopyBinaryEncoder::Numeric(int64_t units, unsigned scale) {
  const uint64_t magnitude =
      units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  uint64_t whole = magnitude / static_cast<uint64_t>(kPowersOfTen[scale]);
  // The fraction's digits padded to whole base-10000 digits: at most 20
  // decimal digits, which 128 bits hold.
  const int fraction_groups = static_cast<int>((scale + 3) / 4);
  Uint128 fraction = magnitude % static_cast<uint64_t>(kPowersOfTen[scale]);
  for (unsigned i = scale; i < static_cast<unsigned>(fraction_groups) * 4; ++i) fraction *= 10;
  uint16_t whole_digits[5];  // a 64-bit number has at most 20 decimal digits
  int whole_count = 0;
  for (; whole > 0; whole /= 10000)
    whole_digits[whole_count++] = static_cast<uint16_t>(whole % 10000);
  uint16_t digits[10];
  int count = 0;
  for (int i = whole_count - 1; i >= 0; --i) digits[count++] = whole_digits[i];
  for (int i = fraction_groups - 1; i >= 0; --i) {
    digits[count + i] = static_cast<uint16_t>(fraction % 10000);
    fraction /= 10000;
  }
  count += fraction_groups;
  // Leading and trailing zero digits are left out, as the server stores them.
  int weight = whole_count - 1;
  int first = 0;
  while (first < count && digits[first] == 0) ++first, --weight;
  while (count > first && digits[count - 1] == 0) --count;
  const int ndigits = count - first;
  if (ndigits == 0) weight = 0;
  char* p = Field(4 + 8 + 2 * static_cast<size_t>(ndigits));
  PutBig32(p, static_cast<uint32_t>(8 + 2 * ndigits));
  p += 4;
  auto put16 = [&p](int v) {
    p[0] = static_cast<char>(static_cast<uint16_t>(v) >> 8);
    p[1] = static_cast<char>(v);
    p += 2;
  };
  put16(ndigits);
  put16(weight);
  put16(units < 0 && ndigits > 0 ? 0x4000 : 0);
  put16(static_cast<int>(scale));
  for (int i = first; i < count; ++i) put16(digits[i]);
}

namespace {

// COPY text's escapes: a backslash and the control characters that would end
// a value or a row; 0 for bytes that go as they are.
constexpr std::array<char, 256> MakeCopyEscapes() {
  std::array<char, 256> escapes{};
  escapes['\\'] = '\\';
  escapes['\t'] = 't';
  escapes['\n'] = 'n';
  escapes['\r'] = 'r';
  return escapes;
}
constexpr std::array<char, 256> kCopyEscapes = MakeCopyEscapes();

}  // namespace

void CopyTextEncoder::Text(std::string_view v) {
  Separate();
  // Worst case every byte doubles.
  char* p = out_->Reserve(v.size() * 2);
  char* const start = p;
  const char* s = v.data();
  const char* const end = s + v.size();
  while (s < end) {
    // Copy the run that needs no escape in one go: most values are all of it.
    const char* run = s;
    while (s < end && kCopyEscapes[static_cast<unsigned char>(*s)] == 0) ++s;
    std::memcpy(p, run, s - run);
    p += s - run;
    if (s == end) break;
    *p++ = '\\';
    *p++ = kCopyEscapes[static_cast<unsigned char>(*s++)];
  }
  out_->Commit(p - start);
}

void CsvTextEncoder::Text(std::string_view v) {
  Separate();
  // \. alone on a line is psql's end of data; a leading U+FEFF at the start
  // of a file is a byte order mark to most readers (ours too). Quoted, both
  // are plain values, as in PostgreSQL's own CSV output.
  bool quote = v.empty() || v == "\\." || v.starts_with("\xEF\xBB\xBF");
  for (char c : v) quote |= c == separator_ || c == '"' || c == '\n' || c == '\r';
  if (!quote) {
    out_->Append(v);
    return;
  }
  // Worst case every byte is a quote, doubled, plus the two around it.
  char* p = out_->Reserve(v.size() * 2 + 2);
  char* const start = p;
  *p++ = '"';
  for (char c : v) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  out_->Commit(p - start);
}

}  // namespace loader
