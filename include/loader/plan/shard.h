// Shard: which part of a job one of N loader processes loads, so that N
// processes, on one machine or many, load the job together with no
// coordinator but the journal. The job's rows are cut into blocks of --chunk
// rows, as every process of the job cuts them from the same options; block b
// belongs to shard b mod N. A chunk never spans two blocks,
// so every chunk has exactly one owner, and a shard run again resumes its own
// blocks.
//
// A shard numbers the rows it owns 0, 1, 2, ... (its own row numbers). The
// rows it has left are kept as ranges of those numbers: however far the
// other shards have got, a shard's own rows form as few ranges as a whole
// load's, so what it keeps stays flat in the job's size.
// Thread safety: a value type.
#ifndef LOADER_SHARD_H_
#define LOADER_SHARD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"
#include "loader/plan/row_ranges.h"

namespace loader {

struct Shard {
  uint64_t index = 0;       // K, in [0, count)
  uint64_t count = 1;       // N; 1: the whole job
  uint64_t block_rows = 1;  // rows per block: --chunk; >= 1

  bool whole() const { return count == 1; }
  bool Owns(uint64_t row) const { return (row / block_rows) % count == index; }
  // The first row at or after `row` that this shard owns.
  uint64_t NextOwned(uint64_t row) const;
  // Where the block holding `row` ends; for the whole job, nowhere (UINT64_MAX).
  uint64_t BlockEnd(uint64_t row) const;
  // How many rows of [0, row) this shard owns: the own number of `row` when
  // the shard owns it, else that of the next row it owns. `row` for the
  // whole job.
  uint64_t OwnedBefore(uint64_t row) const;
  // The job's row that is this shard's row number `own`; the inverse of
  // OwnedBefore on the rows the shard owns.
  uint64_t OwnedRow(uint64_t own) const;
  // How many rows of [first, end) this shard owns.
  uint64_t OwnedRows(uint64_t first, uint64_t end) const;
  uint64_t OwnedRows(const std::vector<RowRange>& ranges) const;
  // The one mapping between the job's rows and the shard's own numbering,
  // which the journal and the plan of what is left to load keep:
  // ToOwn: the rows of `job_rows` this shard owns, by their own numbers.
  RowRange ToOwn(const RowRange& job_rows) const;
  // ToJob: the job's rows from the first of `own_rows` to the last, the
  // other shards' blocks between them included (a source skips those).
  // REQUIRES: own_rows.count >= 1.
  RowRange ToJob(const RowRange& own_rows) const;
  // "K/N".
  std::string Name() const;
};

inline constexpr uint64_t kMaxShards = 10000;

// Reads "K/N" (0 <= K < N <= kMaxShards) into index and count; kInvalidArgument
// naming --shard otherwise.
Status ParseShard(std::string_view text, Shard* shard);

}  // namespace loader

#endif  // LOADER_SHARD_H_
