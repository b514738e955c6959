// The catalog functions that need no server: --columns against a table's
// columns, and the TableSpec of a table the loader did not create.
#include "loader/pg/table_catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/base/table.h"

namespace loader {
namespace {

const std::vector<Column>& Orders() {
  static const std::vector<Column> columns = {{"id", ColumnType::kInt8},
                                              {"placed", ColumnType::kOther},
                                              {"total", ColumnType::kNumeric},
                                              {"note", ColumnType::kText}};
  return columns;
}

std::vector<std::string> Names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  for (const Column& c : columns) names.push_back(c.name);
  return names;
}

TEST(SelectColumns, KeepsTheOrderGivenWithEachColumnsType) {
  std::vector<Column> selected;
  ASSERT_TRUE(SelectColumns(Orders(), {"note", "id", "total"}, "orders", &selected).ok());
  EXPECT_EQ(Names(selected), (std::vector<std::string>{"note", "id", "total"}));
  ASSERT_EQ(selected.size(), 3u);
  EXPECT_EQ(selected[0].type, ColumnType::kText);
  EXPECT_EQ(selected[1].type, ColumnType::kInt8);
  EXPECT_EQ(selected[2].type, ColumnType::kNumeric);
}

TEST(SelectColumns, ReplacesWhatTheOutputHeld) {
  std::vector<Column> selected = {{"stale", ColumnType::kBool}};
  ASSERT_TRUE(SelectColumns(Orders(), {"placed"}, "orders", &selected).ok());
  ASSERT_EQ(selected.size(), 1u);
  EXPECT_EQ(selected[0].name, "placed");
  EXPECT_EQ(selected[0].type, ColumnType::kOther);
}

TEST(SelectColumns, NamesAreCaseSensitiveAsTheCatalogHasThem) {
  std::vector<Column> selected;
  const Status s = SelectColumns(Orders(), {"ID"}, "orders", &selected);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "--columns: table orders has no column 'ID' (it has id, placed, total, note)");
}

TEST(SelectColumns, AnUnknownColumnListsTheTablesColumns) {
  std::vector<Column> selected;
  const Status s = SelectColumns(Orders(), {"id", "amount"}, "public.orders", &selected);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "--columns: table public.orders has no column 'amount' (it has id, placed, total, "
            "note)");
}

TEST(SelectColumns, AColumnNamedTwiceIsRefused) {
  std::vector<Column> selected;
  const Status s = SelectColumns(Orders(), {"id", "note", "id"}, "orders", &selected);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "--columns: 'id' is named twice");
}

TEST(CatalogTable, HasTheColumnsNoDdlAndAGenerousIntentEstimate) {
  const TableSpec t = CatalogTable("sales.orders", Orders());
  EXPECT_EQ(t.name, "sales.orders");
  EXPECT_EQ(Names(t.columns), (std::vector<std::string>{"id", "placed", "total", "note"}));
  EXPECT_EQ(t.columns[2].type, ColumnType::kNumeric);
  EXPECT_EQ(t.primary_key, "");
  EXPECT_EQ(t.max_row_bytes, 0u);
  // Four indexes of a 32-byte key with 8 + 48 bytes of overhead each.
  EXPECT_EQ(t.intent_bytes_per_row, 352u);
  EXPECT_EQ(t.ColumnList(), "\"id\", \"placed\", \"total\", \"note\"");
}

}  // namespace
}  // namespace loader
