#include "loader/pg/duplicate_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loader {
namespace {

using Columns = std::vector<std::string>;

Columns Parse(const std::string& message) {
  Columns columns = {"left over"};
  if (!DuplicateKeyColumns(message, &columns)) {
    EXPECT_TRUE(columns.empty()) << message;
  }
  return columns;
}

TEST(DuplicateKeyColumns, ReadsPostgresAndCockroachDetails) {
  EXPECT_EQ(Parse("could not create unique index \"items_pkey\": Key (id)=(10) is duplicated."),
            Columns{"id"});
  EXPECT_EQ(Parse("duplicate key value violates unique constraint \"t_pkey\": Key (a, b)=(1, "
                  "x) already exists."),
            (Columns{"a", "b"}));
  EXPECT_EQ(Parse("... Key (tenant_id, \"Order No\", \"say \"\"hi\"\"\")=(1, 2, 3) is duplicated."),
            (Columns{"tenant_id", "Order No", "say \"hi\""}));
  // A quoted name may hold what ends a part elsewhere.
  EXPECT_EQ(Parse("Key (\"a, b)=(\", c1$)=(1, 2) is duplicated."), (Columns{"a, b)=(", "c1$"}));
}

TEST(DuplicateKeyColumns, RefusesExpressionsAndMessagesWithoutAKey) {
  EXPECT_EQ(Parse("Key (lower(email))=(a@b) is duplicated."), Columns{});
  EXPECT_EQ(Parse("Key (id, (a + b))=(1, 3) is duplicated."), Columns{});
  EXPECT_EQ(Parse("Key (\"Id\"::text)=(1) is duplicated."), Columns{});
  EXPECT_EQ(Parse("Key (Id)=(1) is duplicated."), Columns{});  // the server quotes capitals
  EXPECT_EQ(Parse("could not create unique index \"x\""), Columns{});
  EXPECT_EQ(Parse("Key (id) is cut short"), Columns{});
  EXPECT_EQ(Parse("Key (\"a\"\")=(1) is duplicated."), Columns{});
  EXPECT_EQ(Parse("Key ()=(1) is duplicated."), Columns{});
}

}  // namespace
}  // namespace loader
