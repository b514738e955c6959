// Well-formed UTF-8 for the fuzz targets, written from RFC 3629 and table 3-7
// of Unicode rather than from the loader's utf8.cc, so a target can hold the
// loader's checks to it.
#ifndef LOADER_TESTS_FUZZ_UTF8_MODEL_H_
#define LOADER_TESTS_FUZZ_UTF8_MODEL_H_

#include <cstddef>
#include <string_view>

namespace loader::fuzz {

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629, table 3-7
// of Unicode), or 0.
inline size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const size_t left = s.size() - i;
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < left && b(k) >= lo && b(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

inline bool ValidUtf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n) {
    if ((n = Utf8Length(s, i)) == 0) return false;
  }
  return true;
}

}  // namespace loader::fuzz

#endif  // LOADER_TESTS_FUZZ_UTF8_MODEL_H_
