// CopyBinaryEncoder: COPY's binary tuple layout byte for byte, values equal to
// what the server would parse from the text the other encoders write, and a
// binary chunk turned back into the same CSV as its text.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/encode/chunk_csv.h"
#include "loader/encode/encoder.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/generate/row_generator.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

using namespace std::string_literals;

TEST(CopyBinaryEncoder, WritesFieldCountLengthsAndBigEndianValues) {
  ByteBuffer out;
  CopyBinaryEncoder enc(&out);
  UuidBytes id;
  for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(0xa0 + i);
  enc.Int8(-2);
  enc.Uuid(id);
  enc.Float8(1.5);  // 0x3ff8000000000000
  enc.Text("hé");
  enc.Null();
  enc.EndRow();
  enc.Int8(258);
  enc.EndRow();
  const std::string expected =
      "\x00\x05"s                                          // five fields
      "\x00\x00\x00\x08\xff\xff\xff\xff\xff\xff\xff\xfe"s  // int8 -2
      "\x00\x00\x00\x10\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf"s
      "\x00\x00\x00\x08\x3f\xf8\x00\x00\x00\x00\x00\x00"s  // float8 1.5
      "\x00\x00\x00\x03h\xc3\xa9"s                         // text, UTF-8 bytes
      "\xff\xff\xff\xff"s                                  // NULL
      "\x00\x01"s
      "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x01\x02"s;  // int8 258
  EXPECT_EQ(std::string(out.view()), expected);
}

TEST(CopyBinaryEncoder, HeaderAndTrailerAreCopysSignature) {
  EXPECT_EQ(std::string(kCopyBinaryHeader), "PGCOPY\n\xff\r\n\0"s + std::string(8, '\0'));
  EXPECT_EQ(std::string(kCopyBinaryTrailer), "\xff\xff"s);
}

// A decimal sent as a double must be the double the server's float8in makes of
// the same decimal text, or binary and text loads would store other values.
TEST(CopyBinaryEncoder, DecimalIsTheDoubleTheTextParsesTo) {
  uint64_t state = 1;
  for (int i = 0; i < 200000; ++i) {
    state = Mix64(state + i);
    const auto units = static_cast<int64_t>(state % (1024 * 1000000ULL)) * (i % 2 ? 1 : -1);
    const unsigned scale = static_cast<unsigned>(state >> 60) % 10;
    char text[kMaxDecimalChars + 1] = {};
    FormatDecimal(units, scale, text);
    ByteBuffer out;
    CopyBinaryEncoder enc(&out);
    enc.Decimal(units, scale);
    enc.EndRow();
    uint64_t bits = 0;
    for (int b = 0; b < 8; ++b) bits = bits << 8 | static_cast<uint8_t>(out.data()[6 + b]);
    ASSERT_EQ(std::bit_cast<double>(bits), std::strtod(text, nullptr)) << text;
  }
}

Chunk GeneratedChunk(const char* table, Encoding encoding, uint64_t rows) {
  auto source = MakeGeneratedSource(*FindGeneratedTable(table), 7, rows,
                                    ChunkLimits{rows, 8u << 20}, encoding);
  Chunk chunk;
  bool done = false;
  EXPECT_TRUE(source->NextChunk(&chunk, &done).ok());
  return chunk;
}

// A binary chunk that goes to --fallback-dir must read as the same rows.
TEST(AppendChunkAsCsv, BinaryChunkGivesTheCsvOfItsRows) {
  for (const char* table : {"accounts", "points"}) {
    SCOPED_TRACE(table);
    std::vector<ColumnType> types;
    for (const Column& c : FindGeneratedTable(table)->columns) types.push_back(c.type);
    const Chunk binary = GeneratedChunk(table, Encoding::kCopyBinary, 500);
    ASSERT_EQ(binary.rows, 500u);
    ByteBuffer csv;
    AppendChunkAsCsv(binary, types, &csv);
    EXPECT_EQ(csv.view(), GeneratedChunk(table, Encoding::kCsvText, 500).payload.view());
  }
}

// NUMERIC: base-10000 digits around the point, their count, the first's
// weight, the sign and the display scale, zero digits at either end left out.
TEST(CopyBinaryEncoder, NumericIsBase10000DigitsWithWeightSignAndScale) {
  auto numeric = [](int64_t units, unsigned scale) {
    ByteBuffer out;
    CopyBinaryEncoder enc(&out);
    enc.Numeric(units, scale);
    return std::string(out.view().substr(2));  // after the field count
  };
  // 123.45: digits 123 and 4500, weight 0, dscale 2.
  EXPECT_EQ(numeric(12345, 2), "\x00\x00\x00\x0c\x00\x02\x00\x00\x00\x00\x00\x02\x00\x7b\x11\x94"s);
  // -0.005: the digit 50 of weight -1, negative, dscale 3.
  EXPECT_EQ(numeric(-5, 3), "\x00\x00\x00\x0a\x00\x01\xff\xff\x40\x00\x00\x03\x00\x32"s);
  // 0 at scale 2: no digits.
  EXPECT_EQ(numeric(0, 2), "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x02"s);
  // 100000000: the digit 1 of weight 2, trailing zero digits left out.
  EXPECT_EQ(numeric(100000000, 0), "\x00\x00\x00\x0a\x00\x01\x00\x02\x00\x00\x00\x00\x00\x01"s);
}

// Binary values of synthetic rows' types come back out as the text the
// server reads them from.
TEST(AppendChunkAsCsv, EveryBinaryTypeGivesTheTextOfItsValue) {
  Chunk chunk;
  chunk.Reset(Encoding::kCopyBinary);
  CopyBinaryEncoder enc(&chunk.payload);
  enc.Int2(-7);
  enc.Int4(2147483647);
  enc.Float4(125, 2);
  enc.Bool(true);
  enc.Numeric(-1234567, 4);
  enc.Numeric(5, 18);
  enc.Int4(8825 - 10957);                            // 1994-03-01, days from 2000-01-01
  enc.Int8(47099 * 1000000LL + 250000);              // 13:04:59.25
  enc.Int8((1709298299LL - 946684800LL) * 1000000);  // 2024-03-01 13:04:59 UTC
  enc.Int8(-1000000);                                // 1999-12-31 23:59:59 UTC
  enc.Interval(3600500000);
  enc.Jsonb("{\"n\": 1}");
  enc.EndRow();
  chunk.rows = 1;
  const std::vector<ColumnType> types = {
      ColumnType::kInt2,        ColumnType::kInt4,      ColumnType::kFloat4,   ColumnType::kBool,
      ColumnType::kNumeric,     ColumnType::kNumeric,   ColumnType::kDate,     ColumnType::kTime,
      ColumnType::kTimestampTz, ColumnType::kTimestamp, ColumnType::kInterval, ColumnType::kJsonb};
  ByteBuffer csv;
  AppendChunkAsCsv(chunk, types, &csv);
  EXPECT_EQ(std::string(csv.view()),
            "-7,2147483647,1.25,t,-123.4567,0.000000000000000005,1994-03-01,13:04:59.25,"
            "2024-03-01 13:04:59+00,1999-12-31 23:59:59,3600.5 seconds 0 days 0 months,"
            "\"{\"\"n\"\": 1}\"\n");
}

}  // namespace
}  // namespace loader
