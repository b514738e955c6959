// HeaderMap: how a CSV header's fields become a table's columns when the
// fields are matched by name (--header without --columns): in any order,
// renamed with --map FIELD=COLUMN, left out with --skip-field or
// --skip-unknown-fields. Table columns no field names are left to the
// server's defaults, as COPY with a column list leaves them.
// Thread safety: plain values and pure functions.
#ifndef LOADER_READ_HEADER_MAP_H_
#define LOADER_READ_HEADER_MAP_H_

#include <string>
#include <utility>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"

namespace loader {

// What the user said about the header's fields.
struct HeaderRules {
  std::vector<std::pair<std::string, std::string>> renames = {};  // --map FIELD=COLUMN
  std::vector<std::string> skipped = {};                          // --skip-field
  bool skip_unknown = false;  // --skip-unknown-fields: leave out fields no column has
  bool any() const { return !renames.empty() || !skipped.empty() || skip_unknown; }
};

// A file's fields and where each goes.
struct FieldMap {
  std::vector<std::string> header;  // the fields as the first file's header names them
  // Per field, its index among the loaded columns, or -1: left out. Empty:
  // field i is column i (no mapping by name).
  std::vector<int> column;
};

// Maps `header` (the first file's, read at `where`, "FILE:LINE") onto
// `table_columns` by name: exactly, else without regard to case when that
// is unambiguous. With no table columns (no catalog to ask), every field not
// left out is a column of its own name, of unchecked type. Sets *loaded to
// the columns the fields fill, in field order. kDataError listing the fields
// that match no column (with the table's columns), a column two fields
// fill, a header naming a field twice, or a rule naming a field the header
// lacks; `required` are columns the table cannot leave out (NOT NULL with no
// default), an error when no field fills them.
Status MapHeader(const std::vector<std::string>& header, const std::vector<Column>& table_columns,
                 const std::vector<std::string>& required, const HeaderRules& rules,
                 const std::string& where, const std::string& table, std::vector<Column>* loaded,
                 FieldMap* map);

}  // namespace loader

#endif  // LOADER_READ_HEADER_MAP_H_
