// Compressed input and output end to end (issue 20), with files made by the
// gzip, zstd and bzip2 tools at test time: the same CSV plain, compressed
// and concatenated loads the same rows; compressed standard input is found by
// its bytes; a corrupt or cut short file stops the load naming the file, the
// byte and the line, with the rows before it loaded; a bad row is reported at
// its line of the decompressed text, and a fixed file resumes; kill -9 of a
// load from a .gz file then a re-run is exact; and --emit-import --compress
// gzip loads back through psql to the same table.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
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

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Runs a shell command that must succeed, e.g. "gzip -k FILE".
void ShellOk(const std::string& command) {
  const ShellRun run = Shell(command);
  ASSERT_EQ(run.exit_code, 0) << command << ": " << run.output;
}

long long FileSize(const std::string& path) { return static_cast<long long>(fs::file_size(path)); }

constexpr long long kRows = 20000;

TEST(CompressedInput, PlainGzipZstdAndBzip2FilesLoadTheSameRows) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  const std::string plain = dir.File("accounts.csv");
  WriteFile(plain, rows.header() + "\n" + JoinLines(rows.lines()));
  const std::string w = ShellWord(plain);
  ShellOk("gzip -k " + w + " && zstd -q -k " + w + " && bzip2 -k " + w);
  // Concatenated: two gzip members, three zstd frames, each made alone.
  const std::string head = ShellWord(dir.File("head.csv"));
  const std::string tail = ShellWord(dir.File("tail.csv"));
  WriteFile(dir.File("head.csv"), rows.header() + "\n" + JoinLines(rows.lines(), 0, 7001));
  WriteFile(dir.File("tail.csv"), JoinLines(rows.lines(), 7001, kRows - 7001));
  const std::string two_gz = ShellWord(dir.File("members.csv.gz"));
  const std::string three_zst = ShellWord(dir.File("frames.csv.zst"));
  ShellOk("gzip -c " + head + " > " + two_gz + " && gzip -1 -c " + tail + " >> " + two_gz);
  ShellOk("zstd -q -c " + head + " > " + three_zst + " && printf '' | zstd -q -c >> " + three_zst +
          " && zstd -q -19 -c " + tail + " >> " + three_zst);

  const std::string stats = dir.File("stats.json");
  for (const std::string name : {"accounts.csv", "accounts.csv.gz", "accounts.csv.zst",
                                 "accounts.csv.bz2", "members.csv.gz", "frames.csv.zst"}) {
    SCOPED_TRACE(name);
    ScratchDatabase db;
    LoaderRun run = RunLoader({"--url", db.url(), "--input", dir.File(name), "--header", "--create",
                               "--workers", "2", "--stats-json", stats});
    ASSERT_EQ(run.exit_code, 0) << run.all();
    const std::string json = TakeFile(stats);
    EXPECT_EQ(JsonNumber(json, "rows"), kRows) << json;
    EXPECT_EQ(JsonNumber(json, "chunks"), kRows / 1000) << json;
    EXPECT_EQ(db.Count("accounts"), kRows);
    EXPECT_EQ(db.Checksum("accounts"), rows.checksum());
  }
  // The compressed files were smaller: the loader did not read them raw.
  EXPECT_LT(FileSize(plain + ".gz"), FileSize(plain));
  EXPECT_LT(FileSize(plain + ".zst"), FileSize(plain));
}

TEST(CompressedInput, CompressedStandardInputIsFoundByItsBytes) {
  GeneratedRows rows("points", kRows);
  ScratchDir dir;
  const std::string plain = dir.File("points.csv");
  WriteFile(plain, JoinLines(rows.lines()));
  ShellOk("gzip -k " + ShellWord(plain) + " && zstd -q -k " + ShellWord(plain));
  for (const char* suffix : {".gz", ".zst"}) {
    SCOPED_TRACE(suffix);
    ScratchDatabase db;
    ChildIo io;
    io.stdin_bytes = ReadFile(plain + suffix);
    LoaderRun run =
        RunLoader({"--url", db.url(), "--table", "points", "--input", "-", "--create"}, {}, io);
    ASSERT_EQ(run.exit_code, 0) << run.all();
    EXPECT_EQ(db.Count("points"), kRows);
    EXPECT_EQ(db.Checksum("points"), rows.checksum());
  }
  // --decompress none takes the bytes as they are: not UTF-8 text. A fixed
  // gzip header (gzip's own carries its time, whose bytes may be a quote or
  // a comma the reader meets first), then a row.
  ScratchDatabase db;
  ChildIo io;
  io.stdin_bytes = std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + ",1,2,3\n";
  LoaderRun raw = RunLoader(
      {"--url", db.url(), "--table", "points", "--input", "-", "--create", "--decompress", "none"},
      {}, io);
  EXPECT_EQ(raw.exit_code, 8) << raw.all();
  EXPECT_TRUE(Contains(raw.err, "stdin:1:2: invalid UTF-8 (the loader reads UTF-8 text only)"))
      << raw.err;
  EXPECT_EQ(db.Count("points"), 0);
}

TEST(CompressedInput, CorruptOrCutShortDataStopsNamingTheFileByteAndLine) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  // A whole member of 2500 lines, then bytes that start no other.
  WriteFile(dir.File("first.csv"), JoinLines(rows.lines(), 0, 2500));
  ShellOk("gzip " + ShellWord(dir.File("first.csv")));
  const std::string corrupt = dir.File("first.csv.gz");
  const long long member = FileSize(corrupt);
  ShellOk("printf 'garbage' >> " + ShellWord(corrupt));
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--input", corrupt, "--create"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.all(), "status:         data_error: " + corrupt +
                                      ": corrupt gzip data at byte " + std::to_string(member + 2) +
                                      " (after line 2500): incorrect header check\n"))
      << run.all();
  // Every row before the damage is loaded, as before a bad row.
  EXPECT_EQ(db.Count("accounts"), 2500);

  // Cut short: an error, never fewer rows without one. The line reached is
  // where the decompressed text stopped, and the rows before it are in.
  WriteFile(dir.File("all.csv"), JoinLines(rows.lines()));
  ShellOk("gzip " + ShellWord(dir.File("all.csv")));
  const std::string cut = dir.File("cut.csv.gz");
  const long long cut_size = FileSize(dir.File("all.csv.gz")) / 2;
  ShellOk("head -c " + std::to_string(cut_size) + " " + ShellWord(dir.File("all.csv.gz")) + " > " +
          ShellWord(cut));
  ScratchDatabase cut_db;
  LoaderRun cut_run = RunLoader({"--url", cut_db.url(), "--input", cut, "--create"});
  EXPECT_EQ(cut_run.exit_code, 8) << cut_run.all();
  const std::string said_before =
      cut + ": truncated gzip data at byte " + std::to_string(cut_size) + " (after line ";
  const std::string said_after =
      "): the input ends inside a gzip member (is the file cut short?)\n";
  const std::string all = cut_run.all();
  const size_t at = all.find(said_before);
  ASSERT_NE(at, std::string::npos) << all;
  const size_t number = at + said_before.size();
  const size_t digits = all.find_first_not_of("0123456789", number);
  ASSERT_GT(digits, number) << all;
  EXPECT_EQ(all.substr(digits, said_after.size()), said_after) << all;
  const long long reached = std::stoll(all.substr(number, digits - number));
  EXPECT_GT(reached, 0);
  EXPECT_LT(reached, kRows);
  EXPECT_EQ(cut_db.Count("accounts"), reached);

  // A plain file said to be gzip.
  const std::string plain = dir.File("plain.csv");
  WriteFile(plain, "00000000-0000-4000-8000-000000000001,5\n");
  ScratchDatabase plain_db;
  LoaderRun said =
      RunLoader({"--url", plain_db.url(), "--input", plain, "--create", "--decompress", "gzip"});
  EXPECT_EQ(said.exit_code, 8) << said.all();
  EXPECT_TRUE(Contains(said.all(), plain + ": not gzip data: it starts with bytes 30 30 30 30; "
                                           "--decompress none reads it as it is"))
      << said.all();
  EXPECT_EQ(plain_db.Count("accounts"), 0);
}

TEST(CompressedInput, ABadRowIsNamedByItsLineAndAFixedFileResumes) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  // With a header, data row 1233 is line 1234.
  const std::string plain = dir.File("accounts.csv");
  std::vector<std::string> lines = rows.lines();
  const std::string good = lines[1232];
  lines[1232] = good.substr(0, good.find(',')) + ",12x";
  WriteFile(plain, rows.header() + "\n" + JoinLines(lines));
  for (const char* tool : {"gzip", "zstd"}) {
    SCOPED_TRACE(tool);
    const std::string packed = plain + (std::string(tool) == "gzip" ? ".gz" : ".zst");
    ShellOk(std::string(tool) + " -q -f -k " + ShellWord(plain));
    ScratchDatabase db;
    const std::vector<std::string> load = {"--url",    db.url(),   "--input",   packed,
                                           "--header", "--create", "--workers", "1"};
    LoaderRun run = RunLoader(load);
    EXPECT_EQ(run.exit_code, 8) << run.all();
    EXPECT_TRUE(Contains(run.all(), packed + ":1234:38: column balance: expected a 64-bit integer "
                                             "(INT8), found '12x'"))
        << run.all();
    EXPECT_EQ(db.Count("accounts"), 1232);

    // Fixed and compressed again: the journal's digests of the committed
    // lines still match, and the rest loads.
    WriteFile(dir.File("fixed.csv"), rows.header() + "\n" + JoinLines(rows.lines()));
    ShellOk(std::string(tool) + " -q -f -c " + ShellWord(dir.File("fixed.csv")) + " > " +
            ShellWord(packed));
    const std::string stats = dir.File("stats.json");
    LoaderRun rerun = RunLoader(With(load, {"--stats-json", stats}));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
    const std::string json = TakeFile(stats);
    EXPECT_EQ(JsonNumber(json, "skipped_rows"), 1232) << json;
    EXPECT_EQ(JsonNumber(json, "rows"), kRows - 1232) << json;
    EXPECT_EQ(db.Count("accounts"), kRows);
    EXPECT_EQ(db.Checksum("accounts"), rows.checksum());
  }
}

constexpr long long kBigRows = 200000;

TEST(CompressedInput, KillNineMidLoadOfAGzipFileThenARerunIsExact) {
  GeneratedRows rows("points", kBigRows);
  ScratchDir dir;
  const std::string file = dir.File("points.csv");
  WriteFile(file, JoinLines(rows.lines()));
  ShellOk("gzip " + ShellWord(file));
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  const std::vector<std::string> load = {"--url",      db.url(),  "--table", "points",    "--input",
                                         file + ".gz", "--chunk", "500",     "--workers", "2"};
  const LoaderRun killed = KillOnceJournaled(db, load, 50000);
  ASSERT_EQ(killed.term_signal, SIGKILL) << "the load ended before the kill: " << killed.all();
  const long long committed = JournaledRows(db);
  EXPECT_EQ(db.Count("points"), committed);
  EXPECT_LT(committed, kBigRows);

  const std::string stats = dir.File("stats.json");
  LoaderRun rerun = RunLoader(With(load, {"--stats-json", stats}));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), kBigRows - committed) << json;
  EXPECT_EQ(db.Count("points"), kBigRows);
  EXPECT_EQ(db.Checksum("points"), rows.checksum());
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) || ' ' || "
                      "max(first_row + row_count) FROM loader_journal"),
            "400 200000 200000");
  EXPECT_EQ(db.Scalar("SELECT total_rows FROM loader_jobs"), "200000");
}

// The names of the files in `dir` that end in `suffix`, sorted.
std::vector<std::string> FilesEndingIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(suffix)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(CompressedOutput, EmitImportGzipLoadsBackThroughPsqlToTheSameTable) {
  ScratchDir scratch;
  // Generated rows, written by two workers.
  const std::string generated = scratch.File("generated");
  LoaderRun emit = RunLoader({"--emit-import", generated, "--rows", "100000", "--table", "points",
                              "--create", "--compress", "gzip", "--import-files", "3"});
  ASSERT_EQ(emit.exit_code, 0) << emit.all();
  EXPECT_EQ(FilesEndingIn(generated, ".csv.gz"),
            (std::vector<std::string>{"points.00001.csv.gz", "points.00002.csv.gz",
                                      "points.00003.csv.gz"}));
  EXPECT_TRUE(FilesEndingIn(generated, ".csv").empty());
  const std::vector<ManifestFile> manifest = ManifestFiles(generated);
  ASSERT_EQ(manifest.size(), 3u);
  long long rows = 0;
  for (const ManifestFile& f : manifest) {
    EXPECT_EQ(f.bytes, FileSize(generated + "/" + f.name)) << f.name;
    EXPECT_EQ(f.sha256, Sha256Sum(generated + "/" + f.name)) << f.name;
    const ShellRun lines = Shell("gzip -dc " + ShellWord(generated + "/" + f.name) + " | wc -l");
    EXPECT_EQ(std::stoll(lines.output), f.rows) << f.name;
    rows += f.rows;
  }
  EXPECT_EQ(rows, 100000);
  EXPECT_TRUE(Contains(ReadFile(generated + "/import.sql"),
                       "    'nodelocal://1/generated/points.00001.csv.gz',\n"));
  ScratchDatabase from_files("files");
  ShellRun psql = LoadWithPsql(generated, from_files.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  GeneratedRows reference("points", 100000);
  EXPECT_EQ(from_files.Count("points"), 100000);
  EXPECT_EQ(from_files.Checksum("points"), reference.checksum());

  // Rows of a .zst input, cut by --import-file-bytes: the same files, row
  // for row, as without --compress, since the size counts CSV bytes.
  const std::string input = scratch.File("points.csv");
  WriteFile(input, JoinLines(reference.lines()));
  ShellOk("zstd -q --rm " + ShellWord(input));
  const std::vector<std::string> from_input = {
      "--input",  input + ".zst",        "--table", "points", "--columns",
      "id,x,y,z", "--import-file-bytes", "1MiB"};
  const std::string gz = scratch.File("gz");
  const std::string csv = scratch.File("csv");
  ASSERT_EQ(RunLoader(With(from_input, {"--emit-import", gz, "--compress", "gzip"})).exit_code, 0);
  ASSERT_EQ(RunLoader(With(from_input, {"--emit-import", csv})).exit_code, 0);
  const std::vector<ManifestFile> gz_files = ManifestFiles(gz);
  const std::vector<ManifestFile> csv_files = ManifestFiles(csv);
  ASSERT_EQ(gz_files.size(), csv_files.size());
  EXPECT_GE(gz_files.size(), 3u);
  for (size_t i = 0; i < gz_files.size(); ++i) {
    EXPECT_EQ(gz_files[i].name, csv_files[i].name + ".gz");
    EXPECT_EQ(gz_files[i].first_row, csv_files[i].first_row);
    EXPECT_EQ(gz_files[i].rows, csv_files[i].rows);
    EXPECT_LT(gz_files[i].bytes, csv_files[i].bytes);
    EXPECT_EQ(Shell("gzip -dc " + ShellWord(gz + "/" + gz_files[i].name) + " | cmp - " +
                    ShellWord(csv + "/" + csv_files[i].name))
                  .exit_code,
              0)
        << gz_files[i].name;
  }
  ScratchDatabase from_input_files("input");
  from_input_files.Exec(
      "CREATE TABLE points (id INT8 PRIMARY KEY, x FLOAT8 NOT NULL, y FLOAT8 NOT NULL, "
      "z FLOAT8 NOT NULL)");
  psql = LoadWithPsql(gz, from_input_files.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(from_input_files.Count("points"), 100000);
  EXPECT_EQ(from_input_files.Checksum("points"), reference.checksum());

  // A plain run into the directory replaces the gzip files, and back.
  ASSERT_EQ(RunLoader(With(from_input, {"--emit-import", gz})).exit_code, 0);
  EXPECT_TRUE(FilesEndingIn(gz, ".gz").empty());
  EXPECT_EQ(FilesEndingIn(gz, ".csv").size(), csv_files.size());
}

}  // namespace
}  // namespace loader::test_support
