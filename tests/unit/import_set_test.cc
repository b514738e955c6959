// The scripts of an import set against golden files, and the rules they rest
// on: where each file's URL comes from, which URLs IMPORT reads, that storage
// credentials reach the server through import.sql and nowhere else.
//
// The golden files are tests/golden/import_set/<case>/<script>. After a
// deliberate change to the scripts, rewrite them with
//   LOADER_UPDATE_GOLDEN=1 build/tests/loader_unit_tests --gtest_filter='ImportSetGolden*'
// and read the diff line by line before committing it: the goldens are the
// review of what a user runs against CockroachDB, psql and sh.
#include "loader/emit/import_set.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/golden.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

constexpr char kS3Prefix[] =
    "s3://bucket/loads?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=secretvalue123";
constexpr char kS3Redacted[] =
    "s3://bucket/loads?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  test_support::Expect("import_set/" + name, actual);
}

void ExpectGoldenScripts(const std::string& dir, const ImportSet& set) {
  ExpectGolden(dir + "/import.sql", ImportSql(set));
  ExpectGolden(dir + "/upload.sh", UploadScript(set));
  ExpectGolden(dir + "/load-postgres.sql", PostgresScript(set));
  ExpectGolden(dir + "/manifest.json", ManifestJson(set));
}

ImportFile File(std::string name, uint64_t first_row, uint64_t rows, uint64_t bytes,
                std::string sha256) {
  ImportFile f;
  f.name = std::move(name);
  f.first_row = first_row;
  f.rows = rows;
  f.bytes = bytes;
  f.sha256 = std::move(sha256);
  return f;
}

// A file of a fallback set: what its journal row covers, and why it is here.
ImportFile Spilled(ImportFile f, uint64_t span, uint64_t content_digest, bool maybe_committed,
                   std::string reason) {
  f.span = span;
  f.content_digest = content_digest;
  f.maybe_committed = maybe_committed;
  f.reason = std::move(reason);
  return f;
}

// Up to three files of generated accounts, as --emit-import writes them.
ImportSet EmitSet(std::string prefix, std::string command, size_t files = 3) {
  ImportSet set;
  set.table = "accounts";
  set.columns = {"id", "balance"};
  set.url_prefix = std::move(prefix);
  set.command = std::move(command);
  const std::vector<ImportFile> all = {
      File("accounts.00001.csv", 0, 1000, 45214,
           "889daea8b48fb79499b734f439c13f9da0361cd131277cd4ef880895327e12ce"),
      File("accounts.00002.csv", 1000, 1000, 45187,
           "ba5de31aebf1ed354a1bf50d2d1041a0260389114249d336d6cc59e5af257750"),
      File("accounts.00003.csv", 2000, 1000, 45230,
           "468054fa8595d1b39d93abc8e6492895f773eb5b9a066ced4d3a0cebd4c8a3ee"),
  };
  set.files.assign(all.begin(), all.begin() + files);
  return set;
}

// Chunks a load could not commit: two it gave up on (the first with two rows
// rejected before sending, so it covers more journal rows than it holds), and
// one whose COMMIT was in flight when the connection went.
ImportSet FallbackSet() {
  ImportSet set;
  set.fallback = true;
  set.table = "accounts";
  set.columns = {"id", "balance"};
  set.url_prefix = "nodelocal://1/fallback";
  set.job = "accounts-5e1f0c2a9b7d4e38";
  set.command =
      "loader --url postgresql://root:****@db1:26257/defaultdb --rows 10000 --fallback-dir "
      "fallback";
  set.files = {
      // A digest above INT64_MAX: the journal's INT8 column stores it signed.
      Spilled(File("accounts.000000002000.csv", 2000, 998, 45120,
                   "f5aba5f825df43649461ac3d3145c7c00eca3904589666cf6fbe8be103b24629"),
              1000, 0x9c3b5e7a12f04d61, false,
              "retries exhausted after 10 attempts: restart transaction (SQLSTATE 40001)"),
      // A reason on two lines with quotes: one comment line, one JSON string.
      Spilled(File("accounts.000000004000.csv", 4000, 1000, 45199,
                   "06052349664ac398641384a541d77e5b5118379c9e8cf8fe24a4d9639af57c47"),
              1000, 1234567890123, false,
              "one chunk too large:\nsplit down to one row \"x\" (SQLSTATE 54000)"),
      Spilled(File("accounts.000000007000.csv", 7000, 1000, 45176,
                   "6183141ad84bd5aebbde9cda9c03576a0b08dd8f4a5c58ae9595f6ec6b89ed1e"),
              1000, 42, true, "server unreachable for 60 s while its COMMIT was in flight"),
  };
  return set;
}

TEST(ImportSetGolden, Nodelocal) {
  ImportSet set = EmitSet("nodelocal://1/out",
                          "loader --rows 3000 --create --emit-import out --import-files 3");
  set.create_sql =
      "CREATE TABLE IF NOT EXISTS \"accounts\" (\"id\" UUID PRIMARY KEY, \"balance\" INT8 NOT "
      "NULL)";
  ExpectGoldenScripts("nodelocal", set);
}

TEST(ImportSetGolden, DefaultUserfile) {
  ExpectGoldenScripts("userfile-default",
                      EmitSet("userfile:///loads/accounts",
                              "loader --rows 2000 --emit-import out --import-url "
                              "userfile:///loads/accounts --import-files 2",
                              2));
}

TEST(ImportSetGolden, QualifiedUserfile) {
  ExpectGoldenScripts("userfile-qualified",
                      EmitSet("userfile://defaultdb.public.userfiles_root/loads",
                              "loader --rows 3000 --emit-import out --import-url "
                              "userfile://defaultdb.public.userfiles_root/loads --import-files 3"));
}

// The command as the CLI records it: its --import-url already masked.
TEST(ImportSetGolden, S3WithCredentials) {
  const std::string command =
      std::string("loader --rows 3000 --emit-import out --import-url ") + kS3Redacted;
  ExpectGoldenScripts("s3", EmitSet(kS3Prefix, command));
}

TEST(ImportSetGolden, Fallback) { ExpectGoldenScripts("fallback", FallbackSet()); }

// The server needs the credentials, so import.sql has them in every file's
// URL; nothing else does, and the upload commands name the bucket alone (the
// AWS CLI has credentials of its own and would take the query for part of the
// object's key).
TEST(ImportSet, S3CredentialsReachOnlyImportSql) {
  const ImportSet set = EmitSet(kS3Prefix, "loader --emit-import out");
  const std::string sql = ImportSql(set);
  for (const char* name : {"accounts.00001.csv", "accounts.00002.csv", "accounts.00003.csv"}) {
    EXPECT_TRUE(Contains(sql, std::string("'s3://bucket/loads/") + name +
                                  "?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY="
                                  "secretvalue123'"))
        << name << " in\n"
        << sql;
  }
  const std::string upload = UploadScript(set);
  const std::string manifest = ManifestJson(set);
  for (const std::string& text : {upload, manifest, PostgresScript(set)}) {
    EXPECT_FALSE(Contains(text, "secretvalue123")) << text;
    EXPECT_FALSE(Contains(text, "AKIAEXAMPLE")) << text;
  }
  EXPECT_TRUE(Contains(upload, std::string("reads them: ") + kS3Redacted + "\n")) << upload;
  EXPECT_TRUE(
      Contains(upload, "\naws s3 cp accounts.00002.csv 's3://bucket/loads/accounts.00002.csv'\n"))
      << upload;
  EXPECT_TRUE(Contains(manifest, std::string("\"import_url\": \"") + kS3Redacted + "\",\n"))
      << manifest;
}

TEST(ImportSet, JobRowsGoOnlyIntoFallbackScripts) {
  const ImportSet set = EmitSet("nodelocal://1/out", "");
  EXPECT_FALSE(Contains(ImportSql(set), "loader_journal"));
  EXPECT_FALSE(Contains(PostgresScript(set), "loader_journal"));
  EXPECT_FALSE(Contains(ManifestJson(set), "journal_rows"));
  // Without a command, no "Written by" line at all rather than an empty one.
  EXPECT_FALSE(Contains(ImportSql(set), "Written by"));
  EXPECT_FALSE(Contains(UploadScript(set), "Written by"));
}

TEST(ImportSet, ManifestOfNoFilesIsAnEmptyList) {
  const std::string manifest = ManifestJson(EmitSet("nodelocal://1/out", "loader", 0));
  EXPECT_TRUE(Contains(manifest, "  \"rows\": 0,\n  \"bytes\": 0,\n  \"files\": []\n}\n"))
      << manifest;
}

TEST(FileUrl, JoinsTheNameToThePrefixPathAndKeepsTheQuery) {
  EXPECT_EQ(FileUrl("nodelocal://1/out", "a.csv"), "nodelocal://1/out/a.csv");
  EXPECT_EQ(FileUrl("nodelocal://1/out/", "a.csv"), "nodelocal://1/out/a.csv");
  EXPECT_EQ(FileUrl("nodelocal://1", "a.csv"), "nodelocal://1/a.csv");
  EXPECT_EQ(FileUrl("userfile:///", "a.csv"), "userfile:///a.csv");
  EXPECT_EQ(FileUrl("s3://b/dir?AUTH=implicit", "a.csv"), "s3://b/dir/a.csv?AUTH=implicit");
  EXPECT_EQ(FileUrl("s3://b/dir/?K=v&S=w", "a.csv"), "s3://b/dir/a.csv?K=v&S=w");
  EXPECT_EQ(FileUrl("gs://b?AUTH=specified&CREDENTIALS=abc", "a.csv"),
            "gs://b/a.csv?AUTH=specified&CREDENTIALS=abc");
}

TEST(ValidateImportUrl, AcceptsTheSchemesImportReads) {
  for (const char* url :
       {"nodelocal://1/out", "nodelocal://self/out", "userfile:///loads",
        "userfile://defaultdb.public.userfiles_root/loads", kS3Prefix, "gs://bucket/dir",
        "azure://container/dir?AZURE_ACCOUNT_NAME=a&AZURE_ACCOUNT_KEY=k",
        "azure-blob://container/dir", "http://files.example.com/dir", "https://h/dir"}) {
    EXPECT_TRUE(ValidateImportUrl(url).ok()) << url << ": " << ValidateImportUrl(url).ToString();
  }
}

TEST(ValidateImportUrl, RefusesOthersWithoutShowingASecret) {
  const std::string kUse =
      "' is not a URL IMPORT INTO reads from; use nodelocal://NODE/dir, userfile:///dir, "
      "s3://bucket/dir, gs://bucket/dir, azure://container/dir or http(s)://host/dir";
  for (const char* url :
       {"", "out", "/tmp/out", "file:///tmp/out", "ftp://h/dir", "nodelocal://", "userfile://",
        "s3://", "S3://bucket/dir", "s3:/bucket/dir", " nodelocal://1/out"}) {
    const Status s = ValidateImportUrl(url);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << url;
    EXPECT_EQ(s.message(), std::string("--import-url: '") + url + kUse);
  }
  const Status gcs = ValidateImportUrl("gcs://bucket/dir?AUTH=specified&CREDENTIALS=c2VjcmV0Cg");
  EXPECT_EQ(gcs.message(),
            "--import-url: 'gcs://bucket/dir?AUTH=specified&CREDENTIALS=****" + kUse);
  EXPECT_FALSE(Contains(gcs.ToString(), "c2VjcmV0Cg"));
}

TEST(FileStem, KeepsLettersDigitsDotsDashesAndUnderscores) {
  EXPECT_EQ(FileStem("accounts"), "accounts");
  EXPECT_EQ(FileStem("Order_Lines-2024.v2"), "Order_Lines-2024.v2");
  EXPECT_EQ(FileStem("my table"), "my_table");
  EXPECT_EQ(FileStem("a/b\\c'd\"e$f*g\nh"), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(FileStem("caf\xc3\xa9"), "caf__");  // each byte of a UTF-8 character
  EXPECT_EQ(FileStem(""), "");
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A process umask of 0 must not make files world-writable, and one of 077
// must not make upload.sh unreadable to the group when there is no secret:
// the modes are set, not requested.
class UmaskScope {
 public:
  explicit UmaskScope(mode_t mask) : saved_(::umask(mask)) {}
  ~UmaskScope() { ::umask(saved_); }

 private:
  mode_t saved_;
};

TEST(WriteImportScripts, WritesWhatTheGeneratorsReturn) {
  test_support::TempDir dir;
  const ImportSet set = FallbackSet();
  ASSERT_TRUE(WriteImportScripts(dir.File(""), set).ok());
  EXPECT_EQ(test_support::Contents(dir.File("import.sql")), ImportSql(set));
  EXPECT_EQ(test_support::Contents(dir.File("upload.sh")), UploadScript(set));
  EXPECT_EQ(test_support::Contents(dir.File("load-postgres.sql")), PostgresScript(set));
  EXPECT_EQ(test_support::Contents(dir.File("manifest.json")), ManifestJson(set));
}

TEST(WriteImportScripts, OwnerOnlyWhenThePrefixHoldsCredentials) {
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
    UmaskScope umask(mask);
    test_support::TempDir plain;
    ASSERT_TRUE(
        WriteImportScripts(plain.File(""), EmitSet("s3://bucket/loads?AUTH=implicit", "")).ok());
    EXPECT_EQ(ModeOf(plain.File("import.sql")), 0644u) << "umask " << mask;
    EXPECT_EQ(ModeOf(plain.File("upload.sh")), 0755u) << "umask " << mask;
    EXPECT_EQ(ModeOf(plain.File("load-postgres.sql")), 0644u) << "umask " << mask;
    EXPECT_EQ(ModeOf(plain.File("manifest.json")), 0644u) << "umask " << mask;

    test_support::TempDir secret;
    ASSERT_TRUE(WriteImportScripts(secret.File(""), EmitSet(kS3Prefix, "")).ok());
    EXPECT_EQ(ModeOf(secret.File("import.sql")), 0600u) << "umask " << mask;
    EXPECT_EQ(ModeOf(secret.File("upload.sh")), 0700u) << "umask " << mask;
    EXPECT_EQ(ModeOf(secret.File("load-postgres.sql")), 0644u) << "umask " << mask;
    EXPECT_EQ(ModeOf(secret.File("manifest.json")), 0644u) << "umask " << mask;
  }
}

// A second --emit-import into the same directory, now with credentials: the
// old world-readable import.sql must not keep its mode.
TEST(WriteImportScripts, TightensTheModeOfAnEarlierFile) {
  test_support::TempDir dir;
  ASSERT_TRUE(WriteImportScripts(dir.File(""), EmitSet("nodelocal://1/out", "")).ok());
  ASSERT_EQ(ModeOf(dir.File("import.sql")), 0644u);
  ASSERT_TRUE(WriteImportScripts(dir.File(""), EmitSet(kS3Prefix, "")).ok());
  EXPECT_EQ(ModeOf(dir.File("import.sql")), 0600u);
  EXPECT_EQ(ModeOf(dir.File("upload.sh")), 0700u);
  EXPECT_TRUE(Contains(test_support::Contents(dir.File("import.sql")), "secretvalue123"));
}

TEST(WriteImportScripts, AMissingDirectoryIsAnIoErrorNamingTheFile) {
  test_support::TempDir dir;
  const std::string missing = dir.File("no-such-dir");
  const Status s = WriteImportScripts(missing, EmitSet("nodelocal://1/out", ""));
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), "cannot write " + missing + "/import.sql: No such file or directory");
}

}  // namespace
}  // namespace loader
