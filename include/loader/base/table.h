// TableSpec: what the loader knows about a target table: its columns and types,
// the DDL used by --create, and the sizes the chunk planner needs.
#ifndef LOADER_TABLE_H_
#define LOADER_TABLE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loader {

enum class ColumnType {
  kInt2,
  kInt4,
  kInt8,
  kFloat4,
  kFloat8,
  kNumeric,
  kBool,
  kUuid,
  kText,
  // Types synthetic rows send in COPY binary (and CSV files read back as
  // text, unchecked, as kOther).
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kJsonb,
  kOther,  // anything else: passed to the server as text, unchecked
};

struct Column {
  std::string name;
  ColumnType type;
};

struct TableSpec {
  std::string name;  // unquoted; QuoteIdent it before putting it in SQL
  std::vector<Column> columns;
  std::string primary_key;  // column name
  // An upper bound on one row's encoded size (COPY text with its separators, or
  // INSERT parameter values with their terminators), for chunk planning.
  size_t max_row_bytes = 0;
  // Estimated bytes CockroachDB's transaction coordinator spends tracking the
  // locks (intents) of one inserted row: the encoded primary key with its table
  // and index prefix plus the per-span bookkeeping, for each index. It counts keys,
  // never values. An estimate on the high side, used with a safety margin.
  size_t intent_bytes_per_row = 0;

  std::string ColumnList() const;  // "\"id\", \"balance\""
  // CREATE TABLE IF NOT EXISTS ..., or plain CREATE TABLE ..., which fails when
  // another transaction made the table first.
  enum class IfExists { kSkip, kFail };
  std::string CreateSql(IfExists if_exists = IfExists::kSkip) const;
  std::string DropSql() const;  // DROP TABLE IF EXISTS ...
};

// "a""b" style identifier quoting; a dotted name quotes each part, so
// "public.accounts" becomes "public"."accounts".
std::string QuoteIdent(std::string_view name);

}  // namespace loader

#endif  // LOADER_TABLE_H_
