#include "loader/encode/chunk_csv.h"

#include <bit>
#include <cstring>
#include <string>
#include <string_view>

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

void CopyTextAsCsv(const Chunk& chunk, CsvTextEncoder& enc) {
  std::string value;
  std::string_view rest = chunk.payload.view();
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    for (;;) {
      const size_t tab = line.find('\t');
      const std::string_view field = line.substr(0, tab);
      if (field == "\\N") {
        enc.Null();
      } else {
        Unescape(field, &value);
        enc.Text(value);
      }
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    enc.EndRow();
  }
}

void InsertParamsAsCsv(const Chunk& chunk, size_t columns, CsvTextEncoder& enc) {
  for (size_t i = 0; i < chunk.value_offsets.size(); ++i) {
    const uint32_t offset = chunk.value_offsets[i];
    if (offset == InsertParamEncoder::kNullOffset) {
      enc.Null();
    } else {
      enc.Text(chunk.payload.data() + offset);  // NUL-terminated
    }
    if ((i + 1) % columns == 0) enc.EndRow();
  }
}

uint64_t Big(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
  return v;
}

void CopyBinaryAsCsv(const Chunk& chunk, const std::vector<ColumnType>& types,
                     CsvTextEncoder& enc) {
  const auto* p = reinterpret_cast<const unsigned char*>(chunk.payload.data());
  const auto* end = p + chunk.payload.size();
  while (p < end) {
    const auto fields = static_cast<size_t>(Big(p, 2));
    p += 2;
    for (size_t f = 0; f < fields; ++f) {
      const auto len = static_cast<uint32_t>(Big(p, 4));
      p += 4;
      if (len == UINT32_MAX) {
        enc.Null();
        continue;
      }
      switch (types[f]) {
        case ColumnType::kInt8:
          enc.Int8(static_cast<int64_t>(Big(p, 8)));
          break;
        case ColumnType::kFloat8:
          enc.Float8(std::bit_cast<double>(Big(p, 8)));
          break;
        case ColumnType::kUuid: {
          UuidBytes uuid;
          std::memcpy(uuid, p, 16);
          enc.Uuid(uuid);
          break;
        }
        default:
          enc.Text(std::string_view(reinterpret_cast<const char*>(p), len));
      }
      p += len;
    }
    enc.EndRow();
  }
}

}  // namespace

void AppendChunkAsCsv(const Chunk& chunk, const std::vector<ColumnType>& types, ByteBuffer* out) {
  CsvTextEncoder enc(out);
  switch (chunk.encoding) {
    case Encoding::kCopyText:
      return CopyTextAsCsv(chunk, enc);
    case Encoding::kCopyBinary:
      return CopyBinaryAsCsv(chunk, types, enc);
    default:
      return InsertParamsAsCsv(chunk, types.size(), enc);
  }
}

}  // namespace loader
