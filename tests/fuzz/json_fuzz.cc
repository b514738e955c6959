// JsonString: whatever the bytes, the output is one valid RFC 8259 string
// literal, and valid UTF-8 comes back unchanged when it is decoded. The
// checker below is written from RFC 8259 and RFC 3629, not from json.cc.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "loader/json.h"

namespace {

using loader::fuzz::Check;

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629, table 3-7
// of Unicode), or 0.
size_t Utf8Length(std::string_view s, size_t i) {
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

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n) {
    if ((n = Utf8Length(s, i)) == 0) return false;
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads 4 hex digits at s[i].
bool Hex4(std::string_view s, size_t i, uint32_t* value) {
  if (i + 4 > s.size()) return false;
  *value = 0;
  for (size_t k = 0; k < 4; ++k) {
    const char c = s[i + k];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return false;
    *value = *value * 16 + static_cast<uint32_t>(d);
  }
  return true;
}

// Parses `json` as exactly one string literal whose escapes name Unicode
// scalar values (surrogates only in pairs); its value goes to *text.
bool ParseString(std::string_view json, std::string* text) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') return false;
  const std::string_view body = json.substr(1, json.size() - 2);
  for (size_t i = 0; i < body.size();) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    if (c < 0x20 || c == '"') return false;
    if (c != '\\') {
      const size_t n = Utf8Length(body, i);
      if (n == 0) return false;
      text->append(body.substr(i, n));
      i += n;
      continue;
    }
    if (i + 1 >= body.size()) return false;
    const char e = body[i + 1];
    i += 2;
    switch (e) {
      case '"':
        *text += '"';
        continue;
      case '\\':
        *text += '\\';
        continue;
      case '/':
        *text += '/';
        continue;
      case 'b':
        *text += '\b';
        continue;
      case 'f':
        *text += '\f';
        continue;
      case 'n':
        *text += '\n';
        continue;
      case 'r':
        *text += '\r';
        continue;
      case 't':
        *text += '\t';
        continue;
      case 'u':
        break;
      default:
        return false;
    }
    uint32_t cp = 0;
    if (!Hex4(body, i, &cp)) return false;
    i += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = 0;
      if (i + 6 > body.size() || body[i] != '\\' || body[i + 1] != 'u' ||
          !Hex4(body, i + 2, &low) || low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 6;
    }
    AppendUtf8(cp, text);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string json = loader::JsonString(input);
  std::string decoded;
  Check(ParseString(json, &decoded), "not one valid JSON string: " + json);
  if (ValidUtf8(input)) Check(decoded == std::string(input), "valid UTF-8 changed: " + json);
  return 0;
}
