// What --gen and a seed spec file say about a column: every generator's
// arguments, the null=SHARE modifier, choice quoting, and the exact errors a
// user sees, with file positions for the YAML file.
#include "loader/generate/gen_spec.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/base/status.h"

namespace loader {
namespace {

using Kind = GenSpec::Kind;

GenSpec Parse(std::string_view text) {
  GenSpec spec;
  const Status status = ParseGenSpec(text, &spec);
  EXPECT_TRUE(status.ok()) << text << ": " << status.message();
  return spec;
}

std::string ErrorOf(std::string_view text) {
  GenSpec spec;
  const Status status = ParseGenSpec(text, &spec);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << text;
  return status.message();
}

TEST(GenSpec, SequenceDefaultsToStartOneStepOne) {
  const GenSpec spec = Parse("seq");
  EXPECT_EQ(spec.kind, Kind::kSequence);
  EXPECT_EQ(spec.low, "1");
  EXPECT_EQ(spec.high, "1");
  EXPECT_FALSE(spec.null_share.has_value());
}

TEST(GenSpec, SequenceKeepsStartAndStepAsText) {
  GenSpec spec = Parse("seq:1000,10");
  EXPECT_EQ(spec.low, "1000");
  EXPECT_EQ(spec.high, "10");
  spec = Parse("seq:5");
  EXPECT_EQ(spec.low, "5");
  EXPECT_EQ(spec.high, "1");
  EXPECT_EQ(Parse("seq:2024-01-01").low, "2024-01-01");
}

TEST(GenSpec, SequenceRejectsEmptyOrExtraParts) {
  for (const char* text : {"seq:", "seq:1,", "seq:,2", "seq:1,2,3"}) {
    EXPECT_EQ(ErrorOf(text),
              "spec '" + std::string(text) + "': seq takes [:START[,STEP]], e.g. seq:1000,10");
  }
}

TEST(GenSpec, UniformKeepsBoundsAsText) {
  const std::vector<std::vector<std::string>> cases = {
      {"uniform:1..10", "1", "10"},
      {"uniform:2024-01-01..2024-12-31", "2024-01-01", "2024-12-31"},
      {"uniform:-5.5..5.5", "-5.5", "5.5"},
      {"uniform:-10..-1", "-10", "-1"}};
  for (const auto& c : cases) {
    const GenSpec spec = Parse(c[0]);
    EXPECT_EQ(spec.kind, Kind::kUniform);
    EXPECT_EQ(spec.low, c[1]);
    EXPECT_EQ(spec.high, c[2]);
  }
}

TEST(GenSpec, UniformRejectsAnythingButLowDotDotHigh) {
  EXPECT_EQ(ErrorOf("uniform:5"), "spec 'uniform:5': uniform takes LOW..HIGH, e.g. uniform:1..100");
  for (const char* text :
       {"uniform", "uniform:", "uniform:..5", "uniform:5..", "uniform:1..5..7"}) {
    EXPECT_EQ(ErrorOf(text),
              "spec '" + std::string(text) + "': uniform takes LOW..HIGH, e.g. uniform:1..100");
  }
}

TEST(GenSpec, NormalTakesMeanAndPositiveStddev) {
  GenSpec spec = Parse("normal:50,10");
  EXPECT_EQ(spec.kind, Kind::kNormal);
  EXPECT_EQ(spec.mean, 50);
  EXPECT_EQ(spec.stddev, 10);
  spec = Parse("normal:-1.5,0.25");
  EXPECT_EQ(spec.mean, -1.5);
  EXPECT_EQ(spec.stddev, 0.25);
  for (const char* text : {"normal", "normal:50", "normal:50,0", "normal:50,-1", "normal:a,1",
                           "normal:1,2,3", "normal:50,inf", "normal:nan,1", "normal:5x,1"}) {
    EXPECT_EQ(ErrorOf(text), "spec '" + std::string(text) +
                                 "': normal takes MEAN,STDDEV with STDDEV > 0, e.g. normal:50,10");
  }
}

TEST(GenSpec, ZipfTakesARangeAndAnOptionalPositiveExponent) {
  GenSpec spec = Parse("zipf:1..1000");
  EXPECT_EQ(spec.kind, Kind::kZipf);
  EXPECT_EQ(spec.low, "1");
  EXPECT_EQ(spec.high, "1000");
  EXPECT_EQ(spec.zipf_exponent, 1.1);
  EXPECT_EQ(Parse("zipf:1..1000,1.5").zipf_exponent, 1.5);
  for (const char* text :
       {"zipf", "zipf:5", "zipf:1..1000,", "zipf:1..1000,0", "zipf:1..10,-2", "zipf:1..10,x"}) {
    EXPECT_EQ(ErrorOf(text), "spec '" + std::string(text) +
                                 "': zipf takes LOW..HIGH[,S] with S > 0, e.g. zipf:1..1000,1.2");
  }
}

TEST(GenSpec, ChoiceValuesWithWeights) {
  const GenSpec spec = Parse("choice:new*8,paid*2,void");
  EXPECT_EQ(spec.kind, Kind::kChoice);
  EXPECT_EQ(spec.choices, (std::vector<std::string>{"new", "paid", "void"}));
  EXPECT_EQ(spec.weights, (std::vector<uint32_t>{8, 2, 1}));
  EXPECT_EQ(Parse("choice:only").choices, std::vector<std::string>{"only"});
  EXPECT_EQ(Parse("choice:a b,c:d").choices, (std::vector<std::string>{"a b", "c:d"}));
}

TEST(GenSpec, ChoiceQuotedValuesHoldCommasStarsSemicolonsAndQuotes) {
  const GenSpec spec = Parse(R"(choice:"a,b","x*y"*2,"say ""hi""","semi;colon","";null=0.5)");
  EXPECT_EQ(spec.choices,
            (std::vector<std::string>{"a,b", "x*y", R"(say "hi")", "semi;colon", ""}));
  EXPECT_EQ(spec.weights, (std::vector<uint32_t>{1, 2, 1, 1, 1}));
  EXPECT_EQ(spec.null_share, 0.5);
}

TEST(GenSpec, ChoiceErrorsNameTheValue) {
  const std::string usage =
      "choice takes one or more values, each with an optional *WEIGHT, e.g. choice:new*8,paid*2";
  EXPECT_EQ(ErrorOf("choice"), "spec 'choice': " + usage);
  EXPECT_EQ(ErrorOf("choice:"), "spec 'choice:': " + usage);
  EXPECT_EQ(ErrorOf("choice:a,,b"),
            "spec 'choice:a,,b': value 2 is empty (write \"\" for an empty text)");
  EXPECT_EQ(ErrorOf("choice:a,"),
            "spec 'choice:a,': value 2 is empty (write \"\" for an empty text)");
  EXPECT_EQ(ErrorOf("choice:a,b*0"),
            "spec 'choice:a,b*0': weight '0' of value 2 is not an integer >= 1");
  EXPECT_EQ(ErrorOf("choice:a*x"),
            "spec 'choice:a*x': weight 'x' of value 1 is not an integer >= 1");
  EXPECT_EQ(ErrorOf("choice:a*"), "spec 'choice:a*': weight '' of value 1 is not an integer >= 1");
  EXPECT_EQ(ErrorOf("choice:a*4294967296"),
            "spec 'choice:a*4294967296': weight '4294967296' of value 1 is not an integer >= 1");
  EXPECT_EQ(ErrorOf(R"(choice:a,"bc)"), R"(spec 'choice:a,"bc': value 2 has no closing '"')");
  EXPECT_EQ(ErrorOf(R"(choice:"a"b)"),
            R"(spec 'choice:"a"b': value 1: expected ',' or '*' after the closing '"')");
  EXPECT_EQ(ErrorOf(R"(choice:a"b)"),
            R"(spec 'choice:a"b': value 1 has a '"': quote the value and double the quote, )"
            R"(e.g. "say ""hi""")");
}

TEST(GenSpec, ConstTakesAnyTextAfterTheFirstColon) {
  GenSpec spec = Parse("const:paid");
  EXPECT_EQ(spec.kind, Kind::kConstant);
  EXPECT_EQ(spec.value, "paid");
  EXPECT_EQ(Parse("const:").value, "");
  EXPECT_EQ(Parse("const:a:b=c,d*e").value, "a:b=c,d*e");
  spec = Parse("const:x;null=0.1");
  EXPECT_EQ(spec.value, "x");
  EXPECT_EQ(spec.null_share, 0.1);
  EXPECT_EQ(ErrorOf("const"), "spec 'const': const takes :VALUE, e.g. const:paid");
}

TEST(GenSpec, NullAndDefaultTakeNoArguments) {
  EXPECT_EQ(Parse("null").kind, Kind::kNull);
  EXPECT_EQ(Parse("default").kind, Kind::kDefault);
  EXPECT_EQ(ErrorOf("null:x"), "spec 'null:x': null takes no arguments");
  EXPECT_EQ(ErrorOf("default:"), "spec 'default:': default takes no arguments");
}

TEST(GenSpec, TextTakesALengthRange) {
  GenSpec spec = Parse("text:0..200");
  EXPECT_EQ(spec.kind, Kind::kText);
  EXPECT_EQ(spec.min_length, 0u);
  EXPECT_EQ(spec.max_length, 200u);
  spec = Parse("text:5..5");
  EXPECT_EQ(spec.min_length, 5u);
  EXPECT_EQ(spec.max_length, 5u);
  for (const char* text :
       {"text", "text:5", "text:10..5", "text:-1..5", "text:a..b", "text:1..4294967296"}) {
    EXPECT_EQ(ErrorOf(text), "spec '" + std::string(text) +
                                 "': text takes MIN..MAX lengths with 0 <= MIN <= MAX, e.g. "
                                 "text:10..200");
  }
}

TEST(GenSpec, PatternAllowsOnlyTheRowPlaceholder) {
  GenSpec spec = Parse("pattern:user-{row}@example.com");
  EXPECT_EQ(spec.kind, Kind::kPattern);
  EXPECT_EQ(spec.value, "user-{row}@example.com");
  EXPECT_EQ(Parse("pattern:{row}-{row}").value, "{row}-{row}");
  EXPECT_EQ(Parse("pattern:fixed}").value, "fixed}");  // a lone '}' is text
  EXPECT_EQ(ErrorOf("pattern:user-{row"),
            "spec 'pattern:user-{row': '{' without a closing '}' (the only placeholder is {row})");
  EXPECT_EQ(ErrorOf("pattern:{foo}"),
            "spec 'pattern:{foo}': unknown placeholder '{foo}' (the only placeholder is {row})");
  EXPECT_EQ(
      ErrorOf("pattern:a{b{row}"),
      "spec 'pattern:a{b{row}': unknown placeholder '{b{row}' (the only placeholder is {row})");
  EXPECT_EQ(ErrorOf("pattern"), "spec 'pattern': pattern takes :TEXT, e.g. pattern:user-{row}");
}

TEST(GenSpec, RefSplitsAtTheLastDot) {
  GenSpec spec = Parse("ref:customers.id");
  EXPECT_EQ(spec.kind, Kind::kReference);
  EXPECT_EQ(spec.ref_table, "customers");
  EXPECT_EQ(spec.ref_column, "id");
  spec = Parse("ref:sales.customers.id");
  EXPECT_EQ(spec.ref_table, "sales.customers");
  EXPECT_EQ(spec.ref_column, "id");
  for (const char* text : {"ref", "ref:", "ref:customers", "ref:.id", "ref:customers."}) {
    EXPECT_EQ(ErrorOf(text),
              "spec '" + std::string(text) + "': ref takes TABLE.COLUMN, e.g. ref:customers.id");
  }
}

TEST(GenSpec, UnknownGeneratorListsTheKnownOnes) {
  const std::string known =
      "(expected one of seq, uniform, normal, zipf, choice, const, null, default, text, "
      "pattern, ref)";
  EXPECT_EQ(ErrorOf("choise:a,b"), "spec 'choise:a,b': 'choise' is not a generator " + known);
  EXPECT_EQ(ErrorOf("Uniform:1..2"), "spec 'Uniform:1..2': 'Uniform' is not a generator " + known);
  EXPECT_EQ(ErrorOf(""), "spec '': '' is not a generator " + known);
  EXPECT_EQ(ErrorOf(";null=0.1"), "spec ';null=0.1': '' is not a generator " + known);
}

TEST(GenSpec, NullShareModifier) {
  GenSpec spec = Parse("uniform:1..10;null=0.2");
  EXPECT_EQ(spec.kind, Kind::kUniform);
  EXPECT_EQ(spec.high, "10");
  EXPECT_EQ(spec.null_share, 0.2);
  spec = Parse("null=0.3");  // modifiers alone keep the column's usual generator
  EXPECT_EQ(spec.kind, Kind::kAuto);
  EXPECT_EQ(spec.null_share, 0.3);
  EXPECT_EQ(Parse("text:1..2;null=0").null_share, 0.0);
  EXPECT_EQ(Parse("seq;null=1").null_share, 1.0);
}

TEST(GenSpec, ModifierErrors) {
  const std::string share = "null=SHARE takes a number from 0 to 1, e.g. null=0.2";
  EXPECT_EQ(ErrorOf("uniform:1..10;null=1.5"), "spec 'uniform:1..10;null=1.5': " + share);
  EXPECT_EQ(ErrorOf("null=-0.1"), "spec 'null=-0.1': " + share);
  EXPECT_EQ(ErrorOf("null=x"), "spec 'null=x': " + share);
  EXPECT_EQ(ErrorOf("null="), "spec 'null=': " + share);
  EXPECT_EQ(ErrorOf("null=0.1;null=0.2"), "spec 'null=0.1;null=0.2': null=SHARE given twice");
  EXPECT_EQ(ErrorOf("uniform:1..10;nul=0.1"),
            "spec 'uniform:1..10;nul=0.1': unknown modifier 'nul=0.1' (expected null=SHARE, e.g. "
            ";null=0.2)");
  EXPECT_EQ(ErrorOf("seq;"),
            "spec 'seq;': unknown modifier '' (expected null=SHARE, e.g. ;null=0.2)");
  // The generator is checked before its modifiers.
  EXPECT_EQ(ErrorOf("uniform:5;null=9"),
            "spec 'uniform:5;null=9': uniform takes LOW..HIGH, e.g. uniform:1..100");
}

GenRule ParseOption(std::string_view text) {
  GenRule rule;
  const Status status = ParseGenOption(text, &rule);
  EXPECT_TRUE(status.ok()) << text << ": " << status.message();
  return rule;
}

TEST(GenSpecOption, SplitsTheNameAtDots) {
  GenRule rule = ParseOption("status=choice:a,b");
  EXPECT_EQ(rule.table, "");
  EXPECT_EQ(rule.column, "status");
  EXPECT_EQ(rule.spec.kind, Kind::kChoice);
  EXPECT_EQ(rule.origin, "--gen status=choice:a,b");
  rule = ParseOption("orders.status=const:x");
  EXPECT_EQ(rule.table, "orders");
  EXPECT_EQ(rule.column, "status");
  rule = ParseOption("public.orders.status=null");
  EXPECT_EQ(rule.table, "public.orders");
  EXPECT_EQ(rule.column, "status");
  EXPECT_EQ(rule.spec.kind, Kind::kNull);
  EXPECT_EQ(rule.origin, "--gen public.orders.status=null");
}

TEST(GenSpecOption, TheSpecMayContainEquals) {
  EXPECT_EQ(ParseOption("note=const:a=b").spec.value, "a=b");
  const GenRule rule = ParseOption("note=null=0.3");
  EXPECT_EQ(rule.spec.kind, Kind::kAuto);
  EXPECT_EQ(rule.spec.null_share, 0.3);
}

TEST(GenSpecOption, Errors) {
  for (const char* text :
       {"status", "=const:x", ".status=null", "orders.=null", "a..b=null", "a.b.c.d=null", ""}) {
    GenRule rule;
    const Status status = ParseGenOption(text, &rule);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << text;
    EXPECT_EQ(status.message(), "--gen '" + std::string(text) +
                                    "': expected COLUMN=SPEC, TABLE.COLUMN=SPEC or "
                                    "SCHEMA.TABLE.COLUMN=SPEC, e.g. --gen "
                                    "orders.status=choice:new,paid");
  }
  GenRule rule;
  const Status status = ParseGenOption("n=uniform:5", &rule);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "--gen spec 'uniform:5': uniform takes LOW..HIGH, e.g. uniform:1..100");
}

// Each test gets its own directory under the system temp dir.
class SeedSpecFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("gen_spec_test." + std::to_string(::getpid()) + "." + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& text) {
    const std::string path = (dir_ / "seed.yaml").string();
    std::ofstream(path) << text;
    return path;
  }

  // The error for TEXT, with the file's path written "PATH".
  std::string ErrorOf(const std::string& text) {
    const std::string path = Write(text);
    SeedSpecFile file;
    const Status status = ReadSeedSpecFile(path, &file);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
    std::string msg = status.message();
    for (size_t at = msg.find(path); at != std::string::npos; at = msg.find(path, at)) {
      msg.replace(at, path.size(), "PATH");
    }
    return msg;
  }

  std::filesystem::path dir_;
};

TEST_F(SeedSpecFileTest, ReadsEveryField) {
  const std::string path = Write(
      "# beside the schema\n"
      "seed: 7\n"
      "null_share: 0.05\n"
      "tables:\n"
      "  orders:\n"
      "    rows: 100000\n"
      "    columns:\n"
      "      status: \"choice:new*8,paid*2\"\n"
      "      note: text:0..200;null=0.3\n"
      "  public.customers:\n"
      "    columns:\n"
      "      id: 'seq:1000,10'\n"
      "  empty:\n");
  SeedSpecFile file;
  ASSERT_TRUE(ReadSeedSpecFile(path, &file).ok());
  EXPECT_EQ(file.seed, 7u);
  EXPECT_EQ(file.null_share, 0.05);
  ASSERT_EQ(file.tables.size(), 3u);
  EXPECT_EQ(file.tables[0].name, "orders");
  EXPECT_EQ(file.tables[0].rows, 100000u);
  EXPECT_EQ(file.tables[0].origin, path + ":5:3");
  EXPECT_EQ(file.tables[1].name, "public.customers");
  EXPECT_FALSE(file.tables[1].rows.has_value());
  EXPECT_EQ(file.tables[1].origin, path + ":10:3");
  EXPECT_EQ(file.tables[2].name, "empty");
  ASSERT_EQ(file.rules.size(), 3u);
  EXPECT_EQ(file.rules[0].table, "orders");
  EXPECT_EQ(file.rules[0].column, "status");
  EXPECT_EQ(file.rules[0].origin, path + ":8:7");
  EXPECT_EQ(file.rules[0].spec.kind, Kind::kChoice);
  EXPECT_EQ(file.rules[0].spec.weights, (std::vector<uint32_t>{8, 2}));
  EXPECT_EQ(file.rules[1].column, "note");
  EXPECT_EQ(file.rules[1].spec.kind, Kind::kText);
  EXPECT_EQ(file.rules[1].spec.max_length, 200u);
  EXPECT_EQ(file.rules[1].spec.null_share, 0.3);
  EXPECT_EQ(file.rules[1].origin, path + ":9:7");
  EXPECT_EQ(file.rules[2].table, "public.customers");
  EXPECT_EQ(file.rules[2].column, "id");
  EXPECT_EQ(file.rules[2].spec.low, "1000");
  EXPECT_EQ(file.rules[2].origin, path + ":12:7");
}

TEST_F(SeedSpecFileTest, AnEmptyFileSaysNothing) {
  for (const char* text : {"", "# nothing yet\n", "tables:\n"}) {
    SeedSpecFile file;
    ASSERT_TRUE(ReadSeedSpecFile(Write(text), &file).ok()) << text;
    EXPECT_FALSE(file.seed.has_value());
    EXPECT_FALSE(file.null_share.has_value());
    EXPECT_TRUE(file.tables.empty());
    EXPECT_TRUE(file.rules.empty());
  }
}

TEST_F(SeedSpecFileTest, MalformedYamlGivesTheLine) {
  EXPECT_EQ(ErrorOf("seed: 1\n"
                    "tables:\n"
                    "  orders:\n"
                    "    rows: 5\n"
                    "   columns: {}\n"),
            "PATH:5:4: end of map not found");
  EXPECT_EQ(ErrorOf("tables:\n"
                    "  orders:\n"
                    "    columns: [a, b\n"),
            "PATH:4:1: end of sequence flow not found");
}

TEST_F(SeedSpecFileTest, BadSpecGivesItsLineAndColumn) {
  EXPECT_EQ(ErrorOf("seed: 7\n"
                    "tables:\n"
                    "  orders:\n"
                    "    rows: 10\n"
                    "    columns:\n"
                    "      id: seq\n"
                    "      status: choise\n"),
            "PATH:7:15: orders.status: spec 'choise': 'choise' is not a generator (expected one "
            "of seq, uniform, normal, zipf, choice, const, null, default, text, pattern, ref)");
  EXPECT_EQ(ErrorOf("tables:\n"
                    "  orders:\n"
                    "    columns:\n"
                    "      amount: \"uniform:5\"\n"),
            "PATH:4:15: orders.amount: spec 'uniform:5': uniform takes LOW..HIGH, e.g. "
            "uniform:1..100");
}

TEST_F(SeedSpecFileTest, UnknownKeys) {
  EXPECT_EQ(ErrorOf("seed: 1\ntabels:\n  orders: {}\n"),
            "PATH:2:1: unknown key 'tabels' (expected seed, null_share or tables)");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    row: 5\n"),
            "PATH:3:5: orders: unknown key 'row' (expected rows or columns)");
}

TEST_F(SeedSpecFileTest, EntriesOfTheWrongShape) {
  EXPECT_EQ(ErrorOf("- seed\n- 7\n"), "PATH:1:1: a sequence is not a mapping");
  EXPECT_EQ(ErrorOf("just text\n"), "PATH:1:1: 'just text' is not a mapping");
  EXPECT_EQ(ErrorOf("seed: -1\n"), "PATH:1:7: seed: '-1' is not a non-negative integer");
  EXPECT_EQ(ErrorOf("null_share: 2\n"), "PATH:1:13: null_share: '2' is not a number from 0 to 1");
  EXPECT_EQ(ErrorOf("tables: [orders]\n"), "PATH:1:9: tables: a sequence is not a mapping");
  EXPECT_EQ(ErrorOf("tables:\n  orders: 5\n"), "PATH:2:11: orders: '5' is not a mapping");
  EXPECT_EQ(ErrorOf("tables:\n  a.b.c: {}\n"),
            "PATH:2:3: 'a.b.c' is not a table name (expected TABLE or SCHEMA.TABLE)");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    rows: -5\n"),
            "PATH:3:11: orders.rows: '-5' is not a non-negative integer");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    rows: 1e5\n"),
            "PATH:3:11: orders.rows: '1e5' is not a non-negative integer");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    columns: [a]\n"),
            "PATH:3:14: orders.columns: a sequence is not a mapping");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    columns:\n      status: [a, b]\n"),
            "PATH:4:15: orders.status: a sequence is not a spec string");
  EXPECT_EQ(ErrorOf("tables:\n  orders:\n    columns:\n      note: null\n"),
            "PATH:4:13: orders.note: an empty value is not a spec string (write \"null\" for the "
            "null generator)");
}

TEST_F(SeedSpecFileTest, NamesGivenTwice) {
  EXPECT_EQ(ErrorOf("tables:\n"
                    "  orders:\n"
                    "    columns:\n"
                    "      status: \"null\"\n"
                    "      status: const:x\n"),
            "PATH:5:7: orders.columns: 'status' given twice (first at PATH:4:7)");
  EXPECT_EQ(ErrorOf("tables:\n  orders: {}\n  orders: {}\n"),
            "PATH:3:3: tables: 'orders' given twice (first at PATH:2:3)");
  EXPECT_EQ(ErrorOf("seed: 1\nseed: 2\n"), "PATH:2:1: 'seed' given twice (first at PATH:1:1)");
}

TEST_F(SeedSpecFileTest, AMissingFileIsAnIoError) {
  const std::string path = (dir_ / "missing.yaml").string();
  SeedSpecFile file;
  const Status status = ReadSeedSpecFile(path, &file);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(status.message(), "cannot read " + path + ": No such file or directory");
}

TEST_F(SeedSpecFileTest, ADirectoryIsAnIoError) {
  SeedSpecFile file;
  const Status status = ReadSeedSpecFile(dir_.string(), &file);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(status.message(), "cannot read " + dir_.string() + ": Is a directory");
}

}  // namespace
}  // namespace loader
