// Synthetic rows the generator cannot make, or a schema it cannot order, are
// refused before any row is sent, with the table, the column and what to do
// (exit 2); so are bad --gen specs, with where they were given.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

LoaderRun Load(ScratchDatabase& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--url", db.url()});
  return RunLoader(args);
}

// The error line of a refused run: "error: ..." without the log prefix.
std::string ErrorLine(const LoaderRun& run) {
  const size_t at = run.err.find("error: ");
  if (at == std::string::npos) return run.err;
  const size_t end = run.err.find('\n', at);
  return run.err.substr(at + 7, end - at - 7);
}

TEST(SeedErrors, ATypeTheGeneratorCannotMakeNamesTheColumnAndTheWayOut) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE shapes (id int PRIMARY KEY, p point NOT NULL)");
  LoaderRun run = Load(db, {"--table", "shapes", "--rows", "10"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "column shapes.p has type point, which the generator cannot make: give it values "
            "with --gen shapes.p=const:VALUE (or choice:A,B or pattern:TEXT{row}), leave it to a "
            "default with --gen shapes.p=default, or load the table from a file with --input");
  EXPECT_EQ(db.Count("shapes"), 0);
  // The way out works.
  run = Load(db, {"--table", "shapes", "--rows", "10", "--gen", "p=const:(1,2)"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || "
                      "bool_and(p ~= point(1, 2)) FROM shapes"),
            "10 10 true");
}

TEST(SeedErrors, ACheckNoValueSatisfiesIsNamed) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE odd (x int CONSTRAINT never CHECK (x > 10 AND x < 5))");
  LoaderRun run = Load(db, {"--table", "odd", "--rows", "10"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "CHECK constraint never on odd.x (CHECK (((x > 10) AND (x < 5)))): no value of "
            "integer satisfies it together with the column's other limits");
}

TEST(SeedErrors, TablesReferencingEachOtherInACycleAreNamed) {
  ScratchDatabase db;
  db.Exec(
      "CREATE SCHEMA loop; CREATE TABLE loop.a (id int PRIMARY KEY, b_id int); "
      "CREATE TABLE loop.b (id int PRIMARY KEY, a_id int REFERENCES loop.a (id)); "
      "ALTER TABLE loop.a ADD FOREIGN KEY (b_id) REFERENCES loop.b (id)");
  LoaderRun run = Load(db, {"--schema", "loop", "--rows", "10"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "the tables reference each other in a cycle (loop.a -> loop.b -> loop.a), so none "
            "can be seeded first: seed one of them with --table and its reference left NULL "
            "(--gen TABLE.COLUMN=null), then the others");
  // What it says to do works.
  run = Load(db, {"--table", "loop.a", "--rows", "10", "--gen", "b_id=null"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  run = Load(db, {"--table", "loop.b", "--rows", "10"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loop.b JOIN loop.a ON a.id = b.a_id"), "10");
}

TEST(SeedErrors, ReferencesToItselfOrToAnEmptyTableAreExplained) {
  ScratchDatabase db;
  db.Exec(
      "CREATE TABLE staff (id int PRIMARY KEY, boss int NOT NULL REFERENCES staff (id)); "
      "CREATE TABLE teams (id int PRIMARY KEY); "
      "CREATE TABLE members (id int PRIMARY KEY, team int NOT NULL REFERENCES teams (id))");
  LoaderRun run = Load(db, {"--table", "staff", "--rows", "10"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "foreign key staff_boss_fkey on staff (boss) references the table itself and is NOT "
            "NULL: generated rows cannot point at rows of their own load (they commit in any "
            "order). Make the columns nullable (they are then left NULL), or give them values "
            "with --gen");
  run = Load(db, {"--table", "members", "--rows", "10"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "foreign key members_team_fkey on members (team) references teams, which has no "
            "rows: seed it first (--schema seeds a schema's tables in order, referenced ones "
            "first)");
}

TEST(SeedErrors, ARowRefusedForACheckAcrossColumnsSaysHowToShapeThem) {
  ScratchDatabase db;
  db.Exec(
      "CREATE TABLE spans (id int PRIMARY KEY, lo int NOT NULL, hi int NOT NULL, "
      "CONSTRAINT ordered CHECK (lo <= hi))");
  LoaderRun run = Load(db, {"--table", "spans", "--rows", "100"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, "violates check constraint \"ordered\""));
  EXPECT_TRUE(Contains(run.err,
                       "; these rows are synthetic: CHECK ordered on spans (CHECK ((lo <= hi))) "
                       "involves several columns, which the generator does not read: the server "
                       "judges it. Shape the columns with --gen spans.COLUMN=SPEC so that every "
                       "row passes (--dry-run shows what each column gets), or leave a column to "
                       "its default with =default (SQLSTATE 23514)"))
      << run.err;
  EXPECT_EQ(db.Count("spans"), 0);
  run = Load(db, {"--table", "spans", "--rows", "100", "--gen", "lo=uniform:0..10", "--gen",
                  "hi=uniform:10..20"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || bool_and(lo <= hi) FROM spans"), "100 true");
}

TEST(SeedErrors, SpecsNamingAMissingColumnOrMalformedSayWhere) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  LoaderRun run = Load(db, {"--table", "t", "--gen", "nope=const:1"});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            "--gen nope=const:1: table t has no column 'nope' that a load can write (it has id, "
            "v)");
  ScratchDir dir;
  const std::string spec = dir.File("seed.yaml");
  WriteFile(spec, "tables:\n  t:\n    columns:\n      v: \"pattern:x{row\"\n");
  run = Load(db, {"--table", "t", "--gen-file", spec});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_TRUE(Contains(run.err, "--gen-file: " + spec + ":4:10: t.v: spec 'pattern:x{row':"))
      << run.err;
  WriteFile(spec, "tables:\n  t:\n    columns:\n      nope: \"null\"\n");
  run = Load(db, {"--table", "t", "--gen-file", spec});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(ErrorLine(run),
            spec + ":4:7: table t has no column 'nope' that a load can write (it has id, v)");
  EXPECT_EQ(db.Count("t"), 0);
}

}  // namespace
}  // namespace loader::test_support
