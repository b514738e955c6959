// Chunk planning: how many rows and bytes one transaction may carry, given what
// the user asked for and the server's limits. The plan explains itself, because
// --dry-run prints it and a user tuning a load needs to know which limit won.
#ifndef LOADER_CHUNK_PLAN_H_
#define LOADER_CHUNK_PLAN_H_

#include <cstdint>
#include <string>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"

namespace loader {

// CockroachDB's kv.transaction.max_intents_bytes: the memory a transaction may use
// to track its locks (4 MiB since v21.2).
struct IntentBudget {
  uint64_t bytes = 0;
  bool from_server = false;  // false: the default, because the setting was unreadable
  std::string note;          // why the value is what it is, for the plan and the log
};

constexpr uint64_t kDefaultIntentBudgetBytes = 4u << 20;

// pgwire messages are capped at 16 MiB on CockroachDB
// (sql.conn.max_read_buffer_message_size); a chunk stays a margin below it, which
// also keeps it far under kv.raft.command.max_size (64 MiB).
constexpr uint64_t kMaxChunkBytes = 15u << 20;
constexpr uint64_t kDefaultChunkBytes = 8u << 20;
// A chunk's estimated lock-tracking bytes stay under this share of the budget,
// leaving room for the estimate's error and for the journal's own writes.
constexpr double kIntentBudgetShare = 0.5;

struct ChunkPlan {
  ChunkLimits limits;  // what the RowSource enforces
  uint64_t requested_rows = 0;
  uint64_t requested_bytes = 0;
  uint64_t intent_budget_bytes = 0;  // 0 on PostgreSQL: no such limit
  uint64_t intent_rows_cap = 0;      // rows that fit the budget share; 0 when none
  std::string reason;                // which limit decides the chunk size, and why

  // A few lines for --dry-run and the log.
  std::string Describe(const TableSpec& table) const;
};

// REQUIRES: chunk_rows >= 1, table.max_row_bytes <= chunk_bytes <= kMaxChunkBytes;
// table.intent_bytes_per_row >= 1 when `budget` is given. A max_row_bytes of
// 0 means rows of unknown size: the source closes chunks by bytes as it goes.
// `budget` is null on PostgreSQL.
ChunkPlan PlanChunks(const TableSpec& table, uint64_t chunk_rows, uint64_t chunk_bytes,
                     const IntentBudget* budget);

}  // namespace loader

#endif  // LOADER_CHUNK_PLAN_H_
