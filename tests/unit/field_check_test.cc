#include "loader/read/field_check.h"

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

// format_type()'s names with something after the modifiers (issue 16, finding
// 6), as PostgreSQL 15 writes them for the columns they name.
TEST(ColumnTypeFromSql, ModifiersAnywhereAndArraysOfAnyType) {
  EXPECT_EQ(ColumnTypeFromSql("numeric(10,2)[]"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("numeric[]"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("character varying(20)[]"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("integer[]"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("double precision[]"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("ARRAY"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("time(3) with time zone"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("timestamp(3) without time zone"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("bit(3)"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("bit varying(5)"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("interval(2)"), ColumnType::kOther);
  EXPECT_EQ(ColumnTypeFromSql("numeric(5,0)"), ColumnType::kNumeric);
  EXPECT_EQ(ColumnTypeFromSql("character(4)"), ColumnType::kText);
  EXPECT_EQ(ColumnTypeFromSql("\"char\""), ColumnType::kOther);
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
  for (const char* good :
       {"0", "-1.5", ".5", "5.", "1e10", "1.5E-3", " 3 ", "NaN", "-Infinity", "inf", "+2"}) {
    EXPECT_TRUE(Ok(ColumnType::kFloat8, good)) << good;
    EXPECT_TRUE(Ok(ColumnType::kNumeric, good)) << good;
  }
  for (const char* bad : {"", ".", "e5", "1e", "1.2.3", "1,5", "abc", "--1"}) {
    EXPECT_FALSE(Ok(ColumnType::kFloat8, bad)) << bad;
  }
  EXPECT_STREQ(CheckField(ColumnType::kFloat8, "x"), "a number (FLOAT)");
}

// PostgreSQL 15's verdict on each value, measured on PostgreSQL 15.18 (Debian
// 12, glibc) with SELECT $$value$$::real, ::double precision, ::numeric and
// ::integer (COPY calls the same input functions): y accepted, n refused. The
// check's verdict is the server's, except where a comment says why it takes a
// value PostgreSQL 15 refuses; it never refuses one the server accepts.
struct Verdict {
  const char* text;
  const char* postgres15;  // real, double precision, numeric, integer
  const char* check;
};

TEST(CheckField, AcceptsEveryValuePostgres15Accepts) {
  const Verdict kVerdicts[] = {
      {"0x1p3", "yynn", "yynn"},
      {"0X1P3", "yynn", "yynn"},
      {"0x10", "yynn", "yyyy"},   // PostgreSQL 16 reads it
      {"0x1F", "yynn", "yyyy"},   // PostgreSQL 16 reads it
      {"-0x10", "yynn", "yyyy"},  // PostgreSQL 16 reads it
      {"0x.8p1", "yynn", "yynn"},
      {"0x1.", "yynn", "yynn"},
      {"0x1.8", "yynn", "yynn"},
      {"0x1p-2", "yynn", "yynn"},
      {"0x1P+3", "yynn", "yynn"},
      {"0x1e3", "yynn", "yyyy"},  // PostgreSQL 16 reads it
      {"0x", "nnnn", "nnnn"},
      {"0xg", "nnnn", "nnnn"},
      {"0x1p", "nnnn", "nnnn"},
      {"0x1p+", "nnnn", "nnnn"},
      {"0x1p3.5", "nnnn", "nnnn"},
      {"0x_1F", "nnnn", "nnyy"},  // PostgreSQL 16 reads it
      {"-nan", "yynn", "yynn"},
      {"+nan", "yynn", "yynn"},
      {" -nan", "yynn", "yynn"},
      {"nan", "yyyn", "yyyn"},
      {"NaN", "yyyn", "yyyn"},
      {"nan ", "yyyn", "yyyn"},
      {"nan(123)", "yynn", "yynn"},
      {"nan()", "yynn", "yynn"},
      {"NAN(X)", "yynn", "yynn"},
      {"nan(abc_1)", "yynn", "yynn"},
      {"-nan(1)", "yynn", "yynn"},
      {"nan(", "nnnn", "nnnn"},
      {"nan(1", "nnnn", "nnnn"},
      {"nan(-1)", "nnnn", "nnnn"},
      {"nan(a.b)", "nnnn", "nnnn"},
      {"nanx", "nnnn", "nnnn"},
      {"-nan ", "yynn", "yynn"},
      {"inf", "yyyn", "yyyn"},
      {"-inf", "yyyn", "yyyn"},
      {"+inf", "yyyn", "yyyn"},
      {"Infinity", "yyyn", "yyyn"},
      {"-Infinity", "yyyn", "yyyn"},
      {"+INFINITY", "yyyn", "yyyn"},
      {"infinit", "nnnn", "nnnn"},
      {"infinityx", "nnnn", "nnnn"},
      {"-inf(1)", "nnnn", "nnnn"},
      {"1e 5", "nnyn", "nnyn"},
      {"1e +5", "nnyn", "nnyn"},
      {"1e\t5", "nnyn", "nnyn"},
      {"1e", "nnnn", "nnnn"},
      {"1e+", "nnnn", "nnnn"},
      {"1e5 ", "yyyn", "yyyn"},
      {" 1e5", "yyyn", "yyyn"},
      {"1.5e-3", "yyyn", "yyyn"},
      {".5", "yyyn", "yyyn"},
      {"5.", "yyyn", "yyyn"},
      {".", "nnnn", "nnnn"},
      {"+.5", "yyyn", "yyyn"},
      {"-.5e1", "yyyn", "yyyn"},
      {"-0", "yyyy", "yyyy"},
      {"1E5", "yyyn", "yyyn"},
      {"1e400", "nnyn", "yyyn"},   // out of range, which the server says
      {"1e-400", "nnyn", "yyyn"},  // out of range, which the server says
      {"1e-310", "nyyn", "yyyn"},  // out of range, which the server says
      {"1e-40", "yyyn", "yyyn"},
      {"1e39", "nyyn", "yyyn"},  // out of range, which the server says
      {"3.4e38", "yyyn", "yyyn"},
      {"1_000", "nnnn", "nnyy"},    // PostgreSQL 16 reads it
      {"1_000.5", "nnnn", "nnyn"},  // PostgreSQL 16 reads it
      {"1.000_5", "nnnn", "nnyn"},  // PostgreSQL 16 reads it
      {"1e1_0", "nnnn", "nnyn"},    // PostgreSQL 16 reads it
      {"1__0", "nnnn", "nnnn"},
      {"_1", "nnnn", "nnnn"},
      {"1_", "nnnn", "nnnn"},
      {"0o17", "nnnn", "nnyy"},    // PostgreSQL 16 reads it
      {"0b101", "nnnn", "nnyy"},   // PostgreSQL 16 reads it
      {"0O17", "nnnn", "nnyy"},    // PostgreSQL 16 reads it
      {"0B101", "nnnn", "nnyy"},   // PostgreSQL 16 reads it
      {"0x1F_F", "nnnn", "nnyy"},  // PostgreSQL 16 reads it
      {"017", "yyyy", "yyyy"},
      {"1.5.", "nnnn", "nnnn"},
      {"++1", "nnnn", "nnnn"},
      {"--1", "nnnn", "nnnn"},
      {"+-5", "nnnn", "nnnn"},
      {"- 5", "nnnn", "nnnn"},
      {"1 5", "nnnn", "nnnn"},
      {"1,5", "nnnn", "nnnn"},
      {"e5", "nnnn", "nnnn"},
      {"1d5", "nnnn", "nnnn"},
      {"", "nnnn", "nnnn"},
      {"0x1p3 ", "yynn", "yynn"},
      {" 0x10", "yynn", "yyyy"},  // PostgreSQL 16 reads it
  };
  const ColumnType kTypes[] = {ColumnType::kFloat4, ColumnType::kFloat8, ColumnType::kNumeric,
                               ColumnType::kInt4};
  for (const Verdict& v : kVerdicts) {
    std::string check;
    for (ColumnType type : kTypes) check += Ok(type, v.text) ? 'y' : 'n';
    EXPECT_EQ(check, v.check) << "'" << v.text << "'";
    for (size_t i = 0; i < check.size(); ++i) {
      EXPECT_FALSE(v.postgres15[i] == 'y' && check[i] != 'y') << "'" << v.text << "' type " << i;
    }
  }
}

// PostgreSQL 16's prefixed and underscored integers are held to the column's
// range like decimal ones.
TEST(CheckField, Postgres16IntegersKeepTheirRanges) {
  EXPECT_TRUE(Ok(ColumnType::kInt2, "0x7FFF"));
  EXPECT_TRUE(Ok(ColumnType::kInt2, "-0x8000"));
  EXPECT_FALSE(Ok(ColumnType::kInt2, "0x8000"));
  EXPECT_TRUE(Ok(ColumnType::kInt2, "32_767"));
  EXPECT_FALSE(Ok(ColumnType::kInt2, "32_768"));
  EXPECT_TRUE(Ok(ColumnType::kInt4, "0b1111111111111111111111111111111"));
  EXPECT_FALSE(Ok(ColumnType::kInt4, "0o20000000000"));
  EXPECT_TRUE(Ok(ColumnType::kInt8, "-0x8000000000000000"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "0x8000000000000000"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "0x1_0000_0000_0000_0000"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "0x"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "0b102"));
  EXPECT_FALSE(Ok(ColumnType::kInt8, "0o8"));
  EXPECT_FALSE(Ok(ColumnType::kNumeric, "0x1.8"));
  EXPECT_FALSE(Ok(ColumnType::kNumeric, "1_.5"));
  EXPECT_FALSE(Ok(ColumnType::kNumeric, "1._5"));
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
  for (const char* good :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"}) {
    EXPECT_TRUE(Ok(ColumnType::kUuid, good)) << good;
  }
  for (const char* bad :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
        "-a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11-",
        "a0eeb-c999c0b4ef8bb6d6bb9bd380a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "g0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee--bc999c0b4ef8bb6d6bb9bd380a11",
        // uuid_in skips no white space (found by tests/fuzz/field_check_fuzz)
        " a0eebc999c0b4ef8bb6d6bb9bd380a11", "\ra0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 "}) {
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
