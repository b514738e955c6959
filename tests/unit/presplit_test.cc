// --presplit: the SPLIT AT statements for the generated tables, exactly.
#include "loader/plan/presplit.h"

#include <gtest/gtest.h>

#include "loader/generate/generated_tables.h"

namespace loader {
namespace {

using Statements = std::vector<std::string>;

TEST(PresplitStatements, PointsSplitTheirIdsEvenly) {
  EXPECT_EQ(PresplitStatements(*FindGeneratedTable("points"), 1000, 4),
            (Statements{"ALTER TABLE \"points\" SPLIT AT VALUES (250), (500), (750)",
                        "ALTER TABLE \"points\" SCATTER"}));
  EXPECT_EQ(PresplitStatements(*FindGeneratedTable("points"), 10000000, 3),
            (Statements{"ALTER TABLE \"points\" SPLIT AT VALUES (3333333), (6666666)",
                        "ALTER TABLE \"points\" SCATTER"}));
}

TEST(PresplitStatements, AccountsSplitTheUuidSpaceEvenly) {
  EXPECT_EQ(PresplitStatements(*FindGeneratedTable("accounts"), 1000, 4),
            (Statements{"ALTER TABLE \"accounts\" SPLIT AT VALUES "
                        "('40000000-0000-0000-0000-000000000000'), "
                        "('80000000-0000-0000-0000-000000000000'), "
                        "('c0000000-0000-0000-0000-000000000000')",
                        "ALTER TABLE \"accounts\" SCATTER"}));
}

TEST(PresplitStatements, MoreRangesThanRowsLeaveOutRepeatedBoundaries) {
  EXPECT_EQ(
      PresplitStatements(*FindGeneratedTable("points"), 2, 4),
      (Statements{"ALTER TABLE \"points\" SPLIT AT VALUES (1)", "ALTER TABLE \"points\" SCATTER"}));
  EXPECT_EQ(PresplitStatements(*FindGeneratedTable("points"), 0, 4), Statements{});
}

}  // namespace
}  // namespace loader
