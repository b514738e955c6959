// Synthetic rows as files and as COPY binary: a table with a column of every
// type the generator makes, written by --emit-import as CSV and loaded by the
// real psql, holds the rows a direct load of the same seed leaves; a table of
// the types with a binary form loads the same rows by COPY binary, INSERT and
// CSV files, and its chunks sent to --fallback-dir come back out as CSV that
// psql loads into the same rows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/fallback_load.h"
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

constexpr char kEveryBinary[] = R"(
CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
CREATE DOMAIN percent AS numeric(5,2) CHECK (VALUE >= 0 AND VALUE <= 100);
CREATE TABLE every_binary (
  i2 smallint PRIMARY KEY, i4 integer, i8 bigint, n numeric(12,4), big numeric(30,18),
  free numeric, f4 real, f8 double precision, b boolean, t text, vc varchar(12), c char(4),
  u uuid, d date, tm time, ts timestamp, tz timestamptz, iv interval, j json, jb jsonb,
  m mood, pct percent, neg integer CHECK (neg BETWEEN -500 AND -1),
  st text CHECK (st IN ('a', 'b')));
)";

std::string BinaryChecksum(ScratchDatabase& db) {
  return db.Scalar("SELECT md5(string_agg(t::text, E'\n' ORDER BY i2)) FROM every_binary t");
}

std::vector<std::string> Seed(ScratchDatabase& db, std::vector<std::string> extra,
                              const char* rows = "4000") {
  std::vector<std::string> args = {"--url",   db.url(), "--table",      "every_binary",
                                   "--rows",  rows,     "--seed",       "5",
                                   "--chunk", "500",    "--null-share", "0.1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(SeedCopyBinary, EveryBinaryTypeLoadsTheSameRowsAsInsertAndAsFiles) {
  ScratchDatabase binary("binary");
  binary.Exec(kEveryBinary);
  LoaderRun dry = RunLoader(Seed(binary, {"--method", "copy", "--dry-run"}));
  ASSERT_EQ(dry.exit_code, 0) << dry.all();
  EXPECT_TRUE(Contains(dry.out, "copy format:    binary: every column has a binary form"))
      << dry.out;
  LoaderRun run = RunLoader(Seed(binary, {"--method", "copy"}));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  ScratchDatabase insert("insert");
  insert.Exec(kEveryBinary);
  run = RunLoader(Seed(insert, {"--method", "insert"}));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  ScratchDatabase files("files");
  files.Exec(kEveryBinary);
  ScratchDir scratch;
  run = RunLoader(Seed(files, {"--emit-import", scratch.File("out")}));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const ShellRun psql = LoadWithPsql(scratch.File("out"), files.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;

  EXPECT_EQ(binary.Count("every_binary"), 4000);
  EXPECT_EQ(BinaryChecksum(binary), BinaryChecksum(insert));
  EXPECT_EQ(BinaryChecksum(binary), BinaryChecksum(files));
  EXPECT_EQ(binary.Scalar("SELECT bool_and(neg BETWEEN -500 AND -1) AND count(DISTINCT m) = 3 "
                          "AND bool_and(pct BETWEEN 0 AND 100) AND count(b) > 3000 AND "
                          "count(DISTINCT jb) > 3000 FROM every_binary"),
            "t");
}

TEST(SeedCopyBinary, ChunksSentToTheFallbackDirComeBackAsTheSameRows) {
  ScratchDatabase reference("ref");
  reference.Exec(kEveryBinary);
  ASSERT_EQ(RunLoader(Seed(reference, {"--method", "copy"})).exit_code, 0);
  ScratchDatabase db("fallback");
  db.Exec(kEveryBinary);
  ASSERT_EQ(RunLoader(Seed(db, {}, "0")).exit_code, 0);  // makes the journal
  FailChunksWhere(db, "NEW.first_row % 2000 = 1000");
  ScratchDir scratch;
  LoaderRun run = RunLoader(Seed(
      db, {"--method", "copy", "--max-retries", "1", "--fallback-dir", scratch.File("fallback")}));
  ASSERT_EQ(run.exit_code, 11) << run.all();
  EXPECT_EQ(db.Count("every_binary"), 3000);
  db.Exec("DROP TRIGGER fail_chunk ON loader_journal");
  const ShellRun psql = LoadWithPsql(scratch.File("fallback"), db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("every_binary"), 4000);
  EXPECT_EQ(BinaryChecksum(db), BinaryChecksum(reference));
}

}  // namespace
}  // namespace loader::test_support
