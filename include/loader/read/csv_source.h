// CsvSource: a RowSource over CSV files (or stdin) for a table's columns. It
// reads the files in order, checks every record (field count, and each value
// against its column's type, see field_check.h) and encodes it into chunks.
//
// Rows are numbered by record, across the files, headers excluded: row k is
// the k-th data record. Chunk boundaries are a function of the files and the
// limits only, and a chunk never spans two files, so the journal's row ranges
// mean the same rows on a re-run; a re-run parses the committed rows again,
// checks them against the digests the journal has, and does not send them.
//
// Each chunk carries its rows' origins (line, digest, and with a RejectLog
// their text), so a row the server refuses can be traced to its line.
// Thread safety: one thread (the pipeline's producer).
#ifndef LOADER_CSV_SOURCE_H_
#define LOADER_CSV_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "loader/base/table.h"
#include "loader/plan/row_source.h"
#include "loader/read/content_digest.h"
#include "loader/read/csv_reader.h"
#include "loader/read/header_map.h"
#include "loader/read/reject_log.h"

namespace loader {

struct CsvInput {
  std::vector<std::string> paths;  // "-" is stdin
  CsvOptions csv;
  bool header = false;  // each file's first record names the fields
  // The columns the fields fill, in field order, and their types.
  std::vector<Column> columns;
  // With a header matched by name (header_map.h): the header every file must
  // have, and the column of each field (or none). Empty: field i is column
  // i, and a header must name the columns.
  FieldMap fields = {};
  // The first path's reader, past its header, when that was read to map it
  // and cannot be read again (stdin).
  std::shared_ptr<CsvReader> opened = nullptr;
  // Where bad rows go; null: the first bad row is an error. Not owned.
  RejectLog* rejects = nullptr;
  // The journal's chunks with digests, by first_row: their rows must read as
  // they did when committed. `job` names the job in that error.
  std::vector<CommittedChunk> committed = {};
  std::string job = {};
};

// Opens the first file. `todo` is the row ranges still to load, in order, as
// RowRanges::Missing gives them; rows outside them are read and skipped.
// Errors in the data come back from NextChunk as kDataError naming
// "FILE:LINE:COLUMN"; with a RejectLog, a bad row is rejected instead, as
// long as the reader can find where the next record starts.
// The first record of `path`, its header, as field texts; *reader is left
// past it. kDataError for a file with no record or a bad one.
Status ReadHeader(const std::string& path, const CsvOptions& csv, std::vector<std::string>* fields,
                  std::unique_ptr<CsvReader>* reader);

Status MakeCsvSource(const CsvInput& input, ChunkLimits limits, Encoding encoding,
                     std::vector<RowRange> todo, std::unique_ptr<RowSource>* out);

}  // namespace loader

#endif  // LOADER_CSV_SOURCE_H_
