// When a unique index or constraint cannot be built again over the rows a
// load put in (--build-indexes-after): the keys the table holds more than
// once, and where this load's input has each (FILE:LINE for rows from
// files, the 0-based row index for generated ones), so the data can be
// fixed without hunting for the rows.
#ifndef LOADER_JOB_DUPLICATE_ORIGINS_H_
#define LOADER_JOB_DUPLICATE_ORIGINS_H_

#include <cstdint>
#include <string>

#include "job/load_input.h"
#include "loader/base/status.h"
#include "loader/encode/chunk.h"
#include "loader/job/load_spec.h"
#include "loader/pg/connection.h"

namespace loader {

// What the input is and how the load read it: the rows are read again the
// same way, [0, rows) of them.
struct LoadedInput {
  const InputSpec& spec;
  const LoadInput& input;
  ChunkLimits limits;
  uint64_t rows = 0;
};

// The rows a unique index covers: its table's, and for a partial index only
// those its condition (SQL) holds for.
struct IndexedRows {
  std::string table;
  std::string condition;  // empty: all
};

// `violation` (SQLSTATE 23505, building an index over `indexed`) with a
// sentence added: up to five duplicated keys, how many rows have each, and
// up to five of their origins. When that cannot be told (the key is an
// expression, the input is standard input, the query fails) the sentence
// says why instead; this never turns the error into another.
Status WithDuplicateOrigins(const Status& violation, Connection& conn, const IndexedRows& indexed,
                            const LoadedInput& loaded);

}  // namespace loader

#endif  // LOADER_JOB_DUPLICATE_ORIGINS_H_
