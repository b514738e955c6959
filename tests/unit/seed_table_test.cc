// Unit tests of seed_table.h: SeedTypeFromSql for PostgreSQL's format_type()
// names and CockroachDB's, OrderByReferences (parents first, ties kept in
// order, cycles named) and SeedTableFingerprint (it changes with what shapes
// the rows, and only with that).
#include "loader/generate/seed_table.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace loader {
namespace {

struct Expected {
  const char* sql;
  SeedType type;
  bool array = false;
  int length = -1;
  bool fixed_length = false;
  int precision = -1;
  int scale = -1;
};

void ExpectType(const Expected& e) {
  SeedColumn c;
  SeedTypeFromSql(e.sql, &c);
  EXPECT_EQ(c.type, e.type) << e.sql;
  EXPECT_EQ(c.array, e.array) << e.sql;
  EXPECT_EQ(c.length, e.length) << e.sql;
  EXPECT_EQ(c.fixed_length, e.fixed_length) << e.sql;
  EXPECT_EQ(c.precision, e.precision) << e.sql;
  EXPECT_EQ(c.scale, e.scale) << e.sql;
}

TEST(SeedTableTypes, PostgresFormatTypeNames) {
  using T = SeedType;
  const std::vector<Expected> cases = {
      {"smallint", T::kInt2},
      {"integer", T::kInt4},
      {"bigint", T::kInt8},
      {"numeric(10,2)", T::kNumeric, false, -1, false, 10, 2},
      {"numeric(7)", T::kNumeric, false, -1, false, 7, 0},
      {"numeric", T::kNumeric},
      {"real", T::kFloat4},
      {"double precision", T::kFloat8},
      {"boolean", T::kBool},
      {"text", T::kText},
      {"character varying(20)", T::kText, false, 20},
      {"character varying", T::kText},
      {"character(5)", T::kText, false, 5, true},
      {"character", T::kText, false, 1, true},
      {"bpchar", T::kText},
      {"uuid", T::kUuid},
      {"date", T::kDate},
      {"time without time zone", T::kTime},
      {"time(3) without time zone", T::kTime},
      {"time(3) with time zone", T::kUnsupported},
      {"time with time zone", T::kUnsupported},
      {"timestamp(6) without time zone", T::kTimestamp},
      {"timestamp with time zone", T::kTimestampTz},
      {"timestamp(3) with time zone", T::kTimestampTz},
      {"interval", T::kInterval},
      {"bytea", T::kBytea},
      {"json", T::kJson},
      {"jsonb", T::kJson},
      {"inet", T::kInet},
      {"tsvector", T::kTsvector},
      {"integer[]", T::kInt4, true},
      {"character varying(10)[]", T::kText, true, 10},
      {"text[][]", T::kText, true},
      {"point", T::kUnsupported},
      {"mood", T::kUnsupported},  // an enum read without its labels
  };
  for (const Expected& e : cases) ExpectType(e);
}

TEST(SeedTableTypes, CockroachNames) {
  using T = SeedType;
  const std::vector<Expected> cases = {
      {"INT8", T::kInt8},
      {"INT", T::kInt8},
      {"INT4", T::kInt4},
      {"STRING", T::kText},
      {"STRING(20)", T::kText, false, 20},
      {"STRING[]", T::kText, true},
      {"DECIMAL(10,2)", T::kNumeric, false, -1, false, 10, 2},
      {"BYTES", T::kBytea},
      {"JSONB", T::kJson},
      {"TIMESTAMPTZ", T::kTimestampTz},
      {"TIMESTAMP(6)", T::kTimestamp},
      {"TIMETZ", T::kUnsupported},
      {"FLOAT8", T::kFloat8},
      {"BOOL", T::kBool},
      {"CHAR(3)", T::kText, false, 3, true},
      {"VARCHAR(8)", T::kText, false, 8},
  };
  for (const Expected& e : cases) ExpectType(e);
}

TEST(SeedTableTypes, AnEnumIsItsLabels) {
  SeedColumn c;
  c.labels = {"sad", "ok", "happy"};
  SeedTypeFromSql("mood", &c);
  EXPECT_EQ(c.type, SeedType::kEnum);
  SeedTypeFromSql("public.mood[]", &c);
  EXPECT_EQ(c.type, SeedType::kEnum);
  EXPECT_TRUE(c.array);
}

// Every field the header names is filled, so a column read again is the new type alone.
TEST(SeedTableTypes, ReadingAnotherTypeForgetsTheOld) {
  SeedColumn c;
  SeedTypeFromSql("numeric(10,2)[]", &c);
  SeedTypeFromSql("numeric", &c);
  EXPECT_EQ(c.precision, -1);
  EXPECT_EQ(c.scale, -1);
  EXPECT_FALSE(c.array);
  SeedTypeFromSql("character(4)", &c);
  SeedTypeFromSql("text", &c);
  EXPECT_EQ(c.length, -1);
  EXPECT_FALSE(c.fixed_length);
}

using Graph = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::vector<std::string> Order(const Graph& tables) {
  std::vector<std::string> ordered;
  const Status s = OrderByReferences(tables, &ordered);
  EXPECT_TRUE(s.ok()) << s.message();
  return ordered;
}

std::string CycleError(const Graph& tables) {
  std::vector<std::string> ordered;
  const Status s = OrderByReferences(tables, &ordered);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  return s.message();
}

TEST(SeedTableOrder, ParentsComeFirstAndTiesKeepTheirOrder) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Order({{"orders", {"customers"}}, {"customers", {}}}), (V{"customers", "orders"}));
  EXPECT_EQ(Order({{"a", {}}, {"b", {}}, {"c", {}}}), (V{"a", "b", "c"}));
  EXPECT_EQ(Order({{"c", {"b"}}, {"b", {"a"}}, {"a", {}}, {"d", {}}}), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(Order({{"items", {"orders", "products"}},
                   {"products", {}},
                   {"orders", {"customers"}},
                   {"customers", {}}}),
            (V{"customers", "orders", "products", "items"}));
  EXPECT_EQ(Order({{"a", {"elsewhere.t"}}, {"b", {"a"}}}), (V{"a", "b"}));  // outside: there
  EXPECT_EQ(Order({{"tree", {"tree"}}, {"leaf", {"tree"}}}), (V{"tree", "leaf"}));
  EXPECT_EQ(Order({}), V{});
}

TEST(SeedTableOrder, ACycleIsNamed) {
  EXPECT_EQ(CycleError({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}}),
            "the tables reference each other in a cycle (a -> b -> c -> a), so none can be "
            "seeded first: seed one of them with --table and its reference left NULL (--gen "
            "TABLE.COLUMN=null), then the others");
  EXPECT_EQ(CycleError({{"x", {}}, {"b", {"c"}}, {"c", {"b"}}}),
            "the tables reference each other in a cycle (b -> c -> b), so none can be seeded "
            "first: seed one of them with --table and its reference left NULL (--gen "
            "TABLE.COLUMN=null), then the others");
}

SeedTable Orders() {
  SeedTable t;
  t.name = "public.orders";
  SeedColumn id, qty, status;
  id.name = "id";
  id.sql_type = "bigint";
  id.not_null = true;
  qty.name = "qty";
  qty.sql_type = "integer";
  qty.checks.push_back({"qty_positive", "CHECK ((qty > 0))", false});
  status.name = "customer";
  status.sql_type = "bigint";
  for (SeedColumn* c : {&id, &qty, &status}) {
    SeedTypeFromSql(c->sql_type, c);
    t.columns.push_back(*c);
  }
  t.keys.push_back({"orders_pkey", {0}, true});
  t.references.push_back({"orders_customer_fkey", {2}, "public.customers", {"id"}});
  return t;
}

TEST(SeedTableFingerprint, ChangesWithWhatShapesTheRowsAndOnlyWithThat) {
  const std::string base = SeedTableFingerprint(Orders());
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(SeedTableFingerprint(Orders()), base);

  auto changed = [&](void (*change)(SeedTable*)) {
    SeedTable t = Orders();
    change(&t);
    return SeedTableFingerprint(t);
  };
  // Not part of the rows: a check's name, and checks on several columns.
  EXPECT_EQ(changed([](SeedTable* t) { t->columns[1].checks[0].name = "renamed"; }), base);
  EXPECT_EQ(changed([](SeedTable* t) {
              t->other_checks.push_back({"qty_id", "CHECK ((qty < id))"});
            }),
            base);

  const std::vector<void (*)(SeedTable*)> changes = {
      [](SeedTable* t) { SeedTypeFromSql(t->columns[1].sql_type = "smallint", &t->columns[1]); },
      [](SeedTable* t) { t->columns[1].checks[0].definition = "CHECK ((qty >= 0))"; },
      [](SeedTable* t) {
        t->columns[0].checks.push_back({"id_check", "CHECK ((id > 0))"});
      },
      [](SeedTable* t) { t->columns[1].not_null = true; },
      [](SeedTable* t) { t->columns[1].has_default = true; },
      [](SeedTable* t) {
        t->keys[0].columns = {0, 1};
      },
      [](SeedTable* t) {
        t->keys.push_back({"orders_qty_key", {1}, false});
      },
      // Key and reference names seed their permutations; the primary key goes first.
      [](SeedTable* t) { t->keys[0].name = "orders_pk"; },
      [](SeedTable* t) { t->keys[0].primary = false; },
      [](SeedTable* t) { t->references[0].name = "orders_fk"; },
      [](SeedTable* t) { t->references[0].ref_table = "public.clients"; },
      [](SeedTable* t) {
        t->partitions = {1, false, {"FOR VALUES FROM (0) TO (10)"}};
      },
      [](SeedTable* t) { t->name = "public.orders2"; },
      [](SeedTable* t) { t->oid = "16385"; },  // dropped and made again
  };
  for (size_t i = 0; i < changes.size(); ++i) EXPECT_NE(changed(changes[i]), base) << i;
}

}  // namespace
}  // namespace loader
