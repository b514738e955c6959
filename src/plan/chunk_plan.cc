#include "loader/plan/chunk_plan.h"

#include <algorithm>

namespace loader {
namespace {

std::string Bytes(uint64_t b) {
  char buf[64];
  if (b >= (1u << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", b / 1048576.0);
  } else if (b >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  }
  return buf;
}

}  // namespace

ChunkPlan PlanChunks(const TableSpec& table, uint64_t chunk_rows, uint64_t chunk_bytes,
                     const IntentBudget* budget) {
  ChunkPlan plan;
  plan.requested_rows = chunk_rows;
  plan.requested_bytes = chunk_bytes;
  plan.limits.max_rows = chunk_rows;
  plan.limits.max_bytes = chunk_bytes;

  // Rows of unknown size (files) are capped by bytes as they are read.
  const uint64_t rows_by_bytes = table.max_row_bytes == 0
                                     ? chunk_rows
                                     : std::max<uint64_t>(1, chunk_bytes / table.max_row_bytes);
  plan.reason = "--chunk " + std::to_string(chunk_rows) + " rows";
  if (rows_by_bytes < chunk_rows) {
    plan.reason = "--chunk-bytes " + Bytes(chunk_bytes) + " closes chunks first: at least " +
                  std::to_string(rows_by_bytes) + " rows of at most " +
                  std::to_string(table.max_row_bytes) + " bytes fit";
  }
  if (budget != nullptr) {
    plan.intent_budget_bytes = budget->bytes;
    plan.intent_rows_cap = std::max<uint64_t>(
        1, static_cast<uint64_t>(budget->bytes * kIntentBudgetShare) / table.intent_bytes_per_row);
    // The row cap applies even when the byte cap seems tighter: rows_by_bytes
    // assumes the longest possible rows, and real ones are shorter.
    plan.limits.max_rows = std::min(chunk_rows, plan.intent_rows_cap);
    if (plan.intent_rows_cap < std::min(chunk_rows, rows_by_bytes)) {
      plan.reason = "the intent budget (" + Bytes(budget->bytes) + " x " +
                    std::to_string(static_cast<int>(kIntentBudgetShare * 100)) + "% / ~" +
                    std::to_string(table.intent_bytes_per_row) + " key bytes per row) caps it at " +
                    std::to_string(plan.intent_rows_cap) + " rows";
    }
  }
  return plan;
}

std::string ChunkPlan::Describe(const TableSpec& table) const {
  std::string out;
  out += "  chunk rows:     " + std::to_string(limits.max_rows) + " (" + reason + ")\n";
  out += "  chunk bytes:    at most " + Bytes(limits.max_bytes) + " of payload";
  if (table.max_row_bytes > 0) {
    out += " (rows of " + table.name + " encode to at most " + std::to_string(table.max_row_bytes) +
           " bytes)";
  }
  out += "\n";
  if (intent_budget_bytes > 0) {
    out += "  intent budget:  " + Bytes(intent_budget_bytes) + ", " +
           std::to_string(static_cast<int>(kIntentBudgetShare * 100)) +
           "% used per chunk: " + std::to_string(intent_rows_cap) + " rows at ~" +
           std::to_string(table.intent_bytes_per_row) + " bytes each\n";
  } else {
    out += "  intent budget:  none (PostgreSQL has no per-transaction lock budget)\n";
  }
  return out;
}

}  // namespace loader
