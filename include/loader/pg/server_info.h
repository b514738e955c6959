// What the loader learns about the server before it plans a load.
#ifndef LOADER_SERVER_INFO_H_
#define LOADER_SERVER_INFO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "loader/base/status.h"
#include "loader/pg/connection.h"
#include "loader/plan/chunk_plan.h"

namespace loader {

enum class ServerKind { kPostgres, kCockroach };

std::string_view ServerKindName(ServerKind kind);

// `SELECT version()`; CockroachDB says so in it.
Status DetectServerKind(Connection& conn, ServerKind* kind, std::string* version);

// On CockroachDB, keeps a schema change inside the transaction it is sent
// in, as PostgreSQL does: from v25.1 on, autocommit_before_ddl (on by
// default) commits the open transaction before the change and runs it on its
// own, which would split the loader's CREATE TABLE from the journal cleanup
// that must commit with it. Releases without the setting (before v24.1)
// already behave so, and its absence is no error.
Status KeepSchemaChangesInTransactions(Connection& conn);

// Reads the setting; reading it needs admin or VIEWCLUSTERSETTING, so a failure
// falls back to kDefaultIntentBudgetBytes and says so in `note`.
IntentBudget ReadIntentBudget(Connection& conn);

// PostgreSQL: the connections the server would still accept from this user
// into this database: the fewest of what max_connections leaves past its
// reserved slots and what the role's and the database's CONNECTION LIMIT
// leave, each less the connections already open. (CockroachDB keeps no such
// limit by default: there is nothing to read.)
Status FreeConnectionSlots(Connection& conn, int* slots);

// Parses "4194304", "4 MiB", "4.0 MiB", "256KiB", "8M", "64k" (binary units).
Status ParseByteSize(std::string_view text, uint64_t* bytes);

}  // namespace loader

#endif  // LOADER_SERVER_INFO_H_
