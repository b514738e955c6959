// JsonString writes valid RFC 8259 JSON whatever the bytes: checked with
// nlohmann's strict parser, on the inputs the fuzzing campaign of issue 16
// found, and on a --stats-json document carrying them.
#include "loader/base/json.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "loader/report/stats.h"

namespace loader {
namespace {

// nlohmann's parser is strict RFC 8259: objects, arrays, strings, numbers,
// literals; strings must be well-formed UTF-8 with no raw control character.
bool Valid(std::string_view text) { return Json::accept(text); }

TEST(JsonParser, AcceptsJsonAndRefusesWhatIsNot) {
  EXPECT_TRUE(Valid(R"({"a": [1, -2.5e3, true, null], "b": "\u00e9\n"})"));
  EXPECT_TRUE(Valid("\"caf\xC3\xA9\""));
  EXPECT_FALSE(Valid("\"\xC3\""));          // cut sequence
  EXPECT_FALSE(Valid("\"\xED\xA0\x80\""));  // surrogate
  EXPECT_FALSE(Valid("\"a\x01\""));         // raw control character
  EXPECT_FALSE(Valid("\"\\x41\""));         // no such escape
  EXPECT_FALSE(Valid("{\"a\": 1,}"));
  EXPECT_FALSE(Valid("\"open"));
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

// Each maximal run of bytes that cannot begin or continue a well-formed
// sequence becomes U+FFFD, the replacement character a strict decoder would
// show (Unicode's "maximal subpart" practice).
TEST(JsonString, WritesInvalidBytesAsTheReplacementCharacter) {
  const std::string r = "\xEF\xBF\xBD";  // U+FFFD
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"found '\xC3'", "found '" + r + "'"},  // a sequence cut short
      {"\xC3\xA9\xC3", "\xC3\xA9" + r},       // ... at the very end
      {"a\x80z", "a" + r + "z"},              // a continuation byte alone
      {"\xC0\xAF", r + r},                    // overlong '/'
      {"\xED\xA0\x80", r + r + r},            // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", r + r + r + r},    // past U+10FFFF
      {"\xFF\xFE", r + r},
      {"\xE2\x82"
       "a",
       r + "a"},  // the start of a sequence, cut short: one character
  };
  for (const Case& c : cases) {
    EXPECT_EQ(JsonString(c.in), "\"" + c.out + "\"");
    EXPECT_TRUE(Valid(JsonString(c.in)));
    EXPECT_EQ(Json::parse(JsonString(c.in)), c.out);
  }
}

TEST(JsonString, EveryByteAndEveryPairOfBytesIsValidJson) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const char bytes[] = {'x', static_cast<char>(a), static_cast<char>(b), '"'};
      const std::string json = JsonString(std::string_view(bytes, sizeof bytes));
      ASSERT_TRUE(Valid(json)) << a << " " << b << ": " << json;
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
    EXPECT_TRUE(Valid(json)) << json;
  }
}

}  // namespace
}  // namespace loader
