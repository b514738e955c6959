// A header matched to columns by name (--header without --columns): fields
// in another order, renamed with --map, left out with --skip-field or
// --skip-unknown-fields, columns left to their defaults, from files, stdin
// and --emit-import; and the clear errors of a header that cannot be mapped.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr long long kRows = 3000;

// The accounts lines with their two fields swapped: "balance,id".
std::string Swapped(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    const size_t comma = line.find(',');
    out += line.substr(comma + 1) + "," + line.substr(0, comma) + "\n";
  }
  return out;
}

// The accounts lines with a third field in the middle: "id,note,balance".
std::string WithNote(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    const size_t comma = line.find(',');
    out += line.substr(0, comma) + ",\"a, note\"," + line.substr(comma + 1) + "\n";
  }
  return out;
}

// Each test makes its rows (in a database named after it): the tests run as
// processes of their own, in parallel.
class HeaderMapTest : public ::testing::Test {
 protected:
  // Loads `file` into a fresh accounts table with `more` options, and checks
  // the table is exactly the generated rows.
  void ExpectLoadsExactly(const std::string& file, const std::vector<std::string>& more,
                          const ChildIo& io = {}) {
    ScratchDatabase db;
    std::vector<std::string> args = {"--url",    db.url(),   "--input", file,
                                     "--header", "--create", "--chunk", "700"};
    args.insert(args.end(), more.begin(), more.end());
    const LoaderRun run = RunLoader(args, {}, io);
    ASSERT_EQ(run.exit_code, 0) << run.all();
    EXPECT_EQ(db.Count("accounts"), kRows);
    EXPECT_EQ(db.Checksum("accounts"), rows_->checksum());
  }

  std::unique_ptr<GeneratedRows> rows_ = std::make_unique<GeneratedRows>("accounts", kRows);
  ScratchDir dir_;
};

TEST_F(HeaderMapTest, FieldsInAnotherOrderGoToTheColumnsTheyName) {
  const std::string file = dir_.File("swapped.csv");
  WriteFile(file, "balance,id\n" + Swapped(rows_->lines()));
  ExpectLoadsExactly(file, {});
  ExpectLoadsExactly(file, {"--method", "insert", "--workers", "3"});
  // Case does not matter when it picks out one column.
  const std::string upper = dir_.File("upper.csv");
  WriteFile(upper, "Balance,ID\n" + Swapped(rows_->lines()));
  ExpectLoadsExactly(upper, {});
}

TEST_F(HeaderMapTest, StandardInputIsMappedFromTheHeaderItStartsWith) {
  ExpectLoadsExactly("-", {}, {.stdin_bytes = "balance,id\n" + Swapped(rows_->lines()), .cwd = ""});
}

TEST_F(HeaderMapTest, RenamedFieldsWithMap) {
  const std::string file = dir_.File("renamed.csv");
  WriteFile(file, "amount,account\n" + Swapped(rows_->lines()));
  ExpectLoadsExactly(file, {"--map", "account=id", "--map", "amount=balance"});
}

TEST_F(HeaderMapTest, AnExtraFieldIsRefusedUnlessLeftOut) {
  const std::string file = dir_.File("extra.csv");
  WriteFile(file, "id,note,balance\n" + WithNote(rows_->lines()));
  ScratchDatabase db;
  const LoaderRun run = RunLoader({"--url", db.url(), "--input", file, "--header", "--create"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, file + ":1: the header's field note matches no column of accounts "
                                       "(its columns: id, balance); rename with --map "
                                       "FIELD=COLUMN, or leave out with --skip-field FIELD or "
                                       "--skip-unknown-fields"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), -1);  // refused before --create made it
  ExpectLoadsExactly(file, {"--skip-field", "note"});
  ExpectLoadsExactly(file, {"--skip-unknown-fields", "--workers", "2"});
}

TEST_F(HeaderMapTest, ColumnsTheHeaderLeavesOutGetTheirDefaultsOrAClearError) {
  ScratchDatabase db;
  db.Exec(
      "CREATE TABLE items (id INT8 PRIMARY KEY, name TEXT NOT NULL, qty INT4 NOT NULL DEFAULT 7,"
      " note TEXT)");
  const std::string file = dir_.File("items.csv");
  WriteFile(file, "name,id\nax,1\nbee,2\ncee,3\n");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "items", "--input", file, "--header"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT string_agg(id || ':' || name || ':' || qty || ':' || "
                      "coalesce(note, 'null'), ' ' ORDER BY id) FROM items"),
            "1:ax:7:null 2:bee:7:null 3:cee:7:null");

  const std::string no_name = dir_.File("no-name.csv");
  WriteFile(no_name, "id,note\n4,x\n");
  run = RunLoader({"--url", db.url(), "--table", "items", "--input", no_name, "--header"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, no_name +
                                    ":1: no field of the header (id, note) fills column name of "
                                    "items, which must have a value (NOT NULL, no default); add "
                                    "it to the files, or --map a field onto it"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 3);
}

TEST_F(HeaderMapTest, HeadersThatCannotBeMappedAreClearErrors) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, name TEXT)");
  const std::string twice = dir_.File("twice.csv");
  WriteFile(twice, "id,name,id\n1,a,1\n");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "items", "--input", twice, "--header"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, twice + ":1: the header names field 'id' twice")) << run.err;

  const std::string both = dir_.File("both.csv");
  WriteFile(both, "id,label,name\n1,a,b\n");
  run = RunLoader(
      {"--url", db.url(), "--table", "items", "--input", both, "--header", "--map", "label=name"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(
      Contains(run.err, both + ":1: fields 'label' and 'name' both fill column name of items"))
      << run.err;

  run = RunLoader(
      {"--url", db.url(), "--table", "items", "--input", both, "--header", "--map", "lable=name"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err, "--map lable=name: the header at " + both +
                                    ":1 has no field 'lable' (it names id, label, name)"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 0);
}

// The mapping is part of the job: the same command again finds it loaded.
TEST_F(HeaderMapTest, AMappedLoadRunAgainIsAlreadyLoaded) {
  const std::string file = dir_.File("swapped.csv");
  WriteFile(file, "balance,id\n" + Swapped(rows_->lines()));
  ScratchDatabase db;
  const std::vector<std::string> args = {"--url", db.url(),   "--input",
                                         file,    "--header", "--create"};
  ASSERT_EQ(RunLoader(args).exit_code, 0);
  const LoaderRun again = RunLoader(args);
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_TRUE(Contains(again.err, "resuming: 3000 rows in 3 chunks are already committed"))
      << again.err;
  EXPECT_TRUE(Contains(again.out, "rows:           0\n")) << again.out;
  EXPECT_EQ(db.Checksum("accounts"), rows_->checksum());
}

// --emit-import reads no catalog: the header names the columns, and the
// files load through psql in that order.
TEST_F(HeaderMapTest, EmitImportTakesTheColumnsFromTheHeader) {
  const std::string file = dir_.File("swapped.csv");
  WriteFile(file, "balance,note,id\n");
  std::string body;
  for (const std::string& line : rows_->lines()) {
    const size_t comma = line.find(',');
    body += line.substr(comma + 1) + ",x," + line.substr(0, comma) + "\n";
  }
  WriteFile(file, "balance,note,id\n" + body);
  const std::string out = dir_.File("emitted");
  const LoaderRun run = RunLoader(
      {"--input", file, "--header", "--skip-field", "note", "--emit-import", out, "--create"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  ScratchDatabase db;
  db.Exec("CREATE TABLE accounts (id UUID PRIMARY KEY, balance INT8)");
  const ShellRun psql = LoadWithPsql(out, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("accounts"), kRows);
  EXPECT_EQ(db.Checksum("accounts"), rows_->checksum());
}

}  // namespace
}  // namespace loader::test_support
