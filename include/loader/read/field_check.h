// Checks CSV fields against their column's type before they reach the server,
// so a bad value is reported with its file, line and column instead of as a
// failed chunk. The rules follow what PostgreSQL's input functions accept
// (surrounding spaces, case-insensitive words, strtod's hexadecimal and NaN
// forms for floats); a value they would accept is never refused here. The
// checks do not know the server's version, so forms only a newer server reads
// (PostgreSQL 16's 0x1F, 0o17, 0b101 and 1_000 for integers and numeric) pass,
// as do values out of a float's or numeric's range, and a NaN whose payload
// overflows (float8in refuses "nan(99999999999999999999)" but takes
// "-nan(99999999999999999999)", a quirk of how it reads strtod's errno): a
// server that refuses them reports it, and the error is mapped back to the
// line. Types the loader does not know, and arrays of any type, pass through
// unchecked. tests/fuzz/field_check_fuzz holds the checks to exactly this
// against a real server.
#ifndef LOADER_FIELD_CHECK_H_
#define LOADER_FIELD_CHECK_H_

#include <string_view>

#include "loader/base/table.h"

namespace loader {

// The loader's type for a catalog type name as format_type() (PostgreSQL) or
// information_schema (CockroachDB) spells it: "bigint", "INT8", "character
// varying(20)", "STRING", "double precision"... Modifiers in parentheses are
// ignored wherever they stand ("time(3) with time zone"); an array
// ("numeric(10,2)[]", CockroachDB's "ARRAY") and anything else is kOther.
ColumnType ColumnTypeFromSql(std::string_view sql_type);

// nullptr when `text` is a valid value of `type`, else what was expected, e.g.
// "an integer from -2147483648 to 2147483647 (INT4)". kText and kOther accept
// anything.
const char* CheckField(ColumnType type, std::string_view text);

}  // namespace loader

#endif  // LOADER_FIELD_CHECK_H_
