// --emit-import of an --input file with a bad row: it stops at the row's
// file:line:column with the rows before it written and described, or with
// --max-rejects sets the row aside and writes every other; a re-run into the
// same directory replaces the reject file and leaves no script naming a file
// it removed.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

namespace fs = std::filesystem;

// 1000 accounts without a header, line 501 (row 500) with a balance that
// is not a number.
class EmitImportOfABadRow : public ::testing::Test {
 protected:
  static constexpr size_t kBadLine = 501;

  EmitImportOfABadRow() : rows_("accounts", 1000), input_(scratch_.File("accounts.csv")) {
    std::vector<std::string> lines = rows_.lines();
    bad_line_ = IdOf(kBadLine) + ",12x4";
    lines[kBadLine - 1] = bad_line_;
    WriteFile(input_, JoinLines(lines));
  }

  std::string IdOf(size_t line) const {
    const std::string& text = rows_.lines()[line - 1];
    return text.substr(0, text.find(','));
  }

  GeneratedRows rows_;
  ScratchDir scratch_;
  std::string input_;
  std::string bad_line_;
};

TEST_F(EmitImportOfABadRow, StopsThereWithTheRowsBeforeItWritten) {
  const std::string dir = scratch_.File("out");
  const std::string stats = scratch_.File("stats.json");
  LoaderRun emit =
      RunLoader({"--emit-import", dir, "--input", input_, "--create", "--stats-json", stats});
  EXPECT_EQ(emit.exit_code, 8) << emit.all();
  EXPECT_TRUE(Contains(emit.err, input_ + ":501:38: column balance: expected a 64-bit integer "
                                          "(INT8), found '12x4'"))
      << emit.err;
  constexpr long long kBefore = kBadLine - 1;
  ExpectManifestDescribesFiles(dir, kBefore, true);
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "file_rows"), kBefore) << json;
  EXPECT_EQ(JsonString(json, "status"), "data_error") << json;

  ScratchDatabase db;
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("accounts"), kBefore);
  // The lines are in id order, so the rows before line 501 are those with a
  // smaller id.
  EXPECT_EQ(db.Checksum("accounts"),
            rows_.ChecksumAfter("DELETE FROM accounts WHERE id >= '" + IdOf(kBadLine) + "'"));
}

TEST_F(EmitImportOfABadRow, MaxRejectsWritesEveryGoodRowAndSetsTheBadOneAside) {
  const std::string dir = scratch_.File("out");
  LoaderRun emit =
      RunLoader({"--emit-import", dir, "--input", input_, "--create", "--max-rejects", "5"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_TRUE(Contains(emit.out, "rows:           999\n")) << emit.out;
  EXPECT_TRUE(Contains(emit.out, "rejected:       1 rows, in " + dir + "/rejects.csv\n"))
      << emit.out;
  EXPECT_EQ(ReadFile(dir + "/rejects.csv"), bad_line_ + "\n");
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].rows, 999);
  EXPECT_EQ(LineCount(dir + "/" + files[0].name), 999);
  EXPECT_EQ(files[0].sha256, Sha256Sum(dir + "/" + files[0].name));

  ScratchDatabase db;
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("accounts"), 999);
  EXPECT_EQ(db.Checksum("accounts"),
            rows_.ChecksumAfter("DELETE FROM accounts WHERE id = '" + IdOf(kBadLine) + "'"));
}

// The reject files are the loader's own: the same command run again into
// the same directory replaces them.
TEST_F(EmitImportOfABadRow, MaxRejectsRunsAgainIntoTheSameDirectory) {
  const std::string dir = scratch_.File("out");
  const std::vector<std::string> args = {"--emit-import", dir, "--input", input_,
                                         "--max-rejects", "5"};
  LoaderRun first = RunLoader(args);
  ASSERT_EQ(first.exit_code, 0) << first.all();
  LoaderRun again = RunLoader(args);
  EXPECT_EQ(again.exit_code, 0) << again.all();
  EXPECT_EQ(ReadFile(dir + "/rejects.csv"), bad_line_ + "\n");
  EXPECT_EQ(JsonNumber(ReadFile(dir + "/manifest.json"), "rows"), 999);
}

// A re-run that fails before its first file has removed the earlier run's
// data files; the scripts it leaves must not name files that are gone.
TEST_F(EmitImportOfABadRow, AFailedRerunLeavesNoScriptNamingARemovedFile) {
  const std::string dir = scratch_.File("out");
  LoaderRun first = RunLoader({"--emit-import", dir, "--input", input_});
  ASSERT_EQ(first.exit_code, 8) << first.all();
  ASSERT_EQ(CsvFilesIn(dir), std::vector<std::string>{"accounts.00001.csv"});

  const std::string bad_first = scratch_.File("bad-first.csv");
  WriteFile(bad_first, "not-a-uuid,1\n");
  LoaderRun again = RunLoader({"--emit-import", dir, "--input", bad_first});
  EXPECT_EQ(again.exit_code, 8) << again.all();
  EXPECT_TRUE(Contains(again.err, bad_first + ":1:1: column id: expected a UUID")) << again.err;
  // The scripts and the manifest are written from one description, so the
  // manifest stands for all of them.
  for (const ManifestFile& f : ManifestFiles(dir)) {
    EXPECT_TRUE(fs::exists(dir + "/" + f.name)) << "manifest.json names " << f.name;
  }
}

}  // namespace
}  // namespace loader::test_support
