// --build-indexes-after against the fixture's PostgreSQL: a table empty at
// the start loses its indexes while the rows go in and gets the same ones
// back; a load killed in between builds them on the re-run; a duplicate key
// found when building is reported, and the re-run after it is fixed builds.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

void MakeItems(ScratchDatabase& db) {
  db.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, sku TEXT NOT NULL UNIQUE, v INT8, note TEXT)");
  db.Exec("CREATE INDEX items_v ON items (v)");
  db.Exec("CREATE INDEX items_note_big ON items (note) WHERE v > 100");
}

// Every index and constraint of items, as the catalog prints them.
std::string Indexes(ScratchDatabase& db) {
  return db.Scalar(
             "SELECT coalesce(string_agg(indexdef, E'\\n' ORDER BY indexname), '') FROM pg_indexes "
             "WHERE tablename = 'items'") +
         "\n" +
         db.Scalar(
             "SELECT coalesce(string_agg(conname || ' ' || pg_get_constraintdef(oid), "
             "E'\\n' ORDER BY conname), '') FROM pg_constraint WHERE conrelid = "
             "'items'::regclass");
}

std::string ItemsFile(ScratchDir& dir, int rows, const std::string& extra = "") {
  std::string body;
  for (int i = 0; i < rows; ++i) {
    body += std::to_string(i) + ",sku-" + std::to_string(i) + "," + std::to_string(i % 500) + ",n" +
            std::to_string(i % 7) + "\n";
  }
  const std::string file = dir.File("items.csv");
  WriteFile(file, body + extra);
  return file;
}

std::vector<std::string> Load(ScratchDatabase& db, const std::string& file) {
  return {"--url",
          db.url(),
          "--table",
          "items",
          "--input",
          file,
          "--chunk",
          "500",
          "--workers",
          "2",
          "--build-indexes-after"};
}

TEST(BuildIndexesAfter, TheSameIndexesComeBackOverTheRows) {
  ScratchDatabase db;
  MakeItems(db);
  const std::string before = Indexes(db);
  ScratchDir dir;
  const LoaderRun run = RunLoader(Load(db, ItemsFile(dir, 3000)));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "--build-indexes-after: dropped 4 index(es) of items")) << run.err;
  EXPECT_TRUE(Contains(run.out, "indexes:        4 built after the rows in ")) << run.out;
  EXPECT_EQ(Indexes(db), before);
  EXPECT_EQ(db.Count("items"), 3000);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "0");
  // The unique key holds every row: the last one's twin is refused.
  db.Exec(
      "CREATE FUNCTION try_twin() RETURNS text LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "
      "items VALUES (5000, 'sku-2999', 1, 'x'); RETURN 'inserted'; EXCEPTION WHEN "
      "unique_violation THEN RETURN 'refused'; END $$");
  EXPECT_EQ(db.Scalar("SELECT try_twin()"), "refused");
}

TEST(BuildIndexesAfter, AKeyAForeignKeyNeedsStaysAndATableWithRowsKeepsAll) {
  ScratchDatabase db;
  MakeItems(db);
  db.Exec("CREATE TABLE orders (item INT8 REFERENCES items (id))");
  const std::string before = Indexes(db);
  ScratchDir dir;
  LoaderRun run = RunLoader(Load(db, ItemsFile(dir, 1000)));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "--build-indexes-after: dropped 3 index(es) of items")) << run.err;
  EXPECT_EQ(Indexes(db), before);

  // Loading more into a table with rows keeps its indexes.
  std::string more;
  for (int i = 1000; i < 1500; ++i)
    more += std::to_string(i) + ",sku-" + std::to_string(i) + ",1,x\n";
  WriteFile(dir.File("more.csv"), more);
  run = RunLoader(Load(db, dir.File("more.csv")));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "items has rows already, so its indexes stay")) << run.err;
  EXPECT_EQ(db.Count("items"), 1500);
  EXPECT_EQ(Indexes(db), before);
}

TEST(BuildIndexesAfter, AKillBetweenDropAndBuildIsBuiltByTheRerun) {
  ScratchDatabase db;
  MakeItems(db);
  const std::string before = Indexes(db);
  ScratchDir dir;
  constexpr int kRows = 200000;
  const std::vector<std::string> load = Load(db, ItemsFile(dir, kRows));
  const LoaderRun killed = KillOnceJournaled(db, load, 40000);
  ASSERT_EQ(killed.term_signal, SIGKILL) << "the load ended before the kill: " << killed.all();
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "4");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'items'"), "0");
  const LoaderRun rerun = RunLoader(load);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(Contains(rerun.err,
                       "4 index(es) of items an earlier run dropped are built after "
                       "this load"))
      << rerun.err;
  EXPECT_EQ(db.Count("items"), kRows);
  EXPECT_EQ(Indexes(db), before);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "0");
}

TEST(BuildIndexesAfter, ADuplicateKeyIsReportedWithItsLinesAndTheRerunAfterTheFixBuilds) {
  ScratchDatabase db;
  MakeItems(db);
  const std::string before = Indexes(db);
  ScratchDir dir;
  const std::string file = ItemsFile(dir, 1000, "10,sku-dup,1,x\n");
  const std::vector<std::string> load = Load(db, file);
  LoaderRun run = RunLoader(load);
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "could not create unique index \"items_pkey\": Key (id)=(10) is "
                       "duplicated. The rows stay in the table, and the definition in "
                       "loader_deferred_indexes: delete the duplicate rows, then run the same "
                       "command again to build it. items has 1 key more than once: (id)=(10): 2 "
                       "rows, at " +
                           file + ":11 and " + file + ":1001 (SQLSTATE 23505)"))
      << run.err;
  EXPECT_TRUE(Contains(run.out,
                       "next:           the rows are all in; the indexes not built are saved in "
                       "loader_deferred_indexes: once the cause above is fixed, run the same "
                       "command again (job "))
      << run.out;
  EXPECT_TRUE(Contains(run.out, ") to build them\n")) << run.out;
  EXPECT_EQ(db.Count("items"), 1001);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "4");
  db.Exec("DELETE FROM items WHERE sku = 'sku-dup'");
  run = RunLoader(load);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Indexes(db), before);
  EXPECT_EQ(db.Count("items"), 1000);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "0");
}

// Fields matched by name in another order; more keys repeated than are
// shown; a key written differently in the file ("004") and a row another
// session added are counted but have no line.
TEST(BuildIndexesAfter, DuplicateKeysAreBoundedAndRowsNotInTheInputAreCounted) {
  ScratchDatabase db;
  MakeItems(db);
  ScratchDir dir;
  std::string body = "note,sku,id,v\n";
  for (int i = 0; i < 100; ++i) {
    body += "n," + std::string("sku-") + std::to_string(i) + "," + std::to_string(i) + ",1\n";
  }
  for (int i = 0; i < 7; ++i) body += "n,sku-a" + std::to_string(i) + ",3,1\n";  // 3: 8 rows
  for (int i = 4; i < 10; ++i)
    body += "n,sku-b" + std::to_string(i) + "," + std::to_string(i) + ",1\n";
  body += "n,sku-c,004,1\n";
  const std::string file = dir.File("items.csv");
  WriteFile(file, body);
  std::vector<std::string> load = Load(db, file);
  load.push_back("--header");
  LoaderRun run = RunLoader(load);
  ASSERT_EQ(run.exit_code, 8) << run.all();
  db.Exec("INSERT INTO items VALUES (4, 'sku-other', 1, 'n')");
  run = RunLoader(load);
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(
      run.err,
      "items has 7 keys more than once, the first 5: (id)=(3): 8 rows, at " + file + ":5, " + file +
          ":102, " + file + ":103, " + file + ":104, " + file +
          ":105 and 3 more; (id)=(4): 4 rows, at " + file + ":6 and " + file +
          ":109; 2 not in this load's input as the server writes the key "
          "(another session's rows, or the key written differently); (id)=(5): 2 rows, at " +
          file + ":7 and " + file + ":110; (id)=(6): 2 rows, at " + file + ":8 and " + file +
          ":111; (id)=(7): 2 rows, at " + file + ":9 and " + file + ":112 (SQLSTATE 23505)"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 115);
}

// Generated rows are named by their row index; standard input cannot be
// read again, and a key that is an expression cannot be looked for: both
// say so.
TEST(BuildIndexesAfter, GeneratedRowsAreNamedByIndexAndWhatCannotBeSearchedSaysWhy) {
  ScratchDatabase db;
  MakeItems(db);
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "items", "--rows", "20", "--gen",
                             "items.sku=const:same", "--build-indexes-after"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "items has 1 key more than once: (sku)=(same): 20 rows, at rows 0, 1, 2, "
                       "3, 4 and 15 more (SQLSTATE 23505)"))
      << run.err;

  ScratchDatabase piped;
  piped.Exec("CREATE TABLE items (id INT8 PRIMARY KEY, note TEXT)");
  run =
      RunLoader({"--url", piped.url(), "--table", "items", "--input", "-", "--build-indexes-after"},
                {}, {.stdin_bytes = "1,a\n1,b\n2,c\n", .cwd = ""});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "items has 1 key more than once (standard input cannot be read again to "
                       "find them): (id)=(1): 2 rows (SQLSTATE 23505)"))
      << run.err;
  EXPECT_TRUE(Contains(run.out,
                       "once the cause above is fixed, pipe the same data into the same command "
                       "with --job items-stdin-"))
      << run.out;
  EXPECT_TRUE(Contains(run.out, " to build them\n")) << run.out;

  // A partial index: only the rows it covers count.
  ScratchDatabase partial;
  partial.Exec("CREATE TABLE items (id INT8, email TEXT, deleted BOOL)");
  partial.Exec("CREATE UNIQUE INDEX items_live_email ON items (email) WHERE NOT deleted");
  ScratchDir dir;
  const std::string users = dir.File("users.csv");
  WriteFile(users, "1,a,true\n2,a,true\n3,b,false\n4,b,false\n5,a,false\n");
  run = RunLoader(
      {"--url", partial.url(), "--table", "items", "--input", users, "--build-indexes-after"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "items has 1 key more than once among its rows where (NOT deleted): "
                       "(email)=(b): 2 rows, at " +
                           users + ":3 and " + users + ":4 (SQLSTATE 23505)"))
      << run.err;

  ScratchDatabase lowered;
  lowered.Exec("CREATE TABLE items (id INT8, note TEXT)");
  lowered.Exec("CREATE UNIQUE INDEX items_note_lower ON items (lower(note))");
  const std::string file = dir.File("notes.csv");
  WriteFile(file, "1,a\n2,A\n");
  run = RunLoader(
      {"--url", lowered.url(), "--table", "items", "--input", file, "--build-indexes-after"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "Key (lower(note))=(a) is duplicated. The rows stay in the table, and the "
                       "definition in loader_deferred_indexes: delete the duplicate rows, then "
                       "run the same command again to build it. Its key is not a list of "
                       "columns, so the loader cannot look for its rows (SQLSTATE 23505)"))
      << run.err;
}

}  // namespace
}  // namespace loader::test_support
