// upload.sh run by a real sh, with stand-ins for cockroach, aws, gcloud and
// curl that print their arguments: the golden files show the text, these
// show what each command receives after sh has parsed its quoting.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>

#include "loader/emit/import_set.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

// Prints "[name] [arg1] [arg2] ..." on one line.
constexpr char kStandIn[] =
    "#!/bin/sh\n"
    "printf '[%s]' \"$(basename \"$0\")\"\n"
    "for a in \"$@\"; do printf ' [%s]' \"$a\"; done\n"
    "printf '\\n'\n";

struct Ran {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// The set's scripts in a directory whose name has a space, run from elsewhere
// with the stand-ins first on PATH and the script's variables unset.
class UploadRun {
 public:
  UploadRun() {
    for (const char* tool : {"cockroach", "aws", "gcloud", "curl"}) {
      const std::string path = bin_.Write(tool, kStandIn);
      EXPECT_EQ(::chmod(path.c_str(), 0755), 0) << path;
    }
  }

  // Runs upload.sh of `set` with `env` (sh variable assignments, or "") in
  // front of sh; it must exit with `exit_code` having printed exactly
  // `output`. A failure names the set's prefix.
  void Expect(const ImportSet& set, const std::string& env, int exit_code,
              const std::string& output) {
    SCOPED_TRACE("upload.sh of " + set.url_prefix + (env.empty() ? "" : " with " + env));
    const Ran ran = Run(set, env);
    EXPECT_EQ(ran.exit_code, exit_code) << ran.output;
    EXPECT_EQ(ran.output, output);
  }

 private:
  Ran Run(const ImportSet& set, const std::string& env) {
    const std::string dir = out_.File("out dir");
    std::filesystem::create_directories(dir);
    Status s = WriteImportScripts(dir, set);
    EXPECT_TRUE(s.ok()) << s.ToString();
    const std::string command = "cd / && unset COCKROACH COCKROACH_FLAGS CURL_FLAGS && PATH='" +
                                bin_.File("") + "':\"$PATH\" " + env + " sh '" + dir +
                                "/upload.sh' 2>&1";
    Ran ran;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "popen " << command;
      return ran;
    }
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) ran.output.append(buf, n);
    const int status = ::pclose(pipe);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return ran;
  }

  test_support::TempDir bin_;
  test_support::TempDir out_;
};

ImportSet TwoFiles(std::string prefix) {
  ImportSet set;
  set.table = "accounts";
  set.columns = {"id", "balance"};
  set.url_prefix = std::move(prefix);
  set.command = "loader --emit-import out";
  for (uint64_t i = 0; i < 2; ++i) {
    ImportFile f;
    f.name = "accounts.0000" + std::to_string(i + 1) + ".csv";
    f.first_row = i * 10;
    f.rows = 10;
    set.files.push_back(f);
  }
  return set;
}

// Destinations relative to the node's external IO directory, which
// nodelocal://1/out/<name> then reads.
TEST(ImportSetUpload, NodelocalUploadsUnderTheExternalIoDirectory) {
  UploadRun run;
  run.Expect(TwoFiles("nodelocal://1/out"), "", 0,
             "[cockroach] [nodelocal] [upload] [accounts.00001.csv] [out/accounts.00001.csv] "
             "[--insecure]\n"
             "[cockroach] [nodelocal] [upload] [accounts.00002.csv] [out/accounts.00002.csv] "
             "[--insecure]\n");

  run.Expect(TwoFiles("nodelocal://2/a/b/"),
             "COCKROACH_FLAGS='--host=node2:26257 --certs-dir=certs'", 0,
             "[cockroach] [nodelocal] [upload] [accounts.00001.csv] [a/b/accounts.00001.csv] "
             "[--host=node2:26257] [--certs-dir=certs]\n"
             "[cockroach] [nodelocal] [upload] [accounts.00002.csv] [a/b/accounts.00002.csv] "
             "[--host=node2:26257] [--certs-dir=certs]\n");

  run.Expect(TwoFiles("nodelocal://1"), "", 0,
             "[cockroach] [nodelocal] [upload] [accounts.00001.csv] [accounts.00001.csv] "
             "[--insecure]\n"
             "[cockroach] [nodelocal] [upload] [accounts.00002.csv] [accounts.00002.csv] "
             "[--insecure]\n");
}

// userfile:///dir is the user's default storage, which upload names by an
// absolute path; a qualified prefix is the destination whole.
TEST(ImportSetUpload, UserfileUploadsToTheStorageImportReads) {
  UploadRun run;
  run.Expect(TwoFiles("userfile:///loads/accounts"), "", 0,
             "[cockroach] [userfile] [upload] [accounts.00001.csv] "
             "[/loads/accounts/accounts.00001.csv] [--insecure]\n"
             "[cockroach] [userfile] [upload] [accounts.00002.csv] "
             "[/loads/accounts/accounts.00002.csv] [--insecure]\n");

  run.Expect(TwoFiles("userfile://defaultdb.public.userfiles_root/loads"),
             "COCKROACH=cockroach COCKROACH_FLAGS=--url=postgresql://root@h:26257", 0,
             "[cockroach] [userfile] [upload] [accounts.00001.csv] "
             "[userfile://defaultdb.public.userfiles_root/loads/accounts.00001.csv] "
             "[--url=postgresql://root@h:26257]\n"
             "[cockroach] [userfile] [upload] [accounts.00002.csv] "
             "[userfile://defaultdb.public.userfiles_root/loads/accounts.00002.csv] "
             "[--url=postgresql://root@h:26257]\n");
}

TEST(ImportSetUpload, CloudCopiesNameTheObjectWithoutTheQuery) {
  UploadRun run;
  run.Expect(
      TwoFiles(
          "s3://bucket/loads?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=secretvalue123"),
      "", 0,
      "[aws] [s3] [cp] [accounts.00001.csv] [s3://bucket/loads/accounts.00001.csv]\n"
      "[aws] [s3] [cp] [accounts.00002.csv] [s3://bucket/loads/accounts.00002.csv]\n");

  run.Expect(
      TwoFiles("gs://bucket/loads/?AUTH=specified&CREDENTIALS=c2VjcmV0"), "", 0,
      "[gcloud] [storage] [cp] [accounts.00001.csv] [gs://bucket/loads/accounts.00001.csv]\n"
      "[gcloud] [storage] [cp] [accounts.00002.csv] [gs://bucket/loads/accounts.00002.csv]\n");

  run.Expect(TwoFiles("https://files.example.com/put"), "CURL_FLAGS='-u loader:pw'", 0,
             "[curl] [-fsS] [-u] [loader:pw] [-T] [accounts.00001.csv] "
             "[https://files.example.com/put/accounts.00001.csv]\n"
             "[curl] [-fsS] [-u] [loader:pw] [-T] [accounts.00002.csv] "
             "[https://files.example.com/put/accounts.00002.csv]\n");
}

TEST(ImportSetUpload, AQuoteInThePrefixReachesTheCommandIntact) {
  UploadRun run;
  run.Expect(TwoFiles("nodelocal://1/it's"), "", 0,
             "[cockroach] [nodelocal] [upload] [accounts.00001.csv] [it's/accounts.00001.csv] "
             "[--insecure]\n"
             "[cockroach] [nodelocal] [upload] [accounts.00002.csv] [it's/accounts.00002.csv] "
             "[--insecure]\n");
  // And the SQL literal doubles it.
  EXPECT_NE(
      ImportSql(TwoFiles("nodelocal://1/it's")).find("'nodelocal://1/it''s/accounts.00001.csv'"),
      std::string::npos);
}

// azure:// has no upload command here: the script says so and fails rather
// than pretending the files are in place.
TEST(ImportSetUpload, AzureSaysToCopyTheFilesByHand) {
  UploadRun run;
  run.Expect(TwoFiles("azure://container/loads?AZURE_ACCOUNT_KEY=secretkey99"), "", 1,
             "copy the files of this directory to azure://container/loads yourself\n");
}

// The same, for a container path with a quote: the message must still be
// one sh word and the script must still exit 1 with it.
TEST(ImportSetUpload, AzureMessageSurvivesAQuoteInThePath) {
  UploadRun run;
  run.Expect(TwoFiles("azure://container/it's"), "", 1,
             "copy the files of this directory to azure://container/it's yourself\n");
}

}  // namespace
}  // namespace loader
