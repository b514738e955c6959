// Unit tests of CompileSeedTable's keys and references (seed_keys.cc) on
// tables built by hand, with a fake SampleReader, no server: distinct keys of
// every type and the refusals when a key cannot be, composite and
// association keys, keys sharing columns, and foreign keys to the table
// itself or to an empty table. Errors are compared word for word.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "loader/base/byte_buffer.h"
#include "loader/encode/encoder.h"
#include "loader/generate/synthetic_rows.h"
#include "unit/synthetic_rows_testing.h"

namespace loader {
namespace {

using namespace synthetic_testing;

TEST(SyntheticRows, AKeyOfEveryTypeGetsDistinctValues) {
  for (const char* type : {"integer", "bigint", "smallint", "text", "character varying(12)",
                           "character(3)", "uuid", "date", "numeric(12,2)", "inet",
                           "timestamp without time zone", "bytea", "DECIMAL(10,2)", "STRING(8)"}) {
    const SeedTable t = Table("t", {Col("k", type), Col("v", "integer")}, {{"t_pkey", {0}, true}});
    const std::vector<Value> keys = Generate(t, "k", 5000);
    ASSERT_EQ(keys.size(), 5000u) << type;
    EXPECT_EQ(Distinct(keys).size(), 5000u) << type;
    EXPECT_EQ(Distinct(keys).count("<NULL>"), 0u) << type;
    if (std::string(type) == "character(3)") {
      for (const Value& k : keys) ASSERT_EQ(k->size(), 3u) << *k;
    }
  }
}

TEST(SyntheticRows, AKeyWithFewerValuesThanRowsIsRefused) {
  const SeedTable small = Table("t", {Col("id", "smallint")}, {{"t_pkey", {0}, true}});
  EXPECT_EQ(Distinct(Generate(small, "id", 40000)).size(), 40000u);  // 65536 smallints
  EXPECT_EQ(ErrorOf(small, 65537),
            "key t_pkey on t (id) needs 65537 distinct values, but column id (smallint) can "
            "take only 65536: load fewer rows, or widen the column");
  SeedTable positive = small;
  positive.columns[0].checks.push_back({"id_positive", "CHECK ((id > 0))", false});
  EXPECT_EQ(ErrorOf(positive, 40000),
            "key t_pkey on t (id) needs 40000 distinct values, but column id (smallint) can "
            "take only 32767 (with its CHECK id_positive): load fewer rows, or widen the column");
  const SeedTable code =
      Table("t", {Col("id", "uuid"), Col("code", "character varying(1)")}, {{"t_code_key", {1}}});
  EXPECT_EQ(ErrorOf(code, 100),
            "key t_code_key on t (code) needs 100 distinct values, but column code (character "
            "varying(1)) can take only 32: load fewer rows, or widen the column");
}

TEST(SyntheticRows, ACompositeKeyGetsDistinctPairs) {
  const SeedTable t =
      Table("t", {Col("a", "integer"), Col("b", "integer")}, {{"pk", {0, 1}, true}});
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 3000, {}, &plan), "ok");
  std::set<Row> pairs;
  for (const Row& row : Rows(plan, 3000)) pairs.insert(row);
  EXPECT_EQ(pairs.size(), 3000u);
}

TEST(SyntheticRows, AnAssociationKeyTakesDistinctCombinationsOfItsReferences) {
  SeedTable t =
      Table("ab", {Col("a_id", "integer"), Col("b_id", "bigint")}, {{"ab_pkey", {0, 1}, true}});
  t.references = {{"ab_a_fkey", {0}, "a", {"id"}}, {"ab_b_fkey", {1}, "b", {"id"}}};
  std::vector<std::vector<std::string>> a, b;
  for (int i = 0; i < 10; ++i) a.push_back({"a" + std::to_string(i)});
  for (int i = 0; i < 7; ++i) b.push_back({"b" + std::to_string(i)});
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 70, {}, &plan, Samples({{"a", a}, {"b", b}})), "ok");
  std::set<Row> combinations;
  for (const Row& row : Rows(plan, 70)) {
    EXPECT_EQ((*row[0])[0], 'a');
    EXPECT_EQ((*row[1])[0], 'b');
    combinations.insert(row);
  }
  EXPECT_EQ(combinations.size(), 70u);
  EXPECT_EQ(ErrorOf(t, 71, {}, Samples({{"a", a}, {"b", b}})),
            "key ab_pkey on ab (a_id, b_id) needs 71 distinct values, but its columns give only "
            "70 together: load fewer rows, widen the columns, or seed more rows into the "
            "referenced tables (or raise --ref-sample)");
}

// (order_id, line) with 50 lines: neither column has enough values alone,
// so the key takes combinations; a second key sharing order_id must not
// reshuffle them, and a third holding them all is distinct already. With --dry-run an empty
// referenced table still gives rows.
TEST(SyntheticRows, KeysOfCombinationsStayDistinct) {
  SeedTable t =
      Table("lines", {Col("order_id", "bigint"), Col("line", "integer"), Col("sku", "text")},
            {{"lines_pkey", {0, 1}, true},
             {"lines_order_sku_key", {0, 2}},
             {"lines_all_key", {2, 1, 0}}});  // holds the primary key: distinct already
  t.columns[1].checks.push_back({"line_range", "CHECK (((line >= 1) AND (line <= 50)))"});
  t.references = {{"lines_order_fkey", {0}, "orders", {"id"}},
                  {"lines_sku_fkey", {2}, "products", {"sku"}}};
  std::vector<std::vector<std::string>> orders, products;
  for (int i = 0; i < 20; ++i) orders.push_back({std::to_string(1000 + i)});
  for (int i = 0; i < 30; ++i) products.push_back({"p" + std::to_string(i)});
  const auto samples = Samples({{"orders", orders}, {"products", products}});
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 500, {}, &plan, samples), "ok");
  std::set<std::pair<Value, Value>> keys;
  for (const Row& row : Rows(plan, 500)) {
    ASSERT_GE(std::stoi(*row[1]), 1);
    ASSERT_LE(std::stoi(*row[1]), 50);
    keys.insert({row[0], row[1]});
  }
  EXPECT_EQ(keys.size(), 500u);
  EXPECT_EQ(plan.warnings,
            std::vector<std::string>{
                "key lines_order_sku_key on lines (order_id, sku) shares columns with key "
                "lines_pkey, whose combinations they follow: its values may repeat, and the "
                "server refuses a duplicate"});
  EXPECT_EQ(ErrorOf(t, 1001, {}, samples),
            "key lines_pkey on lines (order_id, line) needs 1001 distinct values, but its columns "
            "give only 1000 together: load fewer rows, widen the columns, or seed more rows into "
            "the referenced tables (or raise --ref-sample)");
  SeedOptions planning;
  planning.planning = true;
  ASSERT_EQ(Compile(t, 5000, {}, &plan, Samples({{"orders", {}}, {"products", {}}}), planning),
            "ok");
  EXPECT_EQ(Rows(plan, 5000).size(), 5000u);
}

TEST(SyntheticRows, ForeignKeysToThemselvesOrToEmptyTables) {
  SeedTable self =
      Table("t", {Col("id", "integer"), Col("parent", "integer")}, {{"t_pkey", {0}, true}});
  self.references = {{"t_parent_fkey", {1}, "t", {"id"}}};
  EXPECT_EQ(ErrorOf(self, 10),
            "foreign key t_parent_fkey on t (parent) references the table itself and is NOT "
            "NULL: generated rows cannot point at rows of their own load (they commit in any "
            "order). Make the columns nullable (they are then left NULL), or give them values "
            "with --gen");
  self.columns[1].not_null = false;
  EXPECT_EQ(Distinct(Generate(self, "parent", 100)), std::set<std::string>{"<NULL>"});

  SeedTable orders = Table("o", {Col("id", "integer"), Col("customer_id", "bigint")});
  orders.references = {{"o_c_fkey", {1}, "customers", {"id"}}};
  const auto empty = Samples({{"customers", {}}});
  EXPECT_EQ(ErrorOf(orders, 10, {}, empty),
            "foreign key o_c_fkey on o (customer_id) references customers, which has no rows: "
            "seed it first (--schema seeds a schema's tables in order, referenced ones first)");
  SeedOptions planning;
  planning.planning = true;
  SeedPlan plan;
  ASSERT_EQ(Compile(orders, 10, {}, &plan, empty, planning), "ok");
  EXPECT_EQ(Distinct(Values(plan, "customer_id", 10)), std::set<std::string>{"?"});
  EXPECT_EQ(plan.warnings,
            std::vector<std::string>{"foreign key o_c_fkey on o (customer_id): customers has no "
                                     "rows yet; it must have some before this table is seeded "
                                     "(--schema seeds it first)"});
  orders.columns[1].not_null = false;
  EXPECT_EQ(Distinct(Generate(orders, "customer_id", 100, {}, empty)),
            std::set<std::string>{"<NULL>"});
}

}  // namespace
}  // namespace loader
