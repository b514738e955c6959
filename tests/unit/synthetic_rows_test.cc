// Unit tests of CompileSeedTable (synthetic_rows.h) on tables built by hand,
// with a fake SampleReader, no server: rows as a pure function of (seed, row);
// CHECKs, domains, enums, NOT NULL, the NULL share, defaults and partitions;
// every --gen rule; the row size bound and the plan's notes. Keys and foreign
// keys are in synthetic_keys_test.cc. Errors are compared word for word.
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
#include "unit/synthetic_rows_testing.h"

namespace loader {
namespace {

using namespace synthetic_testing;

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
