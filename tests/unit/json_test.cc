// JsonString writes valid RFC 8259 JSON whatever the bytes: checked with a
// small strict validator, on the inputs the fuzzing campaign of issue 16
// found, and on a --stats-json document carrying them.
#include "loader/json.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "loader/stats.h"

namespace loader {
namespace {

// A strict RFC 8259 validator: objects, arrays, strings, numbers, literals;
// strings must be well-formed UTF-8 with no raw control character.
class JsonValidator {
 public:
  static bool Valid(std::string_view text) {
    JsonValidator v(text);
    v.Space();
    if (!v.Value()) return false;
    v.Space();
    return v.at_ == text.size();
  }

 private:
  explicit JsonValidator(std::string_view text) : s_(text) {}

  bool More() const { return at_ < s_.size(); }
  char Peek() const { return More() ? s_[at_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++at_;
    return true;
  }
  void Space() {
    while (More() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) ++at_;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  bool Digits() {
    const size_t start = at_;
    while (Peek() >= '0' && Peek() <= '9') ++at_;
    return at_ > start;
  }
  bool Number() {
    Eat('-');
    if (!Eat('0') && !Digits()) return false;
    if (Eat('.') && !Digits()) return false;
    if (Eat('e') || Eat('E')) {
      if (!Eat('+')) Eat('-');
      if (!Digits()) return false;
    }
    return true;
  }
  bool Hex4() {
    for (int i = 0; i < 4; ++i) {
      if (!std::isxdigit(static_cast<unsigned char>(Peek()))) return false;
      ++at_;
    }
    return true;
  }
  // One well-formed UTF-8 sequence of 2 to 4 bytes.
  bool Utf8() {
    const auto c = static_cast<unsigned char>(s_[at_]);
    const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || at_ + len > s_.size()) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s_[at_ + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = cp << 6 | (b & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    at_ += len;
    return true;
  }
  bool String() {
    if (!Eat('"')) return false;
    for (;;) {
      if (!More()) return false;
      const auto c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!Utf8()) return false;
        continue;
      }
      ++at_;
      if (c != '\\') continue;
      const char e = Peek();
      ++at_;
      if (e == 'u') {
        if (!Hex4()) return false;
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
  }
  bool Value() {
    switch (Peek()) {
      case '{':
        return Members('}', true);
      case '[':
        return Members(']', false);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }
  // An object's members or an array's elements, from the opening bracket.
  bool Members(char close, bool object) {
    ++at_;
    Space();
    if (Eat(close)) return true;
    for (;;) {
      Space();
      if (object) {
        if (!String()) return false;
        Space();
        if (!Eat(':')) return false;
        Space();
      }
      if (!Value()) return false;
      Space();
      if (Eat(close)) return true;
      if (!Eat(',')) return false;
    }
  }

  std::string_view s_;
  size_t at_ = 0;
};

TEST(JsonValidator, AcceptsJsonAndRefusesWhatIsNot) {
  EXPECT_TRUE(JsonValidator::Valid(R"({"a": [1, -2.5e3, true, null], "b": "\u00e9\n"})"));
  EXPECT_TRUE(JsonValidator::Valid("\"caf\xC3\xA9\""));
  EXPECT_FALSE(JsonValidator::Valid("\"\xC3\""));          // cut sequence
  EXPECT_FALSE(JsonValidator::Valid("\"\xED\xA0\x80\""));  // surrogate
  EXPECT_FALSE(JsonValidator::Valid("\"a\x01\""));         // raw control character
  EXPECT_FALSE(JsonValidator::Valid("\"\\x41\""));         // no such escape
  EXPECT_FALSE(JsonValidator::Valid("{\"a\": 1,}"));
  EXPECT_FALSE(JsonValidator::Valid("\"open"));
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("\n\t\r"), "\"\\n\\t\\r\"");
  EXPECT_EQ(JsonString(std::string("\x00\x01\x1F\x7F", 4)), "\"\\u0000\\u0001\\u001f\x7F\"");
}

TEST(JsonString, KeepsWellFormedUtf8AsItIs) {
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBB\xBF \xF4\x8F\xBF\xBF";
  EXPECT_EQ(JsonString(text), "\"" + text + "\"");
}

// Each byte that is not part of a well-formed sequence becomes \ufffd: the
// replacement character a strict decoder would show, as an escape.
TEST(JsonString, WritesEachInvalidByteAsTheReplacementCharacter) {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"found '\xC3'", "found '\\ufffd'"},                   // a sequence cut short
      {"\xC3\xA9\xC3", "\xC3\xA9\\ufffd"},                   // ... at the very end
      {"a\x80z", "a\\ufffdz"},                               // a continuation byte alone
      {"\xC0\xAF", "\\ufffd\\ufffd"},                        // overlong '/'
      {"\xED\xA0\x80", "\\ufffd\\ufffd\\ufffd"},             // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"},  // past U+10FFFF
      {"\xFF\xFE", "\\ufffd\\ufffd"},
      {"\xE2\x82"
       "a",
       "\\ufffd\\ufffda"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(JsonString(c.in), "\"" + c.out + "\"");
    EXPECT_TRUE(JsonValidator::Valid(JsonString(c.in)));
  }
}

TEST(JsonString, EveryByteAndEveryPairOfBytesIsValidJson) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const char bytes[] = {'x', static_cast<char>(a), static_cast<char>(b), '"'};
      const std::string json = JsonString(std::string_view(bytes, sizeof bytes));
      ASSERT_TRUE(JsonValidator::Valid(json)) << a << " " << b << ": " << json;
    }
  }
}

// The messages issue 16 found invalid JSON in, as --stats-json writes them.
TEST(JsonString, TheSummaryOfAFailedLoadIsValidJsonWhateverItsError) {
  std::string e25;
  for (int i = 0; i < 25; ++i) e25 += "\xC3\xA9";
  for (const std::string& error : {
           // What the reader said before it showed a byte in hex.
           std::string("bad.csv:2:4: expected a delimiter or the end of the line after the "
                       "closing quote, found '\xC3'"),
           // A value cut at 40 bytes, inside a character.
           "b.csv:2:38: column balance: expected a 64-bit integer (INT8), found '1" +
               e25.substr(0, 39) + "...'",
           // A file name that is not UTF-8.
           std::string("--input caf\xE9.csv: No such file or directory"),
       }) {
    Summary s = Summary::From(Stats{}, 1.0);
    s.status = "data_error";
    s.error = error;
    s.table = "t\xFF";
    const std::string json = s.ToJson();
    EXPECT_TRUE(JsonValidator::Valid(json)) << json;
  }
}

}  // namespace
}  // namespace loader
