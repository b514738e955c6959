// CsvTextEncoder writes what the loader's own reader (and so COPY ... CSV)
// reads back unchanged: every text, NULL apart from the empty string.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/encode/encoder.h"
#include "loader/generate/generated_tables.h"
#include "loader/generate/row_generator.h"
#include "support/csv_reader_testing.h"

namespace loader {
namespace {

using test_support::ReadBytes;

std::string Row(const std::vector<const char*>& texts, char delimiter = ',') {
  ByteBuffer out;
  CsvTextEncoder enc(&out, delimiter);
  for (const char* t : texts) {
    if (t == nullptr) {
      enc.Null();
    } else {
      enc.Text(t);
    }
  }
  enc.EndRow();
  return std::string(out.view());
}

TEST(CsvTextEncoder, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(Row({"plain", "two words", " lead", "ünï"}), "plain,two words, lead,ünï\n");
  EXPECT_EQ(Row({"a,b", "say \"hi\"", "l1\nl2", "cr\r"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"cr\r\"\n");
  EXPECT_EQ(Row({"\""}), "\"\"\"\"\n");
}

TEST(CsvTextEncoder, NullIsAnEmptyFieldAndTheEmptyStringIsQuoted) {
  EXPECT_EQ(Row({nullptr, "", nullptr}), ",\"\",\n");
  EXPECT_EQ(Row({nullptr}), "\n");
}

TEST(CsvTextEncoder, TheDelimiterDecidesWhatIsQuoted) {
  EXPECT_EQ(Row({"a,b", "c|d"}, '|'), "a,b|\"c|d\"\n");
}

// psql's \copy ... csv takes an unquoted \. line for the end of the data and
// drops every row after it; PostgreSQL's CSV output quotes that value.
TEST(CsvTextEncoder, QuotesTheEndOfDataMarker) {
  EXPECT_EQ(Row({"\\."}), "\"\\.\"\n");
  EXPECT_EQ(Row({"a", "\\."}), "a,\"\\.\"\n");
  // Only the exact value: anything longer is not the marker.
  EXPECT_EQ(Row({"\\.x", "x\\.", "\\", "."}), "\\.x,x\\.,\\,.\n");
}

// U+FEFF, which at the start of a file is its byte order mark.
constexpr char kBom[] = "\xEF\xBB\xBF";
const std::string kBomAb = std::string(kBom) + "ab";

// A value starting with U+FEFF, first in a file, would be read as its byte
// order mark: quoted wherever it starts a field, it never is.
TEST(CsvTextEncoder, QuotesAValueStartingWithAByteOrderMark) {
  EXPECT_EQ(Row({kBom}), "\"" + std::string(kBom) + "\"\n");
  EXPECT_EQ(Row({"x", kBomAb.c_str()}), "x,\"" + kBomAb + "\"\n");
  EXPECT_EQ(Row({"a\xEF\xBB\xBF"}), "a\xEF\xBB\xBF\n");  // not at the start: as it is
  EXPECT_EQ(Row({"\xEF\xBB"}), "\xEF\xBB\n");            // not UTF-8: the encoder does not judge
}

TEST(CsvTextEncoder, AByteOrderMarkValueFirstInAFileReadsBackAsItself) {
  const std::string two_boms = std::string(kBom) + kBom;
  for (const std::string& value : {std::string(kBom), kBomAb, two_boms}) {
    SCOPED_TRACE(test_support::Escape(value));
    const std::string file = Row({value.c_str(), "2"}) + Row({"\\.", nullptr});
    const test_support::ReadResult got = ReadBytes(file);
    ASSERT_TRUE(got.status.ok()) << got.status.ToString();
    test_support::ExpectRecords(
        got,
        {{{test_support::Quoted(value), test_support::Plain("2")}, 1, 0, "\"" + value + "\",2"},
         {{test_support::Quoted("\\."), test_support::Null()}, 2, 1, "\"\\.\","}});
  }
  // And with a real byte order mark before it, the value is still itself.
  const test_support::ReadResult got = ReadBytes(kBom + Row({kBom}));
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].fields[0], test_support::Quoted(kBom));
}

TEST(CsvTextEncoder, TypedValuesAreWrittenAsCopyTextWritesThem) {
  ByteBuffer out;
  CsvTextEncoder enc(&out);
  const UuidBytes id = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                        0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  enc.Uuid(id);
  enc.Int8(-42);
  enc.Decimal(1023999999, 6);
  enc.Float8(0.5);
  enc.EndRow();
  enc.Int8(7);
  enc.EndRow();
  EXPECT_EQ(out.view(), "12345678-9abc-4def-8001-020304050607,-42,1023.999999,0.5\n7\n");
}

// Generated rows hold no character CSV must quote, so their CSV is their COPY
// text with commas for tabs: a file the generator and the reader agree on.
TEST(CsvTextEncoder, GeneratedRowsAreTheirCopyTextWithCommas) {
  for (const char* name : {"accounts", "points"}) {
    SCOPED_TRACE(name);
    const TableSpec& table = *FindGeneratedTable(name);
    ByteBuffer copy_text;
    ByteBuffer csv;
    CopyTextEncoder copy_enc(&copy_text);
    CsvTextEncoder csv_enc(&csv);
    for (uint64_t row = 0; row < 2000; ++row) {
      if (table.name == "accounts") {
        AccountsGenerator(1).Emit(row, copy_enc);
        AccountsGenerator(1).Emit(row, csv_enc);
      } else {
        PointsGenerator(1).Emit(row, copy_enc);
        PointsGenerator(1).Emit(row, csv_enc);
      }
    }
    std::string expected(copy_text.view());
    std::replace(expected.begin(), expected.end(), '\t', ',');
    EXPECT_EQ(csv.view(), expected);
  }
}

TEST(CsvTextEncoder, EveryTextAndNullReadsBackUnchanged) {
  const std::vector<const char*> values = {"",     "a,b",   "say \"hi\"",   "l1\nl2", "cr\r",
                                           "\r\n", "plain", " lead ",       "ünï",    ",",
                                           "\"",   "\"\"",  "NULL",         "\\N",    "tab\there",
                                           "\\.",  kBom,    kBomAb.c_str(), nullptr};
  ByteBuffer out;
  CsvTextEncoder enc(&out);
  // Every value in every column position, with a NULL between.
  for (const char* first : values) {
    for (const char* second : values) {
      first == nullptr ? enc.Null() : enc.Text(first);
      enc.Null();
      second == nullptr ? enc.Null() : enc.Text(second);
      enc.EndRow();
    }
  }
  const test_support::ReadResult got = ReadBytes(out.view());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.records.size(), values.size() * values.size());
  size_t i = 0;
  for (const char* first : values) {
    for (const char* second : values) {
      const test_support::Record& r = got.records[i++];
      ASSERT_EQ(r.fields.size(), 3u);
      EXPECT_EQ(r.fields[0].null, first == nullptr) << test_support::Escape(first ? first : "NULL");
      EXPECT_EQ(r.fields[2].null, second == nullptr)
          << test_support::Escape(second ? second : "NULL");
      EXPECT_EQ(r.fields[0].text, first == nullptr ? "" : first);
      EXPECT_TRUE(r.fields[1].null);
      EXPECT_EQ(r.fields[2].text, second == nullptr ? "" : second);
    }
  }
}

}  // namespace
}  // namespace loader
