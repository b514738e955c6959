// ParseCommandLine for what a load does around its rows: --set, --qos,
// --truncate and --analyze, and what cannot go with them; and the SQL the
// session settings become.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/cli/cli.h"
#include "loader/pg/session_settings.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

TEST(CliTarget, SettingsInOrder) {
  ScopedLoaderEnv env;
  const CommandLine cl =
      Parse({"--set", "synchronous_commit=off", "--set", " search_path = a, b ", "--set",
             "my.custom=x=y", "--qos", "background", "--truncate", "--analyze"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  const std::vector<SessionSetting>& set = cl.spec.target.connect.session;
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set[0].name, "synchronous_commit");
  EXPECT_EQ(set[0].value, "off");
  EXPECT_EQ(set[1].name, "search_path");
  EXPECT_EQ(set[1].value, "a, b");
  EXPECT_EQ(set[1].option, "--set  search_path = a, b ");
  EXPECT_EQ(set[2].name, "my.custom");
  EXPECT_EQ(set[2].value, "x=y");
  EXPECT_EQ(cl.spec.target.qos, "background");
  EXPECT_TRUE(cl.spec.target.truncate);
  EXPECT_TRUE(cl.spec.target.analyze);
  EXPECT_EQ(SessionSql(set),
            "SET synchronous_commit = 'off'; SET search_path = 'a', 'b'; SET my.custom = 'x=y'");
}

TEST(CliTarget, ValuesAreLiteralsThatCannotEndTheStatement) {
  SessionSetting s;
  ASSERT_TRUE(ParseSessionSetting("application_name=it's; DROP TABLE t", &s).ok());
  EXPECT_EQ(SessionSql({s}), "SET application_name = 'it''s; DROP TABLE t'");
  ASSERT_TRUE(ParseSessionSetting("statement_timeout=", &s).ok());
  EXPECT_EQ(SessionSql({s}), "SET statement_timeout = ''");
  EXPECT_EQ(SessionSql({}), "");
}

TEST(CliTarget, Refusals) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--set", "synchronous_commit"}),
            "--set synchronous_commit: expected NAME=VALUE, NAME a server setting such as "
            "synchronous_commit");
  EXPECT_EQ(ErrorOf({"--set", "bad name=1"}),
            "--set bad name=1: expected NAME=VALUE, NAME a server setting such as "
            "synchronous_commit");
  EXPECT_EQ(ErrorOf({"--set", "x;DROP=1"}),
            "--set x;DROP=1: expected NAME=VALUE, NAME a server setting such as "
            "synchronous_commit");
  EXPECT_EQ(ErrorOf({"--qos", "low"}), "--qos: 'low' is not one of background, regular, critical");
  EXPECT_EQ(ErrorOf({"--truncate", "--drop"}),
            "--truncate and --drop: give one (--drop makes the table anew, --truncate empties "
            "it)");
  EXPECT_EQ(ErrorOf({"--truncate", "--shard", "1/4", "--create"}),
            "--shard cannot go with --truncate: the shards start together, and each would empty "
            "what the others loaded; truncate in a run of its own first (loader --table "
            "accounts --rows 0 --truncate), then start the shards without it");
  EXPECT_EQ(ErrorOf({"--truncate", "--emit-import", "/tmp/x"}),
            "--truncate empties the table on the server; --emit-import loads nothing there "
            "(empty it before running the files' import)");
  EXPECT_EQ(ErrorOf({"--build-indexes-after", "--on-conflict", "skip"}),
            "--build-indexes-after drops the unique indexes --on-conflict needs to find a row's "
            "twin: give one or the other");
  EXPECT_EQ(ErrorOf({"--build-indexes-after", "--shard", "0/2", "--create"}),
            "--shard cannot go with --build-indexes-after: each shard would build the indexes "
            "while the others still load; build them in a run of their own, or load without it");
  EXPECT_EQ(ErrorOf({"--build-indexes-after", "--emit-import", "/tmp/x"}),
            "--build-indexes-after is for loading into a server; --emit-import writes files");
  EXPECT_EQ(ErrorOf({"--analyze", "--emit-import", "/tmp/x"}),
            "--analyze runs after a load into the server; --emit-import loads nothing there "
            "(run ANALYZE after the files' import)");
}

}  // namespace
}  // namespace loader
