// Reads an existing table's columns from the server's catalog, so files can be
// loaded into any table: the column names in order and their types, which
// decide how fields are checked before they are sent.
#ifndef LOADER_TABLE_CATALOG_H_
#define LOADER_TABLE_CATALOG_H_

#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"

namespace loader {

// The columns a load can write, in table order: not dropped, not generated,
// and on CockroachDB not hidden (the rowid of a table without a primary key).
// Each type is ColumnTypeFromSql of the catalog's name for it (format_type()
// with the column's modifiers on PostgreSQL): arrays, and types the checks do
// not know, are kOther, whose values only the server parses.
// kTableMissing when there is no such table. `table` may be "schema.name".
Status ReadTableColumns(Connection& conn, ServerKind server, const std::string& table,
                        std::vector<Column>* columns);

// The columns a row must give a value: NOT NULL, with no default, not an
// identity or generated column (a header that leaves one out is refused
// before loading, not by the server row by row).
Status ReadRequiredColumns(Connection& conn, ServerKind server, const std::string& table,
                           std::vector<std::string>* columns);

// The primary key's columns, in key order; empty for a table without one.
Status ReadPrimaryKey(Connection& conn, const std::string& table,
                      std::vector<std::string>* columns);

// The columns named in `wanted` (--columns), in that order. kInvalidArgument
// for a name the table lacks or one given twice.
Status SelectColumns(const std::vector<Column>& all, const std::vector<std::string>& wanted,
                     const std::string& table, std::vector<Column>* selected);

// A TableSpec for a table the loader did not create: no DDL, and a generous
// estimate of CockroachDB's lock-tracking bytes per row for chunk planning.
TableSpec CatalogTable(const std::string& name, std::vector<Column> columns);

}  // namespace loader

#endif  // LOADER_TABLE_CATALOG_H_
