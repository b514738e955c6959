#include "loader/encode/chunk_csv.h"

#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "encode/payload_reader.h"

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

// A COPY binary value as the server would print it, for the types
// CopyBinaryEncoder writes; other values are text already.
void BinaryAsCsv(ColumnType type, std::string_view bytes, CsvTextEncoder& enc) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  auto big64 = [p] {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
    return v;
  };
  switch (type) {
    case ColumnType::kInt8:
      return enc.Int8(static_cast<int64_t>(big64()));
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
