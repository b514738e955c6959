// MapHeader: a header's fields matched to a table's columns by name.
#include "loader/read/header_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/cli/cli.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

const std::vector<Column> kColumns = {
    {"id", ColumnType::kInt8}, {"name", ColumnType::kText}, {"qty", ColumnType::kInt4}};

struct Mapped {
  Status status;
  std::vector<std::string> loaded;  // the loaded columns' names
  std::vector<int> column;
};

Mapped Map(const std::vector<std::string>& header, const HeaderRules& rules = {},
           const std::vector<Column>& columns = kColumns,
           const std::vector<std::string>& required = {}) {
  Mapped out;
  std::vector<Column> loaded;
  FieldMap map;
  out.status = MapHeader(header, columns, required, rules, "f.csv:1", "items", &loaded, &map);
  for (const Column& c : loaded) out.loaded.push_back(c.name);
  out.column = map.column;
  if (out.status.ok()) {
    EXPECT_EQ(map.header, header);
  }
  return out;
}

TEST(HeaderMap, FieldsGoToTheColumnsTheyNameInFieldOrder) {
  const Mapped m = Map({"qty", "id"});
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"qty", "id"}));
  EXPECT_EQ(m.column, (std::vector<int>{0, 1}));
}

TEST(HeaderMap, CaseBlindOnlyWhenOneColumnMatches) {
  Mapped m = Map({"ID", "Name"});
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"id", "name"}));
  const std::vector<Column> cased = {{"a", ColumnType::kText}, {"A", ColumnType::kText}};
  m = Map({"A", "a"}, {}, cased);
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"A", "a"}));  // exact matches
  m = Map({"a", "x"}, {.renames = {{"x", "A"}}}, cased);
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"a", "A"}));
  EXPECT_EQ(Map({"Id", "ID"}).status.message(),
            "f.csv:1: fields 'Id' and 'ID' both fill column id of items");
}

TEST(HeaderMap, RenamesAndLeftOutFields) {
  const Mapped m = Map({"label", "junk", "id", "extra"},
                       {.renames = {{"label", "name"}}, .skipped = {"junk"}, .skip_unknown = true});
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"name", "id"}));
  EXPECT_EQ(m.column, (std::vector<int>{0, -1, 1, -1}));
}

TEST(HeaderMap, NoCatalogMeansTheHeaderNamesTheColumns) {
  const Mapped m = Map({"b", "skip", "a"}, {.renames = {{"a", "z"}}, .skipped = {"skip"}}, {});
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  EXPECT_EQ(m.loaded, (std::vector<std::string>{"b", "z"}));
  EXPECT_EQ(m.column, (std::vector<int>{0, -1, 1}));
}

TEST(HeaderMap, Errors) {
  Status s = Map({"id", "price", "colour"}).status;
  EXPECT_EQ(s.code(), Status::Code::kDataError);
  EXPECT_EQ(s.message(),
            "f.csv:1: the header's fields price, colour match no column of items (its columns: "
            "id, name, qty); rename with --map FIELD=COLUMN, or leave out with --skip-field "
            "FIELD or --skip-unknown-fields");
  EXPECT_EQ(Map({"id", "id"}).status.message(), "f.csv:1: the header names field 'id' twice");
  EXPECT_EQ(Map({"x"}, {.skip_unknown = true}).status.message(),
            "f.csv:1: no field of the header fills a column of items");
  EXPECT_EQ(Map({"id", "qty"}, {}, kColumns, {"name", "qty"}).status.message(),
            "f.csv:1: no field of the header (id, qty) fills column name of items, which must "
            "have a value (NOT NULL, no default); add it to the files, or --map a field onto it");
  s = Map({"id"}, {.renames = {{"nme", "name"}}}).status;
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "--map nme=name: the header at f.csv:1 has no field 'nme' (it names id)");
  EXPECT_EQ(Map({"id"}, {.skipped = {"x"}}).status.message(),
            "--skip-field x: the header at f.csv:1 has no field 'x' (it names id)");
}

TEST(HeaderMap, CommandLine) {
  test_support::ScopedLoaderEnv env;
  const CommandLine cl =
      test_support::Parse({"--input", "-", "--header", "--map", "a=b", "--map", "c=d",
                           "--skip-field", "x,y", "--skip-field", "z", "--skip-unknown-fields"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  const HeaderRules& r = cl.spec.input.header_rules;
  EXPECT_EQ(r.renames, (std::vector<std::pair<std::string, std::string>>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(r.skipped, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_TRUE(r.skip_unknown);
  using test_support::ErrorOf;
  EXPECT_EQ(ErrorOf({"--input", "-", "--header", "--map", "a"}), "--map a: expected FIELD=COLUMN");
  EXPECT_EQ(ErrorOf({"--input", "-", "--header", "--skip-field", "a,,b"}),
            "--skip-field: an empty field name");
  EXPECT_EQ(ErrorOf({"--input", "-", "--map", "a=b"}),
            "--map, --skip-field and --skip-unknown-fields match a header's fields by name: add "
            "--header");
  EXPECT_EQ(ErrorOf({"--input", "-", "--header", "--columns", "a,b", "--skip-field", "a"}),
            "--map, --skip-field and --skip-unknown-fields match a header's fields by name; "
            "--columns names the fields by position instead: give one or the other");
  EXPECT_EQ(ErrorOf({"--map", "a=b"}), "--map reads files: it needs --input");
}

}  // namespace
}  // namespace loader
