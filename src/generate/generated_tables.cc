#include "loader/generate/generated_tables.h"

namespace loader {
namespace {

// CockroachDB tracks each written key as a span: the key bytes (table id, index id,
// encoded primary key, column family) plus a fixed cost per span in its accounting.
// 48 bytes of overhead and 8 bytes of prefix/suffix are deliberately generous.
constexpr size_t kIntentSpanOverhead = 48;
constexpr size_t kKeyPrefixBytes = 8;

// UUID key: a bytes encoding of 16 bytes with a tag and terminator.
constexpr size_t kUuidKeyBytes = 20;
// INT8 key: a varint of at most 9 bytes.
constexpr size_t kInt8KeyBytes = 9;

TableSpec MakeAccounts() {
  TableSpec t;
  t.name = "accounts";
  t.columns = {{"id", ColumnType::kUuid}, {"balance", ColumnType::kInt8}};
  t.primary_key = "id";
  // 36-char UUID, up to 20 digits and sign for INT8, two separators.
  t.max_row_bytes = 36 + 21 + 2;
  t.intent_bytes_per_row = kUuidKeyBytes + kKeyPrefixBytes + kIntentSpanOverhead;
  return t;
}

TableSpec MakePoints() {
  TableSpec t;
  t.name = "points";
  t.columns = {{"id", ColumnType::kInt8},
               {"x", ColumnType::kFloat8},
               {"y", ColumnType::kFloat8},
               {"z", ColumnType::kFloat8}};
  t.primary_key = "id";
  // INT8 plus three coordinates of at most "1023.999999", four separators.
  t.max_row_bytes = 21 + 3 * 11 + 4;
  t.intent_bytes_per_row = kInt8KeyBytes + kKeyPrefixBytes + kIntentSpanOverhead;
  return t;
}

}  // namespace

const TableSpec* FindGeneratedTable(std::string_view name) {
  static const TableSpec kAccounts = MakeAccounts();
  static const TableSpec kPoints = MakePoints();
  if (name == kAccounts.name) return &kAccounts;
  if (name == kPoints.name) return &kPoints;
  return nullptr;
}

}  // namespace loader
