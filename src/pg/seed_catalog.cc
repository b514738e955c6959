#include "loader/pg/seed_catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace loader {
namespace {

// One row per column a load can write: its declared type, the type under
// a domain, NOT NULL (the column's or the domain's), whether the server fills
// it, enum labels (of the type or its array's element) and the domain's
// checks.
constexpr char kColumns[] = R"(
SELECT a.attname,
       format_type(a.atttypid, a.atttypmod),
       format_type(b.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END),
       (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull))::text,
       (a.atthasdef OR a.attidentity <> '')::text,
       coalesce((SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
                 WHERE e.enumtypid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END
                )::text, '[]'),
       coalesce((SELECT json_agg(json_build_array(c.conname, pg_get_constraintdef(c.oid)))
                 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c')::text, '[]')
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
ORDER BY a.attnum)";

// CockroachDB's columns no load writes, as its information_schema marks
// them: the hidden rowid of a table without a primary key, and computed
// columns (pg_attribute may not say so for virtual ones).
constexpr char kCockroachUnwritable[] = R"(
SELECT column_name FROM information_schema.columns
WHERE table_schema = (SELECT nspname FROM pg_namespace n JOIN pg_class c
                      ON c.relnamespace = n.oid WHERE c.oid = $1::regclass)
  AND table_name = (SELECT relname FROM pg_class WHERE oid = $1::regclass)
  AND (is_hidden = 'YES' OR is_generated <> 'NEVER'))";

// Keys, foreign keys and checks, with their columns by name in key order.
constexpr char kConstraints[] = R"(
SELECT c.contype::text, c.conname::text, pg_get_constraintdef(c.oid),
       coalesce((SELECT json_agg(a.attname ORDER BY k.i)
                 FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text, '[]'),
       CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text ELSE '' END,
       coalesce((SELECT json_agg(a.attname ORDER BY k.i)
                 FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)::text, '[]')
FROM pg_constraint c
WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f', 'c')
ORDER BY c.contype, c.conname)";

constexpr char kPartitions[] = R"(
SELECT coalesce(pg_get_partkeydef($1::regclass), ''),
       coalesce((SELECT json_agg(pg_get_expr(p.relpartbound, p.oid) ORDER BY p.oid)
                 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
                 WHERE i.inhparent = $1::regclass)::text, '[]'))";

// Names as SCHEMA.TABLE, unquoted, which QuoteIdent writes back into SQL.
constexpr char kSchemaTables[] = R"(
SELECT n.nspname || '.' || c.relname,
       coalesce((SELECT json_agg(DISTINCT rn.nspname || '.' || r.relname)
                 FROM pg_constraint f
                 JOIN pg_class r ON r.oid = f.confrelid
                 JOIN pg_namespace rn ON rn.oid = r.relnamespace
                 WHERE f.conrelid = c.oid AND f.contype = 'f')::text, '[]')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT c.relname = ANY ($2::text[])
ORDER BY c.relname)";

std::vector<std::string> Strings(const char* json_text) {
  std::vector<std::string> out;
  const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

int ColumnIndex(const SeedTable& table, const std::string& name) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status ReadColumns(Connection& conn, ServerKind server, const char* regclass, SeedTable* out) {
  PgResult rows;
  Status s = conn.Query(kColumns, &rows, 1, &regclass);
  if (!s.ok()) return s;
  std::vector<std::string> unwritable;
  if (server == ServerKind::kCockroach) {
    PgResult hidden;
    s = conn.Query(kCockroachUnwritable, &hidden, 1, &regclass);
    if (!s.ok()) return s;
    for (int r = 0; r < RowCount(hidden); ++r) unwritable.emplace_back(ValueAt(hidden, r, 0));
  }
  for (int r = 0; r < RowCount(rows); ++r) {
    SeedColumn c;
    c.name = ValueAt(rows, r, 0);
    if (std::find(unwritable.begin(), unwritable.end(), c.name) != unwritable.end()) continue;
    c.sql_type = ValueAt(rows, r, 1);
    c.not_null = std::string_view(ValueAt(rows, r, 3)) == "true";
    c.has_default = std::string_view(ValueAt(rows, r, 4)) == "true";
    c.labels = Strings(ValueAt(rows, r, 5));
    SeedTypeFromSql(ValueAt(rows, r, 2), &c);
    const nlohmann::json checks = nlohmann::json::parse(ValueAt(rows, r, 6), nullptr, false);
    if (checks.is_array()) {
      for (const auto& check : checks) {
        c.checks.push_back({check[0].get<std::string>(), check[1].get<std::string>(), true});
      }
    }
    out->columns.push_back(std::move(c));
  }
  return Status::OK();
}

Status ReadConstraints(Connection& conn, const char* regclass, SeedTable* out) {
  PgResult rows;
  Status s = conn.Query(kConstraints, &rows, 1, &regclass);
  if (!s.ok()) return s;
  for (int r = 0; r < RowCount(rows); ++r) {
    const std::string_view type = ValueAt(rows, r, 0);
    const std::string name = ValueAt(rows, r, 1);
    const std::string definition = ValueAt(rows, r, 2);
    std::vector<int> columns;
    for (const std::string& column : Strings(ValueAt(rows, r, 3))) {
      columns.push_back(ColumnIndex(*out, column));
    }
    // A constraint on a column no load writes (generated) is the server's.
    const bool loadable =
        !columns.empty() && std::find(columns.begin(), columns.end(), -1) == columns.end();
    if (type == "c") {
      if (loadable && columns.size() == 1) {
        out->columns[columns[0]].checks.push_back({name, definition, false});
      } else {
        out->other_checks.push_back({name, definition, false});
      }
    } else if (loadable && (type == "p" || type == "u")) {
      out->keys.push_back({name, std::move(columns), type == "p"});
    } else if (loadable && type == "f") {
      out->references.push_back(
          {name, std::move(columns), ValueAt(rows, r, 4), Strings(ValueAt(rows, r, 5))});
    }
  }
  return Status::OK();
}

// A table partitioned by RANGE or LIST on one plain column: the bounds of its
// partitions.
Status ReadPartitions(Connection& conn, const char* regclass, SeedTable* out) {
  PgResult rows;
  Status s = conn.Query(kPartitions, &rows, 1, &regclass);
  if (!s.ok() || RowCount(rows) == 0) return s;
  const std::string key = ValueAt(rows, 0, 0);  // "RANGE (created_at)"
  const size_t open = key.find(" (");
  if (open == std::string::npos || key.back() != ')') return Status::OK();
  const std::string method = key.substr(0, open);
  std::string column = key.substr(open + 2, key.size() - open - 3);
  if (column.size() > 1 && column.front() == '"' && column.back() == '"') {
    column = column.substr(1, column.size() - 2);
  }
  if (method != "RANGE" && method != "LIST") return Status::OK();
  out->partitions.column = ColumnIndex(*out, column);  // -1: an expression or several
  out->partitions.by_list = method == "LIST";
  out->partitions.bounds = Strings(ValueAt(rows, 0, 1));
  return Status::OK();
}

}  // namespace

Status ReadSeedTable(Connection& conn, ServerKind server, const std::string& table,
                     SeedTable* out) {
  const std::string quoted = QuoteIdent(table);
  const char* param = quoted.c_str();
  PgResult name;
  Status s = conn.Query(
      "SELECT coalesce(to_regclass($1)::text, ''), coalesce(to_regclass($1)::oid::text, '')", &name,
      1, &param);
  if (!s.ok()) return s.WithContext("reading table " + table);
  *out = SeedTable{};
  out->name = ValueAt(name, 0, 0);
  out->oid = ValueAt(name, 0, 1);
  if (out->name.empty()) {
    return Status::Error(Status::Code::kTableMissing, "table " + table + " does not exist");
  }
  const char* regclass = out->name.c_str();
  s = ReadColumns(conn, server, regclass, out);
  if (s.ok()) s = ReadConstraints(conn, regclass, out);
  if (s.ok() && server == ServerKind::kPostgres) s = ReadPartitions(conn, regclass, out);
  if (!s.ok()) return s.WithContext("reading the catalog of table " + table);
  if (out->columns.empty()) {
    return Status::Error(Status::Code::kTableMissing, "table " + table + " has no column to load");
  }
  return Status::OK();
}

Status ReadSchemaTables(Connection& conn, const std::string& schema,
                        const std::vector<std::string>& skip, std::vector<std::string>* ordered) {
  std::string skip_array = "{";
  for (const std::string& name : skip) skip_array += (skip_array.size() > 1 ? "," : "") + name;
  skip_array += "}";
  const char* params[] = {schema.c_str(), skip_array.c_str()};
  PgResult rows;
  Status s = conn.Query(kSchemaTables, &rows, 2, params);
  if (!s.ok()) return s.WithContext("listing the tables of schema " + schema);
  std::vector<std::pair<std::string, std::vector<std::string>>> tables;
  for (int r = 0; r < RowCount(rows); ++r) {
    tables.emplace_back(ValueAt(rows, r, 0), Strings(ValueAt(rows, r, 1)));
  }
  if (tables.empty()) {
    return Status::InvalidArgument("--schema " + schema +
                                   ": no such schema, or it has no tables to seed");
  }
  return OrderByReferences(tables, ordered);
}

Status ReadReferenceSample(Connection& conn, const std::string& table,
                           const std::vector<std::string>& columns, uint64_t limit, uint64_t seed,
                           ReferenceSample* out) {
  const std::string quoted = QuoteIdent(table);
  const char* param = quoted.c_str();
  PgResult name;
  Status s = conn.Query("SELECT coalesce(to_regclass($1)::text, '')", &name, 1, &param);
  if (s.ok() && std::string_view(ValueAt(name, 0, 0)).empty()) {
    param = table.c_str();  // as the catalog spells it already
    s = conn.Query("SELECT coalesce(to_regclass($1)::text, '')", &name, 1, &param);
  }
  if (!s.ok()) return s.WithContext("reading table " + table);
  const std::string regclass = ValueAt(name, 0, 0);
  if (regclass.empty()) {
    return Status::Error(Status::Code::kTableMissing, "table " + table + " does not exist");
  }
  std::string inner, outer, not_null, order = "md5(concat_ws(','";
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string alias = "c" + std::to_string(i);
    inner += (i ? ", " : "") + QuoteIdent(columns[i]) + "::text AS " + alias;
    outer += (i ? ", " : "") + alias;
    not_null += (i ? " AND " : "") + QuoteIdent(columns[i]) + " IS NOT NULL";
    order += ", " + alias;
  }
  const std::string sql = "SELECT " + outer + " FROM (SELECT DISTINCT " + inner + " FROM " +
                          regclass + " WHERE " + not_null + ") AS s ORDER BY " + order +
                          ", $1::text)), " + outer + " LIMIT " + std::to_string(limit);
  const std::string seed_text = std::to_string(seed);
  const char* seed_param = seed_text.c_str();
  PgResult rows;
  s = conn.Query(sql.c_str(), &rows, 1, &seed_param);
  if (!s.ok()) return s.WithContext("sampling the rows of " + regclass + " to reference");
  out->rows.assign(static_cast<size_t>(RowCount(rows)), {});
  for (int r = 0; r < RowCount(rows); ++r) {
    for (size_t i = 0; i < columns.size(); ++i) {
      out->rows[r].emplace_back(ValueAt(rows, r, static_cast<int>(i)));
    }
  }
  return Status::OK();
}

}  // namespace loader
