// RowSource: where rows come from. It fills chunks one after another on a single
// thread (the pipeline's producer), ending each where its Chunker says: at the
// row limit, or before the row that would pass the byte limit.
#ifndef LOADER_ROW_SOURCE_H_
#define LOADER_ROW_SOURCE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/encode/chunker.h"
#include "loader/plan/row_ranges.h"
#include "loader/plan/shard.h"

namespace loader {

class RowSource {
 public:
  explicit RowSource(ChunkLimits limits) : chunker_(limits) {}
  virtual ~RowSource() = default;

  // Fills `chunk` (after Reset) with the next rows, or sets *done and leaves it
  // empty when the source is exhausted.
  virtual Status NextChunk(Chunk* chunk, bool* done) = 0;
  // Total rows when known up front (generated data), else 0.
  virtual uint64_t total_rows() const = 0;
  // Rows of the input read so far, loaded or skipped; once NextChunk has said
  // done, the input's row count. (Generated: the end of its last range.)
  virtual uint64_t rows_read() const = 0;
  // Where this source's chunks end. A worker that split a chunk lowers its
  // row limit for the chunks made afterwards.
  Chunker& chunker() { return chunker_; }

 protected:
  Chunker chunker_;
};

}  // namespace loader

#endif  // LOADER_ROW_SOURCE_H_
