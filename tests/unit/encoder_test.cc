#include "loader/encode/encoder.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/byte_buffer.h"

namespace loader {
namespace {

using namespace std::string_literals;

// The bytes a single-field COPY row made by `field` encodes to, row end included.
template <class Field>
std::string CopyRow(Field field) {
  ByteBuffer out;
  CopyTextEncoder enc(&out);
  field(enc);
  enc.EndRow();
  return std::string(out.view());
}

void SequentialBytes(UuidBytes& id) {
  for (int i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(i);
}

TEST(FormatUuid, WritesCanonicalLowerCaseForm) {
  UuidBytes id;
  SequentialBytes(id);
  char out[40];
  std::memset(out, '#', sizeof out);
  FormatUuid(id, out);
  EXPECT_EQ(std::string(out, 36), "00010203-0405-0607-0809-0a0b0c0d0e0f");
  EXPECT_EQ(out[36], '#') << "writes exactly 36 characters";

  UuidBytes ones;
  std::memset(ones, 0xff, sizeof ones);
  FormatUuid(ones, out);
  EXPECT_EQ(std::string(out, 36), "ffffffff-ffff-ffff-ffff-ffffffffffff");

  const UuidBytes v4 = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x42, 0xd3,
                        0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
  FormatUuid(v4, out);
  EXPECT_EQ(std::string(out, 36), "123e4567-e89b-42d3-a456-426614174000");
}

struct DecimalCase {
  int64_t units;
  unsigned scale;
  const char* text;
};

TEST(FormatDecimal, PlainTextWithoutTrailingZeros) {
  const DecimalCase cases[] = {
      {0, 6, "0"},
      {1, 6, "0.000001"},
      {3, 0, "3"},
      {-125, 1, "-12.5"},
      {-5, 1, "-0.5"},
      {1000000, 6, "1"},
      {1500000, 6, "1.5"},
      {1023999999, 6, "1023.999999"},
      {247652122, 6, "247.652122"},
      {100010, 3, "100.01"},
      {INT64_MAX, 0, "9223372036854775807"},
      {INT64_MIN, 0, "-9223372036854775808"},
      {INT64_MAX, 18, "9.223372036854775807"},
      {INT64_MIN, 18, "-9.223372036854775808"},
      {-1, 18, "-0.000000000000000001"},
  };
  for (const DecimalCase& c : cases) {
    char out[kMaxDecimalChars + 8];
    std::memset(out, '#', sizeof out);
    char* end = FormatDecimal(c.units, c.scale, out);
    ASSERT_LE(end - out, static_cast<std::ptrdiff_t>(kMaxDecimalChars));
    EXPECT_EQ(std::string(out, end), c.text) << c.units << " scale " << c.scale;
    EXPECT_EQ(*end, '#') << "writes nothing past the returned end";
  }
}

TEST(CopyTextEncoder, Int8) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Int8(0); }), "0\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Int8(-1); }), "-1\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Int8(INT64_MIN); }), "-9223372036854775808\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Int8(INT64_MAX); }), "9223372036854775807\n");
}

TEST(CopyTextEncoder, Float8IsShortestRoundTrip) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(0.1); }), "0.1\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(1023.9999999999999); }), "1023.9999999999999\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(1e-300); }), "1e-300\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(-0.0); }), "-0\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(0.0); }), "0\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(512.5); }), "512.5\n");
  // The longest shortest form: 24 characters, what max_row_bytes budgets for.
  EXPECT_EQ(CopyRow([](auto& e) { e.Float8(-2.2250738585072014e-308); }),
            "-2.2250738585072014e-308\n");
}

TEST(CopyTextEncoder, Decimal) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Decimal(1023999999, 6); }), "1023.999999\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Decimal(-125, 1); }), "-12.5\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Decimal(0, 6); }), "0\n");
}

TEST(CopyTextEncoder, Uuid) {
  UuidBytes id;
  SequentialBytes(id);
  EXPECT_EQ(CopyRow([&](auto& e) { e.Uuid(id); }), "00010203-0405-0607-0809-0a0b0c0d0e0f\n");
}

TEST(CopyTextEncoder, TextEscapesCopySyntax) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("a\tb"); }), "a\\tb\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("a\nb"); }), "a\\nb\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("a\rb"); }), "a\\rb\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("a\\b"); }), "a\\\\b\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("\t\n\r\\"); }), "\\t\\n\\r\\\\\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("x\\\ty\r\nz\\"); }), "x\\\\\\ty\\r\\nz\\\\\n");
  // A literal backslash-N must not read back as NULL.
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("\\N"); }), "\\\\N\n");
}

TEST(CopyTextEncoder, TextWithoutSpecialCharactersIsUnchanged) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("plain text, 'quotes' \"and\" | pipes"); }),
            "plain text, 'quotes' \"and\" | pipes\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text("caf\xc3\xa9"); }), "caf\xc3\xa9\n");
  EXPECT_EQ(CopyRow([](auto& e) { e.Text(""); }), "\n");
}

TEST(CopyTextEncoder, NullIsBackslashN) {
  EXPECT_EQ(CopyRow([](auto& e) { e.Null(); }), "\\N\n");
}

TEST(CopyTextEncoder, SeparatesFieldsAndEndsRows) {
  ByteBuffer out;
  CopyTextEncoder enc(&out);
  UuidBytes id;
  SequentialBytes(id);
  enc.Int8(1);
  enc.Text("a");
  enc.Null();
  enc.EndRow();
  enc.Int8(2);
  enc.Text("b\tc");
  enc.Float8(0.5);
  enc.Decimal(15, 1);
  enc.EndRow();
  enc.Uuid(id);
  enc.Text("");
  enc.Text("");
  enc.EndRow();
  EXPECT_EQ(std::string(out.view()),
            "1\ta\t\\N\n"
            "2\tb\\tc\t0.5\t1.5\n"
            "00010203-0405-0607-0809-0a0b0c0d0e0f\t\t\n");
}

TEST(CopyTextEncoder, AppendsAfterExistingBytes) {
  ByteBuffer out;
  out.Append("prefix|");
  CopyTextEncoder enc(&out);
  enc.Int8(7);
  enc.Int8(8);
  enc.EndRow();
  EXPECT_EQ(std::string(out.view()), "prefix|7\t8\n");
}

// One value of an INSERT parameter payload: the bytes from its offset to its NUL.
std::string ValueAt(const ByteBuffer& values, uint32_t offset) {
  EXPECT_LT(offset, values.size());
  const char* start = values.data() + offset;
  const void* nul = std::memchr(start, '\0', values.size() - offset);
  EXPECT_NE(nul, nullptr) << "value at " << offset << " is not NUL-terminated";
  if (nul == nullptr) return {};
  return std::string(start, static_cast<const char*>(nul));
}

TEST(InsertParamEncoder, WritesNulTerminatedValuesAndOffsets) {
  ByteBuffer values;
  std::vector<uint32_t> offsets;
  InsertParamEncoder enc(&values, &offsets);
  UuidBytes id;
  SequentialBytes(id);
  enc.Int8(42);
  enc.Text("a\tb\\");
  enc.Null();
  enc.Uuid(id);
  enc.Float8(0.25);
  enc.EndRow();
  enc.Int8(INT64_MIN);
  enc.Decimal(-1023999999, 6);
  enc.EndRow();

  EXPECT_EQ(offsets, (std::vector<uint32_t>{0, 3, InsertParamEncoder::kNullOffset, 8, 45, 50, 71}));
  EXPECT_EQ(std::string(values.view()),
            "42\0"s
            "a\tb\\\0"s
            "00010203-0405-0607-0809-0a0b0c0d0e0f\0"s
            "0.25\0"s
            "-9223372036854775808\0"s
            "-1023.999999\0"s);
}

TEST(InsertParamEncoder, NullAddsOnlyTheNullOffset) {
  ByteBuffer values;
  std::vector<uint32_t> offsets;
  InsertParamEncoder enc(&values, &offsets);
  enc.Null();
  enc.Null();
  EXPECT_EQ(offsets, (std::vector<uint32_t>{InsertParamEncoder::kNullOffset,
                                            InsertParamEncoder::kNullOffset}));
  EXPECT_EQ(values.size(), 0u);
}

TEST(InsertParamEncoder, TextIsNotEscaped) {
  ByteBuffer values;
  std::vector<uint32_t> offsets;
  InsertParamEncoder enc(&values, &offsets);
  const std::string raw = "tab\tnl\ncr\rbs\\ quote' \\N";
  enc.Text(raw);
  enc.Text("");
  ASSERT_EQ(offsets.size(), 2u);
  EXPECT_EQ(ValueAt(values, offsets[0]), raw);
  EXPECT_EQ(offsets[1], raw.size() + 1);
  EXPECT_EQ(ValueAt(values, offsets[1]), "");
  EXPECT_EQ(values.size(), raw.size() + 2);
}

// A default string_view has a null data(); an empty value is still a NUL. Run
// under UBSan (-DLOADER_SANITIZE=address), this catches a memcpy from null.
TEST(InsertParamEncoder, EmptyDefaultStringView) {
  ByteBuffer values;
  std::vector<uint32_t> offsets;
  InsertParamEncoder enc(&values, &offsets);
  enc.Text(std::string_view());
  EXPECT_EQ(offsets, std::vector<uint32_t>{0});
  EXPECT_EQ(std::string(values.view()), "\0"s);
}

TEST(InsertParamEncoder, NumbersMatchCopyText) {
  // Both methods must store bit-identical values, so they format numbers alike.
  for (double v : {0.1, 1023.9999999999999, 1e-300, -0.0, 1e21}) {
    ByteBuffer values;
    std::vector<uint32_t> offsets;
    InsertParamEncoder enc(&values, &offsets);
    enc.Float8(v);
    const std::string copy = CopyRow([v](auto& e) { e.Float8(v); });
    EXPECT_EQ(ValueAt(values, offsets.at(0)) + "\n", copy);
  }
}

}  // namespace
}  // namespace loader
