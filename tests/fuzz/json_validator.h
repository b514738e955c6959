// An independent JSON checker for the fuzz targets, written from RFC 8259
// rather than from the loader's json.cc: one string literal with its value,
// and whole documents.
#ifndef LOADER_TESTS_FUZZ_JSON_VALIDATOR_H_
#define LOADER_TESTS_FUZZ_JSON_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "utf8_model.h"

namespace loader::fuzz {

inline void AppendUtf8(uint32_t cp, std::string* out) {
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
inline bool Hex4(std::string_view s, size_t i, uint32_t* value) {
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
inline bool ParseString(std::string_view json, std::string* text) {
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

// A recursive-descent reader of RFC 8259 documents that only says whether
// the text is one; nesting deeper than kMaxDepth counts as invalid.
class JsonDocumentChecker {
 public:
  explicit JsonDocumentChecker(std::string_view text) : text_(text) {}

  bool Valid() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return at_ == text_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  bool Value(int depth) {
    if (depth > kMaxDepth || at_ >= text_.size()) return false;
    switch (text_[at_]) {
      case '{':
        return Object(depth);
      case '[':
        return Array(depth);
      case '"':
        return String();
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }

  bool Object(int depth) {
    ++at_;
    SkipSpace();
    if (Take('}')) return true;
    for (;;) {
      SkipSpace();
      if (at_ >= text_.size() || text_[at_] != '"' || !String()) return false;
      SkipSpace();
      if (!Take(':')) return false;
      SkipSpace();
      if (!Value(depth + 1)) return false;
      SkipSpace();
      if (Take('}')) return true;
      if (!Take(',')) return false;
    }
  }

  bool Array(int depth) {
    ++at_;
    SkipSpace();
    if (Take(']')) return true;
    for (;;) {
      SkipSpace();
      if (!Value(depth + 1)) return false;
      SkipSpace();
      if (Take(']')) return true;
      if (!Take(',')) return false;
    }
  }

  // The literal runs to the first quote no backslash escapes; ParseString
  // then checks all of it.
  bool String() {
    size_t end = at_ + 1;
    while (end < text_.size() && text_[end] != '"') end += text_[end] == '\\' ? 2 : 1;
    if (end >= text_.size()) return false;
    std::string value;
    if (!ParseString(text_.substr(at_, end + 1 - at_), &value)) return false;
    at_ = end + 1;
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool Number() {
    Take('-');
    if (!Take('0') && !Digits()) return false;
    if (Take('.') && !Digits()) return false;
    if (Take('e') || Take('E')) {
      if (!Take('+')) Take('-');
      if (!Digits()) return false;
    }
    return true;
  }

  bool Digits() {
    const size_t start = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > start;
  }

  bool Word(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  bool Take(char c) {
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }

  void SkipSpace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  std::string_view text_;
  size_t at_ = 0;
};

inline bool ValidJsonDocument(std::string_view text) { return JsonDocumentChecker(text).Valid(); }

}  // namespace loader::fuzz

#endif  // LOADER_TESTS_FUZZ_JSON_VALIDATOR_H_
