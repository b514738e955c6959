// Unit tests of column_gen.h: ValueDomain (intervals, Nth, Intersect, a
// saturating size), the date and time formats, ParseUnits (rounding, dates,
// times, timestamps and their zones, inet, junk), ZipfDraw's ranks, and
// ColumnGen::Write of every ValueForm: values that read back as their type,
// arrays with their quoting, and the NULL share.
#include "loader/generate/column_gen.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "loader/base/byte_buffer.h"
#include "loader/encode/encoder.h"

namespace loader {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Records each field as the text a server would read (nullopt for NULL).
struct ValueEncoder {
  std::vector<std::optional<std::string>> values;

  void Int8(int64_t v) { values.emplace_back(std::to_string(v)); }
  void Decimal(int64_t units, unsigned scale) {
    char buf[kMaxDecimalChars];
    values.emplace_back(std::string(buf, FormatDecimal(units, scale, buf)));
  }
  void Text(std::string_view v) { values.emplace_back(std::string(v)); }
  void Plain(std::string_view v) { Text(v); }
  void Null() { values.emplace_back(std::nullopt); }
  void EndRow() {}
};

std::optional<std::string> Value(const ColumnGen& g, uint64_t row) {
  std::vector<char> scratch(ColumnGen::kMaxFormatted);  // on the heap: ASan sees overruns
  ValueEncoder enc;
  g.Write(row, scratch.data(), enc);
  EXPECT_EQ(enc.values.size(), 1u);
  return enc.values.at(0);
}

ColumnGen Numbers(ValueForm form, int64_t low, int64_t high) {
  ColumnGen g;
  g.name = "c";
  g.key = 0x5eed;
  g.form = form;
  g.domain = ValueDomain(low, high);
  return g;
}

std::string Date(int64_t days) {
  char buf[16];
  return std::string(buf, FormatDate(days, buf));
}

std::string TimeOfDay(int64_t seconds) {
  char buf[16];
  return std::string(buf, FormatTimeOfDay(seconds, buf));
}

// The units of `text`, or nullopt when it does not read.
std::optional<int64_t> Units(ValueForm form, std::string_view text, bool ceil = false,
                             unsigned scale = 0) {
  int64_t units = 0;
  if (!ParseUnits(form, scale, text, ceil, &units)) return std::nullopt;
  return units;
}

TEST(ValueDomain, OneIntervalCountsAndIndexesItsValues) {
  const ValueDomain d(5, 9);
  EXPECT_EQ(d.size(), 5u);
  EXPECT_EQ(d.low(), 5);
  EXPECT_EQ(d.high(), 9);
  EXPECT_EQ(d.Nth(0), 5);
  EXPECT_EQ(d.Nth(4), 9);
  EXPECT_EQ(d.ToString(), "[5, 9]");
  EXPECT_TRUE(ValueDomain().empty());
  EXPECT_EQ(ValueDomain().ToString(), "none");
}

TEST(ValueDomain, ManyIntervalsIndexAcrossTheGaps) {
  ValueDomain d;
  d.Add(-3, -1);
  d.Add(10, 10);
  d.Add(20, 25);
  EXPECT_EQ(d.size(), 10u);
  const std::vector<int64_t> expected = {-3, -2, -1, 10, 20, 21, 22, 23, 24, 25};
  for (uint64_t n = 0; n < expected.size(); ++n) EXPECT_EQ(d.Nth(n), expected[n]) << n;
  EXPECT_EQ(d.ToString(), "[-3, -1] [10, 10] [20, 25]");
}

TEST(ValueDomain, IntersectKeepsTheCommonValuesInOrder) {
  ValueDomain a;
  a.Add(1, 10);
  a.Add(20, 30);
  ValueDomain b;
  b.Add(5, 22);
  b.Add(29, 40);
  EXPECT_EQ(a.Intersect(b).ToString(), "[5, 10] [20, 22] [29, 30]");
  EXPECT_EQ(a.Intersect(b).size(), 6u + 3u + 2u);
  EXPECT_TRUE(a.Intersect(ValueDomain(11, 19)).empty());
  EXPECT_EQ(ValueDomain(kMin, kMax).Intersect(ValueDomain(-5, 5)).size(), 11u);
}

TEST(ValueDomain, TheWholeInt64RangeSaturatesItsSize) {
  const ValueDomain all(kMin, kMax);
  EXPECT_EQ(all.size(), UINT64_MAX);
  EXPECT_EQ(all.Nth(0), kMin);
  EXPECT_EQ(all.Nth(UINT64_MAX), kMax);
  ValueDomain halves;
  halves.Add(kMin, -1);
  halves.Add(0, kMax);
  EXPECT_EQ(halves.size(), UINT64_MAX);
  EXPECT_EQ(halves.Nth(uint64_t{1} << 63), 0);
  EXPECT_EQ(ValueDomain(kMin, kMax - 1).size(), UINT64_MAX);  // 2^64 - 1 exactly
  EXPECT_EQ(ValueDomain(0, kMax).size(), uint64_t{1} << 63);
}

TEST(FormatDate, GoldenDates) {
  EXPECT_EQ(Date(0), "1970-01-01");
  EXPECT_EQ(Date(11016), "2000-02-29");
  EXPECT_EQ(Date(19783), "2024-03-01");
  EXPECT_EQ(Date(-719162), "0001-01-01");
  EXPECT_EQ(Date(2932896), "9999-12-31");
  EXPECT_EQ(Date(-1), "1969-12-31");
  EXPECT_EQ(Date(-25508), "1900-03-01");
}

TEST(FormatTimeOfDay, GoldenTimes) {
  EXPECT_EQ(TimeOfDay(0), "00:00:00");
  EXPECT_EQ(TimeOfDay(47099), "13:04:59");
  EXPECT_EQ(TimeOfDay(86399), "23:59:59");
}

TEST(ParseUnits, DecimalsRoundTowardFloorOrCeil) {
  EXPECT_EQ(Units(ValueForm::kDecimal, "1.255", false, 2), 125);
  EXPECT_EQ(Units(ValueForm::kDecimal, "1.255", true, 2), 126);
  EXPECT_EQ(Units(ValueForm::kDecimal, "-1.255", false, 2), -126);
  EXPECT_EQ(Units(ValueForm::kDecimal, "-1.255", true, 2), -125);
  EXPECT_EQ(Units(ValueForm::kDecimal, "1.2500", true, 2), 125);  // exact: no rounding
  EXPECT_EQ(Units(ValueForm::kDecimal, "3", false, 2), 300);
  EXPECT_EQ(Units(ValueForm::kDecimal, "+.5", false, 1), 5);
  EXPECT_EQ(Units(ValueForm::kInt, "1.5", false), 1);
  EXPECT_EQ(Units(ValueForm::kInt, "1.5", true), 2);
  EXPECT_EQ(Units(ValueForm::kInt, "-0.5", false), -1);
  EXPECT_EQ(Units(ValueForm::kInt, "-0.5", true), 0);
  EXPECT_EQ(Units(ValueForm::kInt, "9223372036854775807"), kMax);
  EXPECT_EQ(Units(ValueForm::kInt, "9223372036854775808"), std::nullopt);
  EXPECT_EQ(Units(ValueForm::kInterval, "3600"), 3600);
}

TEST(ParseUnits, DatesTimesAndTimestamps) {
  EXPECT_EQ(Units(ValueForm::kDate, "2024-03-01"), 19783);
  EXPECT_EQ(Units(ValueForm::kDate, "0001-01-01"), -719162);
  EXPECT_EQ(Units(ValueForm::kTime, "13:04:59"), 47099);
  EXPECT_EQ(Units(ValueForm::kTime, "13:04"), 47040);
  EXPECT_EQ(Units(ValueForm::kTime, "13:04:59.5", false), 47099);
  EXPECT_EQ(Units(ValueForm::kTime, "13:04:59.5", true), 47100);
  EXPECT_EQ(Units(ValueForm::kTime, "13:04:59.000", true), 47099);
  EXPECT_EQ(Units(ValueForm::kTimestamp, "2024-03-01"), 19783 * 86400);
  EXPECT_EQ(Units(ValueForm::kTimestamp, "2024-03-01 10:00:00"), 1709287200);
  EXPECT_EQ(Units(ValueForm::kTimestamp, "2024-03-01T10:00:00"), 1709287200);
  EXPECT_EQ(Units(ValueForm::kTimestamp, "1969-12-31 23:59:59"), -1);
}

// A timestamp without time zone ignores a zone, as PostgreSQL does; with a
// time zone, the zone moves the instant, which the generator writes in UTC.
TEST(ParseUnits, ZonesAreIgnoredWithoutTimeZoneAndAppliedWithIt) {
  EXPECT_EQ(Units(ValueForm::kTimestamp, "2024-03-01 10:00:00+02"), 1709287200);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00+00"), 1709287200);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00Z"), 1709287200);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00+02"), 1709287200 - 7200);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00-08"), 1709287200 + 8 * 3600);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00+05:30"), 1709287200 - 19800);
  EXPECT_EQ(Units(ValueForm::kTimestampTz, "2024-03-01 10:00:00+2x"), std::nullopt);
}

TEST(ParseUnits, InetAndJunk) {
  EXPECT_EQ(Units(ValueForm::kInet, "10.0.0.1"), 0x0A000001);
  EXPECT_EQ(Units(ValueForm::kInet, "255.255.255.255"), 0xFFFFFFFFLL);
  for (const char* junk : {"256.0.0.1", "10.0.0", "10.0.0.1/8", "10..0.1", ""}) {
    EXPECT_EQ(Units(ValueForm::kInet, junk), std::nullopt) << junk;
  }
  for (const char* junk : {"abc", "", "-", ".", "1.2.3", "1e5", "12a", " 1"}) {
    EXPECT_EQ(Units(ValueForm::kDecimal, junk, false, 2), std::nullopt) << junk;
  }
  for (const char* junk : {"2024-13-01", "2024-03-00", "2024-03", "2024-03-01x", "tomorrow"}) {
    EXPECT_EQ(Units(ValueForm::kDate, junk), std::nullopt) << junk;
  }
  for (const char* junk : {"25:00", "12:60", "12", "12:30:61", "noon"}) {
    EXPECT_EQ(Units(ValueForm::kTime, junk), std::nullopt) << junk;
  }
  EXPECT_EQ(Units(ValueForm::kTimestamp, "2024-03-01 soon"), std::nullopt);
  EXPECT_EQ(Units(ValueForm::kText, "1"), std::nullopt);
}

TEST(ZipfDraw, RanksStayInRangeAndTheFirstIsTheMostFrequent) {
  for (const double exponent : {1.1, 1.0, 0.5, 2.0}) {
    const ZipfDraw zipf(10, exponent);
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::map<uint64_t, int> counts;
    for (int i = 0; i < 100000; ++i) ++counts[zipf.Rank([&] { return uniform(random); })];
    EXPECT_EQ(counts.begin()->first, 1u) << exponent;
    EXPECT_EQ(counts.rbegin()->first, 10u) << exponent;
    for (uint64_t k = 2; k <= 10; ++k) EXPECT_GT(counts[1], counts[k]) << exponent << " " << k;
    // P(1) / P(2) = 2^exponent.
    const double ratio = static_cast<double>(counts[1]) / counts[2];
    EXPECT_NEAR(ratio, std::pow(2.0, exponent), 0.1 * std::pow(2.0, exponent)) << exponent;
  }
  const ZipfDraw one(1, 1.1);
  EXPECT_EQ(one.Rank([] { return 0.99; }), 1u);
}

// Writes `rows` values of `g` and checks each matches `pattern`.
void ExpectAllMatch(const ColumnGen& g, const std::string& pattern, int rows = 2000) {
  const std::regex re(pattern);
  for (int row = 0; row < rows; ++row) {
    const std::optional<std::string> v = Value(g, row);
    ASSERT_TRUE(v.has_value()) << row;
    ASSERT_TRUE(std::regex_match(*v, re)) << "'" << *v << "' is not " << pattern;
  }
}

// Number forms: every value matches its format and reads back into the domain.
TEST(ColumnGenWrite, NumberFormsReadBackIntoTheirDomain) {
  struct Case {
    ValueForm form;
    int64_t low, high;
    std::string pattern;
  };
  const std::vector<Case> cases = {
      {ValueForm::kInt, -5, 5, R"(-?\d)"},
      {ValueForm::kDecimal, -99999, 99999, R"(-?\d{1,3}(\.\d{1,2})?)"},
      {ValueForm::kDate, -719162, 2932896, R"(\d{4}-\d\d-\d\d)"},
      {ValueForm::kTime, 0, 86399, R"(([01]\d|2[0-3]):[0-5]\d:[0-5]\d)"},
      {ValueForm::kTimestamp, -86400LL * 800, 86400LL * 800, R"(19\d\d-\d\d-\d\d \d\d:\d\d:\d\d)"},
      {ValueForm::kTimestampTz, 0, 86400LL * 365, R"(1970-\d\d-\d\d \d\d:\d\d:\d\d\+00)"},
      {ValueForm::kInet, 0, 0xFFFFFFFFLL, R"((\d{1,3}\.){3}\d{1,3})"},
  };
  for (const Case& c : cases) {
    ColumnGen g = Numbers(c.form, c.low, c.high);
    g.scale = 2;
    ExpectAllMatch(g, c.pattern);
    for (int row = 0; row < 2000; ++row) {
      const std::optional<int64_t> units = Units(c.form, *Value(g, row), false, 2);
      ASSERT_TRUE(units.has_value()) << *Value(g, row);
      EXPECT_GE(*units, c.low);
      EXPECT_LE(*units, c.high);
    }
  }
  ColumnGen interval = Numbers(ValueForm::kInterval, -100, 100);
  ExpectAllMatch(interval, R"(-?\d{1,3} seconds)");
}

TEST(ColumnGenWrite, TextFormsHaveTheirShapes) {
  ColumnGen text = Numbers(ValueForm::kText, 0, 0);
  text.min_length = 3;
  text.max_length = 7;
  ExpectAllMatch(text, "[a-z2-7]{3,7}");
  ColumnGen uuid = Numbers(ValueForm::kUuid, 0, 0);
  ExpectAllMatch(uuid, "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (int row = 0; row < 1000; ++row) ids.insert(*Value(uuid, row));
  EXPECT_EQ(ids.size(), 1000u);
  ColumnGen bytea = Numbers(ValueForm::kBytea, 0, 0);
  bytea.min_length = 4;
  bytea.max_length = 16;
  ExpectAllMatch(bytea, R"(\\x([0-9a-f]{2}){4,16})");
  ExpectAllMatch(Numbers(ValueForm::kJson, 0, 0), R"(\{"n": \d+, "s": "[a-z2-7]{3,12}"\})");
  ExpectAllMatch(Numbers(ValueForm::kTsvector, 0, 0), "[a-z]{3,8}( [a-z]{3,8}){0,3}");
  // COPY text doubles the backslash of bytea's \x.
  ByteBuffer out;
  CopyTextEncoder copy(&out);
  char scratch[ColumnGen::kMaxFormatted];
  bytea.Write(0, scratch, copy);
  EXPECT_EQ(out.view().substr(0, 3), "\\\\x");
}

TEST(ColumnGenWrite, ChoicesPatternsConstantsNullsAndReferences) {
  ColumnGen choice = Numbers(ValueForm::kChoice, 0, 0);
  choice.values = {"a", "b", "c"};
  choice.cumulative_weights = {1, 2, 10};  // c weighs 8
  std::map<std::string, int> counts;
  for (int row = 0; row < 10000; ++row) ++counts[*Value(choice, row)];
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_NEAR(counts["c"], 8000, 300);
  EXPECT_NEAR(counts["a"], 1000, 200);

  ColumnGen pattern = Numbers(ValueForm::kPattern, 0, 0);
  pattern.values = {"user-", "@x.com"};
  EXPECT_EQ(Value(pattern, 0), "user-1@x.com");
  EXPECT_EQ(Value(pattern, 41), "user-42@x.com");

  ColumnGen constant = Numbers(ValueForm::kConstant, 0, 0);
  constant.values = {"paid"};
  EXPECT_EQ(Value(constant, 9), "paid");
  EXPECT_EQ(Value(Numbers(ValueForm::kNull, 0, 0), 3), std::nullopt);

  ColumnGen ref = Numbers(ValueForm::kReference, 0, 0);
  ref.values = {"1", "2"};
  ref.ref_key = 99;
  std::set<std::string> seen;
  for (int row = 0; row < 100; ++row) seen.insert(*Value(ref, row));
  EXPECT_EQ(seen, (std::set<std::string>{"1", "2"}));
}

// The elements of an array literal {"a","b"}, unescaped; nullopt when it is
// not one of that shape.
std::optional<std::vector<std::string>> ArrayElements(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<std::string> out;
  size_t i = 1;
  while (i < text.size() - 1) {
    if (!out.empty() && text[i++] != ',') return std::nullopt;
    if (text[i++] != '"') return std::nullopt;
    std::string element;
    for (; i < text.size() - 1 && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
      element += text[i];
    }
    if (text[i++] != '"') return std::nullopt;
    out.push_back(element);
  }
  return out;
}

TEST(ColumnGenWrite, ArraysQuoteAndEscapeEveryElement) {
  ColumnGen g = Numbers(ValueForm::kChoice, 0, 0);
  g.array = true;
  g.values = {"say \"hi\"", "back\\slash", "a,b", "{x}"};
  std::set<size_t> lengths;
  for (int row = 0; row < 1000; ++row) {
    const std::string v = *Value(g, row);
    const auto elements = ArrayElements(v);
    ASSERT_TRUE(elements.has_value()) << v;
    lengths.insert(elements->size());
    for (const std::string& e : *elements) {
      EXPECT_NE(std::find(g.values.begin(), g.values.end(), e), g.values.end()) << v;
    }
  }
  EXPECT_EQ(lengths, (std::set<size_t>{0, 1, 2, 3}));
  g.values = {"say \"hi\""};
  for (int row = 0;; ++row) {
    if (ArrayElements(*Value(g, row))->size() != 2) continue;
    EXPECT_EQ(*Value(g, row), R"({"say \"hi\"","say \"hi\""})");
    break;
  }
  ColumnGen ints = Numbers(ValueForm::kInt, 1, 9);
  ints.array = true;
  ExpectAllMatch(ints, R"(\{("\d"(,"\d"){0,2})?\})");
}

TEST(ColumnGenWrite, NullShareIsHonoured) {
  ColumnGen g = Numbers(ValueForm::kInt, 0, 100);
  g.null_below = static_cast<uint64_t>(std::ldexp(0.1, 64));
  int nulls = 0;
  for (int row = 0; row < 100000; ++row) nulls += !Value(g, row).has_value();
  EXPECT_NEAR(nulls, 10000, 1000);
  g.null_below = 0;
  for (int row = 0; row < 1000; ++row) ASSERT_TRUE(Value(g, row).has_value());
}

}  // namespace
}  // namespace loader
