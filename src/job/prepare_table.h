// Getting the target table ready before any worker starts, so a mistake
// shows up once, clearly: created (or dropped and created again) when asked,
// with the journal's jobs of an earlier table of that name forgotten in the
// transaction that creates it; split into ranges on CockroachDB with
// --presplit; checked for the INSERT privilege.
#ifndef LOADER_PREPARE_TABLE_H_
#define LOADER_PREPARE_TABLE_H_

#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/job/load_spec.h"
#include "loader/pg/connection.h"

namespace loader {

// Makes sure `table` is there, creating it with target.create when missing,
// starting it over with target.drop, emptying it with target.truncate, and
// that the role may insert into it. *created: this process created it (another loader of the job
// may have won the race to). kTableMissing, kPermissionDenied, or the server's error.
Status PrepareTable(Connection& conn, const TableSpec& table, const TargetSpec& target,
                    bool* created);

// --truncate: empties the tables with one TRUNCATE (so tables that reference
// each other go together) and forgets their journal jobs, in one
// transaction: the jobs' chunks went with the rows, and a failure leaves
// both as they were.
Status TruncateTables(Connection& conn, const std::vector<std::string>& tables);

// --presplit: runs the statements (presplit.h) on a table this run created;
// a table that was there (made by another shard of the job, say) keeps its
// ranges.
Status Presplit(Connection& conn, const std::string& table, const std::vector<std::string>& sql,
                bool created);

}  // namespace loader

#endif  // LOADER_PREPARE_TABLE_H_
