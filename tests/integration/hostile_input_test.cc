// Hostile input end to end (issue 16, findings 2, 5 and 9).
// --emit-import files hold values that readers take for syntax at a line's
// or a file's start: a value that is exactly \., which psql's \copy takes
// for the end of the data, and one starting with U+FEFF first in a file,
// which a reader takes for a byte order mark. Both are quoted, so
// load-postgres.sql loads every row and the loader reads every value back
// as itself. --stats-json stays valid JSON (parsed by the server, ::jsonb)
// when the error it carries comes from bytes that are not UTF-8 or from a
// multi-byte value cut short in a message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kRows[] =
    "SELECT string_agg(encode(convert_to(coalesce(a, 'NULL'), 'UTF8'), 'hex'), ' ' ORDER BY a) "
    "FROM t_dot";

// The command: a one-column table whose second value is \.
TEST(HostileInput, AValueThatIsBackslashDotLoadsWithPsql) {
  ScratchDir scratch;
  const std::string input = scratch.File("dot.csv");
  const std::string dir = scratch.File("out");
  WriteFile(input, "a\nfirst\n\\.\nthird\n");
  LoaderRun emit = RunLoader(
      {"--table", "t_dot", "--columns", "a", "--header", "--input", input, "--emit-import", dir});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_EQ(ReadFile(dir + "/t_dot.00001.csv"), "first\n\"\\.\"\nthird\n");

  ScratchDatabase db;
  db.Exec("CREATE TABLE t_dot (a TEXT)");
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("t_dot"), 3);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM t_dot WHERE a = '\\.'"), "1");
}

// A value starting with U+FEFF, first in the file: psql and the loader's own
// reader both load it as the value, not as a byte order mark.
TEST(HostileInput, AValueStartingWithAByteOrderMarkStaysAValue) {
  ScratchDir scratch;
  const std::string input = scratch.File("bom.csv");
  const std::string dir = scratch.File("out");
  // The input's own BOM goes; the value's, after it, stays.
  WriteFile(input, "\xEF\xBB\xBF\"\xEF\xBB\xBF\"\n\xEF\xBB\xBFx\n");
  LoaderRun emit =
      RunLoader({"--table", "t_dot", "--columns", "a", "--input", input, "--emit-import", dir});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  const std::string file = dir + "/t_dot.00001.csv";
  EXPECT_EQ(ReadFile(file), "\"\xEF\xBB\xBF\"\n\"\xEF\xBB\xBFx\"\n");

  ScratchDatabase by_psql("psql");
  by_psql.Exec("CREATE TABLE t_dot (a TEXT)");
  const ShellRun psql = LoadWithPsql(dir, by_psql.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(by_psql.Scalar(kRows), "efbbbf efbbbf78");

  ScratchDatabase reread("reread");
  reread.Exec("CREATE TABLE t_dot (a TEXT)");
  LoaderRun load = RunLoader({"--url", reread.url(), "--table", "t_dot", "--input", file});
  ASSERT_EQ(load.exit_code, 0) << load.all();
  EXPECT_EQ(reread.Scalar(kRows), "efbbbf efbbbf78");
}

// `text` as a SQL string literal.
std::string SqlLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The "error" of the --stats-json file at `path`, as the server's JSON parser
// reads it: a file that is not valid JSON fails the test.
std::string StatsError(ScratchDatabase& db, const std::string& path) {
  const std::string json = ReadFile(path);
  EXPECT_EQ(db.Scalar("SELECT jsonb_typeof(" + SqlLiteral(json) + "::jsonb)"), "object") << json;
  return db.Scalar("SELECT " + SqlLiteral(json) + "::jsonb ->> 'error'");
}

TEST(HostileInput, StatsJsonStaysValidWhateverTheBytesOfItsError) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (a TEXT, b INT8)");
  ScratchDir scratch;
  const std::string stats = scratch.File("s.json");
  const std::string after_quote =
      ":2:4: expected a delimiter or the end of the line after the closing quote, found ";
  struct Case {
    std::string csv;
    std::string error;  // after the file name
  };
  std::string e_acute25;
  for (int i = 0; i < 25; ++i) e_acute25 += "\xC3\xA9";
  const Case cases[] = {
      // The inputs: a whole character after a closing quote, then a lone byte.
      {"a,b\n\"x\"\xC3\xA9,1\n", after_quote + "'\xC3\xA9'"},
      {"a,b\n\"x\"\xC3,1\n", after_quote + "byte 0xC3"},
      // A balance of 1 and 25 \xC3\xA9: shown cut at 39 bytes, not inside the 20th.
      {"a,b\nx,1" + e_acute25 + "\n", ":2:3: column b: expected a 64-bit integer (INT8), found '1" +
                                          e_acute25.substr(0, 38) + "...'"},
  };
  for (const Case& c : cases) {
    const std::string input = scratch.File("bad.csv");
    WriteFile(input, c.csv);
    const LoaderRun run = RunLoader(
        {"--url", db.url(), "--table", "t", "--header", "--input", input, "--stats-json", stats});
    EXPECT_EQ(run.exit_code, 8) << run.all();
    EXPECT_EQ(StatsError(db, stats), input + c.error);
  }
  // A file name that is not UTF-8: its bad byte becomes U+FFFD in the JSON.
  const std::string missing = scratch.File("caf\xE9.csv");
  const LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "t", "--input", missing, "--stats-json", stats});
  EXPECT_NE(run.exit_code, 0) << run.all();
  const std::string error = StatsError(db, stats);
  EXPECT_NE(error.find("caf\xEF\xBF\xBD.csv"), std::string::npos) << error;
}

}  // namespace
}  // namespace loader::test_support
