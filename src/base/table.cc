#include "loader/base/table.h"

namespace loader {
namespace {

std::string_view SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInt2:
      return "INT2";
    case ColumnType::kInt4:
      return "INT4";
    case ColumnType::kInt8:
      return "INT8";
    case ColumnType::kFloat4:
      return "FLOAT4";
    case ColumnType::kFloat8:
      return "FLOAT8";
    case ColumnType::kNumeric:
      return "NUMERIC";
    case ColumnType::kBool:
      return "BOOL";
    case ColumnType::kUuid:
      return "UUID";
    case ColumnType::kDate:
      return "DATE";
    case ColumnType::kTime:
      return "TIME";
    case ColumnType::kTimestamp:
      return "TIMESTAMP";
    case ColumnType::kTimestampTz:
      return "TIMESTAMPTZ";
    case ColumnType::kInterval:
      return "INTERVAL";
    case ColumnType::kJsonb:
      return "JSONB";
    case ColumnType::kText:
    case ColumnType::kOther:
      return "TEXT";
  }
  return "TEXT";
}

}  // namespace

std::string QuoteIdent(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '.') {
      out += "\".\"";
      continue;
    }
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string TableSpec::ColumnList() const {
  std::string out;
  for (const Column& c : columns) {
    if (!out.empty()) out += ", ";
    out += QuoteIdent(c.name);
  }
  return out;
}

std::string TableSpec::CreateSql(IfExists if_exists) const {
  std::string sql =
      std::string(if_exists == IfExists::kSkip ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ") +
      QuoteIdent(name) + " (";
  for (const Column& c : columns) {
    sql += QuoteIdent(c.name);
    sql += ' ';
    sql += SqlType(c.type);
    sql += c.name == primary_key ? " PRIMARY KEY" : " NOT NULL";
    sql += ", ";
  }
  sql.resize(sql.size() - 2);
  sql += ')';
  return sql;
}

std::string TableSpec::DropSql() const { return "DROP TABLE IF EXISTS " + QuoteIdent(name); }

}  // namespace loader
