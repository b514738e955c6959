// --emit-import of synthetic rows: a table with a column of every type the
// generator makes, written as CSV files and loaded by the real psql, holds
// the rows a direct load of the same seed leaves.
#include <gtest/gtest.h>

#include <string>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kEveryType[] = R"(
CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
CREATE DOMAIN percent AS numeric(5,2) CHECK (VALUE >= 0 AND VALUE <= 100);
CREATE TABLE every_type (
  i2 smallint PRIMARY KEY, i4 integer, i8 bigint, n numeric(12,4), f4 real,
  f8 double precision, b boolean, t text, vc varchar(12), c char(4), u uuid, d date,
  tm time, ts timestamp, tz timestamptz, iv interval, by bytea, j json, jb jsonb, ip inet,
  tv tsvector, m mood, pct percent, ta text[], ia integer[], da date[]);
)";

std::string Checksum(ScratchDatabase& db) {
  return db.Scalar("SELECT md5(string_agg(t::text, E'\\n' ORDER BY i2)) FROM every_type t");
}

TEST(SeedEmitImport, EveryTypeWrittenAsFilesAndLoadedByPsqlEqualsADirectLoad) {
  ScratchDatabase direct("direct");
  direct.Exec(kEveryType);
  ScratchDatabase from_files("files");
  from_files.Exec(kEveryType);
  LoaderRun load = RunLoader({"--url", direct.url(), "--table", "every_type", "--rows", "3000",
                              "--seed", "11", "--null-share", "0.1"});
  ASSERT_EQ(load.exit_code, 0) << load.all();

  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  LoaderRun emit =
      RunLoader({"--url", from_files.url(), "--table", "every_type", "--rows", "3000", "--seed",
                 "11", "--null-share", "0.1", "--emit-import", dir, "--import-files", "3"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_TRUE(Contains(emit.out, "rows:           3000\n")) << emit.out;
  const ShellRun psql = LoadWithPsql(dir, from_files.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;

  EXPECT_EQ(from_files.Count("every_type"), 3000);
  EXPECT_EQ(Checksum(from_files), Checksum(direct));
  // Every column has values, and the nullable ones some NULLs.
  EXPECT_EQ(direct.Scalar("SELECT count(DISTINCT i2) = 3000 AND count(DISTINCT m) = 3 AND "
                          "count(i4) BETWEEN 2550 AND 2850 AND count(ta) BETWEEN 2550 AND 2850 "
                          "AND count(DISTINCT u) = count(u) FROM every_type"),
            "t");
}

}  // namespace
}  // namespace loader::test_support
