// No secret the loader is given reaches a file it writes or its output
// (issue 16, finding 1 and the end-to-end check): passwords and sslpasswords
// on the command line (--url, URL and key=value forms), in LOADER_URL, in
// DATABASE_URL and in PGPASSWORD, and storage credentials in --import-url, are absent from every
// file of --emit-import and --fallback-dir, from --stats-json, from the reject
// file and its log, and from stdout and stderr; import.sql alone keeps the
// storage credentials its statements pass to the server, readable by its
// owner only.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/fallback_load.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// The issue's storage secret, and the access key id beside it.
constexpr char kStorageSecret[] = "wJalrXUtnFEMIK7MDENG";
constexpr char kAccessKeyId[] = "AKIAEXAMPLE";
constexpr char kIssueImportUrl[] =
    "s3://acme-password-vault/x?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY="
    "wJalrXUtnFEMIK7MDENG";

// Each secret in one place only, so a leak names its way in.
constexpr char kUrlPassword[] = "UrlPass-4417q";
constexpr char kUrlSslPassword[] = "UrlKeyPass-2290w";
constexpr char kEnvPassword[] = "EnvPass-8803k";
constexpr char kEnvSslPassword[] = "EnvKeyPass-6151z";
constexpr char kPgPassword[] = "PgPass-3392m";
constexpr char kWrongPassword[] = "WrongPass-7046v";

const std::vector<std::string>& AllSecrets() {
  static const std::vector<std::string> secrets = {kStorageSecret,  kAccessKeyId,  kUrlPassword,
                                                   kUrlSslPassword, kEnvPassword,  kEnvSslPassword,
                                                   kPgPassword,     kWrongPassword};
  return secrets;
}

// No secret in `text`.
void ExpectNoSecret(const std::string& where, const std::string& text) {
  for (const std::string& secret : AllSecrets()) {
    EXPECT_FALSE(Contains(text, secret)) << secret << " in " << where << ":\n" << text;
  }
}

// No secret in stdout, stderr, or any file under `paths` (files or
// directories); `keep` names the one file allowed the storage credentials.
void ExpectNoSecretAnywhere(const std::string& what, const LoaderRun& run,
                            const std::vector<std::string>& paths, const std::string& keep = "") {
  ExpectNoSecret(what + ": stdout", run.out);
  ExpectNoSecret(what + ": stderr", run.err);
  int files = 0;
  for (const std::string& path : paths) {
    std::vector<std::filesystem::path> found;
    if (std::filesystem::is_directory(path)) {
      for (const auto& f : std::filesystem::recursive_directory_iterator(path)) {
        if (f.is_regular_file()) found.push_back(f.path());
      }
    } else if (std::filesystem::exists(path)) {
      found.push_back(path);
    }
    for (const std::filesystem::path& f : found) {
      if (f.string() == keep) continue;
      ++files;
      ExpectNoSecret(what + ": " + f.string(), ReadFile(f.string()));
    }
  }
  EXPECT_GT(files, 0) << what << ": no file was written";
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The issue's command, as given: the manifest, the scripts and the stats keep
// no storage secret, whatever the bucket is named; import.sql keeps it, mode
// 0600. The environment holds a database password too, which --emit-import,
// connecting nowhere, must not write either.
TEST(SecretsInFiles, TheIssuesEmitImportCommandWritesNoStorageSecret) {
  ScratchDir dir;
  const std::string out = dir.File("out");
  const std::string stats = dir.File("stats.json");
  const std::map<std::string, std::string> env = {
      {"DATABASE_URL",
       std::string("postgresql://u:") + kEnvPassword + "@h/db?sslpassword=" + kEnvSslPassword},
      {"PGPASSWORD", kPgPassword}};
  LoaderRun run = RunLoader({"--rows", "10", "--emit-import", out, "--import-url", kIssueImportUrl,
                             "--stats-json", stats, "--log-level", "debug"},
                            env);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  for (const char* file : {"manifest.json", "load-postgres.sql", "upload.sh"}) {
    const std::string text = ReadFile(out + "/" + file);
    EXPECT_FALSE(Contains(text, kStorageSecret)) << file << ":\n" << text;
  }
  ExpectNoSecretAnywhere("--emit-import", run, {out, stats}, out + "/import.sql");

  // Masked by option: the bucket's name is shown, the credentials are not.
  const std::string manifest = ReadFile(out + "/manifest.json");
  EXPECT_TRUE(Contains(manifest,
                       "--import-url 's3://acme-password-vault/x?AWS_ACCESS_KEY_ID=****&"
                       "AWS_SECRET_ACCESS_KEY=****'"))
      << manifest;

  // The server needs them: import.sql has them, and only its owner reads it.
  const std::string import_sql = ReadFile(out + "/import.sql");
  EXPECT_TRUE(Contains(import_sql, std::string("'s3://acme-password-vault/x/accounts.00001.csv?") +
                                       "AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=" +
                                       kStorageSecret + "'"))
      << import_sql;
  EXPECT_FALSE(Contains(import_sql.substr(0, import_sql.find("IMPORT INTO")), kStorageSecret))
      << "the header of import.sql:\n"
      << import_sql;
  struct stat st {};
  ASSERT_EQ(::stat((out + "/import.sql").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// A role that logs in with a password over TCP (scram-sha-256 on the
// fixture), owning nothing but allowed to load into the test's database.
class SecretsInFilesLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.Exec("DROP ROLE IF EXISTS " + role_);
    SetPassword(kUrlPassword);
    CreateTable(db_, "accounts");
    db_.Exec("GRANT USAGE, CREATE ON SCHEMA public TO " + role_ + "; GRANT ALL ON ALL TABLES " +
             "IN SCHEMA public TO " + role_);
    // Every chunk's journal row raises 40001: each chunk goes to --fallback-dir.
    FailChunksWhere(db_, "true");
    // The port of the fixture's URL, postgresql://postgres:PW@127.0.0.1:PORT/...
    const std::string url = db_.url();
    const size_t at = url.find('@');
    port_ = url.substr(url.find(':', at) + 1, url.find('/', at) - url.find(':', at) - 1);
  }
  void TearDown() override {
    db_.Exec("DROP OWNED BY " + role_ + " CASCADE");
    // The database is dropped after this; the role can go now.
    db_.Exec("DROP ROLE IF EXISTS " + role_);
  }

  void SetPassword(const std::string& password) {
    db_.Exec("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role_ +
             "') THEN ALTER ROLE " + role_ + " PASSWORD '" + password + "'; ELSE CREATE ROLE " +
             role_ + " LOGIN PASSWORD '" + password + "'; END IF; END $$");
  }

  // postgresql://ROLE[:PASSWORD]@127.0.0.1:PORT/DB?sslmode=disable&...
  std::string Url(const std::string& password, const std::string& params = "") const {
    return "postgresql://" + role_ + (password.empty() ? "" : ":" + password) +
           "@127.0.0.1:" + port_ + "/" + db_.name() + "?sslmode=disable" + params;
  }
  // The same in key=value form, with a quoted password the next keyword
  // follows at once, as libpq allows.
  std::string Keywords(const std::string& password, const std::string& ssl_password) const {
    return "host=127.0.0.1 port=" + port_ + " user=" + role_ + " password='" + password +
           "'dbname=" + db_.name() + " sslmode=disable sslpassword=" + ssl_password;
  }

  // A load of three CSV rows, one bad (set aside by --max-rejects into
  // --reject-file), whose chunk cannot commit and goes to --fallback-dir.
  // Checks the outcome and that no secret is in any output.
  void LoadAndCheck(const std::string& what, const std::vector<std::string>& connect,
                    const std::map<std::string, std::string>& env, int exit_code = 11) {
    SCOPED_TRACE(what);
    ScratchDir dir;
    const std::string input = dir.File("in.csv");
    WriteFile(input,
              "00000000-0000-4000-8000-000000000001,1\n"
              "00000000-0000-4000-8000-000000000002,two\n"
              "00000000-0000-4000-8000-000000000003,3\n");
    const std::string stats = dir.File("stats.json");
    const std::string rejects = dir.File("rejects.csv");
    const std::string fallback = dir.File("fallback");
    LoaderRun run =
        RunLoader(With(connect, {"--input", input, "--max-rejects", "1", "--reject-file", rejects,
                                 "--max-retries", "0", "--fallback-dir", fallback, "--stats-json",
                                 stats, "--log-level", "debug"}),
                  env);
    EXPECT_EQ(run.exit_code, exit_code) << run.all();
    if (exit_code == 11) {
      EXPECT_EQ(JsonNumber(ReadFile(stats), "file_rows"), 2) << ReadFile(stats);
      EXPECT_TRUE(std::filesystem::exists(fallback + "/manifest.json"));
      EXPECT_TRUE(std::filesystem::exists(rejects + ".log") ||
                  std::filesystem::exists(dir.File("rejects.log")));
    }
    ExpectNoSecretAnywhere(what, run, {dir.path()});
  }

  ScratchDatabase db_;
  // The only test that makes it, so cluster-wide is safe.
  const std::string role_ = "secrets_in_files_role";
  std::string port_;
};

TEST_F(SecretsInFilesLoadTest, PasswordsInUrlKeywordsEnvironmentAndPgpasswordStayOut) {
  const std::string both = "&sslpassword=" + std::string(kUrlSslPassword);
  LoadAndCheck("--url URL", {"--url", Url(kUrlPassword, both)}, {});
  LoadAndCheck("--url key=value", {"--url", Keywords(kUrlPassword, kUrlSslPassword)}, {});
  LoadAndCheck("--url=key=value", {"--url=" + Keywords(kUrlPassword, kUrlSslPassword)}, {});

  SetPassword(kEnvPassword);
  LoadAndCheck(
      "DATABASE_URL", {},
      {{"DATABASE_URL", Url(kEnvPassword, "&sslpassword=" + std::string(kEnvSslPassword))}});

  LoadAndCheck("LOADER_URL", {}, {{"LOADER_URL", Keywords(kEnvPassword, kEnvSslPassword)}});

  SetPassword(kPgPassword);
  LoadAndCheck("PGPASSWORD", {"--url", Url("")}, {{"PGPASSWORD", kPgPassword}});

  // Refused, the wrong password is in no message either.
  LoadAndCheck("wrong password", {"--url", Keywords(kWrongPassword, kUrlSslPassword)}, {},
               /*exit_code=*/4);
}

}  // namespace
}  // namespace loader::test_support
