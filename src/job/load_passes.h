// Loading a job's missing rows in passes: each pass loads what the journal
// lacks, then reads the journal again to check.
#ifndef LOADER_JOB_LOAD_PASSES_H_
#define LOADER_JOB_LOAD_PASSES_H_

#include <cstdint>

#include "exec/pipeline.h"
#include "job/load_input.h"
#include "job/load_setup.h"
#include "loader/base/status.h"
#include "loader/job/load_spec.h"
#include "loader/journal/journal.h"
#include "loader/plan/chunk_plan.h"
#include "loader/report/stats.h"

namespace loader {

// Rows of files are counted by reading them.
constexpr uint64_t kUnknownTotal = UINT64_MAX;

// Loads the rows of the job (of its shard, with --shard) that `state` lacks,
// and with the journal on reads it again to check: a pass leaves rows behind
// only when another process of the same job committed a chunk cut another way
// (a collision that covered part of ours), and the next pass loads them.
// Files are counted as they are read: *total is their row count after the
// first pass. *state is the journal as last read. `first`'s connection, while
// it works, reads the journal after each pass.
Status LoadMissingRows(const LoadSpec& spec, const LoadInput& input, const ChunkPlan& plan,
                       const PipelineConfig& config, FirstServer* first, JournalState* state,
                       Stats* stats, uint64_t* total);

}  // namespace loader

#endif  // LOADER_JOB_LOAD_PASSES_H_
