// ParseCommandLine for synthetic rows: --rows per table, --schema, --gen,
// --gen-file, --null-share, --ref-sample, and what cannot go with them.
#include <gtest/gtest.h>

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

TEST(CliSeed, AnyTableGetsSyntheticRows) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--table", "orders", "--rows", "500", "--gen",
                                "status=choice:new*3,paid", "--null-share", "0.2"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.table, "orders");
  EXPECT_EQ(cl.spec.input.rows, 500u);
  EXPECT_DOUBLE_EQ(cl.spec.input.null_share, 0.2);
  ASSERT_EQ(cl.spec.input.gen_rules.size(), 1u);
  EXPECT_EQ(cl.spec.input.gen_rules[0].column, "status");
  EXPECT_EQ(cl.spec.input.gen_rules[0].text, "choice:new*3,paid");
  EXPECT_EQ(cl.spec.input.gen_rules[0].spec.weights, (std::vector<uint32_t>{3, 1}));
}

TEST(CliSeed, RowsPerTable) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--schema", "shop", "--rows", "orders=1000000,customers=50,7"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.RowsFor("orders"), 1000000u);
  EXPECT_EQ(cl.spec.input.RowsFor("shop.customers"), 50u);
  EXPECT_EQ(cl.spec.input.RowsFor("shop.items"), 7u);
  cl = Parse({"--table", "orders", "--rows", "orders=30,customers=50"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.rows, 30u);
  EXPECT_EQ(ErrorOf({"--rows", "orders=x"}), "--rows: 'x' is not a whole number");
  EXPECT_EQ(ErrorOf({"--rows", "=5"}), "--rows: '=5' names no table");
  EXPECT_EQ(ErrorOf({"--rows", "5,6"}), "--rows: '5,6' has two plain counts");
}

TEST(CliSeed, RefusesWhatDoesNotGoWithSyntheticRows) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--gen", "balance=uniform:1..5"}),
            "--gen shapes synthetic rows: it needs --schema, or --table naming a table other "
            "than accounts and points, without --input");
  EXPECT_EQ(ErrorOf({"--table", "t", "--input", "f.csv", "--null-share", "0.5"}),
            "--null-share shapes synthetic rows: it needs --schema, or --table naming a table "
            "other than accounts and points, without --input");
  EXPECT_EQ(ErrorOf({"--table", "t", "--null-share", "2"}),
            "--null-share: '2' is not a share from 0 to 1");
  EXPECT_EQ(ErrorOf({"--table", "t", "--ref-sample", "0"}),
            "--ref-sample: 0 is out of range (1 to 100000000)");
  EXPECT_EQ(ErrorOf({"--table", "t", "--gen", "x"}),
            "--gen 'x': expected COLUMN=SPEC, TABLE.COLUMN=SPEC or SCHEMA.TABLE.COLUMN=SPEC, "
            "e.g. --gen orders.status=choice:new,paid");
  EXPECT_EQ(ErrorOf({"--schema", "s", "--table", "t"}),
            "--schema seeds every table of the schema; --table names one: give one or the other");
  EXPECT_EQ(ErrorOf({"--schema", "s", "--create"}),
            "--create is for one table: run it with --table, not --schema");
  EXPECT_EQ(ErrorOf({"--schema", "s", "--emit-import", "dir"}),
            "--emit-import is for one table: run it with --table, not --schema");
}

TEST(CliSeed, GenFileGivesRulesRowsAndSeedTheCommandLineDoesNot) {
  ScopedLoaderEnv env;
  test_support::TempDir dir;
  dir.Write("seed.yaml",
            "seed: 9\nnull_share: 0.5\ntables:\n  orders:\n    rows: 40\n    columns:\n"
            "      status: \"choice:a,b\"\n");
  CommandLine cl = Parse({"--schema", "shop", "--gen-file", dir.File("seed.yaml"), "--gen",
                          "orders.note=null", "--null-share", "0.1"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.seed, 9u);
  EXPECT_DOUBLE_EQ(cl.spec.input.null_share, 0.1);  // the command line's
  EXPECT_EQ(cl.spec.input.RowsFor("orders"), 40u);
  ASSERT_EQ(cl.spec.input.gen_rules.size(), 2u);
  EXPECT_EQ(cl.spec.input.gen_rules[0].column, "status");  // the file's first
  EXPECT_EQ(cl.spec.input.gen_rules[0].origin, dir.File("seed.yaml") + ":7:7");
  EXPECT_EQ(cl.spec.input.gen_rules[1].column, "note");
  cl = Parse({"--schema", "shop", "--gen-file", dir.File("seed.yaml"), "--seed", "3"});
  EXPECT_EQ(cl.spec.input.seed, 3u);
  dir.Write("bad.yaml", "tables:\n  orders:\n    columns:\n      status: \"uniform:5\"\n");
  EXPECT_EQ(ErrorOf({"--schema", "shop", "--gen-file", dir.File("bad.yaml")}),
            "--gen-file: " + dir.File("bad.yaml") +
                ":4:15: orders.status: spec 'uniform:5': uniform takes LOW..HIGH, e.g. "
                "uniform:1..100");
}

}  // namespace
}  // namespace loader
