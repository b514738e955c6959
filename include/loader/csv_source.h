// CsvSource: a RowSource over CSV files (or stdin) for a table's columns. It
// reads the files in order, checks every record (field count, and each value
// against its column's type, see field_check.h) and encodes it into chunks.
//
// Rows are numbered by record, across the files, headers excluded: row k is
// the k-th data record. Chunk boundaries are a function of the files and the
// limits only, so the journal's row ranges mean the same rows on a re-run; a
// re-run parses the committed rows again but does not send them.
// Thread safety: one thread (the pipeline's producer).
#ifndef LOADER_CSV_SOURCE_H_
#define LOADER_CSV_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "loader/csv_reader.h"
#include "loader/row_source.h"
#include "loader/table.h"

namespace loader {

struct CsvInput {
  std::vector<std::string> paths;  // "-" is stdin
  CsvOptions csv;
  bool header = false;            // each file's first record names the columns
  std::vector<Column> columns;    // the file's fields, in order, and their types
};

// Opens the first file. `todo` is the row ranges still to load, in order, as
// RowRanges::Missing gives them; rows outside them are read and skipped.
// Errors in the data come back from NextChunk as kInvalidArgument naming
// "FILE:LINE:COLUMN".
Status MakeCsvSource(const CsvInput& input, ChunkLimits limits, Encoding encoding,
                     std::vector<RowRange> todo, std::unique_ptr<RowSource>* out);

}  // namespace loader

#endif  // LOADER_CSV_SOURCE_H_
