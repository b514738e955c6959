// A chunk's payload, as the Sink would have sent it (COPY text or INSERT
// parameters), rewritten as CSV rows: how a chunk that could not be committed
// goes to a fallback file without rebuilding it from its source.
#ifndef LOADER_CHUNK_CSV_H_
#define LOADER_CHUNK_CSV_H_

#include <cstddef>

#include "loader/byte_buffer.h"
#include "loader/chunk.h"

namespace loader {

// Appends the chunk's payload rows to `out` as CSV (CsvTextEncoder): values
// keep their text, NULL stays NULL. `columns` is the values per row.
// REQUIRES: chunk.encoding is kCopyText or kInsertParams; columns >= 1.
void AppendChunkAsCsv(const Chunk& chunk, size_t columns, ByteBuffer* out);

}  // namespace loader

#endif  // LOADER_CHUNK_CSV_H_
