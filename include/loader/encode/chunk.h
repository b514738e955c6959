// Chunk: a run of consecutive rows, encoded and ready to send, committed in one
// transaction. Chunks are recycled through the pipeline's free list, so their
// buffers keep their capacity and steady-state loading allocates nothing.
#ifndef LOADER_CHUNK_H_
#define LOADER_CHUNK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/byte_buffer.h"
#include "loader/encode/encoder.h"

namespace loader {

// One input row of a chunk read from a file: where it is, so a rejected row
// can be named and copied out, and a digest of its text, so the journal can
// tell on a re-run whether committed lines changed.
struct RowOrigin {
  uint64_t line = 0;        // where the row starts in the file
  uint64_t digest = 0;      // RowDigest of its bytes as read
  uint32_t raw_offset = 0;  // its original text in Chunk::raw, when kept
  uint32_t raw_size = 0;
  bool sent = true;  // false: rejected before sending; it has no payload
};

struct Chunk {
  uint64_t index = 0;      // 0-based position in the load
  uint64_t first_row = 0;  // row index of the first row
  uint32_t rows = 0;       // rows in the payload
  Encoding encoding = Encoding::kCopyText;
  ByteBuffer payload;  // COPY text or binary tuples, or NUL-terminated INSERT values
  std::vector<uint32_t> value_offsets;  // kInsertParams only: one per value
  // Rows read from a file: one per input row the chunk covers, in order, with
  // the rows rejected before sending; empty for generated rows. The chunk's
  // rows never span two files.
  std::vector<RowOrigin> origins;
  const std::string* file = nullptr;  // the file's name; owned by the source
  ByteBuffer raw;  // the rows' original text, kept only when rows may be rejected

  // Input rows the chunk covers, [first_row, first_row + span()): its journal
  // row. Rejected rows count, so a re-run does not read them as missing.
  uint64_t span() const { return origins.empty() ? rows : origins.size(); }

  void Reset(Encoding enc) {
    rows = 0;
    encoding = enc;
    payload.Clear();
    value_offsets.clear();
    origins.clear();
    file = nullptr;
    raw.Clear();
  }
};

// Calls fill(encoder) with the encoder of chunk->encoding, writing into the
// chunk's payload, so a source fills chunks of any encoding the same way.
template <class Fill>
void EncodeInto(Chunk* chunk, Fill&& fill) {
  switch (chunk->encoding) {
    case Encoding::kCopyText: {
      CopyTextEncoder enc(&chunk->payload);
      fill(enc);
      return;
    }
    case Encoding::kInsertParams: {
      InsertParamEncoder enc(&chunk->payload, &chunk->value_offsets);
      fill(enc);
      return;
    }
    case Encoding::kCsvText: {
      CsvTextEncoder enc(&chunk->payload);
      fill(enc);
      return;
    }
    case Encoding::kCopyBinary: {
      CopyBinaryEncoder enc(&chunk->payload);
      fill(enc);
      return;
    }
  }
}

// Splits `whole` into its first `front_span` input rows (`front`) and the rest
// (`back`), with their payload, origins and original text; their indexes are
// whole.index. Used when the server finds a chunk too large, another
// transaction committed its first rows, or a row is rejected, which is rare,
// so it copies. REQUIRES: 0 < front_span <= whole.span() (at the span, back
// is left empty); front and back are not `whole`; whole.encoding is not
// kCsvText (CSV chunks go to files, which never split them).
void SplitChunkAt(const Chunk& whole, uint64_t front_span, Chunk* front, Chunk* back);
// Takes the chunk's last payload row out of the payload and marks it rejected
// (RowOrigin::sent false); the chunk still covers it. REQUIRES: rows >= 1 and
// origins not empty.
void UnsendLastRow(Chunk* chunk);
// Splits so each part has about half the payload rows.
// REQUIRES: whole.rows >= 2.
void SplitChunk(const Chunk& whole, Chunk* front, Chunk* back);
// The input rows before payload row `payload_row` (whole.rows: all of them),
// rejected rows included.
uint64_t SpanBefore(const Chunk& chunk, uint32_t payload_row);

// Where a chunk must close, whichever limit comes first.
struct ChunkLimits {
  uint64_t max_rows = 1000;
  uint64_t max_bytes = 8u << 20;  // payload bytes
};

}  // namespace loader

#endif  // LOADER_CHUNK_H_
