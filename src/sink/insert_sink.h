// InsertSink: multi-row INSERT with bound text parameters. Statements of
// min(InsertRowsPerStatement(table), max_chunk_rows) rows are prepared once
// per connection, so a full chunk never makes the server parse SQL.
#ifndef LOADER_SINK_INSERT_SINK_H_
#define LOADER_SINK_INSERT_SINK_H_

#include <cstdint>
#include <memory>
#include <string>

#include "loader/base/table.h"
#include "loader/sink/conflict.h"
#include "loader/sink/sink.h"

namespace loader {

std::unique_ptr<Sink> MakeInsertSink(const TableSpec& table, uint64_t max_chunk_rows,
                                     const ConflictPolicy& conflict);

// PostgreSQL's protocol allows 65535 parameters per statement; CockroachDB's
// guidance is multi-row INSERTs of at most about 1000 rows.
constexpr int kMaxBindParameters = 65535;
constexpr int kMaxInsertRowsPerStatement = 1000;
int InsertRowsPerStatement(const TableSpec& table);

// INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)..., as `conflict`
// has it (ConflictInsertSql).
std::string InsertSql(const TableSpec& table, int rows, const ConflictPolicy& conflict = {});

}  // namespace loader

#endif  // LOADER_SINK_INSERT_SINK_H_
