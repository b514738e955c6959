// ParseCommandLine for CSV input: --input (repeated, globbed, stdin), the
// options that say how to read the files, and what cannot go with them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/cli/cli.h"
#include "support/cli_testing.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

// A fresh directory holding files "1\n" of the given names.
class FileDir {
 public:
  explicit FileDir(const std::vector<std::string>& files) {
    for (const std::string& f : files) dir_.Write(f, "1\n");
  }
  std::string operator/(const std::string& name) const { return dir_.File(name); }

 private:
  test_support::TempDir dir_;
};

TEST(CliInput, DefaultsWithOneFile) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--input", "data.csv"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  const LoadSpec& o = cl.spec;
  EXPECT_EQ(o.input.files, (std::vector<std::string>{"data.csv"}));
  EXPECT_EQ(o.input.table, "accounts");
  EXPECT_TRUE(o.input.columns.empty());
  EXPECT_FALSE(o.input.header);
  EXPECT_EQ(o.input.csv.delimiter, ',');
  EXPECT_EQ(o.input.csv.quote, '"');
  EXPECT_EQ(o.input.csv.null_text, "");
  EXPECT_EQ(o.faults.max_rejects, 0u);
  EXPECT_EQ(o.faults.reject_file, "");
}

TEST(CliInput, NoInputMeansGeneratedRows) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.input.files.empty());
}

TEST(CliInput, RepeatsAndGlobsExpandInNameOrder) {
  ScopedLoaderEnv env;
  FileDir dir({"b.csv", "a.csv", "10.csv", "c.csv.bak", "d.txt"});
  const CommandLine cl = Parse(
      {"--input", "first.csv", "--input", dir / "*.csv", "--input", "-", "--input", dir / "?.txt"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  // A plain name is kept as given, even one that does not exist yet: it is
  // opened when the load reads it.
  EXPECT_EQ(cl.spec.input.files,
            (std::vector<std::string>{"first.csv", dir / "10.csv", dir / "a.csv", dir / "b.csv",
                                      "-", dir / "d.txt"}));
  const CommandLine brackets = Parse({"--input", dir / "[ab].csv"});
  ASSERT_TRUE(brackets.status.ok()) << brackets.status.ToString();
  EXPECT_EQ(brackets.spec.input.files, (std::vector<std::string>{dir / "a.csv", dir / "b.csv"}));
}

TEST(CliInput, AGlobWithNoMatchIsRefused) {
  ScopedLoaderEnv env;
  FileDir dir({"a.csv"});
  EXPECT_EQ(ErrorOf({"--input", dir / "*.tsv"}),
            "--input " + (dir / "*.tsv") + ": no file matches");
  EXPECT_EQ(ErrorOf({"--input", dir / "a.csv", "--input", dir / "x?.csv"}),
            "--input " + (dir / "x?.csv") + ": no file matches");
}

TEST(CliInput, StandardInputOnlyOnce) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--input", "-", "--input", "a.csv", "--input", "-"}),
            "--input -: standard input can be read only once");
}

TEST(CliInput, EveryReadingOption) {
  ScopedLoaderEnv env;
  const CommandLine cl =
      Parse({"--table", "orders", "--input", "o.input.csv", "--columns", " id , placed,total ",
             "--header", "--delimiter", ";", "--quote", "'", "--null", "\\N", "--max-rejects", "25",
             "--reject-file", "bad.csv"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  const LoadSpec& o = cl.spec;
  EXPECT_EQ(o.input.table, "orders");
  EXPECT_EQ(o.input.columns, (std::vector<std::string>{"id", "placed", "total"}));
  EXPECT_TRUE(o.input.header);
  EXPECT_EQ(o.input.csv.delimiter, ';');
  EXPECT_EQ(o.input.csv.quote, '\'');
  EXPECT_EQ(o.input.csv.null_text, "\\N");
  EXPECT_EQ(o.faults.max_rejects, 25u);
  EXPECT_EQ(o.faults.reject_file, "bad.csv");
}

TEST(CliInput, ColumnsMayNotBeEmptyNames) {
  ScopedLoaderEnv env;
  const std::string empty = "--columns: an empty column name";
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--columns", "a,,b"}), empty);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--columns", ",a"}), empty);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--columns", "a, ,b"}), empty);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--columns", "  "}), empty);
}

// A trailing comma leaves an empty last name as much as a leading one does.
TEST(CliInput, ATrailingCommaInColumnsIsAnEmptyNameToo) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--columns", "a,b,"}), "--columns: an empty column name");
}

TEST(CliInput, DelimiterIsOneCharacterOrATab) {
  ScopedLoaderEnv env;
  for (const char* tab : {"\\t", "tab", "\t"}) {
    const CommandLine cl = Parse({"--input", "f.csv", "--delimiter", tab});
    ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
    EXPECT_EQ(cl.spec.input.csv.delimiter, '\t') << tab;
  }
  const CommandLine pipe = Parse({"--input", "f.csv", "--delimiter", "|"});
  ASSERT_TRUE(pipe.status.ok()) << pipe.status.ToString();
  EXPECT_EQ(pipe.spec.input.csv.delimiter, '|');

  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", "ab"}),
            "--delimiter: 'ab' is not one character (use \\t for a tab)");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", ""}),
            "--delimiter: '' is not one character (use \\t for a tab)");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", "\n"}),
            "--delimiter: '\n' is not one character (use \\t for a tab)");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", "\r"}),
            "--delimiter: '\r' is not one character (use \\t for a tab)");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--quote", "''"}),
            "--quote: '''' is not one character (use \\t for a tab)");
}

TEST(CliInput, QuoteMustDifferFromTheDelimiter) {
  ScopedLoaderEnv env;
  const std::string same = "--delimiter and --quote must differ";
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--quote", ","}), same);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", "\""}), same);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", "tab", "--quote", "\\t"}), same);
  const CommandLine swapped = Parse({"--input", "f.csv", "--delimiter", "\"", "--quote", ","});
  ASSERT_TRUE(swapped.status.ok()) << swapped.status.ToString();
  EXPECT_EQ(swapped.spec.input.csv.delimiter, '"');
  EXPECT_EQ(swapped.spec.input.csv.quote, ',');
}

TEST(CliInput, NullTextCannotHoldALineBreakOrTheDelimiter) {
  ScopedLoaderEnv env;
  const std::string bad = "--null: it cannot hold a line break or the delimiter";
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--null", "a\nb"}), bad);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--null", "\r"}), bad);
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--null", "a,b"}), bad);
  // The delimiter that counts is the one given.
  const CommandLine cl = Parse({"--input", "f.csv", "--delimiter", ";", "--null", "a,b"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.csv.null_text, "a,b");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--delimiter", ";", "--null", "a;b"}), bad);
}

TEST(CliInput, FileOptionsNeedInput) {
  ScopedLoaderEnv env;
  const std::vector<std::vector<std::string>> cases = {
      {"--header"},    {"--columns", "a"},     {"--delimiter", ";"},      {"--quote", "'"},
      {"--null", "x"}, {"--max-rejects", "3"}, {"--reject-file", "r.csv"}};
  for (const auto& args : cases) {
    EXPECT_EQ(ErrorOf(args), args[0] + " reads files: it needs --input");
  }
  // Even the default value, given explicitly.
  EXPECT_EQ(ErrorOf({"--max-rejects", "0"}), "--max-rejects reads files: it needs --input");
}

TEST(CliInput, RowsAndSeedAreForGeneratedRows) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--rows", "5"}),
            "--rows is for generated rows; with --input the files are the rows");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--seed", "1"}),
            "--seed is for generated rows; with --input the files are the rows");
}

TEST(CliInput, AnyTableTakesInputFromFiles) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--table", "foo", "--input", "foo.csv"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.table, "foo");
  EXPECT_EQ(cl.spec.input.files, (std::vector<std::string>{"foo.csv"}));
}

TEST(CliInput, MaxRejectsIsAWholeNumber) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--max-rejects", "x"}),
            "--max-rejects: 'x' is not a whole number");
  EXPECT_EQ(ErrorOf({"--input", "f.csv", "--max-rejects", "-1"}),
            "--max-rejects: '-1' is not a whole number");
}

TEST(CliInput, EnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_MAX_REJECTS", "7");
  env.Set("LOADER_DELIMITER", "tab");
  env.Set("LOADER_REJECT_FILE", "env.csv");
  const CommandLine cl = Parse({"--input", "f.csv"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.faults.max_rejects, 7u);
  EXPECT_EQ(cl.spec.input.csv.delimiter, '\t');
  EXPECT_EQ(cl.spec.faults.reject_file, "env.csv");
}

}  // namespace
}  // namespace loader
