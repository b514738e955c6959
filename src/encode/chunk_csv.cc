#include "loader/encode/chunk_csv.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "encode/payload_reader.h"
#include "loader/encode/date_text.h"

namespace loader {
namespace {

// One COPY text field without its escapes (those CopyTextEncoder writes,
// and the other single-letter ones COPY defines).
void Unescape(std::string_view field, std::string* out) {
  out->clear();
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out->push_back(field[i]);
      continue;
    }
    switch (const char c = field[++i]) {
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      default:
        out->push_back(c);
    }
  }
}

// NUMERIC's binary form as decimal text: base-10000 digits, the weight of
// the first, the sign and the display scale.
std::string NumericText(const unsigned char* p) {
  auto get16 = [&p](int i) { return static_cast<int>(p[2 * i] << 8 | p[2 * i + 1]); };
  const int ndigits = get16(0);
  const int weight = static_cast<int16_t>(get16(1));
  const bool negative = get16(2) == 0x4000;
  const int dscale = get16(3);
  std::string text = negative ? "-" : "";
  // The whole part: digits of weight 0 and up (0 when there are none).
  std::string whole;
  for (int w = weight; w >= 0; --w) {
    const int i = weight - w;
    const int digit = i < ndigits ? get16(4 + i) : 0;
    char group[8];
    std::snprintf(group, sizeof group, whole.empty() ? "%d" : "%04d", digit);
    whole += group;
  }
  text += whole.empty() ? "0" : whole;
  if (dscale == 0) return text;
  std::string fraction;
  for (int w = -1; static_cast<int>(fraction.size()) < dscale; --w) {
    const int i = weight - w;
    const int digit = i >= 0 && i < ndigits ? get16(4 + i) : 0;
    char group[8];
    std::snprintf(group, sizeof group, "%04d", digit);
    fraction += group;
  }
  return text + "." + fraction.substr(0, static_cast<size_t>(dscale));
}

// A COPY binary value as the server would print it, for the types
// CopyBinaryEncoder writes; other values are text already.
void BinaryAsCsv(ColumnType type, std::string_view bytes, CsvTextEncoder& enc) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  auto big = [p](int n, int at = 0) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | p[at + i];
    return v;
  };
  auto big64 = [&big] { return big(8); };
  char text[64];
  char* end = text;
  // Seconds since 2000-01-01 as a date and a time of day, with microseconds.
  auto timestamp = [&](int64_t micros) {
    const int64_t seconds = (micros - (micros % 1000000 + 1000000) % 1000000) / 1000000;
    const int64_t days = (seconds >= 0 ? seconds : seconds - kSecondsPerDay + 1) / kSecondsPerDay;
    end = FormatDate(days + kPostgresEpochDays, end);
    *end++ = ' ';
    end = FormatTimeOfDay(seconds - days * kSecondsPerDay, end);
    int64_t fraction = micros - seconds * 1000000;
    if (fraction == 0) return;
    int digits = 6;
    for (; fraction % 10 == 0; fraction /= 10) --digits;
    *end++ = '.';
    for (int i = digits - 1; i >= 0; --i, fraction /= 10)
      end[i] = static_cast<char>('0' + fraction % 10);
    end += digits;
  };
  switch (type) {
    case ColumnType::kInt2:
      return enc.Int8(static_cast<int16_t>(big(2)));
    case ColumnType::kInt4:
      return enc.Int8(static_cast<int32_t>(big(4)));
    case ColumnType::kInt8:
      return enc.Int8(static_cast<int64_t>(big64()));
    case ColumnType::kFloat4:
      return enc.Float8(std::bit_cast<float>(static_cast<uint32_t>(big(4))));
    case ColumnType::kBool:
      return enc.Plain(p[0] != 0 ? "t" : "f");
    case ColumnType::kNumeric:
      return enc.Text(NumericText(p));
    case ColumnType::kDate:
      end = FormatDate(static_cast<int32_t>(big(4)) + kPostgresEpochDays, end);
      return enc.Text({text, static_cast<size_t>(end - text)});
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      timestamp(static_cast<int64_t>(big64()));
      if (type == ColumnType::kTimestampTz) end = std::copy_n("+00", 3, end);
      return enc.Text({text, static_cast<size_t>(end - text)});
    case ColumnType::kTime: {
      timestamp(static_cast<int64_t>(big64()));  // on 2000-01-01: the time after the date
      return enc.Text({text + 11, static_cast<size_t>(end - text - 11)});
    }
    case ColumnType::kInterval: {
      const int64_t micros = static_cast<int64_t>(big64());
      end = FormatDecimal(micros, 6, end);
      end = std::copy_n(" seconds ", 9, end);
      end = std::to_chars(end, text + sizeof text, static_cast<int32_t>(big(4, 8))).ptr;
      end = std::copy_n(" days ", 6, end);
      end = std::to_chars(end, text + sizeof text, static_cast<int32_t>(big(4, 12))).ptr;
      end = std::copy_n(" months", 7, end);
      return enc.Text({text, static_cast<size_t>(end - text)});
    }
    case ColumnType::kJsonb:
      return enc.Text(bytes.substr(1));  // after its format version
    case ColumnType::kFloat8:
      return enc.Float8(std::bit_cast<double>(big64()));
    case ColumnType::kUuid: {
      UuidBytes uuid;
      std::memcpy(uuid, p, 16);
      return enc.Uuid(uuid);
    }
    default:
      return enc.Text(bytes);
  }
}

}  // namespace

void AppendChunkAsCsv(const Chunk& chunk, const std::vector<ColumnType>& types, ByteBuffer* out) {
  CsvTextEncoder enc(out);
  std::string unescaped;
  PayloadReader reader(chunk);
  while (!reader.done()) {
    reader.ReadRow([&](size_t column, const PayloadReader::Value& value) {
      if (value.null) {
        enc.Null();
      } else if (chunk.encoding == Encoding::kCopyText) {
        Unescape(value.bytes, &unescaped);
        enc.Text(unescaped);
      } else if (chunk.encoding == Encoding::kCopyBinary) {
        BinaryAsCsv(types[column], value.bytes, enc);
      } else {
        enc.Text(value.bytes);
      }
    });
    enc.EndRow();
  }
}

}  // namespace loader
