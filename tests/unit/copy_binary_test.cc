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

}  // namespace
}  // namespace loader
