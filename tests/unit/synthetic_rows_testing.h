// What the synthetic rows tests share: columns and tables built by hand, a
// fake SampleReader, and rows read back as text values.
#ifndef LOADER_TESTS_UNIT_SYNTHETIC_ROWS_TESTING_H_
#define LOADER_TESTS_UNIT_SYNTHETIC_ROWS_TESTING_H_

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

namespace loader::synthetic_testing {

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

inline SeedColumn Col(const std::string& name, const std::string& type, bool not_null = true) {
  SeedColumn c;
  c.name = name;
  c.sql_type = type;
  c.not_null = not_null;
  SeedTypeFromSql(type, &c);
  return c;
}

inline SeedTable Table(const std::string& name, std::vector<SeedColumn> columns,
                       std::vector<SeedKey> keys = {}) {
  SeedTable t;
  t.name = name;
  t.columns = std::move(columns);
  t.keys = std::move(keys);
  return t;
}

// Tables' sampled rows by name; a table not named does not exist.
inline SampleReader Samples(std::map<std::string, std::vector<std::vector<std::string>>> tables) {
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
inline std::string Compile(const SeedTable& t, uint64_t rows, const std::vector<std::string>& gens,
                           SeedPlan* plan, const SampleReader& reader = Samples({}),
                           SeedOptions o = {}) {
  o.rows = rows;
  std::vector<GenRule> rules(gens.size());
  for (size_t i = 0; i < gens.size(); ++i) {
    if (Status s = ParseGenOption(gens[i], &rules[i]); !s.ok()) return s.message();
  }
  const Status s = CompileSeedTable(t, o, rules, reader, plan);
  return s.ok() ? "ok" : s.message();
}

inline std::string ErrorOf(const SeedTable& t, uint64_t rows,
                           const std::vector<std::string>& gens = {},
                           const SampleReader& reader = Samples({})) {
  SeedPlan plan;
  return Compile(t, rows, gens, &plan, reader);
}

inline std::vector<Row> Rows(const SeedPlan& plan, uint64_t count) {
  RowEncoder enc;
  for (uint64_t r = 0; r < count; ++r) plan.rows->Emit(r, enc);
  enc.rows.pop_back();
  return enc.rows;
}

// Column `name` of rows [0, count).
inline std::vector<Value> Values(const SeedPlan& plan, const std::string& name, uint64_t count) {
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
inline std::vector<Value> Generate(const SeedTable& t, const std::string& name, uint64_t rows,
                                   const std::vector<std::string>& gens = {},
                                   const SampleReader& reader = Samples({})) {
  SeedPlan plan;
  const std::string compiled = Compile(t, rows, gens, &plan, reader);
  EXPECT_EQ(compiled, "ok");
  return compiled == "ok" ? Values(plan, name, rows) : std::vector<Value>{};
}

inline std::set<std::string> Distinct(const std::vector<Value>& values) {
  std::set<std::string> out;
  for (const Value& v : values) out.insert(v.value_or("<NULL>"));
  return out;
}

inline std::string CopyTextRow(const SeedPlan& plan, uint64_t row) {
  ByteBuffer out;
  CopyTextEncoder enc(&out);
  plan.rows->Emit(row, enc);
  return std::string(out.view());
}

inline SeedTable EveryType() {
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

}  // namespace loader::synthetic_testing

#endif  // LOADER_TESTS_UNIT_SYNTHETIC_ROWS_TESTING_H_
