// RowSource: where rows come from. It fills chunks one after another on a single
// thread (the pipeline's producer) and is the only stage that decides where a
// chunk ends: at ChunkLimits::max_rows rows or before max_bytes payload bytes.
#ifndef LOADER_ROW_SOURCE_H_
#define LOADER_ROW_SOURCE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/plan/row_ranges.h"
#include "loader/plan/shard.h"

namespace loader {

class RowSource {
 public:
  virtual ~RowSource() = default;

  // Fills `chunk` (after Reset) with the next rows, or sets *done and leaves it
  // empty when the source is exhausted.
  virtual Status NextChunk(Chunk* chunk, bool* done) = 0;
  // Total rows when known up front (generated data), else 0.
  virtual uint64_t total_rows() const = 0;
  // Rows of the input read so far, loaded or skipped; once NextChunk has said
  // done, the input's row count. (Generated: the end of its last range.)
  virtual uint64_t rows_read() const = 0;
  // Lowers ChunkLimits::max_rows for the chunks after this call (a chunk the
  // server found too large was split). REQUIRES: max_rows >= 1.
  virtual void LimitChunkRows(uint64_t max_rows) = 0;
};

}  // namespace loader

#endif  // LOADER_ROW_SOURCE_H_
