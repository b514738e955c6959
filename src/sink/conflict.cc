#include "loader/sink/conflict.h"

#include <algorithm>

namespace loader {
namespace {

std::string QuotedList(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + QuoteIdent(n);
  return out;
}

bool IsKey(const ConflictPolicy& policy, const std::string& column) {
  return std::find(policy.key.begin(), policy.key.end(), column) != policy.key.end();
}

}  // namespace

std::string_view OnConflictName(OnConflict mode) {
  switch (mode) {
    case OnConflict::kSkip:
      return "skip";
    case OnConflict::kUpdate:
      return "update";
    case OnConflict::kError:
      break;
  }
  return "error";
}

bool ParseOnConflict(std::string_view text, OnConflict* mode) {
  for (OnConflict m : {OnConflict::kError, OnConflict::kSkip, OnConflict::kUpdate}) {
    if (text == OnConflictName(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

std::vector<std::string> UpdatedColumns(const TableSpec& table, const ConflictPolicy& policy) {
  std::vector<std::string> out;
  for (const Column& c : table.columns) {
    if (!IsKey(policy, c.name)) out.push_back(c.name);
  }
  return out;
}

Status CheckConflictKey(const TableSpec& table, const ConflictPolicy& policy) {
  for (const std::string& k : policy.key) {
    const bool loaded = std::any_of(table.columns.begin(), table.columns.end(),
                                    [&](const Column& c) { return c.name == k; });
    if (!loaded) {
      return Status::InvalidArgument("--on-conflict: the key column " + k +
                                     " is not among the loaded columns (" + table.ColumnList() +
                                     "): a row's key must come with it");
    }
  }
  return Status::OK();
}

std::string ConflictStageSql(const TableSpec& table) {
  return std::string("CREATE TEMP TABLE IF NOT EXISTS ") + kConflictStage +
         " ON COMMIT DELETE ROWS AS SELECT " + table.ColumnList() + " FROM " +
         QuoteIdent(table.name) + " WITH NO DATA";
}

std::string InsertFromStageSql(const TableSpec& table, const ConflictPolicy& policy) {
  return ConflictInsertSql(table, policy,
                           "SELECT " + table.ColumnList() + " FROM " + kConflictStage);
}

std::string ConflictInsertSql(const TableSpec& table, const ConflictPolicy& policy,
                              std::string_view rows) {
  const std::string target = QuoteIdent(table.name) + " (" + table.ColumnList() + ") ";
  if (policy.mode == OnConflict::kError) return "INSERT INTO " + target + std::string(rows);
  const std::vector<std::string> updated = UpdatedColumns(table, policy);
  // Nothing to update (every column is the key): an update is a skip.
  const bool update = policy.mode == OnConflict::kUpdate && !updated.empty();
  std::string statement;
  if (update && policy.upsert) {
    statement = "UPSERT INTO " + target + std::string(rows);
  } else {
    statement = "INSERT INTO " + target + std::string(rows) + " ON CONFLICT (" +
                QuotedList(policy.key) + ") DO ";
    if (!update) {
      statement += "NOTHING";
    } else {
      statement += "UPDATE SET ";
      for (size_t i = 0; i < updated.size(); ++i) {
        const std::string c = QuoteIdent(updated[i]);
        statement += (i == 0 ? "" : ", ") + c + " = excluded." + c;
      }
    }
  }
  // One row of counts instead of one row per loaded row. A row inserted
  // now has no deleting transaction yet (xmax = 0); an updated one has ours.
  if (!update) {
    return "WITH loader_rows AS (" + statement +
           " RETURNING 1) SELECT count(*) AS loader_inserted FROM loader_rows";
  }
  if (!policy.split_updates) {
    return "WITH loader_rows AS (" + statement +
           " RETURNING 1) SELECT count(*) AS loader_written FROM loader_rows";
  }
  return "WITH loader_rows AS (" + statement +
         " RETURNING xmax = 0 AS fresh) SELECT count(*) FILTER (WHERE fresh) AS loader_inserted, "
         "count(*) FILTER (WHERE NOT fresh) AS loader_updated FROM loader_rows";
}

}  // namespace loader
