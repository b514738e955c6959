// What a load does with a row whose key is already in the table
// (--on-conflict): stop (error, the default: the server's duplicate-key
// error), skip it (ON CONFLICT DO NOTHING), or update the row with the
// loaded values (ON CONFLICT DO UPDATE; on CockroachDB UPSERT, which its
// guidance prefers when the key is the primary key and the table has no
// secondary index). The statements report how many rows they inserted and
// updated through result columns that Connection tallies (RowTally).
// Thread safety: plain values and pure functions.
#ifndef LOADER_SINK_CONFLICT_H_
#define LOADER_SINK_CONFLICT_H_

#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"

namespace loader {

enum class OnConflict { kError, kSkip, kUpdate };

struct ConflictPolicy {
  OnConflict mode = OnConflict::kError;
  std::vector<std::string> key = {};  // the conflict target's columns
  // CockroachDB's UPSERT for kUpdate; else INSERT ... ON CONFLICT.
  bool upsert = false;
  // PostgreSQL tells an inserted row from an updated one (xmax = 0);
  // CockroachDB does not, and reports them together.
  bool split_updates = true;
};

std::string_view OnConflictName(OnConflict mode);
// "error", "skip" or "update"; false for anything else.
bool ParseOnConflict(std::string_view text, OnConflict* mode);

// The statement that inserts `rows` (a VALUES list, or a SELECT) into the
// table's loaded columns under `policy`. kError: a plain INSERT. Otherwise
// one row of counts comes back: loader_inserted and loader_updated, or
// loader_written (inserted or updated) without split_updates.
std::string ConflictInsertSql(const TableSpec& table, const ConflictPolicy& policy,
                              std::string_view rows);

// COPY has no ON CONFLICT: the rows are copied into this temporary table of
// the loaded columns first (it is emptied at each commit), then inserted
// from it. Temporary tables come first in the search path, hence a name no
// user table is likely to have.
inline constexpr char kConflictStage[] = "loader_conflict_stage";
// CREATE TEMP TABLE IF NOT EXISTS kConflictStage ... for `table`.
std::string ConflictStageSql(const TableSpec& table);
// The statement that moves kConflictStage's rows into the table.
std::string InsertFromStageSql(const TableSpec& table, const ConflictPolicy& policy);

// The columns of the table a conflict policy updates: every loaded column
// not in the key.
std::vector<std::string> UpdatedColumns(const TableSpec& table, const ConflictPolicy& policy);

// The key's columns must be loaded: kInvalidArgument naming the one that is
// not.
Status CheckConflictKey(const TableSpec& table, const ConflictPolicy& policy);

}  // namespace loader

#endif  // LOADER_SINK_CONFLICT_H_
