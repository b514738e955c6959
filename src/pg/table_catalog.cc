#include "loader/pg/table_catalog.h"

#include <algorithm>

#include "loader/read/field_check.h"

namespace loader {
namespace {

// PostgreSQL: the catalog, resolved through the search path like any query.
constexpr char kPostgresColumns[] =
    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
    "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attgenerated = '' "
    "ORDER BY attnum";
// CockroachDB: information_schema, whose is_hidden marks the implicit rowid.
constexpr char kCockroachColumns[] =
    "SELECT column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = coalesce($2, current_schema()) AND table_name = $3 "
    "AND is_hidden = 'NO' AND is_generated = 'NEVER' AND to_regclass($1) IS NOT NULL "
    "ORDER BY ordinal_position";

constexpr char kPostgresRequired[] =
    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 "
    "AND NOT attisdropped AND attnotnull AND NOT atthasdef AND attidentity = '' "
    "AND attgenerated = '' ORDER BY attnum";
constexpr char kCockroachRequired[] =
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_schema = coalesce($2, current_schema()) AND table_name = $3 "
    "AND is_hidden = 'NO' AND is_generated = 'NEVER' AND is_nullable = 'NO' "
    "AND column_default IS NULL AND to_regclass($1) IS NOT NULL ORDER BY ordinal_position";

// information_schema, which both servers have alike.
constexpr char kPrimaryKey[] =
    "SELECT k.column_name FROM information_schema.table_constraints c "
    "JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema "
    "AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name "
    "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = coalesce($2, current_schema()) "
    "AND c.table_name = $3 AND to_regclass($1) IS NOT NULL ORDER BY k.ordinal_position";

// Up to 4 indexes of a key of about 32 bytes, with CockroachDB's per-span
// overhead: more than most tables need, so chunks stay under the budget.
constexpr size_t kCatalogIntentBytesPerRow = 4 * (32 + 8 + 48);

// Runs `sql` with $1 the table's quoted name, and with nparams 3 also $2 its
// schema (NULL: the current one) and $3 its bare name.
Status QueryTable(Connection& conn, const char* sql, int nparams, const std::string& table,
                  PgResult* rows) {
  const std::string quoted = QuoteIdent(table);
  const size_t dot = table.find('.');
  const std::string schema = dot == std::string::npos ? std::string() : table.substr(0, dot);
  const std::string name = dot == std::string::npos ? table : table.substr(dot + 1);
  const char* params[] = {quoted.c_str(), schema.empty() ? nullptr : schema.c_str(), name.c_str()};
  return conn.Query(sql, rows, nparams, params);
}

std::vector<std::string> FirstColumn(const PgResult& rows) {
  std::vector<std::string> out;
  for (int i = 0; i < RowCount(rows); ++i) out.push_back(ValueAt(rows, i, 0));
  return out;
}

}  // namespace

Status ReadTableColumns(Connection& conn, ServerKind server, const std::string& table,
                        std::vector<Column>* columns) {
  PgResult rows;
  Status s = server == ServerKind::kCockroach ? QueryTable(conn, kCockroachColumns, 3, table, &rows)
                                              : QueryTable(conn, kPostgresColumns, 1, table, &rows);
  if (!s.ok()) return s.WithContext("reading the columns of table " + table);
  columns->clear();
  for (int i = 0; i < RowCount(rows); ++i) {
    columns->push_back({ValueAt(rows, i, 0), ColumnTypeFromSql(ValueAt(rows, i, 1))});
  }
  if (columns->empty()) {
    return Status::Error(Status::Code::kTableMissing,
                         "table " + table +
                             " does not exist (or has no columns to load); "
                             "--create makes only accounts and points");
  }
  return Status::OK();
}

Status ReadRequiredColumns(Connection& conn, ServerKind server, const std::string& table,
                           std::vector<std::string>* columns) {
  PgResult rows;
  Status s = server == ServerKind::kCockroach
                 ? QueryTable(conn, kCockroachRequired, 3, table, &rows)
                 : QueryTable(conn, kPostgresRequired, 1, table, &rows);
  if (!s.ok()) return s.WithContext("reading the required columns of table " + table);
  *columns = FirstColumn(rows);
  return Status::OK();
}

Status ReadPrimaryKey(Connection& conn, const std::string& table,
                      std::vector<std::string>* columns) {
  PgResult rows;
  Status s = QueryTable(conn, kPrimaryKey, 3, table, &rows);
  if (!s.ok()) return s.WithContext("reading the primary key of table " + table);
  *columns = FirstColumn(rows);
  return Status::OK();
}

Status SelectColumns(const std::vector<Column>& all, const std::vector<std::string>& wanted,
                     const std::string& table, std::vector<Column>* selected) {
  selected->clear();
  for (const std::string& name : wanted) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Column& c) { return c.name == name; });
    if (it == all.end()) {
      std::string names;
      for (const Column& c : all) names += (names.empty() ? "" : ", ") + c.name;
      return Status::InvalidArgument("--columns: table " + table + " has no column '" + name +
                                     "' (it has " + names + ")");
    }
    const bool twice = std::any_of(selected->begin(), selected->end(),
                                   [&](const Column& c) { return c.name == name; });
    if (twice) return Status::InvalidArgument("--columns: '" + name + "' is named twice");
    selected->push_back(*it);
  }
  return Status::OK();
}

TableSpec CatalogTable(const std::string& name, std::vector<Column> columns) {
  TableSpec t;
  t.name = name;
  t.columns = std::move(columns);
  t.intent_bytes_per_row = kCatalogIntentBytesPerRow;
  return t;
}

}  // namespace loader
