// ParseCommandLine for --max-rate: the forms it takes (one rate, both
// joined by a comma or given twice, its environment twin), and the exact
// message for a value that is not one clear rate.
#include <gtest/gtest.h>

#include <string>

#include "loader/cli/cli.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

TEST(CliMaxRate, NoneByDefault) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.target.max_rate.limited());
}

TEST(CliMaxRate, RowsBytesOrBoth) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--max-rate", "50000rows/s"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.max_rate.rows_per_second, 50000u);
  EXPECT_EQ(cl.spec.target.max_rate.bytes_per_second, 0u);

  cl = Parse({"--max-rate=8MiB/s"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.max_rate.rows_per_second, 0u);
  EXPECT_EQ(cl.spec.target.max_rate.bytes_per_second, 8u << 20);

  for (const auto& args :
       {std::vector<std::string>{"--max-rate", "50000rows/s,20MiB/s"},
        std::vector<std::string>{"--max-rate", "20MiB/s", "--max-rate", "50000rows/s"}}) {
    cl = Parse(args);
    ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
    EXPECT_EQ(cl.spec.target.max_rate.rows_per_second, 50000u);
    EXPECT_EQ(cl.spec.target.max_rate.bytes_per_second, 20u << 20);
  }
}

TEST(CliMaxRate, TheEnvironmentTwinAndNoneOnTheCommandLine) {
  ScopedLoaderEnv env;
  env.Set("LOADER_MAX_RATE", "2000rows/s,1MiB/s");
  CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.max_rate.rows_per_second, 2000u);
  EXPECT_EQ(cl.spec.target.max_rate.bytes_per_second, 1u << 20);
  // The command line wins: none lifts a budget the environment set.
  cl = Parse({"--max-rate", "none"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.target.max_rate.limited());
}

TEST(CliMaxRate, RefusesWhatIsNotOneClearRate) {
  ScopedLoaderEnv env;
  const std::string use =
      ": give rows per second as 2000rows/s, or payload bytes per second as "
      "8MiB/s";
  EXPECT_EQ(ErrorOf({"--max-rate", "50000"}), "--max-rate: '50000' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"--max-rate", "20MiB"}), "--max-rate: '20MiB' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"--max-rate", "50000/s"}),
            "--max-rate: '50000/s': rows or bytes? Write 50000rows/s, or 50000B/s for bytes");
  EXPECT_EQ(ErrorOf({"--max-rate", "0rows/s"}),
            "--max-rate: '0rows/s' would load nothing: give a rate above 0, or none for no limit");
  EXPECT_EQ(ErrorOf({"--max-rate", "1e3rows/s"}),
            "--max-rate: '1e3rows/s': rows per second must be a whole number");
  EXPECT_EQ(ErrorOf({"--max-rate", "1000rows/s", "--max-rate", "2000rows/s"}),
            "--max-rate: two rates of rows per second: give one");
  EXPECT_EQ(ErrorOf({"--max-rate", "none,8MiB/s"}),
            "--max-rate: none means no limit: it cannot go with a rate");
}

TEST(CliMaxRate, IsForLoadingIntoAServer) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--max-rate", "1000rows/s"}),
            "--max-rate is for loading into a server; --emit-import writes files");
}

}  // namespace
}  // namespace loader
