#include "loader/encode/chunk.h"

#include <algorithm>
#include <cstring>

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

uint32_t Big32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// Where row `row` starts in COPY binary tuples: past the rows before it, each
// a field count and that many length-prefixed values (length -1: NULL).
size_t CopyBinaryRowOffset(const ByteBuffer& payload, uint32_t row) {
  const auto* data = reinterpret_cast<const unsigned char*>(payload.data());
  size_t at = 0;
  for (uint32_t r = 0; r < row && at < payload.size(); ++r) {
    const unsigned fields = unsigned{data[at]} << 8 | data[at + 1];
    at += 2;
    for (unsigned f = 0; f < fields; ++f) {
      const uint32_t len = Big32(data + at);
      at += 4 + (len == UINT32_MAX ? 0 : len);
    }
  }
  return at;
}

// Where payload row `row` starts: its byte offset, and for INSERT values the
// index of its first value.
struct Cut {
  size_t byte = 0;
  size_t value = 0;
};

Cut PayloadCut(const Chunk& whole, uint32_t row) {
  if (row == whole.rows) return {whole.payload.size(), whole.value_offsets.size()};
  if (whole.encoding == Encoding::kCopyText) return {CopyRowOffset(whole.payload, row), 0};
  if (whole.encoding == Encoding::kCopyBinary) return {CopyBinaryRowOffset(whole.payload, row), 0};
  // INSERT parameters: values are NUL-terminated strings in row order, NULLs
  // have no bytes, so a part starts at its first non-NULL value.
  const size_t columns = whole.value_offsets.size() / whole.rows;
  Cut cut{whole.payload.size(), row * columns};
  for (size_t i = cut.value; i < whole.value_offsets.size(); ++i) {
    if (whole.value_offsets[i] != InsertParamEncoder::kNullOffset) {
      cut.byte = whole.value_offsets[i];
      break;
    }
  }
  return cut;
}

uint32_t RowsBefore(const Chunk& whole, uint64_t span) {
  if (whole.origins.empty()) return static_cast<uint32_t>(span);
  return static_cast<uint32_t>(std::count_if(whole.origins.begin(), whole.origins.begin() + span,
                                             [](const RowOrigin& o) { return o.sent; }));
}

// Copies input rows [span_begin, span_end) of `whole` into `part`.
void CopyPart(const Chunk& whole, uint64_t span_begin, uint64_t span_end, Chunk* part) {
  const uint32_t row_begin = RowsBefore(whole, span_begin);
  const uint32_t row_end = RowsBefore(whole, span_end);
  const Cut begin = PayloadCut(whole, row_begin);
  const Cut end = PayloadCut(whole, row_end);
  part->Reset(whole.encoding);
  part->index = whole.index;
  part->first_row = whole.first_row + span_begin;
  part->rows = row_end - row_begin;
  part->file = whole.file;
  part->payload.Append(std::string_view(whole.payload.data() + begin.byte, end.byte - begin.byte));
  for (size_t i = begin.value; i < end.value; ++i) {
    const uint32_t off = whole.value_offsets[i];
    part->value_offsets.push_back(
        off == InsertParamEncoder::kNullOffset ? off : off - static_cast<uint32_t>(begin.byte));
  }
  if (whole.origins.empty()) return;
  const uint32_t raw_base = span_begin < whole.origins.size()
                                ? whole.origins[span_begin].raw_offset
                                : static_cast<uint32_t>(whole.raw.size());
  for (uint64_t i = span_begin; i < span_end; ++i) {
    RowOrigin origin = whole.origins[i];
    part->raw.Append(whole.raw.data() + origin.raw_offset, origin.raw_size);
    origin.raw_offset -= raw_base;
    part->origins.push_back(origin);
  }
}

}  // namespace

uint64_t SpanBefore(const Chunk& chunk, uint32_t payload_row) {
  if (chunk.origins.empty() || payload_row >= chunk.rows) {
    return payload_row >= chunk.rows ? chunk.span() : payload_row;
  }
  uint32_t sent = 0;
  for (size_t i = 0; i < chunk.origins.size(); ++i) {
    if (chunk.origins[i].sent && sent++ == payload_row) return i;
  }
  return chunk.span();
}

void UnsendLastRow(Chunk* chunk) {
  const Cut cut = PayloadCut(*chunk, chunk->rows - 1);
  chunk->payload.Truncate(cut.byte);
  chunk->value_offsets.resize(cut.value);
  for (auto it = chunk->origins.rbegin(); it != chunk->origins.rend(); ++it) {
    if (it->sent) {
      it->sent = false;
      break;
    }
  }
  --chunk->rows;
}

void SplitChunk(const Chunk& whole, Chunk* front, Chunk* back) {
  SplitChunkAt(whole, SpanBefore(whole, whole.rows / 2), front, back);
}

void SplitChunkAt(const Chunk& whole, uint64_t front_span, Chunk* front, Chunk* back) {
  CopyPart(whole, 0, front_span, front);
  CopyPart(whole, front_span, whole.span(), back);
}

}  // namespace loader
