// Chunk: a run of consecutive rows, encoded and ready to send, committed in one
// transaction. Chunks are recycled through the pipeline's free list, so their
// buffers keep their capacity and steady-state loading allocates nothing.
#ifndef LOADER_CHUNK_H_
#define LOADER_CHUNK_H_

#include <cstdint>
#include <vector>

#include "loader/byte_buffer.h"
#include "loader/encoder.h"

namespace loader {

struct Chunk {
  uint64_t index = 0;      // 0-based position in the load
  uint64_t first_row = 0;  // row index of the first row
  uint32_t rows = 0;
  Encoding encoding = Encoding::kCopyText;
  ByteBuffer payload;                   // COPY text, or NUL-terminated INSERT values
  std::vector<uint32_t> value_offsets;  // kInsertParams only: one per value

  void Reset(Encoding enc) {
    rows = 0;
    encoding = enc;
    payload.Clear();
    value_offsets.clear();
  }
};

// Splits `whole` into its first `front_rows` rows (`front`) and the rest
// (`back`), both with the same encoding and consecutive row ranges; their
// indexes are whole.index. Used when the server finds a chunk too large or
// another transaction committed its first rows, which is rare, so it copies.
// REQUIRES: 0 < front_rows < whole.rows; front and back are not `whole`.
void SplitChunkAt(const Chunk& whole, uint32_t front_rows, Chunk* front, Chunk* back);
// SplitChunkAt(whole, whole.rows / 2, ...). REQUIRES: whole.rows >= 2.
void SplitChunk(const Chunk& whole, Chunk* front, Chunk* back);

// Where a chunk must close, whichever limit comes first.
struct ChunkLimits {
  uint64_t max_rows = 1000;
  uint64_t max_bytes = 8u << 20;  // payload bytes
};

}  // namespace loader

#endif  // LOADER_CHUNK_H_
