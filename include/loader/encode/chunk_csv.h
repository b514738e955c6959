// A chunk's payload, as the Sink would have sent it (COPY text or binary, or
// INSERT parameters), rewritten as CSV rows: how a chunk that could not be committed
// goes to a fallback file without rebuilding it from its source.
#ifndef LOADER_CHUNK_CSV_H_
#define LOADER_CHUNK_CSV_H_

#include <cstddef>
#include <vector>

#include "loader/base/byte_buffer.h"
#include "loader/base/table.h"
#include "loader/encode/chunk.h"

namespace loader {

// Appends the chunk's payload rows to `out` as CSV (CsvTextEncoder): values
// keep their text (binary ones are formatted as the server would), NULL
// stays NULL. `types` are the columns' types, one per value of a row.
// REQUIRES: chunk.encoding is not kCsvText; types not empty; binary values
// only of the types CopyBinaryEncoder writes.
void AppendChunkAsCsv(const Chunk& chunk, const std::vector<ColumnType>& types, ByteBuffer* out);

}  // namespace loader

#endif  // LOADER_CHUNK_CSV_H_
