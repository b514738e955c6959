// HostOf: the host:port a worker's summary row names, from any conninfo form.
#include <gtest/gtest.h>

#include "loader/pg/connection.h"

namespace loader {
namespace {

TEST(HostOf, UrlKeyValueDefaultPortAndNone) {
  EXPECT_EQ(HostOf("postgresql://bob:secret@db1.example:26257/defaultdb?sslmode=disable"),
            "db1.example:26257");
  EXPECT_EQ(HostOf("postgresql://localhost/db"), "localhost:5432");
  EXPECT_EQ(HostOf("host=10.0.0.7 port=5433 password=secret dbname=x"), "10.0.0.7:5433");
  EXPECT_EQ(HostOf("hostaddr=10.0.0.8 dbname=x"), "10.0.0.8:5432");
  EXPECT_EQ(HostOf(""), "");  // libpq's PG* variables decide
  EXPECT_EQ(HostOf("dbname=x"), "");
  EXPECT_EQ(HostOf("postgresql://%zz"), "");  // does not parse
}

}  // namespace
}  // namespace loader
