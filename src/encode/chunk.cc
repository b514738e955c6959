#include "loader/encode/chunk.h"

#include <algorithm>

#include "encode/payload_reader.h"

namespace loader {
namespace {

// Where payload row `row` starts: its byte offset, and for INSERT values the
// index of its first value.
struct Cut {
  size_t byte = 0;
  size_t value = 0;
};

Cut PayloadCut(const Chunk& whole, uint32_t row) {
  PayloadReader reader(whole);
  for (uint32_t r = 0; r < row && !reader.done(); ++r) reader.SkipRow();
  return {reader.byte(), reader.value_index()};
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
