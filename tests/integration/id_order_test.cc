// --id-order scattered against a real server: the table holds exactly the ids
// 0..rows-1, written in the generator's permuted order, as a job of its own.
#include "loader/generate/id_order.h"

#include <gtest/gtest.h>

#include <string>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr long long kRows = 20000;

TEST(IdOrder, ScatteredIdsLoadEveryIdOnceInThePermutedOrder) {
  ScratchDatabase db;
  const std::vector<std::string> command = {
      "--url",      db.url(),    "--table",   "points", "--rows",  std::to_string(kRows),
      "--id-order", "scattered", "--workers", "1",      "--create"};
  LoaderRun run = RunLoader(command);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || min(id) || ' ' || "
                      "max(id) || ' ' || sum(id) FROM points"),
            "20000 20000 0 19999 199990000");
  // One worker into a new table: the heap holds the rows in the order sent.
  const ScatteredIds ids(kRows, 1);
  std::string expected;
  for (uint64_t row = 0; row < 5; ++row) expected += std::to_string(ids.Map(row)) + " ";
  EXPECT_EQ(db.Scalar("SELECT string_agg(id::text, ' ' ORDER BY ctid) || ' ' FROM "
                      "(SELECT id, ctid FROM points ORDER BY ctid LIMIT 5) t"),
            expected);
  // Other rows than the sequential load's, and a job of their own.
  EXPECT_NE(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_jobs"), "1");
  LoaderRun again = RunLoader(command);
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_TRUE(Contains(again.err, "already loaded: all 20000 rows are committed")) << again.err;
  LoaderRun dry = RunLoader({"--url", db.url(), "--table", "points", "--rows", "10", "--id-order",
                             "scattered", "--dry-run"});
  EXPECT_TRUE(Contains(dry.out, "10 rows, seed 1, scattered ids")) << dry.all();
}

}  // namespace
}  // namespace loader::test_support
