// Chunker: where a chunk ends. Every row source fills its chunks through one,
// so the limits, the row that overflows the byte limit and is rolled back to
// open the next chunk, and the row limit lowered after the server split a
// chunk all live in one place.
// Thread safety: LowerMaxRows may be called from any thread (a worker that
// split a chunk); the rest from the source's thread only.
#ifndef LOADER_ENCODE_CHUNKER_H_
#define LOADER_ENCODE_CHUNKER_H_

#include <atomic>
#include <cstdint>

#include "loader/encode/chunk.h"

namespace loader {

class Chunker {
 public:
  explicit Chunker(ChunkLimits limits)
      : max_rows_(limits.max_rows < 1 ? 1 : limits.max_rows), max_bytes_(limits.max_bytes) {}

  // The row limit for the chunk about to be filled. Read it once per chunk:
  // it is one relaxed atomic load.
  uint64_t max_rows() const { return max_rows_.load(std::memory_order_relaxed); }
  uint64_t max_bytes() const { return max_bytes_; }

  // Lowers the row limit of the chunks started afterwards (a chunk the server
  // found too large was split); never raises it, and never below 1.
  void LowerMaxRows(uint64_t rows) {
    if (rows < 1) rows = 1;
    uint64_t current = max_rows_.load(std::memory_order_relaxed);
    while (rows < current && !max_rows_.compare_exchange_weak(current, rows)) {
    }
  }

  // Encodes one row into `chunk` with emit(enc). When that takes the payload
  // past the byte limit and the chunk already has rows (`has_rows`), the row
  // is taken out again and false returned: it opens the next chunk. A first
  // row is always kept, however large: the server decides whether it fits.
  template <class Encoder, class Emit>
  bool AddRow(Chunk* chunk, bool has_rows, Encoder& enc, Emit&& emit) const {
    const size_t bytes_before = chunk->payload.size();
    const size_t values_before = chunk->value_offsets.size();
    emit(enc);
    if (chunk->payload.size() <= max_bytes_ || !has_rows) return true;
    chunk->payload.Truncate(bytes_before);
    chunk->value_offsets.resize(values_before);
    return false;
  }

 private:
  std::atomic<uint64_t> max_rows_;
  const uint64_t max_bytes_;
};

}  // namespace loader

#endif  // LOADER_ENCODE_CHUNKER_H_
