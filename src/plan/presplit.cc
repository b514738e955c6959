#include "loader/plan/presplit.h"

#include "loader/base/hash.h"
#include "loader/encode/encoder.h"

namespace loader {
namespace {

// The UUID whose first 64 bits are `high` and the rest zero, quoted.
std::string UuidBoundary(uint64_t high) {
  UuidBytes id = {};
  for (int i = 0; i < 8; ++i) id[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
  char text[36];
  FormatUuid(id, text);
  return "'" + std::string(text, 36) + "'";
}

}  // namespace

std::vector<std::string> PresplitStatements(const TableSpec& table, uint64_t rows,
                                            uint64_t ranges) {
  const bool uuid_keys = table.name == "accounts";
  std::string values;
  uint64_t previous = 0;
  for (uint64_t i = 1; i < ranges; ++i) {
    // i/ranges of the way through the key space: the ids 0..rows-1, or the
    // UUIDs' first 64 bits.
    const Uint128 span = uuid_keys ? Uint128{1} << 64 : Uint128{rows};
    const auto boundary = static_cast<uint64_t>(span * i / ranges);
    if (boundary == 0 || boundary == previous) continue;
    previous = boundary;
    values += values.empty() ? "(" : ", (";
    values += uuid_keys ? UuidBoundary(boundary) : std::to_string(boundary);
    values += ")";
  }
  if (values.empty()) return {};
  const std::string name = QuoteIdent(table.name);
  return {"ALTER TABLE " + name + " SPLIT AT VALUES " + values, "ALTER TABLE " + name + " SCATTER"};
}

}  // namespace loader
