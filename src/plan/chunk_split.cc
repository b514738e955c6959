#include <algorithm>
#include <cstring>

#include "loader/chunk.h"

namespace loader {
namespace {

// Where row `row` starts in a COPY text payload: after the row-th newline.
// Newlines inside values are escaped (\n), so every raw one ends a row.
size_t CopyRowOffset(const ByteBuffer& payload, uint32_t row) {
  const char* data = payload.data();
  const char* end = data + payload.size();
  const char* p = data;
  for (uint32_t r = 0; r < row && p < end; ++r) {
    p = static_cast<const char*>(std::memchr(p, '\n', end - p));
    p = p == nullptr ? end : p + 1;
  }
  return p - data;
}

void CopyInto(const Chunk& whole, uint64_t first_row, uint32_t rows, size_t byte_begin,
              size_t byte_end, Chunk* part) {
  part->Reset(whole.encoding);
  part->index = whole.index;
  part->first_row = first_row;
  part->rows = rows;
  part->payload.Append(std::string_view(whole.payload.data() + byte_begin, byte_end - byte_begin));
}

}  // namespace

void SplitChunk(const Chunk& whole, Chunk* front, Chunk* back) {
  SplitChunkAt(whole, whole.rows / 2, front, back);
}

void SplitChunkAt(const Chunk& whole, uint32_t front_rows, Chunk* front, Chunk* back) {
  const size_t size = whole.payload.size();
  if (whole.encoding == Encoding::kCopyText) {
    const size_t cut = CopyRowOffset(whole.payload, front_rows);
    CopyInto(whole, whole.first_row, front_rows, 0, cut, front);
    CopyInto(whole, whole.first_row + front_rows, whole.rows - front_rows, cut, size, back);
    return;
  }
  // INSERT parameters: values are NUL-terminated strings in row order, NULLs
  // have no bytes, so the back starts at its first non-NULL value.
  const size_t columns = whole.value_offsets.size() / whole.rows;
  const size_t split_value = front_rows * columns;
  size_t cut = size;
  for (size_t i = split_value; i < whole.value_offsets.size(); ++i) {
    if (whole.value_offsets[i] != InsertParamEncoder::kNullOffset) {
      cut = whole.value_offsets[i];
      break;
    }
  }
  CopyInto(whole, whole.first_row, front_rows, 0, cut, front);
  CopyInto(whole, whole.first_row + front_rows, whole.rows - front_rows, cut, size, back);
  front->value_offsets.assign(whole.value_offsets.begin(),
                              whole.value_offsets.begin() + split_value);
  back->value_offsets.reserve(whole.value_offsets.size() - split_value);
  for (size_t i = split_value; i < whole.value_offsets.size(); ++i) {
    const uint32_t off = whole.value_offsets[i];
    back->value_offsets.push_back(off == InsertParamEncoder::kNullOffset
                                      ? off
                                      : off - static_cast<uint32_t>(cut));
  }
}

}  // namespace loader
