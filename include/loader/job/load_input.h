// LoadInput: what a load reads, generated rows or CSV files, into which
// columns, and how the journal knows it as a job. RunLoad resolves it once,
// before any worker starts, and makes a source from it for each pass.
#ifndef LOADER_LOAD_INPUT_H_
#define LOADER_LOAD_INPUT_H_

#include <memory>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/job/load_job.h"
#include "loader/journal/journal.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"
#include "loader/plan/row_source.h"
#include "loader/read/reject_log.h"

namespace loader {

struct LoadInput {
  TableSpec table;                 // the target and the columns the rows fill
  const TableSpec* ddl = nullptr;  // accounts or points: what --create makes
  JobSpec job;
  bool from_files = false;
  bool rereadable = true;   // false for stdin: a pass reads it once
  std::string description;  // for the plan
};

// Decides the table's columns (reading the catalog for a table the loader
// does not generate) and the job. kTableMissing for a missing table that
// --create cannot make; kInvalidArgument for a bad --columns or --input.
Status ResolveInput(Connection& conn, ServerKind server, const LoadOptions& options,
                    LoadInput* input);

// The bytes of the input files (stdin counts 0; so does a file that cannot
// be read, which opening it reports).
uint64_t InputBytes(const std::vector<std::string>& inputs);

// A source of the rows in `todo`, checking the journal's digests of the
// committed rows it reads past. `rejects` may be null.
Status MakeInputSource(const LoadInput& input, const LoadOptions& options, ChunkLimits limits,
                       std::vector<RowRange> todo, const JournalState& journal, RejectLog* rejects,
                       std::unique_ptr<RowSource>* out);

}  // namespace loader

#endif  // LOADER_LOAD_INPUT_H_
