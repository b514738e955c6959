// ParseCommandLine for --emit-import, --fallback-dir and the options that
// shape their files: what each needs, what cannot go with it, and the
// command line a manifest records with its secrets masked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/base/redact.h"
#include "loader/cli/cli.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

constexpr char kUse[] =
    "' is not a URL IMPORT INTO reads from; use nodelocal://NODE/dir, userfile:///dir, "
    "s3://bucket/dir, gs://bucket/dir, azure://container/dir or http(s)://host/dir";

TEST(CliImport, EmitImportAloneTakesTheDefaults) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse({"--emit-import", "out"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  const LoadSpec& o = cl.spec;
  EXPECT_EQ(o.import.emit_dir, "out");
  EXPECT_EQ(o.faults.fallback_dir, "");
  EXPECT_EQ(o.import.url, "");  // nodelocal://1/out, decided when the files are written
  EXPECT_EQ(o.import.files, 0u);
  EXPECT_EQ(o.import.file_bytes, 0u);
}

TEST(CliImport, ReadsTheFileShapeAndUrl) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--rows", "5000", "--create", "--emit-import", "out/", "--import-url",
                          "userfile:///loads", "--import-files", "8"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.import.emit_dir, "out/");
  EXPECT_EQ(cl.spec.import.url, "userfile:///loads");
  EXPECT_EQ(cl.spec.import.files, 8u);
  EXPECT_EQ(cl.spec.input.rows, 5000u);
  EXPECT_TRUE(cl.spec.target.create);

  cl = Parse({"--emit-import", "out", "--import-file-bytes", "64MiB"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.import.file_bytes, 64u << 20);
  EXPECT_EQ(cl.spec.import.files, 0u);

  cl = Parse({"--emit-import", "out", "--import-file-bytes", "1.5KiB", "--input", "-"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.import.file_bytes, 1536u);

  cl = Parse({"--emit-import", "out", "--import-files", "1000000"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.import.files, 1'000'000u);
}

TEST(CliImport, FallbackDirGoesWithALoadAndAnImportUrl) {
  ScopedLoaderEnv env;
  const CommandLine cl =
      Parse({"--url", "postgresql://root@db1:26257/defaultdb", "--fallback-dir", "fb",
             "--import-url", "nodelocal://2/fb", "--max-retries", "3", "--job", "nightly"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.faults.fallback_dir, "fb");
  EXPECT_EQ(cl.spec.import.url, "nodelocal://2/fb");
  EXPECT_EQ(cl.spec.import.emit_dir, "");
}

TEST(CliImport, EnvironmentTwins) {
  ScopedLoaderEnv env;
  env.Set("LOADER_EMIT_IMPORT", "envout");
  env.Set("LOADER_IMPORT_FILES", "3");
  env.Set("LOADER_IMPORT_URL", "gs://bucket/dir");
  const CommandLine cl = Parse({});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.import.emit_dir, "envout");
  EXPECT_EQ(cl.spec.import.files, 3u);
  EXPECT_EQ(cl.spec.import.url, "gs://bucket/dir");
}

TEST(CliImport, EmptyDirectoryNamesAreRefused) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--emit-import", ""}), "--emit-import: an empty directory name");
  EXPECT_EQ(ErrorOf({"--fallback-dir", ""}), "--fallback-dir: an empty directory name");
}

TEST(CliImport, EmitImportRefusesTheOptionsOfALoad) {
  ScopedLoaderEnv env;
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"url", {"--url", "postgresql://root@localhost:26257/defaultdb"}},
      {"method", {"--method", "copy"}},  // even the default, when it is given
      {"method", {"--method", "insert"}},
      {"in-flight", {"--in-flight", "4"}},
      {"drop", {"--drop"}},
      {"job", {"--job", "j1"}},
      {"no-journal", {"--no-journal"}},
      {"fallback-dir", {"--fallback-dir", "fb"}},
      {"server", {"--server", "cockroach"}},
      {"max-retries", {"--max-retries", "3"}},
      {"reconnect-timeout", {"--reconnect-timeout", "5"}},
  };
  for (const auto& [name, extra] : cases) {
    std::vector<std::string> args = {"--emit-import", "out"};
    args.insert(args.end(), extra.begin(), extra.end());
    EXPECT_EQ(ErrorOf(args),
              "--" + name + " is for loading into a server; --emit-import writes files");
  }
}

TEST(CliImport, EmitImportRefusesALoadOptionFromTheEnvironmentButNotDatabaseUrl) {
  {
    ScopedLoaderEnv env;
    env.Set("LOADER_METHOD", "insert");
    EXPECT_EQ(ErrorOf({"--emit-import", "out"}),
              "--method is for loading into a server; --emit-import writes files");
  }
  {
    // $DATABASE_URL is the shell's, not a choice made for this command.
    ScopedLoaderEnv env;
    env.Set("DATABASE_URL", "postgresql://root@localhost:26257/defaultdb");
    const CommandLine cl = Parse({"--emit-import", "out"});
    EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
  }
}

TEST(CliImport, FileShapeOptionsNeedEmitImport) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--import-files", "4"}),
            "--import-files shapes the files of --emit-import; it needs it");
  EXPECT_EQ(ErrorOf({"--import-file-bytes", "64MiB"}),
            "--import-file-bytes shapes the files of --emit-import; it needs it");
  // A fallback directory gets one file per chunk: nothing to shape.
  EXPECT_EQ(ErrorOf({"--fallback-dir", "fb", "--import-files", "2"}),
            "--import-files shapes the files of --emit-import; it needs it");
}

TEST(CliImport, ImportUrlNeedsEmitImportOrFallbackDir) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--import-url", "nodelocal://1/out"}),
            "--import-url says where IMPORT reads the files of --emit-import or --fallback-dir; "
            "it needs one of them");
}

TEST(CliImport, OneWayToSizeTheFiles) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-files", "2", "--import-file-bytes", "1MiB"}),
            "--import-files and --import-file-bytes: give one of them");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--input", "-", "--import-files", "2"}),
            "--import-files: standard input has no size to share out; use --import-file-bytes");
}

TEST(CliImport, BadCountsAndSizes) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-files", "0"}),
            "--import-files: 0 is out of range (1 to 1000000)");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-files", "1000001"}),
            "--import-files: 1000001 is out of range (1 to 1000000)");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-files", "-1"}),
            "--import-files: '-1' is not a whole number");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-file-bytes", "0"}),
            "--import-file-bytes: must be at least 1 byte");
  // Rounds to zero bytes.
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-file-bytes", "0.4"}),
            "--import-file-bytes: must be at least 1 byte");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-file-bytes", "lots"}),
            "--import-file-bytes: 'lots' is not a byte size (expected e.g. 8MiB, 512KiB, 1048576)");
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-file-bytes", "3TB"}),
            "--import-file-bytes: '3TB' has an unknown unit (use B, KiB, MiB or GiB)");
}

TEST(CliImport, ABadImportUrlIsRefusedWithItsSecretMasked) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--import-url", "/tmp/out"}),
            std::string("--import-url: '/tmp/out") + kUse);
  const CommandLine cl = Parse({"--emit-import", "out", "--import-url",
                                "s3a://bucket/d?AWS_SECRET_ACCESS_KEY=cliBadUrlSecret9"});
  EXPECT_EQ(cl.status.message(),
            std::string("--import-url: 's3a://bucket/d?AWS_SECRET_ACCESS_KEY=****") + kUse);
  EXPECT_EQ(cl.spec.report.command,
            "loader --emit-import out --import-url 's3a://bucket/d?AWS_SECRET_ACCESS_KEY=****'");
  // Registered before the URL was judged, so no later line shows it either.
  EXPECT_EQ(ScrubSecrets("denied: cliBadUrlSecret9"), "denied: ****");
}

TEST(CliImport, CommandMasksTheUrlPasswordAndStorageCredentials) {
  ScopedLoaderEnv env;
  CommandLine cl =
      Parse({"--url", "postgresql://root:cliPw1secret@db1:26257/defaultdb", "--rows", "100",
             "--fallback-dir", "fb", "--import-url",
             "s3://b/d?AWS_ACCESS_KEY_ID=AKIACLI1&AWS_SECRET_ACCESS_KEY=cliS3secret1"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(
      cl.spec.report.command,
      "loader --url 'postgresql://root:****@db1:26257/defaultdb' --rows 100 --fallback-dir fb "
      "--import-url 's3://b/d?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****'");
  // The options themselves keep the real values: the load needs them.
  EXPECT_EQ(cl.spec.import.url,
            "s3://b/d?AWS_ACCESS_KEY_ID=AKIACLI1&AWS_SECRET_ACCESS_KEY=cliS3secret1");

  cl =
      Parse({"--url=postgresql://root:cliPw2secret@db1/defaultdb?sslmode=require",
             "--fallback-dir=fb", "--import-url=gs://b/d?AUTH=specified&CREDENTIALS=cliGsSecret2"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.report.command,
            "loader '--url=postgresql://root:****@db1/defaultdb?sslmode=require' --fallback-dir=fb "
            "'--import-url=gs://b/d?AUTH=specified&CREDENTIALS=****'");

  cl = Parse({"--url", "host=db1 password=cliKvSecret3 user=root", "--url=host=db2 password=x9yz"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.report.command,
            "loader --url 'host=db1 password=**** user=root' '--url=host=db2 password=****'");
}

// A command line that is refused is still recorded masked.
TEST(CliImport, CommandIsMaskedWhenTheLineIsRefused) {
  ScopedLoaderEnv env;
  const CommandLine cl = Parse(
      {"--emit-import", "out", "--url", "postgresql://root:cliPw4secret@db1:26257/defaultdb"});
  EXPECT_EQ(cl.status.message(), "--url is for loading into a server; --emit-import writes files");
  EXPECT_EQ(cl.spec.report.command,
            "loader --emit-import out --url 'postgresql://root:****@db1:26257/defaultdb'");
}

}  // namespace
}  // namespace loader
