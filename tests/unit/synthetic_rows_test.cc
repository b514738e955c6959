// Unit tests of CompileSeedTable (synthetic_rows.h) on tables built by hand,
// with a fake SampleReader, no server: rows as a pure function of (seed, row);
// distinct keys of every type and the refusals when a key cannot be; CHECKs,
// domains, enums, NOT NULL, the NULL share, defaults and partitions; every
// --gen rule; foreign keys (association keys, self references, empty tables);
// the row size bound and the plan's notes. Errors are compared word for word.
#include "loader/generate/synthetic_rows.h"

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

namespace loader {
namespace {

using Value = std::optional<std::string>;  // nullopt: NULL
using Row = std::vector<Value>;

// Records each row's fields as the text a server would read.
struct RowEncoder {
  std::vector<Row> rows{Row{}};

  void Int8(int64_t v) { rows.back().emplace_back(std::to_string(v)); }
  void Decimal(int64_t units, unsigned scale) {
    char buf[kMaxDecimalChars];
    rows.back().emplace_back(std::string(buf, FormatDecimal(units, scale, buf)));
  }
  void Text(std::string_view v) { rows.back().emplace_back(std::string(v)); }
  void Plain(std::string_view v) { Text(v); }
  void Null() { rows.back().emplace_back(std::nullopt); }
  void EndRow() { rows.emplace_back(); }
};

SeedColumn Col(const std::string& name, const std::string& type, bool not_null = true) {
  SeedColumn c;
  c.name = name;
  c.sql_type = type;
  c.not_null = not_null;
  SeedTypeFromSql(type, &c);
  return c;
}

SeedTable Table(const std::string& name, std::vector<SeedColumn> columns,
                std::vector<SeedKey> keys = {}) {
  SeedTable t;
  t.name = name;
  t.columns = std::move(columns);
  t.keys = std::move(keys);
  return t;
}

// Tables' sampled rows by name; a table not named does not exist.
SampleReader Samples(std::map<std::string, std::vector<std::vector<std::string>>> tables) {
  return [tables](const std::string& table, const std::vector<std::string>&, uint64_t limit,
                  uint64_t, ReferenceSample* out) {
    auto it = tables.find(table);
    if (it == tables.end()) return Status::InvalidArgument("table " + table + " does not exist");
    out->rows = it->second;
    if (out->rows.size() > limit) out->rows.resize(limit);
    return Status::OK();
  };
}

// Compiles `t` for `rows` rows with --gen `gens`: "ok" or the error.
std::string Compile(const SeedTable& t, uint64_t rows, const std::vector<std::string>& gens,
                    SeedPlan* plan, const SampleReader& reader = Samples({}), SeedOptions o = {}) {
  o.rows = rows;
  std::vector<GenRule> rules(gens.size());
  for (size_t i = 0; i < gens.size(); ++i) {
    if (Status s = ParseGenOption(gens[i], &rules[i]); !s.ok()) return s.message();
  }
  const Status s = CompileSeedTable(t, o, rules, reader, plan);
  return s.ok() ? "ok" : s.message();
}

std::string ErrorOf(const SeedTable& t, uint64_t rows, const std::vector<std::string>& gens = {},
                    const SampleReader& reader = Samples({})) {
  SeedPlan plan;
  return Compile(t, rows, gens, &plan, reader);
}

std::vector<Row> Rows(const SeedPlan& plan, uint64_t count) {
  RowEncoder enc;
  for (uint64_t r = 0; r < count; ++r) plan.rows->Emit(r, enc);
  enc.rows.pop_back();
  return enc.rows;
}

// Column `name` of rows [0, count).
std::vector<Value> Values(const SeedPlan& plan, const std::string& name, uint64_t count) {
  const auto& cols = plan.table.columns;
  const size_t i =
      std::find_if(cols.begin(), cols.end(), [&](const Column& c) { return c.name == name; }) -
      cols.begin();
  EXPECT_LT(i, cols.size()) << name << " is not loaded";
  std::vector<Value> out;
  for (const Row& row : Rows(plan, count)) out.push_back(row.at(i));
  return out;
}

// Compiles `t` for `rows` rows (ASSERTing success) and returns column `name`.
std::vector<Value> Generate(const SeedTable& t, const std::string& name, uint64_t rows,
                            const std::vector<std::string>& gens = {},
                            const SampleReader& reader = Samples({})) {
  SeedPlan plan;
  const std::string compiled = Compile(t, rows, gens, &plan, reader);
  EXPECT_EQ(compiled, "ok");
  return compiled == "ok" ? Values(plan, name, rows) : std::vector<Value>{};
}

std::set<std::string> Distinct(const std::vector<Value>& values) {
  std::set<std::string> out;
  for (const Value& v : values) out.insert(v.value_or("<NULL>"));
  return out;
}

std::string CopyTextRow(const SeedPlan& plan, uint64_t row) {
  ByteBuffer out;
  CopyTextEncoder enc(&out);
  plan.rows->Emit(row, enc);
  return std::string(out.view());
}

SeedTable EveryType() {
  SeedColumn mood = Col("mood", "mood", false);
  mood.labels = {"sad", "ok", "happy"};
  SeedTypeFromSql("mood", &mood);
  return Table(
      "every",
      {Col("id", "integer"), Col("name", "character varying(20)", false),
       Col("price", "numeric(10,2)"), Col("day", "date", false),
       Col("at", "timestamp with time zone", false), Col("uid", "uuid"),
       Col("flag", "boolean", false), mood, Col("doc", "jsonb", false), Col("raw", "bytea", false),
       Col("ip", "inet", false), Col("tags", "integer[]", false), Col("words", "tsvector", false),
       Col("span", "interval", false), Col("t", "time without time zone")},
      {{"every_pkey", {0}, true}});
}

TEST(SyntheticRows, TheSameSeedAndRowGiveTheSameBytesInAnyOrder) {
  SeedPlan a, b, other;
  ASSERT_EQ(Compile(EveryType(), 300, {}, &a), "ok");
  ASSERT_EQ(Compile(EveryType(), 300, {}, &b), "ok");
  SeedOptions seed2;
  seed2.seed = 2;
  ASSERT_EQ(Compile(EveryType(), 300, {}, &other, Samples({}), seed2), "ok");
  std::vector<std::string> forward, backward;
  for (uint64_t r = 0; r < 300; ++r) forward.push_back(CopyTextRow(a, r));
  for (uint64_t r = 300; r-- > 0;) backward.push_back(CopyTextRow(b, r));
  std::reverse(backward.begin(), backward.end());
  EXPECT_EQ(forward, backward);
  int differ = 0;
  for (uint64_t r = 0; r < 300; ++r) differ += CopyTextRow(other, r) != forward[r];
  EXPECT_EQ(differ, 300);
}

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

// Every value of column `name` read as a number satisfies `ok`.
template <class Predicate>
void ExpectNumbers(const std::vector<Value>& values, Predicate ok) {
  ASSERT_FALSE(values.empty());
  for (const Value& v : values) ASSERT_TRUE(v && ok(std::stod(*v))) << v.value_or("NULL");
}

TEST(SyntheticRows, ChecksNarrowTheValues) {
  SeedTable t = Table("t", {Col("age", "integer"), Col("status", "text"), Col("code", "text"),
                            Col("name", "text"), Col("qty", "numeric(6,2)"), Col("qty2", "posint"),
                            Col("short", "character varying(10)")});
  auto check = [&](int c, const std::string& definition, bool domain = false) {
    t.columns[c].checks.push_back({t.columns[c].name + "_check", definition, domain});
  };
  check(0, "CHECK (((age >= 18) AND (age <= 99)))");
  check(1, "CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text])))");
  check(2, "CHECK ((length(code) >= 6))");
  check(3, "CHECK ((name <> ''::text))");
  check(4, "CHECK (qty BETWEEN 1.5 AND 2.5)");
  t.columns[5].type = SeedType::kInt4;  // a domain over integer
  check(5, "CHECK ((VALUE > 0))", true);
  check(6, "CHECK ((length((short)::text) <= 3))");
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 2000, {}, &plan), "ok");
  ExpectNumbers(Values(plan, "age", 2000), [](double v) { return v >= 18 && v <= 99; });
  EXPECT_EQ(Distinct(Values(plan, "status", 2000)), (std::set<std::string>{"new", "paid"}));
  for (const Value& v : Values(plan, "code", 2000)) EXPECT_GE(v->size(), 6u);
  for (const Value& v : Values(plan, "name", 2000)) EXPECT_FALSE(v->empty());
  ExpectNumbers(Values(plan, "qty", 2000), [](double v) { return v >= 1.5 && v <= 2.5; });
  ExpectNumbers(Values(plan, "qty2", 2000), [](double v) { return v > 0; });
  for (const Value& v : Values(plan, "short", 2000)) EXPECT_LE(v->size(), 3u) << *v;
}

TEST(SyntheticRows, ACheckNoValueSatisfiesIsRefused) {
  for (const char* definition :
       {"CHECK (((x > 10) AND (x < 5)))", "CHECK (((x > 10) AND (x < 5) AND (x = 7)))"}) {
    SeedTable t = Table("t", {Col("x", "integer")});
    t.columns[0].checks.push_back({"x_range", definition, false});
    EXPECT_EQ(ErrorOf(t, 10), "CHECK constraint x_range on t.x (" + std::string(definition) +
                                  "): no value of integer satisfies it together with the "
                                  "column's other limits");
  }
}

TEST(SyntheticRows, EnumsNullsAndDefaults) {
  SeedTable t = EveryType();
  t.columns[0].has_default = true;  // id: a serial
  SeedOptions o;
  o.null_share = 0.2;
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 20000, {}, &plan, Samples({}), o), "ok");
  EXPECT_EQ(plan.table.columns.front().name, "name");  // id is the server's
  EXPECT_EQ(plan.table.columns.size(), t.columns.size() - 1);
  std::set<std::string> moods = Distinct(Values(plan, "mood", 20000));
  EXPECT_EQ(moods, (std::set<std::string>{"sad", "ok", "happy", "<NULL>"}));
  const std::vector<Row> rows = Rows(plan, 20000);
  for (size_t i = 0; i < plan.table.columns.size(); ++i) {
    const std::string& name = plan.table.columns[i].name;
    const auto nulls = std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return !r[i]; });
    for (const SeedColumn& c : t.columns) {
      if (c.name != name) continue;
      EXPECT_NEAR(nulls, c.not_null ? 0 : 4000, c.not_null ? 0 : 200) << name;
    }
  }
}

TEST(SyntheticRows, PartitionBoundsKeepValuesInside) {
  SeedTable range = Table("r", {Col("id", "integer"), Col("day", "date", false)});
  range.partitions = {1,
                      false,
                      {"FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                       "FOR VALUES FROM ('2024-03-01') TO ('2024-04-01')"}};
  for (const Value& v : Generate(range, "day", 3000)) {
    ASSERT_TRUE(v.has_value()) << "a range partition takes no NULL";
    EXPECT_TRUE((*v >= "2024-01-01" && *v <= "2024-01-31") ||
                (*v >= "2024-03-01" && *v <= "2024-03-31"))
        << *v;
  }
  range.partitions.bounds.push_back("DEFAULT");
  std::set<std::string> days = Distinct(Generate(range, "day", 3000));
  EXPECT_TRUE(std::any_of(days.begin(), days.end(), [](const std::string& d) {
    return d < "2024-01-01" || d > "2024-03-31";
  }));
  EXPECT_EQ(days.count("<NULL>"), 1u);

  SeedTable list = Table("l", {Col("region", "text", false)});
  list.partitions = {0, true, {"FOR VALUES IN ('eu', 'us')", "FOR VALUES IN ('apac')"}};
  EXPECT_EQ(Distinct(Generate(list, "region", 1000)), (std::set<std::string>{"eu", "us", "apac"}));
  list.partitions.bounds[1] = "FOR VALUES IN ('apac', NULL)";
  EXPECT_EQ(Distinct(Generate(list, "region", 1000)).count("<NULL>"), 1u);
  list.partitions.bounds.pop_back();
  list.columns[0].checks.push_back(
      {"region_check", "CHECK ((region = ANY (ARRAY['eu'::text, 'jp'::text])))", false});
  EXPECT_EQ(Distinct(Generate(list, "region", 1000)), (std::set<std::string>{"eu"}));

  SeedTable gaps = Table("g", {Col("n", "integer")});
  gaps.partitions = {0, false, {"FOR VALUES FROM (0) TO (10)", "FOR VALUES FROM (90) TO (100)"}};
  ExpectNumbers(Generate(gaps, "n", 3000, {"n=normal:50,20"}),
                [](double v) { return (v >= 0 && v <= 9) || (v >= 90 && v <= 99); });
}

TEST(SyntheticRows, RulesSayHowAColumnIsFilled) {
  const SeedTable t =
      Table("t", {Col("n", "integer"), Col("s", "text", false), Col("m", "bigint")});
  auto n = [&](const std::string& spec, uint64_t rows = 4000) {
    return Generate(t, "n", rows, {"t.n=" + spec});
  };
  const std::vector<Value> seq = n("seq:100,5", 10);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(seq[i], std::to_string(100 + 5 * i));
  EXPECT_EQ(Distinct(n("uniform:10..20")).size(), 11u);
  ExpectNumbers(n("uniform:10..20"), [](double v) { return v >= 10 && v <= 20; });
  ExpectNumbers(Generate(t, "m", 4000, {"m=normal:9e18,1e18"}), [](double v) { return v > 0; });
  std::map<std::string, int> zipf;
  for (const Value& v : n("zipf:1..100")) ++zipf[*v];
  EXPECT_EQ(std::max_element(zipf.begin(), zipf.end(),
                             [](auto& a, auto& b) { return a.second < b.second; })
                ->first,
            "1");
  std::map<std::string, int> choice;
  for (const Value& v : Generate(t, "s", 20000, {"s=choice:a*3,b;null=0"})) ++choice[*v];
  EXPECT_NEAR(choice["a"], 15000, 400);
  EXPECT_EQ(Distinct(Generate(t, "s", 100, {"s=const:paid;null=0"})),
            std::set<std::string>{"paid"});
  EXPECT_EQ(Distinct(Generate(t, "s", 100, {"s=null"})), std::set<std::string>{"<NULL>"});
  EXPECT_EQ(ErrorOf(t, 10, {"t.n=null"}),
            "--gen t.n=null: column t.n is NOT NULL: it cannot be always NULL");
  for (const Value& v : Generate(t, "s", 1000, {"s=text:3..5;null=0"})) {
    EXPECT_TRUE(v->size() >= 3 && v->size() <= 5) << *v;
  }
  const std::vector<Value> pattern = Generate(t, "s", 42, {"s=pattern:user-{row}@x;null=0"});
  EXPECT_EQ(pattern[0], "user-1@x");
  EXPECT_EQ(pattern[41], "user-42@x");
  const auto customers = Samples({{"customers", {{"c1"}, {"c2"}, {"c3"}}}});
  EXPECT_EQ(Distinct(Generate(t, "s", 1000, {"s=ref:customers.id;null=0"}, customers)),
            (std::set<std::string>{"c1", "c2", "c3"}));
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 10, {"t.m=default"}, &plan), "ok");
  EXPECT_EQ(plan.table.columns.size(), 2u);
  EXPECT_EQ(plan.column_notes[2], "m (bigint): left to the server (--gen default)");
  EXPECT_EQ(ErrorOf(t, 10, {"t.nope=const:1"}),
            "--gen t.nope=const:1: table t has no column 'nope' that a load can write (it has n, "
            "s, m)");
}

// Rules that would write past the generator's buffers: long text, and NULL
// for an array (a NULL, not an array of empty texts).
TEST(SyntheticRows, RulesOnArraysAndLongText) {
  const SeedTable t =
      Table("t", {Col("tags", "integer[]", false), Col("notes", "text[]"), Col("body", "text")});
  EXPECT_EQ(Distinct(Generate(t, "tags", 100, {"tags=null"})), std::set<std::string>{"<NULL>"});
  for (const Value& v : Generate(t, "notes", 200, {"notes=text:300..500"})) {
    EXPECT_LE(v->size(), 3 * (500 + 3) + 2) << *v;
  }
  for (const Value& v : Generate(t, "body", 50, {"body=text:3000..4000"})) {
    EXPECT_GE(v->size(), 3000u);
  }
  EXPECT_EQ(ErrorOf(t, 10, {"body=text:5000..6000"}),
            "--gen body=text:5000..6000: column t.body is text: text of 5000 characters is more "
            "than the generator makes (at most 4000)");
  EXPECT_EQ(ErrorOf(t, 10, {"notes=text:600..700"}),
            "--gen notes=text:600..700: column t.notes is text[]: text of 600 characters is more "
            "than the generator makes (at most 512)");
  SeedPlan plan;  // numeric scales past 12: no int64 overflow (UBSan)
  ASSERT_EQ(Compile(Table("n", {Col("x", "numeric(30,18)")}), 10, {}, &plan), "ok");
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

TEST(SyntheticRows, MaxRowBytesBoundsEveryEncodedRow) {
  const SeedTable t = Table("t",
                            {Col("id", "bigint"), Col("body", "text"), Col("tags", "text[]"),
                             Col("quote", "text"), Col("raw", "bytea"), Col("p", "text")},
                            {{"t_pkey", {0}, true}});
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 500,
                    {"body=text:3000..4000", "tags=choice:\"a\\\\\"\"b\",\"\t\t\"",
                     "quote=const:\\\\\"\"\"\t\n\r", "p=pattern:\"{row}\\\\{row}"},
                    &plan),
            "ok");
  for (uint64_t r = 0; r < 500; ++r) {
    ByteBuffer copy, csv;
    CopyTextEncoder copy_enc(&copy);
    CsvTextEncoder csv_enc(&csv);
    plan.rows->Emit(r, copy_enc);
    plan.rows->Emit(r, csv_enc);
    ASSERT_LE(copy.size(), plan.table.max_row_bytes) << r;
    ASSERT_LE(csv.size(), plan.table.max_row_bytes) << r;
  }
}

// An unquoted empty CSV field reads as NULL: empty text is written "".
TEST(SyntheticRows, AnEmptyTextIsNotNullInCsv) {
  SeedPlan plan;
  ASSERT_EQ(Compile(Table("t", {Col("a", "text"), Col("b", "text")}), 1, {"a=pattern:", "b=const:"},
                    &plan),
            "ok");
  ByteBuffer csv;
  CsvTextEncoder enc(&csv);
  plan.rows->Emit(0, enc);
  EXPECT_EQ(csv.view(), "\"\",\"\"\n");
}

TEST(SyntheticRows, ColumnNotesHaveOneLinePerColumn) {
  SeedTable t = EveryType();
  t.columns[14].has_default = true;
  SeedPlan plan;
  ASSERT_EQ(Compile(t, 100, {}, &plan), "ok");
  ASSERT_EQ(plan.column_notes.size(), t.columns.size());
  for (size_t i = 0; i < t.columns.size(); ++i) {
    EXPECT_EQ(
        plan.column_notes[i].rfind(t.columns[i].name + " (" + t.columns[i].sql_type + "): ", 0), 0u)
        << plan.column_notes[i];
  }
  EXPECT_EQ(plan.column_notes[0],
            "id (integer): distinct, a permutation of the rows into 1..100; distinct for primary "
            "key every_pkey");
  EXPECT_EQ(plan.column_notes[14], "t (time without time zone): left to the server (its default)");
}

TEST(SyntheticRows, RuleIsForMatchesQualifiedAndUnqualifiedNames) {
  GenRule rule;
  EXPECT_TRUE(RuleIsFor(rule, "orders"));
  rule.table = "orders";
  EXPECT_TRUE(RuleIsFor(rule, "orders"));
  EXPECT_TRUE(RuleIsFor(rule, "public.orders"));
  EXPECT_FALSE(RuleIsFor(rule, "customers"));
  rule.table = "public.orders";
  EXPECT_TRUE(RuleIsFor(rule, "orders"));
  EXPECT_FALSE(RuleIsFor(rule, "sales.orders"));
}

}  // namespace
}  // namespace loader
