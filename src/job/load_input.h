// LoadInput: what a load reads, generated rows or CSV files, into which
// columns, and how the journal knows it as a job. RunLoad resolves it once,
// before any worker starts, and makes a source from it for each pass.
#ifndef LOADER_LOAD_INPUT_H_
#define LOADER_LOAD_INPUT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/generate/synthetic_rows.h"
#include "loader/job/load_spec.h"
#include "loader/journal/journal.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"
#include "loader/plan/row_source.h"
#include "loader/read/csv_source.h"
#include "loader/read/header_map.h"
#include "loader/read/input_stream.h"
#include "loader/read/reject_log.h"

namespace loader {

struct LoadInput {
  TableSpec table;                 // the target and the columns the rows fill
  const TableSpec* ddl = nullptr;  // accounts or points: what --create makes
  JobSpec job;
  bool from_files = false;
  bool rereadable = true;   // false for stdin: a pass reads it once
  std::string description;  // for the plan
  // Synthetic rows of a table the loader does not make: how, and what the
  // plan says of each column and of what the server may still refuse.
  std::shared_ptr<const SyntheticRows> synthetic;
  // --header without --columns: the fields matched to columns by name, and
  // stdin's reader past the header that decided it.
  FieldMap fields;
  std::shared_ptr<CsvReader> opened;
  std::vector<std::string> column_notes;
  std::vector<std::string> warnings;
};

// The table the rows fill, and its columns: accounts or points as the loader
// makes them (*ddl: what --create runs; else null); for rows from files, the
// table as `catalog` has it, or with no server to ask (--emit-import) the
// columns --columns names, as text that the server loading it will check.
// --columns picks and orders the columns. kInvalidArgument, kTableMissing.
Status ResolveTable(const InputSpec& spec, Connection* catalog, ServerKind server, TableSpec* table,
                    const TableSpec** ddl);

// --header without --columns: reads the first file's header and matches its
// fields to the table's columns by name (header_map.h), so input->table's
// columns become the ones the fields fill, in field order. With no catalog
// (--emit-import without --url) the header names the columns. Else nothing.
Status MapFileHeader(const InputSpec& spec, Connection* catalog, ServerKind server,
                     LoadInput* input);

// Decides the table's columns (reading the catalog for a table the loader
// does not generate, and compiling it for synthetic rows when there is no
// --input) and the job. kTableMissing for a missing table that
// --create cannot make; kInvalidArgument for a bad --columns or --input.
Status ResolveInput(Connection& conn, ServerKind server, const LoadSpec& spec, LoadInput* input);

// The bytes of the input files, once decompressed (estimated for a big
// compressed file: input_stream.h); stdin counts 0, and so does a file that
// cannot be read, which opening it reports.
uint64_t InputBytes(const std::vector<std::string>& inputs, std::optional<Compression> decompress);

// How one pass over the input reads it: encoded as what, cut where, which
// rows, and for rows from files where bad ones go and which committed rows
// to check as it reads past them.
struct SourcePass {
  Encoding encoding = Encoding::kCopyText;
  ChunkLimits limits = {};
  std::vector<RowRange> todo = {};
  uint64_t max_record_bytes = 0;  // the longest CSV record; 0: limits.max_bytes
  RejectLog* rejects = nullptr;
  const JournalState* journal = nullptr;
  std::string job = {};                                      // the journal's job, to name in errors
  std::shared_ptr<const SyntheticRows> synthetic = nullptr;  // LoadInput's
  const FieldMap* fields = nullptr;                          // LoadInput's
  std::shared_ptr<CsvReader> opened = nullptr;               // LoadInput's
};

// What a source fills chunks with for `method`: COPY binary for generated
// rows whose columns all have a binary form (the tutorials' tables, and
// synthetic rows of most types), so the server parses no text.
Encoding SourceEncoding(Method method, const LoadInput& input);

// The plan's lines on a synthetic table: per column what it gets, then what
// the server may still refuse; "" for other inputs.
std::string DescribeSyntheticColumns(const LoadInput& input);

// A synthetic row the server refused (a constraint the generator does not
// read, such as a CHECK across columns) says what the generator left to the
// server and how to shape the columns; any other status as it is.
Status ExplainRefusedSyntheticRow(const Status& status, const LoadInput& input);

// Compiles `spec.table` for synthetic rows (seed_input.cc): its catalog, the
// rules, samples of the keys it references; the job id carries a fingerprint
// of all of them. kTableMissing, kInvalidArgument.
Status ResolveSynthetic(Connection& conn, ServerKind server, const LoadSpec& spec,
                        LoadInput* input);

// The source of one pass: generated rows or the CSV files of `spec`.
Status MakeSource(const InputSpec& spec, const TableSpec& table, const Shard& shard,
                  SourcePass pass, std::unique_ptr<RowSource>* out);

}  // namespace loader

#endif  // LOADER_LOAD_INPUT_H_
