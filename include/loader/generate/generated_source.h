// Generated rows as a RowSource: the "accounts" and "points" tables
// (generated_tables.h), deterministic for a seed (row_generator.h), and
// synthetic rows of any table (synthetic_rows.h).
#ifndef LOADER_GENERATED_SOURCE_H_
#define LOADER_GENERATED_SOURCE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "loader/base/table.h"
#include "loader/generate/id_order.h"
#include "loader/generate/synthetic_rows.h"
#include "loader/plan/row_ranges.h"
#include "loader/plan/row_source.h"
#include "loader/plan/shard.h"

namespace loader {

// The rows in `ranges` (in order; a resumed load skips what the journal has)
// that `shard` owns, of a generated table ("accounts" or "points") for
// `seed`, encoded as `encoding`; `ids` orders the points' ids. No chunk spans
// two ranges or two of the shard's blocks. REQUIRES: as below.
std::unique_ptr<RowSource> MakeGeneratedSource(const TableSpec& table, uint64_t seed,
                                               std::vector<RowRange> ranges, ChunkLimits limits,
                                               Encoding encoding, IdOrder ids = {},
                                               Shard shard = {});

// Rows [0, rows) of a generated table ("accounts" or "points") for `seed`,
// encoded as `encoding`. REQUIRES: FindGeneratedTable(table.name) != nullptr and
// limits.max_bytes >= table.max_row_bytes.
std::unique_ptr<RowSource> MakeGeneratedSource(const TableSpec& table, uint64_t seed, uint64_t rows,
                                               ChunkLimits limits, Encoding encoding,
                                               IdOrder ids = {});

// The rows in `ranges` of a table compiled for synthetic rows, as above.
// REQUIRES: kCopyBinary only when rows->binary().
std::unique_ptr<RowSource> MakeSyntheticSource(std::shared_ptr<const SyntheticRows> rows,
                                               std::vector<RowRange> ranges, ChunkLimits limits,
                                               Encoding encoding, Shard shard = {});

}  // namespace loader

#endif  // LOADER_GENERATED_SOURCE_H_
