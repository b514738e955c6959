#include "loader/cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "loader/plan/chunk_plan.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

TEST(Cli, Defaults) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.exit_now);
  EXPECT_EQ(cl.output, "");
  const LoadSpec& o = cl.spec;
  EXPECT_TRUE(o.target.urls.empty());
  EXPECT_EQ(o.input.table, "accounts");
  EXPECT_EQ(o.input.rows, 10000u);
  EXPECT_EQ(o.chunks.rows, 1000u);
  EXPECT_EQ(o.chunks.bytes, kDefaultChunkBytes);
  EXPECT_EQ(o.target.method, std::nullopt);  // auto: chosen once the server is known
  EXPECT_EQ(o.target.in_flight, 0);          // chosen from the round trip
  EXPECT_EQ(o.input.seed, 1u);
  EXPECT_EQ(o.target.workers, std::nullopt);  // auto: grown while the rows/s rise
  EXPECT_FALSE(o.target.create);
  EXPECT_FALSE(o.target.drop);
  EXPECT_FALSE(o.report.dry_run);
  EXPECT_EQ(o.faults.max_retries, 10);
  EXPECT_EQ(o.target.server, std::nullopt);
  EXPECT_EQ(o.faults.reconnect_timeout, std::chrono::seconds(60));
  EXPECT_TRUE(o.faults.journal);
  EXPECT_EQ(o.faults.job, "");
  EXPECT_EQ(cl.log_level, "info");
  EXPECT_EQ(cl.stats_json, "");
  EXPECT_FALSE(cl.journal_command);
}

TEST(Cli, EveryOption) {
  ScopedLoaderEnv env;
  std::vector<std::string> args = {"--url",         "postgresql://a@h1/db",
                                   "--url",         "postgresql://a@h2/db",
                                   "--table",       "points",
                                   "--rows",        "5000000",
                                   "--chunk",       "250",
                                   "--chunk-bytes", "512KiB",
                                   "--workers",     "4",
                                   "--method",      "insert",
                                   "--seed",        "42",
                                   "--max-retries", "3",
                                   "--stats-json",  "f",
                                   "--log-level",   "debug",
                                   "--server",      "cockroach"};
  args.insert(args.end(), {"--create", "--drop", "--dry-run"});
  const CommandLine cl = Parse(args);
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.exit_now);
  const LoadSpec& o = cl.spec;
  EXPECT_EQ(o.target.urls,
            (std::vector<std::string>{"postgresql://a@h1/db", "postgresql://a@h2/db"}));
  EXPECT_EQ(o.input.table, "points");
  EXPECT_EQ(o.input.rows, 5000000u);
  EXPECT_EQ(o.chunks.rows, 250u);
  EXPECT_EQ(o.chunks.bytes, 512u * 1024);
  EXPECT_EQ(o.target.workers, 4);
  EXPECT_EQ(o.target.method, Method::kInsert);
  EXPECT_EQ(o.input.seed, 42u);
  EXPECT_TRUE(o.target.create);
  EXPECT_TRUE(o.target.drop);
  EXPECT_EQ(o.faults.max_retries, 3);
  EXPECT_EQ(cl.stats_json, "f");
  EXPECT_EQ(cl.log_level, "debug");
  EXPECT_TRUE(o.report.dry_run);
  EXPECT_EQ(o.target.server, ServerKind::kCockroach);
}

TEST(Cli, ServerAndMethodValues) {
  ScopedLoaderEnv env;
  EXPECT_EQ(Parse({"--server", "postgres"}).spec.target.server, ServerKind::kPostgres);
  EXPECT_EQ(Parse({"--server", "auto"}).spec.target.server, std::nullopt);
  EXPECT_EQ(Parse({"--method", "copy"}).spec.target.method, Method::kCopy);
  EXPECT_EQ(Parse({"--rows=0"}).spec.input.rows, 0u);
  EXPECT_EQ(Parse({"--max-retries", "0"}).spec.faults.max_retries, 0);
  EXPECT_EQ(Parse({"--workers", "256"}).spec.target.workers, 256);
  EXPECT_EQ(Parse({"--workers", "auto"}).spec.target.workers, std::nullopt);
}

TEST(Cli, RejectsBadNumbers) {
  ScopedLoaderEnv env;
  // Boost would wrap "-5" around as an unsigned; ParseCommandLine reads text.
  EXPECT_EQ(ErrorOf({"--rows", "-5"}), "--rows: '-5' is not a whole number");
  EXPECT_EQ(ErrorOf({"--rows=-5"}), "--rows: '-5' is not a whole number");
  EXPECT_EQ(ErrorOf({"--rows", "abc"}), "--rows: 'abc' is not a whole number");
  EXPECT_EQ(ErrorOf({"--rows", "12x"}), "--rows: '12x' is not a whole number");
  EXPECT_EQ(ErrorOf({"--chunk", "0"}), "--chunk: 0 is out of range (1 to 10000000)");
  EXPECT_EQ(ErrorOf({"--workers", "0"}), "--workers: 0 is out of range (1 to 256)");
  EXPECT_EQ(ErrorOf({"--workers", "1000"}), "--workers: 1000 is out of range (1 to 256)");
  EXPECT_EQ(ErrorOf({"--max-retries", "1001"}), "--max-retries: 1001 is out of range (0 to 1000)");
}

TEST(Cli, RejectsBadChoices) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--method", "foo"}), "--method: 'foo' is not one of auto, copy, insert");
  EXPECT_EQ(Parse({"--method", "auto"}).spec.target.method, std::nullopt);
  EXPECT_EQ(Parse({"--method", "insert", "--in-flight", "12"}).spec.target.in_flight, 12);
  EXPECT_EQ(ErrorOf({"--method", "insert", "--in-flight", "0"}),
            "--in-flight: 0 is out of range (1 to 32)");
  EXPECT_EQ(ErrorOf({"--method", "copy", "--in-flight", "4"}),
            "--in-flight is for --method insert: COPY cannot run in libpq's pipeline mode, so "
            "each connection waits for each COPY chunk");
  EXPECT_EQ(ErrorOf({"--server", "x"}), "--server: 'x' is not one of auto, postgres, cockroach");
  EXPECT_EQ(ErrorOf({"--nope"}), "unrecognised option '--nope' (see loader --help)");
  EXPECT_EQ(ErrorOf({"--id-order", "random"}),
            "--id-order: 'random' is not one of sequential, scattered");
}

TEST(Cli, PresplitNeedsGeneratedRowsAndCreate) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--presplit", "1", "--create"}), "--presplit: 1 is out of range (2 to 10000)");
  EXPECT_EQ(ErrorOf({"--presplit", "4"}),
            "--presplit splits the table --create makes: add --create");
  EXPECT_EQ(ErrorOf({"--presplit", "4", "--create", "--input", "-", "--table", "t"}),
            "--presplit splits at even boundaries of the generated accounts' or points' keys; the "
            "keys of rows from --input are not known in advance");
  const CommandLine cl = Parse({"--presplit", "8", "--create"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.presplit, 8u);
}

TEST(Cli, AShardsBlocksAreChunkRows) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--shard", "1/4", "--chunk", "500", "--rows", "9000"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.chunks.shard.index, 1u);
  EXPECT_EQ(cl.spec.chunks.shard.count, 4u);
  EXPECT_EQ(cl.spec.chunks.shard.block_rows, 500u);
  EXPECT_EQ(cl.spec.chunks.shard.OwnedRows(0, 9000), 2500u);  // blocks 1, 5, 9, 13, 17
}

TEST(Cli, ShardsSplitAGeneratedJobWithoutDrop) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--shard", "3/3"}),
            "--shard: '3/3' is not K/N with 0 <= K < N <= 10000 (this process loads the blocks "
            "of --chunk rows whose number mod N is K; start one process for each K)");
  EXPECT_EQ(ErrorOf({"--shard", "1/3", "--input", "-", "--table", "t"}),
            "--shard splits a job's generated rows between processes; rows from --input are read "
            "in order by one process: give each process its own files instead");
  EXPECT_EQ(ErrorOf({"--shard", "1/3", "--emit-import", "/tmp/loader-cli-shard"}),
            "--shard loads a share of the job; --emit-import writes the files for all of it: run "
            "it once, without --shard");
  EXPECT_EQ(ErrorOf({"--shard", "1/3", "--drop", "--table", "points"}),
            "--shard cannot go with --drop: each shard would drop the rows the others committed; "
            "drop the table once (loader --table points --rows 0 --drop), then give every shard "
            "--create");
  const CommandLine cl = Parse({"--shard", "2/3", "--create"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.chunks.shard.index, 2u);
  EXPECT_EQ(cl.spec.chunks.shard.count, 3u);
  EXPECT_TRUE(Parse({}).spec.chunks.shard.whole());
}

TEST(Cli, ScatteredIdsAreForGeneratedPointsOnly) {
  ScopedLoaderEnv env;
  const std::string refused =
      "--id-order scattered orders the generated points' integer ids; accounts ids are random "
      "UUIDs already, and rows from --input keep their own";
  EXPECT_EQ(ErrorOf({"--id-order", "scattered"}), refused);  // accounts by default
  EXPECT_EQ(ErrorOf({"--table", "points", "--input", "-", "--id-order", "scattered"}), refused);
  const CommandLine cl = Parse({"--table", "points", "--id-order", "scattered"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.input.scattered_ids);
  EXPECT_FALSE(Parse({"--table", "points"}).spec.input.scattered_ids);
}

TEST(Cli, RejectsChunkBytesOutOfRange) {
  ScopedLoaderEnv env;
  // 10 bytes cannot hold one accounts row (at most 59 bytes encoded).
  EXPECT_EQ(ErrorOf({"--chunk-bytes", "10"}),
            "--chunk-bytes: 10 is out of range (59 bytes, one row of accounts, to 15 MiB, under "
            "the 16 MiB message limit)");
  EXPECT_EQ(ErrorOf({"--table", "points", "--chunk-bytes", "57"}),
            "--chunk-bytes: 57 is out of range (58 bytes, one row of points, to 15 MiB, under "
            "the 16 MiB message limit)");
  EXPECT_EQ(ErrorOf({"--chunk-bytes", "64MiB"}),
            "--chunk-bytes: 64MiB is out of range (59 bytes, one row of accounts, to 15 MiB, "
            "under the 16 MiB message limit)");
  EXPECT_EQ(ErrorOf({"--chunk-bytes", "lots"}),
            "--chunk-bytes: 'lots' is not a byte size (expected e.g. 8MiB, 512KiB, 1048576)");
  // Both ends are inclusive.
  EXPECT_EQ(Parse({"--chunk-bytes", "59"}).spec.chunks.bytes, 59u);
  EXPECT_EQ(Parse({"--chunk-bytes", "15MiB"}).spec.chunks.bytes, kMaxChunkBytes);
}

TEST(Cli, ReadsEnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_ROWS", "123");
  env.Set("LOADER_CHUNK_BYTES", "1MiB");
  env.Set("LOADER_CREATE", "1");
  env.Set("LOADER_MAX_RETRIES", "7");
  env.Set("LOADER_DRY_RUN", "true");
  env.Set("LOADER_LOG_LEVEL", "warn");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.rows, 123u);
  EXPECT_EQ(cl.spec.chunks.bytes, 1u << 20);
  EXPECT_TRUE(cl.spec.target.create);
  EXPECT_EQ(cl.spec.faults.max_retries, 7);
  EXPECT_TRUE(cl.spec.report.dry_run);
  EXPECT_EQ(cl.log_level, "warn");
}

TEST(Cli, EnvironmentValuesAreValidatedToo) {
  ScopedLoaderEnv env;
  env.Set("LOADER_WORKERS", "0");
  EXPECT_EQ(ErrorOf({}), "--workers: 0 is out of range (1 to 256)");
}

TEST(Cli, CommandLineWinsOverEnvironment) {
  ScopedLoaderEnv env;
  env.Set("LOADER_ROWS", "123");
  env.Set("LOADER_TABLE", "points");
  const CommandLine cl = Parse({"--rows", "456", "--table", "accounts"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.rows, 456u);
  EXPECT_EQ(cl.spec.input.table, "accounts");
}

TEST(Cli, UrlFromDatabaseUrlWhenNoneGiven) {
  ScopedLoaderEnv env;
  env.Set("DATABASE_URL", "postgresql://root@db:26257/defaultdb");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.urls, std::vector<std::string>{"postgresql://root@db:26257/defaultdb"});
}

TEST(Cli, EmptyDatabaseUrlIsIgnored) {
  ScopedLoaderEnv env;
  env.Set("DATABASE_URL", "");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.target.urls.empty());
}

TEST(Cli, UrlOptionWinsOverDatabaseUrl) {
  ScopedLoaderEnv env;
  env.Set("DATABASE_URL", "postgresql://root@db/defaultdb");
  const CommandLine cl = Parse({"--url", "postgresql://me@mine/db"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.urls, std::vector<std::string>{"postgresql://me@mine/db"});
}

TEST(Cli, LoaderUrlWinsOverDatabaseUrl) {
  ScopedLoaderEnv env;
  env.Set("DATABASE_URL", "postgresql://root@db/defaultdb");
  env.Set("LOADER_URL", "postgresql://me@env/db");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.urls, std::vector<std::string>{"postgresql://me@env/db"});
}

// cli.h: "the command line wins over" LOADER_NAME, for a repeatable option too:
// a LOADER_URL merged into the --url list would send workers to a server the
// user did not name on the command line.
TEST(Cli, UrlOptionWinsOverLoaderUrl) {
  ScopedLoaderEnv env;
  env.Set("LOADER_URL", "postgresql://me@env/db");
  const CommandLine cl = Parse({"--url", "postgresql://me@cli/db"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.target.urls, std::vector<std::string>{"postgresql://me@cli/db"});
}

TEST(Cli, HelpAndVersionHaveNoEnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_VERSION", "1.2.3");
  env.Set("LOADER_HELP", "");
  const CommandLine cl = Parse({"--rows", "5"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.exit_now);
  EXPECT_EQ(cl.spec.input.rows, 5u);
}

TEST(Cli, HelpPrintsUsage) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--help"});
  EXPECT_TRUE(cl.exit_now);
  EXPECT_TRUE(cl.status.ok());
  EXPECT_NE(cl.output.find("Usage: loader [options]"), std::string::npos) << cl.output;
  EXPECT_NE(cl.output.find("--chunk-bytes"), std::string::npos);
  EXPECT_NE(cl.output.find("LOADER_<NAME>"), std::string::npos);
  EXPECT_TRUE(Parse({"-h"}).exit_now);
}

TEST(Cli, VersionPrintsVersion) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--version"});
  EXPECT_TRUE(cl.exit_now);
  EXPECT_TRUE(cl.status.ok());
  EXPECT_EQ(cl.output, "loader " LOADER_PROJECT_VERSION "\n");
}

// The man page is written by hand: its header must name the version CMake's
// project() sets, which --version prints.
TEST(Cli, ManPageNamesTheProjectVersion) {
  std::ifstream page(LOADER_MAN_PAGE);
  std::string title;
  ASSERT_TRUE(std::getline(page, title)) << LOADER_MAN_PAGE;
  EXPECT_NE(title.find("\"loader " LOADER_PROJECT_VERSION "\""), std::string::npos) << title;
}

TEST(Cli, JournalOptions) {
  ScopedLoaderEnv env;
  EXPECT_FALSE(Parse({"--no-journal"}).spec.faults.journal);
  const CommandLine cl = Parse({"--job", "nightly-1"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.faults.job, "nightly-1");
  EXPECT_TRUE(cl.spec.faults.journal);
}

TEST(Cli, RejectsBadJobs) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--job", "bad name"}),
            "--job: a job id is 1 to 100 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_TRUE(ErrorOf({"--job", "nightly-1", "--no-journal"}).starts_with("--job"));
  EXPECT_TRUE(ErrorOf({"--no-journal", "--job", "nightly-1"}).starts_with("--job"));
}

TEST(Cli, ReconnectTimeout) {
  ScopedLoaderEnv env;
  EXPECT_EQ(Parse({"--reconnect-timeout", "5"}).spec.faults.reconnect_timeout,
            std::chrono::seconds(5));
  EXPECT_EQ(Parse({"--reconnect-timeout", "0"}).spec.faults.reconnect_timeout,
            std::chrono::seconds(0));
  EXPECT_EQ(Parse({"--reconnect-timeout", "86400"}).spec.faults.reconnect_timeout,
            std::chrono::seconds(86400));
  EXPECT_EQ(ErrorOf({"--reconnect-timeout", "-1"}),
            "--reconnect-timeout: '-1' is not a whole number");
  EXPECT_EQ(ErrorOf({"--reconnect-timeout", "abc"}),
            "--reconnect-timeout: 'abc' is not a whole number");
  EXPECT_EQ(ErrorOf({"--reconnect-timeout", "86401"}),
            "--reconnect-timeout: 86401 is out of range (0 to 86400)");
}

TEST(Cli, JournalEnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_NO_JOURNAL", "1");
  env.Set("LOADER_RECONNECT_TIMEOUT", "7");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.faults.journal);
  EXPECT_EQ(cl.spec.faults.reconnect_timeout, std::chrono::seconds(7));
}

// `loader journal [forget JOB]`.

TEST(CliJournal, ListIsTheDefault) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"journal"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.journal_command);
  EXPECT_FALSE(cl.exit_now);
  EXPECT_EQ(cl.journal.action, JournalCommand::Action::kList);
  EXPECT_EQ(cl.journal.job, "");
  EXPECT_TRUE(cl.journal.urls.empty());
  EXPECT_EQ(Parse({"journal", "list"}).journal.action, JournalCommand::Action::kList);
}

TEST(CliJournal, ForgetNamesTheJob) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"journal", "forget", "JOB1"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.journal_command);
  EXPECT_EQ(cl.journal.action, JournalCommand::Action::kForget);
  EXPECT_EQ(cl.journal.job, "JOB1");
}

TEST(CliJournal, RejectsMissingJobAndUnknownActions) {
  ScopedLoaderEnv env;
  const CommandLine no_job = Parse({"journal", "forget"});
  EXPECT_TRUE(no_job.journal_command);
  EXPECT_EQ(no_job.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(no_job.status.message(),
            "loader journal forget: which job? (loader journal lists them)");
  const std::string expected =
      "loader journal: expected 'list' or 'forget JOB' (see loader journal --help)";
  EXPECT_EQ(ErrorOf({"journal", "frobnicate"}), expected);
  EXPECT_EQ(ErrorOf({"journal", "list", "JOB1"}), expected);
}

// A connection string typed where the action or the job goes is refused
// without being echoed: it may carry a password.
TEST(CliJournal, NeverEchoesAMisplacedUrl) {
  ScopedLoaderEnv env;
  const std::string url = "postgresql://u:S3cret-pw@h/db";
  EXPECT_EQ(ErrorOf({"journal", url}).find("S3cret-pw"), std::string::npos);
  const std::string forget = ErrorOf({"journal", "forget", url});
  EXPECT_TRUE(forget.starts_with("--job: a job id is")) << forget;
  EXPECT_EQ(forget.find("S3cret-pw"), std::string::npos) << forget;
}

TEST(CliJournal, TakesUrlAndLogLevel) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"journal", "--url", "postgresql://u@h/db", "--log-level", "debug"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.journal.urls, std::vector<std::string>{"postgresql://u@h/db"});
  EXPECT_EQ(cl.log_level, "debug");
  EXPECT_EQ(cl.journal.action, JournalCommand::Action::kList);
  // Load options are not journal options.
  EXPECT_EQ(ErrorOf({"journal", "--rows", "5"}),
            "unrecognised option '--rows' (see loader --help)");
}

TEST(CliJournal, HelpShowsTheForms) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"journal", "--help"});
  EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.exit_now);
  EXPECT_NE(cl.output.find("loader journal forget JOB"), std::string::npos) << cl.output;
}

TEST(CliJournal, PositionalsHaveNoEnvironmentTwins) {
  // LOADER_JOB is the load's --job; it must not become the job to forget, nor
  // turn a list into an error.
  ScopedLoaderEnv env;
  env.Set("LOADER_JOB", "x");
  env.Set("LOADER_ACTION", "forget");
  const CommandLine cl = Parse({"journal"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.journal.action, JournalCommand::Action::kList);
  EXPECT_EQ(cl.journal.job, "");
}

TEST(CliJournal, UrlFromTheEnvironment) {
  ScopedLoaderEnv env;
  env.Set("DATABASE_URL", "postgresql://root@db/defaultdb");
  EXPECT_EQ(Parse({"journal"}).journal.urls,
            std::vector<std::string>{"postgresql://root@db/defaultdb"});
  env.Set("LOADER_URL", "postgresql://me@env/db");
  EXPECT_EQ(Parse({"journal"}).journal.urls, std::vector<std::string>{"postgresql://me@env/db"});
}

}  // namespace
}  // namespace loader
