#include "loader/field_check.h"

#include <gtest/gtest.h>

#include <string>

namespace loader {
namespace {

bool Ok(ColumnType type, std::string_view text) { return CheckField(type, text) == nullptr; }

TEST(ColumnTypeFromSql, NamesOfBothServers) {
  EXPECT_EQ(ColumnTypeFromSql("bigint"), ColumnType::kInt8);
  EXPECT_EQ(ColumnTypeFromSql("INT8"), ColumnType::kInt8);
  EXPECT_EQ(ColumnTypeFromSql("integer"), ColumnType::kInt4);
  EXPECT_EQ(ColumnTypeFromSql("smallint"), ColumnType::kInt2);
  EXPECT_EQ(ColumnTypeFromSql("double precision"), ColumnType::kFloat8);
  EXPECT_EQ(ColumnTypeFromSql("FLOAT8"), ColumnType::kFloat8);
  EXPECT_EQ(ColumnTypeFromSql("real"), ColumnType::kFloat4);
  EXPECT_EQ(ColumnTypeFromSql("numeric(10,2)"), ColumnType::kNumeric);
  EXPECT_EQ(ColumnTypeFromSql("DECIMAL"), ColumnType::kNumeric);
  EXPECT_EQ(ColumnTypeFromSql("boolean"), ColumnType::kBool);
  EXPECT_EQ(ColumnTypeFromSql("uuid"), ColumnType::kUuid);
  EXPECT_EQ(ColumnTypeFromSql("character varying(20)"), ColumnType::kText);
  EXPECT_EQ(ColumnTypeFromSql("STRING"), ColumnType::kText);
  EXPECT_EQ(ColumnTypeFromSql("jsonb"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("timestamp with time zone"), ColumnType::kOther);
}

TEST(CheckField, IntegersWithTheirRanges) {
  EXPECT_TRUE(Ok(ColumnType::kInt8, "-9223372036854775808"));
  EXPECT_TRUE(Ok(ColumnType::kInt8, " 42 "));
  EXPECT_TRUE(Ok(ColumnType::kInt8, "+7"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "9223372036854775808"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "1.5"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, ""));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "+-5"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "12abc"));
  EXPECT_TRUE(Ok(ColumnType::kInt4, "2147483647"));
  EXPECT_FALSE(Ok(ColumnType::kInt4, "2147483648"));
  EXPECT_TRUE(Ok(ColumnType::kInt2, "-32768"));
  EXPECT_STREQ(CheckField(ColumnType::kInt2, "32768"), "an integer from -32768 to 32767 (INT2)");
  EXPECT_STREQ(CheckField(ColumnType::kInt8, "x"), "a 64-bit integer (INT8)");
}

TEST(CheckField, NumbersAsTheServerReadsThem) {
  for (const char* good : {"0", "-1.5", ".5", "5.", "1e10", "1.5E-3", " 3 ", "NaN", "-Infinity",
                           "inf", "+2"}) {
    EXPECT_TRUE(Ok(ColumnType::kFloat8, good)) << good;
    EXPECT_TRUE(Ok(ColumnType::kNumeric, good)) << good;
  }
  for (const char* bad : {"", ".", "e5", "1e", "1.2.3", "1,5", "abc", "--1"}) {
    EXPECT_FALSE(Ok(ColumnType::kFloat8, bad)) << bad;
  }
  EXPECT_STREQ(CheckField(ColumnType::kFloat8, "x"), "a number (FLOAT)");
}

TEST(CheckField, BooleansByUnambiguousPrefix) {
  for (const char* good : {"t", "TRUE", "tr", "f", "false", "y", "yes", "n", "NO", "on", "off",
                           "of", "1", "0", " true "}) {
    EXPECT_TRUE(Ok(ColumnType::kBool, good)) << good;
  }
  for (const char* bad : {"", "o", "truex", "2", "nope", "yess"}) {
    EXPECT_FALSE(Ok(ColumnType::kBool, bad)) << bad;
  }
}

TEST(CheckField, UuidsInTheFormsTheServerTakes) {
  for (const char* good : {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                           "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                           "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                           "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                           "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"}) {
    EXPECT_TRUE(Ok(ColumnType::kUuid, good)) << good;
  }
  for (const char* bad : {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
                          "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", "-a0eebc999c0b4ef8bb6d6bb9bd380a11",
                          "a0eebc999c0b4ef8bb6d6bb9bd380a11-", "a0eeb-c999c0b4ef8bb6d6bb9bd380a11",
                          "{a0eebc999c0b4ef8bb6d6bb9bd380a11", "g0eebc999c0b4ef8bb6d6bb9bd380a11",
                          "a0ee--bc999c0b4ef8bb6d6bb9bd380a11"}) {
    EXPECT_FALSE(Ok(ColumnType::kUuid, bad)) << bad;
  }
}

TEST(CheckField, TextAndUnknownTypesPassThrough) {
  EXPECT_TRUE(Ok(ColumnType::kText, ""));
  EXPECT_TRUE(Ok(ColumnType::kText, "anything, at all"));
  EXPECT_TRUE(Ok(ColumnType::kOther, "{\"json\": true}"));
}

}  // namespace
}  // namespace loader
