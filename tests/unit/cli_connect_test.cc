// ParseCommandLine for where and how to connect: --url and its fallbacks
// ($DATABASE_URL, $COCKROACH_URL), --certs-dir and $COCKROACH_CERTS_DIR,
// --insecure, --statement-timeout, for a load and for `loader journal`; and
// the command line a manifest records, with every connection secret masked.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "loader/cli/cli.h"
#include "loader/pg/connect_settings.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

constexpr char kBothModes[] =
    "--insecure and --certs-dir: give one of them (--insecure turns TLS off; --certs-dir "
    "verifies the server with DIR/ca.crt)";

TEST(CliConnect, Defaults) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.connect.certs_dir, "");
  EXPECT_FALSE(cl.spec.target.connect.insecure);
  EXPECT_EQ(cl.spec.target.connect.statement_timeout, kDefaultStatementTimeout);
  EXPECT_EQ(cl.spec.target.connect.statement_timeout, std::chrono::seconds(120));
}

TEST(CliConnect, ReadsEveryConnectionOption) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--url", "postgresql://maxroach@localhost:26257/bank", "--certs-dir",
                          "certs", "--statement-timeout", "5"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.urls,
            std::vector<std::string>{"postgresql://maxroach@localhost:26257/bank"});
  EXPECT_EQ(cl.spec.target.connect.certs_dir, "certs");
  EXPECT_FALSE(cl.spec.target.connect.insecure);
  EXPECT_EQ(cl.spec.target.connect.statement_timeout, std::chrono::seconds(5));

  cl = Parse({"--insecure", "--statement-timeout=0"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.target.connect.insecure);
  EXPECT_EQ(cl.spec.target.connect.certs_dir, "");
  EXPECT_EQ(cl.spec.target.connect.statement_timeout, std::chrono::seconds(0));
}

TEST(CliConnect, StatementTimeoutIsAWholeNumberOfSecondsUpToADay) {
  ScopedLoaderEnv env;
  EXPECT_EQ(Parse({"--statement-timeout", "86400"}).spec.target.connect.statement_timeout,
            std::chrono::seconds(86400));
  EXPECT_EQ(ErrorOf({"--statement-timeout", "86401"}),
            "--statement-timeout: 86401 is out of range (0 to 86400)");
  EXPECT_EQ(ErrorOf({"--statement-timeout", "-1"}),
            "--statement-timeout: '-1' is not a whole number");
  EXPECT_EQ(ErrorOf({"--statement-timeout", "2m"}),
            "--statement-timeout: '2m' is not a whole number");
}

TEST(CliConnect, EnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_CERTS_DIR", "/etc/loader/certs");
  env.Set("LOADER_STATEMENT_TIMEOUT", "30");
  CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.connect.certs_dir, "/etc/loader/certs");
  EXPECT_EQ(cl.spec.target.connect.statement_timeout, std::chrono::seconds(30));
  EXPECT_EQ(Parse({"--statement-timeout", "7"}).spec.target.connect.statement_timeout,
            std::chrono::seconds(7));
}

TEST(CliConnect, InsecureFromTheEnvironment) {
  ScopedLoaderEnv env;
  env.Set("LOADER_INSECURE", "1");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.target.connect.insecure);
  env.Set("LOADER_INSECURE", "0");
  EXPECT_FALSE(Parse({}).spec.target.connect.insecure);
}

TEST(CliConnect, CertsDirFromCockroachCertsDirBelowTheLoadersOwn) {
  ScopedLoaderEnv env;
  env.Set("COCKROACH_CERTS_DIR", "/home/me/.cockroach-certs");
  EXPECT_EQ(Parse({}).spec.target.connect.certs_dir, "/home/me/.cockroach-certs");
  env.Set("LOADER_CERTS_DIR", "loader-certs");
  EXPECT_EQ(Parse({}).spec.target.connect.certs_dir, "loader-certs");
  EXPECT_EQ(Parse({"--certs-dir", "mine"}).spec.target.connect.certs_dir, "mine");
  env.Set("COCKROACH_CERTS_DIR", "");
  env.Set("LOADER_CERTS_DIR", "");
  EXPECT_EQ(ErrorOf({}), "--certs-dir: an empty directory name");
}

TEST(CliConnect, InsecureIsRefusedWithCertsDir) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--insecure", "--certs-dir", "certs"}), kBothModes);
  EXPECT_EQ(ErrorOf({"--certs-dir=certs", "--insecure"}), kBothModes);
  // A LOADER_ twin counts as given.
  env.Set("LOADER_CERTS_DIR", "certs");
  EXPECT_EQ(ErrorOf({"--insecure"}), kBothModes);
}

TEST(CliConnect, InsecureIsRefusedWithCertsDirFromLoaderInsecure) {
  ScopedLoaderEnv env;
  env.Set("LOADER_INSECURE", "true");
  EXPECT_EQ(ErrorOf({"--certs-dir", "certs"}), kBothModes);
}

// As with `cockroach sql`, COCKROACH_CERTS_DIR only supplies a default: a
// profile that sets it must not stop an --insecure load of a local node.
TEST(CliConnect, InsecureWinsOverCockroachCertsDir) {
  ScopedLoaderEnv env;
  env.Set("COCKROACH_CERTS_DIR", "/home/me/.cockroach-certs");
  const CommandLine cl = Parse({"--insecure"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.target.connect.insecure);
  EXPECT_EQ(cl.spec.target.connect.certs_dir, "");
}

TEST(CliConnect, SwitchesTakeNoValueOnTheCommandLine) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--insecure=1"}),
            "option '--insecure' does not take any arguments (see loader --help)");
  EXPECT_EQ(ErrorOf({"--create=false"}),
            "option '--create' does not take any arguments (see loader --help)");
  // In the environment a switch takes the words Boost reads as a bool.
  env.Set("LOADER_CREATE", "yes");
  EXPECT_TRUE(Parse({}).spec.target.create);
  env.Set("LOADER_CREATE", "off");
  EXPECT_FALSE(Parse({}).spec.target.create);
  env.Set("LOADER_CREATE", "maybe");
  EXPECT_EQ(ErrorOf({}),
            "the argument ('maybe') for option 'create' is invalid. Valid choices are 'on|off', "
            "'yes|no', '1|0' and 'true|false' (see loader --help)");
}

TEST(CliConnect, UrlFallsBackToDatabaseUrlThenCockroachUrl) {
  ScopedLoaderEnv env;
  env.Set("COCKROACH_URL", "postgresql://root@crdb:26257/defaultdb");
  EXPECT_EQ(Parse({}).spec.target.urls,
            std::vector<std::string>{"postgresql://root@crdb:26257/defaultdb"});
  env.Set("DATABASE_URL", "postgresql://root@db/defaultdb");
  EXPECT_EQ(Parse({}).spec.target.urls, std::vector<std::string>{"postgresql://root@db/defaultdb"});
  EXPECT_EQ(Parse({"--url", "postgresql://me@mine/db"}).spec.target.urls,
            std::vector<std::string>{"postgresql://me@mine/db"});
  env.Set("DATABASE_URL", "");
  env.Set("COCKROACH_URL", "");
  EXPECT_TRUE(Parse({}).spec.target.urls.empty());
}

TEST(CliConnect, ABadUrlIsNamedByWhereItCameFrom) {
  ScopedLoaderEnv env;
  const std::string cannot =
      "cannot parse the connection string host=h bogus; in a URL, "
      "percent-encode special characters of the password (% as %25, @ "
      "as %40, / as %2F)";
  EXPECT_EQ(ErrorOf({"--url", "host=h bogus"}), "--url: " + cannot);
  env.Set("COCKROACH_URL", "host=h bogus");
  EXPECT_EQ(ErrorOf({}), "COCKROACH_URL: " + cannot);
  env.Set("DATABASE_URL", "host=h bogus");
  EXPECT_EQ(ErrorOf({}), "DATABASE_URL: " + cannot);
}

TEST(CliConnect, EmitImportRefusesConnectionOptionsButNotCockroachVariables) {
  ScopedLoaderEnv env;
  for (const std::vector<std::string>& given : {std::vector<std::string>{"--certs-dir", "certs"},
                                                {"--insecure"},
                                                {"--statement-timeout", "5"}}) {
    std::vector<std::string> args = {"--emit-import", "out"};
    args.insert(args.end(), given.begin(), given.end());
    EXPECT_EQ(ErrorOf(args),
              given[0] + " is for loading into a server; --emit-import writes files");
  }
  env.Set("COCKROACH_URL", "postgresql://root@crdb:26257/defaultdb");
  env.Set("COCKROACH_CERTS_DIR", "certs");
  const CommandLine cl = Parse({"--emit-import", "out"});
  EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
}

// `loader journal` reads the same options by the same rules.

TEST(CliJournalConnect, TakesTheConnectionOptions) {
  ScopedLoaderEnv env;
  const CommandLine cl =
      Parse({"journal", "forget", "JOB1", "--url", "postgresql://maxroach@localhost:26257/bank",
             "--certs-dir", "certs", "--statement-timeout", "9"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.journal.job, "JOB1");
  EXPECT_EQ(cl.journal.urls,
            std::vector<std::string>{"postgresql://maxroach@localhost:26257/bank"});
  EXPECT_EQ(cl.journal.connect.certs_dir, "certs");
  EXPECT_FALSE(cl.journal.connect.insecure);
  EXPECT_EQ(cl.journal.connect.statement_timeout, std::chrono::seconds(9));

  const CommandLine defaults = Parse({"journal"});
  ASSERT_TRUE(defaults.status.ok()) << defaults.status.ToString();
  EXPECT_EQ(defaults.journal.connect.statement_timeout, kDefaultStatementTimeout);
  EXPECT_TRUE(Parse({"journal", "--insecure"}).journal.connect.insecure);
}

TEST(CliJournalConnect, SameRulesAsALoad) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"journal", "--insecure", "--certs-dir", "certs"}), kBothModes);
  EXPECT_EQ(ErrorOf({"journal", "--statement-timeout", "86401"}),
            "--statement-timeout: 86401 is out of range (0 to 86400)");
  env.Set("COCKROACH_URL", "postgresql://root@crdb:26257/defaultdb");
  env.Set("COCKROACH_CERTS_DIR", "cockroach-certs");
  CommandLine cl = Parse({"journal"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.journal.urls, std::vector<std::string>{"postgresql://root@crdb:26257/defaultdb"});
  EXPECT_EQ(cl.journal.connect.certs_dir, "cockroach-certs");
  cl = Parse({"journal", "--insecure"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.journal.connect.certs_dir, "");
  env.Set("COCKROACH_URL", "host=h bogus");
  EXPECT_TRUE(ErrorOf({"journal"}).starts_with("COCKROACH_URL: cannot parse"))
      << ErrorOf({"journal"});
}

// The manifest's command line: an encrypted client key's sslpassword is as
// secret as a password, in key=value conninfo and in a URL, in the
// --url VALUE and --url=VALUE forms.
TEST(CliConnect, CommandMasksSslPassword) {
  ScopedLoaderEnv env;
  const std::vector<std::vector<std::string>> lines = {
      {"--url", "host=h sslpassword=KeyPass-77x"},
      {"--url=host=h sslpassword=KeyPass-77x"},
      {"--url", "postgresql://maxroach@localhost:26257/bank?sslpassword=KeyPass-77x"},
      {"--url=postgresql://maxroach@localhost:26257/bank?sslmode=require&sslpassword=KeyPass-77x"},
      {"--url", "host=h user=u sslpassword = 'KeyPass-77x' password=KeyPass-77x"},
  };
  for (const std::vector<std::string>& line : lines) {
    const CommandLine cl = Parse(line);
    EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
    EXPECT_EQ(cl.spec.report.command.find("KeyPass-77x"), std::string::npos)
        << cl.spec.report.command;
    EXPECT_NE(cl.spec.report.command.find("sslpassword"), std::string::npos)
        << cl.spec.report.command;
  }
  // Each word quoted for sh where it needs it.
  EXPECT_EQ(Parse(lines[0]).spec.report.command, "loader --url 'host=h sslpassword=****'");
  EXPECT_EQ(Parse(lines[1]).spec.report.command, "loader '--url=host=h sslpassword=****'");
  EXPECT_EQ(Parse(lines[2]).spec.report.command,
            "loader --url 'postgresql://maxroach@localhost:26257/bank?sslpassword=****'");
}

// A URL's certificate paths are not secrets: only a storage URL's key
// parameters are masked by name.
TEST(CliConnect, CommandKeepsCertificatePaths) {
  ScopedLoaderEnv env;
  const CommandLine cl =
      Parse({"--url",
             "postgresql://maxroach@db/bank?sslkey=certs/client.maxroach.key&sslpassword=Kp-8812",
             "--certs-dir", "certs"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.report.command,
            "loader --url 'postgresql://maxroach@db/bank?sslkey=certs/client.maxroach.key&"
            "sslpassword=****' --certs-dir certs");
}

}  // namespace
}  // namespace loader
