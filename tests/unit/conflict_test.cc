// The statements of --on-conflict, its option, and its summary line.
#include "loader/sink/conflict.h"

#include <gtest/gtest.h>

#include <string>

#include "loader/cli/cli.h"
#include "loader/report/stats.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

TableSpec Items() {
  TableSpec t;
  t.name = "shop.items";
  t.columns = {{"id", ColumnType::kInt8}, {"v", ColumnType::kInt8}, {"note", ColumnType::kText}};
  return t;
}

ConflictPolicy Policy(OnConflict mode, bool upsert = false, bool split = true) {
  return {.mode = mode, .key = {"id"}, .upsert = upsert, .split_updates = split};
}

TEST(ConflictSql, EachModeAndServer) {
  const TableSpec t = Items();
  EXPECT_EQ(ConflictInsertSql(t, Policy(OnConflict::kError), "VALUES ($1, $2, $3)"),
            "INSERT INTO \"shop\".\"items\" (\"id\", \"v\", \"note\") VALUES ($1, $2, $3)");
  EXPECT_EQ(ConflictInsertSql(t, Policy(OnConflict::kSkip), "VALUES ($1, $2, $3)"),
            "WITH loader_rows AS (INSERT INTO \"shop\".\"items\" (\"id\", \"v\", \"note\") "
            "VALUES ($1, $2, $3) ON CONFLICT (\"id\") DO NOTHING RETURNING 1) SELECT count(*) AS "
            "loader_inserted FROM loader_rows");
  EXPECT_EQ(ConflictInsertSql(t, Policy(OnConflict::kUpdate), "SELECT a FROM s"),
            "WITH loader_rows AS (INSERT INTO \"shop\".\"items\" (\"id\", \"v\", \"note\") "
            "SELECT a FROM s ON CONFLICT (\"id\") DO UPDATE SET \"v\" = excluded.\"v\", "
            "\"note\" = excluded.\"note\" RETURNING xmax = 0 AS fresh) SELECT count(*) FILTER "
            "(WHERE fresh) AS loader_inserted, count(*) FILTER (WHERE NOT fresh) AS "
            "loader_updated FROM loader_rows");
  // CockroachDB: UPSERT on the primary key, and no xmax to tell the rows apart.
  EXPECT_EQ(ConflictInsertSql(t, Policy(OnConflict::kUpdate, true, false), "VALUES ($1, $2, $3)"),
            "WITH loader_rows AS (UPSERT INTO \"shop\".\"items\" (\"id\", \"v\", \"note\") "
            "VALUES ($1, $2, $3) RETURNING 1) SELECT count(*) AS loader_written FROM "
            "loader_rows");
}

TEST(ConflictSql, AnUpdateWithNothingButTheKeyIsASkip) {
  TableSpec t = Items();
  t.columns.resize(1);
  EXPECT_EQ(ConflictInsertSql(t, Policy(OnConflict::kUpdate), "VALUES ($1)"),
            ConflictInsertSql(t, Policy(OnConflict::kSkip), "VALUES ($1)"));
  EXPECT_TRUE(UpdatedColumns(t, Policy(OnConflict::kUpdate)).empty());
}

TEST(ConflictSql, TheKeyMustBeLoaded) {
  ConflictPolicy p = Policy(OnConflict::kSkip);
  p.key = {"id", "sku"};
  EXPECT_EQ(CheckConflictKey(Items(), p).message(),
            "--on-conflict: the key column sku is not among the loaded columns (\"id\", \"v\", "
            "\"note\"): a row's key must come with it");
}

TEST(ConflictCli, OptionsAndRefusals) {
  test_support::ScopedLoaderEnv env;
  CommandLine cl = test_support::Parse({"--on-conflict", "update", "--conflict-key", "a,b"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.on_conflict, OnConflict::kUpdate);
  EXPECT_EQ(cl.spec.target.conflict_key, (std::vector<std::string>{"a", "b"}));
  cl = test_support::Parse({});
  EXPECT_EQ(cl.spec.target.on_conflict, OnConflict::kError);
  using test_support::ErrorOf;
  EXPECT_EQ(ErrorOf({"--on-conflict", "ignore"}),
            "--on-conflict: 'ignore' is not one of error, skip, update");
  EXPECT_EQ(ErrorOf({"--conflict-key", "id"}),
            "--conflict-key names the key --on-conflict skip or update goes by: add one of them");
  EXPECT_EQ(ErrorOf({"--on-conflict", "skip", "--conflict-key", "a,"}),
            "--conflict-key: an empty column name");
  EXPECT_EQ(ErrorOf({"--on-conflict", "skip", "--emit-import", "/tmp/x"}),
            "--on-conflict is for loading into a server; the files of --emit-import go to IMPORT "
            "INTO, which only inserts (load them with this loader's --input and --on-conflict "
            "instead)");
}

TEST(ConflictSummary, CountsFromTheTally) {
  Stats stats;
  stats.rows = 5000;
  stats.tallied_rows = 4000;
  stats.rows_inserted = 2500;
  stats.rows_updated = 1000;
  Summary s = Summary::From(stats, 1.0);
  s.on_conflict = "update";
  EXPECT_EQ(s.rows_skipped, 500u);
  EXPECT_EQ(s.rows_untallied, 1000u);
  EXPECT_NE(s.ToText().find("conflicts:      2500 inserted, 500 skipped as duplicates, 1000 "
                            "updated, 1000 in commits the journal settled (--on-conflict "
                            "update)\n"),
            std::string::npos)
      << s.ToText();
  s.on_conflict = "error";
  EXPECT_EQ(s.ToText().find("conflicts:"), std::string::npos);
}

}  // namespace
}  // namespace loader
