// --emit-import DIR (issue 5) end to end: the files and load-postgres.sql it
// writes without a server, run by the real psql against the test server,
// leave exactly what a direct load leaves (generated rows by checksum, text
// with every kind of quoting by value, NULL apart from ''); manifest.json
// agrees with sha256sum and the file sizes; --import-files and
// --import-file-bytes shape the files; a re-run replaces only its own files;
// --dry-run writes nothing; the summary and --stats-json count files. Bad
// input rows: emit_import_bad_row_test.cc.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

namespace fs = std::filesystem;

constexpr char kSeed[] = "42";

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The names of the files in `dir`, sorted.
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Generated rows written by --emit-import and loaded by psql are the rows
// a direct load of the same seed leaves.
void GeneratedRowsLoadLikeADirectLoad(const std::string& table) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  LoaderRun emit = RunLoader(
      {"--emit-import", dir, "--rows", "100000", "--table", table, "--seed", kSeed, "--create"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_TRUE(Contains(emit.out, "rows:           100000\n")) << emit.out;
  ExpectManifestDescribesFiles(dir, 100000, true);

  ScratchDatabase from_files("files");
  const ShellRun psql = LoadWithPsql(dir, from_files.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  ScratchDatabase direct("direct");
  LoaderRun load = RunLoader(
      {"--url", direct.url(), "--rows", "100000", "--table", table, "--seed", kSeed, "--create"});
  ASSERT_EQ(load.exit_code, 0) << load.all();
  EXPECT_EQ(from_files.Count(table), 100000);
  EXPECT_EQ(direct.Count(table), 100000);
  EXPECT_EQ(from_files.Checksum(table), direct.Checksum(table));
}

TEST(EmitImport, GeneratedAccountsLoadedByPsqlEqualADirectLoad) {
  GeneratedRowsLoadLikeADirectLoad("accounts");
}

TEST(EmitImport, GeneratedPointsLoadedByPsqlEqualADirectLoad) {
  GeneratedRowsLoadLikeADirectLoad("points");
}

constexpr char kCreateNotes[] = "CREATE TABLE notes (id INT8 PRIMARY KEY, a TEXT, b TEXT)";

// Every value of notes, NULL told apart from '': "id:'a':NULL" per row.
constexpr char kNotesChecksum[] =
    "SELECT md5(string_agg(id || ':' || coalesce(quote_literal(a), 'NULL') || ':' || "
    "coalesce(quote_literal(b), 'NULL'), E'\\n' ORDER BY id)) FROM notes";

// The bytes of every value, hex, so that no quoting can hide a difference.
constexpr char kNotesAsHex[] =
    "SELECT string_agg(id || ' ' || coalesce(encode(convert_to(a, 'UTF8'), 'hex'), 'NULL') || ' ' "
    "|| coalesce(encode(convert_to(b, 'UTF8'), 'hex'), 'NULL'), E'\\n' ORDER BY id) FROM notes";

struct Note {
  int id;
  const char* a;  // nullptr: NULL
  const char* b;
};

std::string NotesAsHex(const std::vector<Note>& notes) {
  std::string out;
  for (const Note& n : notes) {
    if (!out.empty()) out += "\n";
    out += std::to_string(n.id) + " " + (n.a == nullptr ? "NULL" : Hex(n.a)) + " " +
           (n.b == nullptr ? "NULL" : Hex(n.b));
  }
  return out;
}

// Emits `csv` as rows of notes, loads the files with psql into one database
// and `csv` itself with the loader into another, and expects both to hold
// exactly `expected`.
void EmitsAndLoadsNotes(const std::string& csv, const std::vector<Note>& expected) {
  ScratchDir scratch;
  const std::string input = scratch.File("notes.csv");
  const std::string dir = scratch.File("out");
  WriteFile(input, csv);
  LoaderRun emit = RunLoader(
      {"--emit-import", dir, "--table", "notes", "--columns", "id,a,b", "--input", input});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  ExpectManifestDescribesFiles(dir, static_cast<long long>(expected.size()), false);

  ScratchDatabase from_files("files");
  from_files.Exec(kCreateNotes);
  const ShellRun psql = LoadWithPsql(dir, from_files.url());
  EXPECT_EQ(psql.exit_code, 0) << psql.output;
  ScratchDatabase direct("direct");
  direct.Exec(kCreateNotes);
  LoaderRun load = RunLoader({"--url", direct.url(), "--input", input, "--table", "notes"});
  ASSERT_EQ(load.exit_code, 0) << load.all();

  EXPECT_EQ(direct.Scalar(kNotesAsHex), NotesAsHex(expected));
  EXPECT_EQ(from_files.Scalar(kNotesAsHex), NotesAsHex(expected));
  EXPECT_EQ(from_files.Scalar(kNotesChecksum), direct.Scalar(kNotesChecksum));
  EXPECT_EQ(from_files.Count("notes"), static_cast<long long>(expected.size()));
}

TEST(EmitImport, TextWithQuotesNewlinesSpacesAndNullsLoadsExactly) {
  const std::string csv =
      "1,\"a,b\",\"say \"\"hi\"\"\"\n"
      "2,\"line1\nline2\",\"x\r\ny\"\n"
      "3,\"  quoted spaces  \",  bare spaces  \n"
      "4,back\\slash,\"tab\there\"\n"
      "5,caf\xC3\xA9 \xE2\x82\xAC,\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\n"
      "6,\"\",\n"
      "7,,\"\"\n"
      "8,,\n"
      "9,\\N,\\.\n"
      "10,\"\"\"\",\",\"\n"
      "11,\"ends in CRLF\r\n\",\"\n\"\n"
      "12,bare\ttab,crlf-ended\r\n"
      "13,\"\\\",\"\\\\\"\"\"\n";
  EmitsAndLoadsNotes(
      csv, {
               {1, "a,b", "say \"hi\""},
               {2, "line1\nline2", "x\r\ny"},
               {3, "  quoted spaces  ", "  bare spaces  "},
               {4, "back\\slash", "tab\there"},
               {5, "caf\xC3\xA9 \xE2\x82\xAC", "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"},
               {6, "", nullptr},
               {7, nullptr, ""},
               {8, nullptr, nullptr},
               {9, "\\N", "\\."},
               {10, "\"", ","},
               {11, "ends in CRLF\r\n", "\n"},
               {12, "bare\ttab", "crlf-ended"},
               {13, "\\", "\\\\\""},
           });
}

// A quoted value may hold a line that is just \. (as a file of psql scripts
// does). The file holds it right: the loader reads it back exactly. psql 15's
// \copy takes such a line for the end of the data even inside quotes (a
// known psql limitation, documented in the README): load-postgres.sql then
// fails loudly and loads nothing, never part of a file.
TEST(EmitImport, TextHoldingALineOfBackslashDotIsWrittenExactly) {
  ScratchDir scratch;
  const std::string input = scratch.File("notes.csv");
  const std::string dir = scratch.File("out");
  WriteFile(input, "1,\"before\n\\.\nafter\",x\n2,y,z\n");
  LoaderRun emit = RunLoader(
      {"--emit-import", dir, "--table", "notes", "--columns", "id,a,b", "--input", input});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_EQ(ReadFile(dir + "/notes.00001.csv"), "1,\"before\n\\.\nafter\",x\n2,y,z\n");

  ScratchDatabase db;
  db.Exec(kCreateNotes);
  LoaderRun reread =
      RunLoader({"--url", db.url(), "--input", dir + "/notes.00001.csv", "--table", "notes"});
  ASSERT_EQ(reread.exit_code, 0) << reread.all();
  EXPECT_EQ(db.Scalar(kNotesAsHex), NotesAsHex({{1, "before\n\\.\nafter", "x"}, {2, "y", "z"}}));

  ScratchDatabase by_psql("psql");
  by_psql.Exec(kCreateNotes);
  const ShellRun psql = LoadWithPsql(dir, by_psql.url());
  EXPECT_NE(psql.exit_code, 0) << psql.output;
  EXPECT_TRUE(Contains(psql.output, "unterminated CSV quoted field")) << psql.output;
  EXPECT_EQ(by_psql.Count("notes"), 0);
}

TEST(EmitImport, ImportFilesSharesGeneratedRowsOutExactly) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  LoaderRun emit = RunLoader({"--emit-import", dir, "--rows", "10000", "--seed", kSeed,
                              "--import-files", "7", "--workers", "3"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  const std::vector<std::string> expected = {
      "accounts.00001.csv", "accounts.00002.csv", "accounts.00003.csv", "accounts.00004.csv",
      "accounts.00005.csv", "accounts.00006.csv", "accounts.00007.csv"};
  EXPECT_EQ(CsvFilesIn(dir), expected);
  ExpectManifestDescribesFiles(dir, 10000, true);
  // File k holds rows [k * 10000 / 7, (k + 1) * 10000 / 7).
  std::vector<long long> rows;
  for (const ManifestFile& f : ManifestFiles(dir)) rows.push_back(f.rows);
  EXPECT_EQ(rows, (std::vector<long long>{1428, 1429, 1428, 1429, 1428, 1429, 1429}));
}

// About 1 MB of accounts (23000 rows of some 44 bytes) as an --input file.
class EmitImportOfAFile : public ::testing::Test {
 protected:
  EmitImportOfAFile() : rows_("accounts", 23000), input_(scratch_.File("accounts.csv")) {
    WriteFile(input_, JoinLines(rows_.lines()));
  }

  GeneratedRows rows_;
  ScratchDir scratch_;
  std::string input_;
};

TEST_F(EmitImportOfAFile, ImportFileBytesStartsANewFileAfterThatManyBytes) {
  const uint64_t input_bytes = fs::file_size(input_);
  ASSERT_GT(input_bytes, 950'000u);
  ASSERT_LT(input_bytes, 1'050'000u);
  const std::string dir = scratch_.File("out");
  LoaderRun emit =
      RunLoader({"--emit-import", dir, "--input", input_, "--import-file-bytes", "100000"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  ExpectManifestDescribesFiles(dir, 23000, true);
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  EXPECT_GE(files.size(), 9u) << ReadFile(dir + "/manifest.json");
  EXPECT_LE(files.size(), 12u) << ReadFile(dir + "/manifest.json");
  for (size_t i = 0; i + 1 < files.size(); ++i) EXPECT_GE(files[i].bytes, 100000) << files[i].name;

  ScratchDatabase db;
  db.Exec("CREATE TABLE accounts (id UUID PRIMARY KEY, balance INT8 NOT NULL)");
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Checksum("accounts"), rows_.checksum());
}

TEST_F(EmitImportOfAFile, ImportFilesWritesAtMostThatManyFiles) {
  const std::string dir = scratch_.File("out");
  LoaderRun emit =
      RunLoader({"--emit-import", dir, "--input", input_, "--import-files", "3", "--create"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  ExpectManifestDescribesFiles(dir, 23000, true);
  const size_t files = ManifestFiles(dir).size();
  EXPECT_GE(files, 1u);
  EXPECT_LE(files, 3u);
  ScratchDatabase db;
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Checksum("accounts"), rows_.checksum());
}

TEST(EmitImport, ARerunWithFewerFilesRemovesTheStaleOnes) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  const std::vector<std::string> args = {"--emit-import", dir,   "--rows",   "10000",
                                         "--seed",        kSeed, "--create", "--import-files"};
  LoaderRun seven = RunLoader(With(args, {"7"}));
  ASSERT_EQ(seven.exit_code, 0) << seven.all();
  ASSERT_EQ(CsvFilesIn(dir).size(), 7u);

  LoaderRun three = RunLoader(With(args, {"3"}));
  ASSERT_EQ(three.exit_code, 0) << three.all();
  EXPECT_EQ(Listing(dir), (std::vector<std::string>{
                              "accounts.00001.csv", "accounts.00002.csv", "accounts.00003.csv",
                              "import.sql", "load-postgres.sql", "manifest.json", "upload.sh"}));
  ExpectManifestDescribesFiles(dir, 10000, true);
  ScratchDatabase db;
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("accounts"), 10000);
}

TEST(EmitImport, ADirectoryWithAFileTheLoaderDidNotWriteIsRefused) {
  ScratchDir scratch;
  const std::string dir = scratch.path();
  WriteFile(scratch.File("notes.txt"), "mine\n");
  LoaderRun emit = RunLoader({"--emit-import", dir, "--rows", "1000"});
  EXPECT_EQ(emit.exit_code, 2) << emit.all();
  EXPECT_TRUE(Contains(emit.err, "--emit-import " + dir +
                                     ": the directory holds notes.txt, which this --emit-import "
                                     "would not write; choose a new or empty directory"))
      << emit.err;
  EXPECT_EQ(Listing(dir), std::vector<std::string>{"notes.txt"});
  EXPECT_EQ(ReadFile(scratch.File("notes.txt")), "mine\n");
}

TEST(EmitImport, DryRunPrintsThePlanAndWritesNothing) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  LoaderRun run =
      RunLoader({"--emit-import", dir, "--rows", "100000", "--table", "points", "--seed", kSeed,
                 "--import-files", "7", "--workers", "2", "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(run.out,
            "plan:\n"
            "  output:         CSV files and import scripts in " +
                dir +
                " (no server)\n"
                "  table:          points (\"id\", \"x\", \"y\", \"z\")\n"
                "  rows:           100000, seed 42\n"
                "  files:          7, written by 2 workers\n"
                "  import url:     nodelocal://1/out\n"
                "dry run: nothing was written\n");
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(Listing(scratch.path()), std::vector<std::string>{});
}

TEST(EmitImport, SummaryAndStatsJsonCountTheRowsAndFiles) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  const std::string stats = scratch.File("stats.json");
  LoaderRun run = RunLoader({"--emit-import", dir, "--rows", "10000", "--table", "points", "--seed",
                             kSeed, "--import-files", "7", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "rows:           10000\n")) << run.out;
  EXPECT_TRUE(Contains(run.out, "files:          7 in " + dir + "\n")) << run.out;
  EXPECT_TRUE(Contains(run.out, "status:         ok\n")) << run.out;
  EXPECT_TRUE(Contains(run.out, "next:           sh " + dir + "/upload.sh, then run " + dir +
                                    "/import.sql (CockroachDB); or cd " + dir +
                                    " && psql -f load-postgres.sql (PostgreSQL)\n"))
      << run.out;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonString(json, "method"), "emit-import") << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_EQ(JsonNumber(json, "file_rows"), 10000) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 7) << json;
  EXPECT_EQ(JsonString(json, "files_dir"), dir) << json;
  EXPECT_EQ(JsonString(json, "status"), "ok") << json;
  long long bytes = 0;
  for (const ManifestFile& f : ManifestFiles(dir)) bytes += f.bytes;
  EXPECT_EQ(JsonNumber(json, "bytes"), bytes) << json;
}

// SIGINT stops the writers: exit 10, no scripts (they would name files cut
// short), and the summary counts only the files that were finished, each
// whole: the rows of its range, one line each.
TEST(EmitImport, InterruptedWritesNoScriptsAndCountsOnlyFinishedFiles) {
  ScratchDir scratch;
  const std::string dir = scratch.File("out");
  const std::string stats = scratch.File("stats.json");
  // 20 files of 1 M rows: seconds of work, so the signal lands mid-way.
  LoaderProcess loader({"--emit-import", dir, "--rows", "20000000", "--import-files", "20",
                        "--workers", "2", "--stats-json", stats});
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir) && CsvFilesIn(dir).size() >= 3; },
                      std::chrono::seconds(60)));
  loader.Signal(SIGINT);
  LoaderRun run = loader.Wait();
  EXPECT_EQ(run.exit_code, 10) << run.all();
  EXPECT_TRUE(Contains(run.out, "status:         interrupted: interrupted by a signal\n"))
      << run.out;
  EXPECT_FALSE(Contains(run.out, "next:")) << run.out;
  for (const char* script : {"import.sql", "upload.sh", "load-postgres.sql", "manifest.json"}) {
    EXPECT_FALSE(fs::exists(dir + "/" + script)) << script;
  }
  const std::string json = TakeFile(stats);
  const long long files = JsonNumber(json, "files");
  EXPECT_LT(files, 20) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), files * 1000000) << json;
  long long whole = 0;
  for (const std::string& name : CsvFilesIn(dir)) {
    if (LineCount(dir + "/" + name) == 1000000) ++whole;
  }
  EXPECT_GE(whole, files);
}

}  // namespace
}  // namespace loader::test_support
