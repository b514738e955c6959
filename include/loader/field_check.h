// Checks CSV fields against their column's type before they reach the server,
// so a bad value is reported with its file, line and column instead of as a
// failed chunk. The rules follow what PostgreSQL's input functions accept
// (surrounding spaces, case-insensitive words); a value they would accept is
// never refused here. Types the loader does not know pass through unchecked,
// and the server's error is mapped back to the line.
#ifndef LOADER_FIELD_CHECK_H_
#define LOADER_FIELD_CHECK_H_

#include <string_view>

#include "loader/table.h"

namespace loader {

// The loader's type for a catalog type name as format_type() (PostgreSQL) or
// information_schema (CockroachDB) spells it: "bigint", "INT8", "character
// varying(20)", "STRING", "double precision"... kOther for anything else.
ColumnType ColumnTypeFromSql(std::string_view sql_type);

// nullptr when `text` is a valid value of `type`, else what was expected, e.g.
// "an integer from -2147483648 to 2147483647 (INT4)". kText and kOther accept
// anything.
const char* CheckField(ColumnType type, std::string_view text);

}  // namespace loader

#endif  // LOADER_FIELD_CHECK_H_
