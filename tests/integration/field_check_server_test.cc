// The field checks against the real server (issue 16, findings 6 and 8): the
// catalog's type names with something after their modifiers map to the right
// check or to none (arrays of any type are the server's to parse), and every
// real, double precision and numeric value the server's COPY accepts loads
// through the loader to the same stored value as through psql's \copy.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "loader/pg/connection.h"
#include "loader/pg/table_catalog.h"
#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

TEST(FieldCheckServer, ANumericArrayColumnLoads) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t_arr (id int, v numeric(10,2)[])");
  ScratchDir dir;
  const std::string file = dir.File("arr.csv");
  WriteFile(file, "1,\"{1.50,2.25}\"\n");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "t_arr", "--input", file});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT id || ' ' || v::text FROM t_arr"), "1 {1.50,2.25}");
}

constexpr char kModifiedTypes[] =
    "CREATE TABLE t_mod (id int, a time(3) with time zone, b timestamp(3) without time zone, "
    "c character varying(20)[], d bit(3), e interval(2), f double precision[], g integer[], "
    "h numeric(10,2)[], i numeric(6,3), j character varying(4), k real)";

TEST(FieldCheckServer, TypesWithTextAfterTheirModifiersLoad) {
  ScratchDatabase db;
  db.Exec(kModifiedTypes);
  ScratchDir dir;
  const std::string file = dir.File("mod.csv");
  WriteFile(file,
            "1,12:34:56.789+02,2024-01-02 03:04:05.678,\"{a,\"\"b c\"\"}\",101,"
            "1 day 02:03:04.567,\"{0x1p3,-Infinity}\",\"{1,2}\",\"{1.5,NULL}\",1e 1,abcd,-nan\n");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "t_mod", "--input", file});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT concat_ws(' | ', id, a, b, c, d, e, f, g, h, i, j, k) FROM t_mod"),
            "1 | 12:34:56.789+02 | 2024-01-02 03:04:05.678 | {a,\"b c\"} | 101 | "
            "1 day 02:03:04.57 | {8,-Infinity} | {1,2} | {1.50,NULL} | 10.000 | abcd | NaN");
}

// The catalog's reading of the same table: the scalar columns keep their
// checks, everything else is left to the server.
TEST(FieldCheckServer, TheCatalogMapsModifiedTypes) {
  ScratchDatabase db;
  db.Exec(kModifiedTypes);
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Open(db.url(), &conn).ok());
  std::vector<Column> columns;
  ASSERT_TRUE(ReadTableColumns(*conn, ServerKind::kPostgres, "t_mod", &columns).ok());
  std::string types;
  for (const Column& c : columns) {
    types += c.name + "=" + std::to_string(static_cast<int>(c.type)) + " ";
  }
  auto t = [](ColumnType type) { return std::to_string(static_cast<int>(type)); };
  const std::string other = t(ColumnType::kOther);
  EXPECT_EQ(types, "id=" + t(ColumnType::kInt4) + " a=" + other + " b=" + other + " c=" + other +
                       " d=" + other + " e=" + other + " f=" + other + " g=" + other +
                       " h=" + other + " i=" + t(ColumnType::kNumeric) +
                       " j=" + t(ColumnType::kText) + " k=" + t(ColumnType::kFloat4) + " ");
}

// Forms of numbers from the unit test's table (field_check_test.cc), those the
// server accepts and those it refuses; which is which is asked of the running
// server, so the test holds on any version.
const std::vector<std::string>& NumberForms() {
  static const std::vector<std::string> forms = {
      "0x1p3",    "0X1P3", "0x10",    "0x1F",    "-0x10",   "0x.8p1", "0x1.", "0x1p-2",
      "0x1e3",    "0x_1F", "0x1p",    "-nan",    "+nan",    " -nan",  "nan",  "NaN",
      "nan(123)", "nan()", "NAN(X)",  "-nan(1)", "nan(-1)", "inf",    "-inf", "+INFINITY",
      "infinit",  "1e 5",  "1e +5",   "1e\t5",   "1e",      "1e5 ",   " 1e5", "1.5e-3",
      ".5",       "5.",    "+.5",     "-.5e1",   "-0",      "1e-40",  "1e39", "3.4e38",
      "1e400",    "1_000", "1.000_5", "0o17",    "0b101",   "017",    "1d5",  "0x1p3 "};
  return forms;
}

std::string Quoted(const std::string& value) { return "$v$" + value + "$v$"; }

TEST(FieldCheckServer, FloatsAndNumericsLoadAsPsqlCopyLoadsThem) {
  ScratchDatabase db;
  db.Exec(
      "CREATE FUNCTION accepts(v text, t text) RETURNS bool LANGUAGE plpgsql AS $$ "
      "BEGIN EXECUTE format('SELECT %L::' || t, v); RETURN true; "
      "EXCEPTION WHEN others THEN RETURN false; END $$");
  ScratchDir dir;
  int table = 0;
  for (const std::string type : {"real", "double precision", "numeric"}) {
    SCOPED_TRACE(type);
    std::string csv;
    std::string accepted;
    int id = 0;
    for (const std::string& form : NumberForms()) {
      if (db.Scalar("SELECT accepts(" + Quoted(form) + ", '" + type + "')") != "t") continue;
      csv += std::to_string(++id) + ",\"" + form + "\"\n";
      accepted += "'" + form + "' ";
    }
    ASSERT_GT(id, 20) << accepted;
    const std::string file = dir.File("values" + std::to_string(++table) + ".csv");
    WriteFile(file, csv);
    const std::string by_loader = "by_loader_" + std::to_string(table);
    const std::string by_psql = "by_psql_" + std::to_string(table);
    db.Exec("CREATE TABLE " + by_loader + " (id int, v " + type + ")");
    db.Exec("CREATE TABLE " + by_psql + " (id int, v " + type + ")");

    LoaderRun run = RunLoader({"--url", db.url(), "--table", by_loader, "--input", file});
    EXPECT_EQ(run.exit_code, 0) << accepted << "\n" << run.all();
    const ShellRun psql = Shell("psql -X -q -v ON_ERROR_STOP=1 " + ShellWord(db.url()) + " -c " +
                                ShellWord("\\copy " + by_psql + " FROM '" + file + "' CSV"));
    ASSERT_EQ(psql.exit_code, 0) << psql.output;

    const std::string stored = "SELECT string_agg(id || '=' || v::text, ' ' ORDER BY id) FROM ";
    const std::string expected = db.Scalar(stored + by_psql);
    EXPECT_EQ(db.Count(by_psql), id);
    EXPECT_EQ(db.Scalar(stored + by_loader), expected) << accepted;
  }
}

}  // namespace
}  // namespace loader::test_support
