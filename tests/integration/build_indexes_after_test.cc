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
  {
    LoaderProcess loader(load);
    auto enough = [&] {
      return db.Scalar("SELECT to_regclass('loader_journal') IS NOT NULL") == "t" &&
             JournaledRows(db) >= 40000;
    };
    ASSERT_TRUE(WaitFor([&] { return enough() || !loader.Running(); }, std::chrono::minutes(1)));
    loader.Signal(SIGKILL);
    const LoaderRun killed = loader.Wait();
    ASSERT_EQ(killed.term_signal, SIGKILL) << "the load ended before the kill: " << killed.all();
  }
  WaitForLoaderBackendsToEnd(db);
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

TEST(BuildIndexesAfter, ADuplicateKeyIsReportedAndTheRerunAfterTheFixBuilds) {
  ScratchDatabase db;
  MakeItems(db);
  const std::string before = Indexes(db);
  ScratchDir dir;
  const std::vector<std::string> load = Load(db, ItemsFile(dir, 1000, "10,sku-dup,1,x\n"));
  LoaderRun run = RunLoader(load);
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, "Key (id)=(10) is duplicated")) << run.err;
  EXPECT_TRUE(Contains(run.err,
                       "The rows stay in the table, and the definition in "
                       "loader_deferred_indexes: delete the duplicate rows, then run the same "
                       "command again to build it"))
      << run.err;
  EXPECT_EQ(db.Count("items"), 1001);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "4");
  db.Exec("DELETE FROM items WHERE sku = 'sku-dup'");
  run = RunLoader(load);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(Indexes(db), before);
  EXPECT_EQ(db.Count("items"), 1000);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_deferred_indexes"), "0");
}

}  // namespace
}  // namespace loader::test_support
