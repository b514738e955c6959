#include "encode/payload_reader.h"

#include <cstring>

#include "loader/encode/encoder.h"

namespace loader {

PayloadReader::PayloadReader(const Chunk& chunk)
    : chunk_(chunk), columns_(chunk.rows == 0 ? 0 : chunk.value_offsets.size() / chunk.rows) {}

size_t PayloadReader::byte() const {
  if (chunk_.encoding != Encoding::kInsertParams) return byte_;
  // Values are NUL-terminated strings in row order and NULLs have no bytes,
  // so a row's bytes start at its first non-NULL value.
  for (size_t i = value_; i < chunk_.value_offsets.size(); ++i) {
    if (chunk_.value_offsets[i] != InsertParamEncoder::kNullOffset) return chunk_.value_offsets[i];
  }
  return chunk_.payload.size();
}

void PayloadReader::SkipRow() {
  if (chunk_.encoding == Encoding::kCopyBinary) return ReadRow([](size_t, const Value&) {});
  if (chunk_.encoding == Encoding::kInsertParams) {
    value_ += columns_;  // rows are a fixed number of values: nothing to read
  } else {
    TextLine();  // a raw newline always ends a row: newlines in values are escaped
  }
  ++row_;
}

PayloadReader::Value PayloadReader::InsertValue(size_t index) const {
  const uint32_t offset = chunk_.value_offsets[index];
  if (offset == InsertParamEncoder::kNullOffset) return {true, {}};
  return {false, std::string_view(chunk_.payload.data() + offset)};  // NUL-terminated
}

PayloadReader::Value PayloadReader::BinaryValue() {
  const auto length = static_cast<uint32_t>(Big(4));
  if (length == UINT32_MAX) return {true, {}};  // -1: NULL
  const std::string_view bytes(chunk_.payload.data() + byte_, length);
  byte_ += length;
  return {false, bytes};
}

std::string_view PayloadReader::TextLine() {
  const std::string_view rest = chunk_.payload.view().substr(byte_);
  const size_t end = rest.find('\n');
  byte_ += end == std::string_view::npos ? rest.size() : end + 1;
  return rest.substr(0, end);
}

size_t PayloadReader::Big(int bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(chunk_.payload.data() + byte_);
  size_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
  byte_ += static_cast<size_t>(bytes);
  return v;
}

}  // namespace loader
