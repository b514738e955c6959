// CSV input end to end (issue 4): files and stdin made from generated rows
// load back to the same ordered checksum with every method, worker count and
// header setting; any existing table with the quoting, NULLs and line ends of
// real files; several files by glob, in name order, with chunks that never
// span two; kill -9 of a multi-file load; and the usage errors.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The words of the line of `loader journal` output that lists `job`.
std::vector<std::string> JournalListing(const std::string& out, const std::string& job) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(job + " ", 0) != 0) continue;
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string word; words >> word;) row.push_back(word);
    return row;
  }
  return {};
}

// The journal's chunks as first_row+row_count, in row order.
std::string JournalRanges(ScratchDatabase& db) {
  return db.Scalar(
      "SELECT string_agg(first_row || '+' || row_count, ' ' ORDER BY first_row) "
      "FROM loader_journal");
}

// A file of `table`'s generated rows, with and without a header, loaded into
// a fresh table by every method, worker count and header setting: each load
// is exactly the generated rows, in 10 chunks, and the job knows its total.
void LoadsBackEveryWay(const std::string& table) {
  GeneratedRows rows(table, 10000);
  ScratchDir dir;
  const std::string plain = dir.File(table + ".csv");
  const std::string headed = dir.File(table + "-with-header.csv");
  WriteFile(plain, JoinLines(rows.lines()));
  WriteFile(headed, rows.header() + "\n" + JoinLines(rows.lines()));
  const std::string stats = dir.File("stats.json");

  ScratchDatabase db;
  for (const char* method : {"copy", "insert"}) {
    for (const char* workers : {"1", "3"}) {
      for (const bool header : {false, true}) {
        SCOPED_TRACE(table + " --method " + std::string(method) + " --workers " + workers +
                     (header ? " --header" : ""));
        std::vector<std::string> args = {
            "--url",    db.url(), "--table",   table,   "--input", header ? headed : plain,
            "--method", method,   "--workers", workers, "--drop",  "--stats-json",
            stats};
        if (header) args.push_back("--header");
        LoaderRun run = RunLoader(args);
        ASSERT_EQ(run.exit_code, 0) << run.all();
        EXPECT_TRUE(Contains(run.out, "rows:           10000\n")) << run.out;
        const std::string json = TakeFile(stats);
        EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
        EXPECT_EQ(JsonNumber(json, "chunks"), 10) << json;
        EXPECT_EQ(JsonNumber(json, "rejected"), 0) << json;
        EXPECT_EQ(JsonString(json, "status"), "ok") << json;
        EXPECT_EQ(db.Count(table), 10000);
        EXPECT_EQ(db.Checksum(table), rows.checksum());
        EXPECT_EQ(db.Scalar("SELECT total_rows FROM loader_jobs"), "10000");
      }
    }
  }
}

TEST(CsvInput, AccountsFromAFileEqualTheGeneratedLoadEveryWay) { LoadsBackEveryWay("accounts"); }

TEST(CsvInput, PointsFromAFileEqualTheGeneratedLoadEveryWay) { LoadsBackEveryWay("points"); }

TEST(CsvInput, StdinLoadsTheSameRowsAsAOneOffJob) {
  GeneratedRows rows("accounts", 10000);
  ScratchDir dir;
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  ChildIo io;
  io.stdin_bytes = rows.header() + "\n" + JoinLines(rows.lines());
  const std::vector<std::string> args = {"--url", db.url(), "--input", "-", "--header", "--create"};

  LoaderRun run = RunLoader(With(args, {"--workers", "2", "--stats-json", stats}), {}, io);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 10000);
  EXPECT_EQ(db.Checksum("accounts"), rows.checksum());
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  const std::string job = JsonString(json, "job");
  EXPECT_EQ(job.rfind("accounts-stdin-", 0), 0u) << json;
  EXPECT_EQ(job.size(), std::string("accounts-stdin-").size() + 12) << job;
  EXPECT_EQ(job.find_first_not_of("0123456789abcdef", 15), std::string::npos) << job;
  EXPECT_EQ(db.Scalar("SELECT job || ' ' || total_rows || ' ' || source FROM loader_jobs"),
            job + " 10000 CSV stdin");

  // The same bytes piped in again are another job, which nothing says is
  // loaded: the server refuses the first row, named by its line on stdin.
  LoaderRun again = RunLoader(With(args, {"--workers", "1"}), {}, io);
  EXPECT_EQ(again.exit_code, 8) << again.all();
  EXPECT_TRUE(Contains(again.err,
                       "stdin:2: the server refused the row: duplicate key value "
                       "violates unique constraint \"accounts_pkey\""))
      << again.err;
  EXPECT_EQ(db.Count("accounts"), 10000);
}

TEST(CsvInput, StdinWithANamedJobResumesWhenTheFixedDataIsPipedAgain) {
  GeneratedRows rows("points", 5000);
  ScratchDir dir;
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  std::vector<std::string> lines = rows.lines();
  // No header: row 2500 is line 2501, and rows 0..2499 come before it.
  constexpr size_t kBadRow = 2500;
  constexpr long long kBefore = kBadRow;
  const std::string good = lines[kBadRow];
  lines[kBadRow] = "2500,1.5,oops,3";
  ChildIo io;
  io.stdin_bytes = JoinLines(lines);
  const std::vector<std::string> args = {
      "--url",       db.url(),   "--table",   "points", "--input",      "-",  "--job",
      "points-pipe", "--create", "--workers", "2",      "--stats-json", stats};

  LoaderRun bad = RunLoader(args, {}, io);
  ASSERT_EQ(bad.exit_code, 8) << bad.all();
  EXPECT_TRUE(Contains(bad.err, "stdin:" + std::to_string(kBadRow + 1) +
                                    ":10: column y: expected a number (FLOAT), found 'oops'"))
      << bad.err;
  // Every row before the bad one is committed, the last of them in a
  // partly filled chunk of its own.
  EXPECT_TRUE(Contains(bad.out, "next:           " + std::to_string(kBefore) +
                                    " rows are committed or rejected; to load the "
                                    "rest, pipe the same data into the same command with --job "
                                    "points-pipe"))
      << bad.out;
  EXPECT_EQ(db.Count("points"), kBefore);
  EXPECT_EQ(JournalRanges(db), "0+1000 1000+1000 2000+500");
  TakeFile(stats);

  lines[2500] = good;
  io.stdin_bytes = JoinLines(lines);
  LoaderRun fixed = RunLoader(args, {}, io);
  ASSERT_EQ(fixed.exit_code, 0) << fixed.all();
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), kBefore) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 5000 - kBefore) << json;
  EXPECT_EQ(db.Count("points"), 5000);
  EXPECT_EQ(db.Checksum("points"), rows.checksum());
  // The resumed run starts at the bad row, so no row is in two chunks.
  EXPECT_EQ(JournalRanges(db), "0+1000 1000+1000 2000+500 2500+1000 3500+1000 4500+500");
}

// What the notes table holds, one line per row: id | note (quoted, or NULL)
// | doc | flag | twice.
constexpr char kNotesAsText[] =
    "SELECT string_agg(concat_ws(' | ', id, quote_nullable(note), coalesce(doc::text, 'NULL'), "
    "flag, twice), E'\\n' ORDER BY id) FROM notes";

void CreateNotes(ScratchDatabase& db) {
  db.Exec(
      "CREATE TABLE notes (id int PRIMARY KEY, note text, doc jsonb, flag bool DEFAULT true, "
      "twice int GENERATED ALWAYS AS (id * 2) STORED)");
}

TEST(CsvInput, AnyTableTakesQuotedFieldsNullsCrlfAndABom) {
  ScratchDatabase db;
  CreateNotes(db);
  ScratchDir dir;
  const std::string file = dir.File("notes.csv");
  WriteFile(file,
            "\xEF\xBB\xBF"
            "id,note,doc\r\n"
            "1,\"a,b\",\"{\"\"k\"\": \"\"v, w\"\"}\"\r\n"
            "2,,{}\r\n"
            "3,\"\",\"[1,2]\"\r\n"
            "4,\"line1\nline2\",null\r\n"
            "5,\"say \"\"hi\"\"\",\r\n"
            "6,\"x\r\ny\",\"\"\"quoted\"\"\"\r\n"
            "7,plain,1");  // the last record has no line end
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "notes", "--input", file, "--header",
                             "--columns", "id,note,doc"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "rows:           7\n")) << run.out;
  EXPECT_EQ(db.Scalar(kNotesAsText),
            "1 | 'a,b' | {\"k\": \"v, w\"} | t | 2\n"
            "2 | NULL | {} | t | 4\n"
            "3 | '' | [1, 2] | t | 6\n"
            "4 | 'line1\nline2' | null | t | 8\n"
            "5 | 'say \"hi\"' | NULL | t | 10\n"
            "6 | 'x\r\ny' | \"quoted\" | t | 12\n"
            "7 | 'plain' | 1 | t | 14");
  // Without --columns the header's fields go to the columns they name, and
  // flag, which it leaves out, to its default: the same rows again.
  const std::string loaded = db.Scalar(kNotesAsText);
  LoaderRun header =
      RunLoader({"--url", db.url(), "--table", "notes", "--input", file, "--header", "--truncate"});
  ASSERT_EQ(header.exit_code, 0) << header.all();
  EXPECT_EQ(db.Scalar(kNotesAsText), loaded);
}

TEST(CsvInput, ADelimiterQuoteAndNullTextOfOneChoosing) {
  ScratchDatabase db;
  CreateNotes(db);
  ScratchDir dir;
  const std::string file = dir.File("notes.txt");
  WriteFile(file,
            "1|'a|b'|'{\"k\": \"it''s\"}'\n"
            "2|NA|NA\n"
            "3|'NA'|[]\n"
            "4|''|{}\n"
            "5||\"s\"\n"
            "6|'two''s'|1\n");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "notes", "--input", file, "--columns",
                             "id,note,doc", "--delimiter", "|", "--null", "NA", "--quote", "'"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  // With --null NA an empty unquoted field is an empty string, and a quoted
  // 'NA' is text.
  EXPECT_EQ(db.Scalar(kNotesAsText),
            "1 | 'a|b' | {\"k\": \"it's\"} | t | 2\n"
            "2 | NULL | NULL | t | 4\n"
            "3 | 'NA' | [] | t | 6\n"
            "4 | '' | {} | t | 8\n"
            "5 | '' | \"s\" | t | 10\n"
            "6 | 'two''s' | 1 | t | 12");

  const std::string tabbed = dir.File("notes.tsv");
  WriteFile(tabbed, "note\tid\n\"tab\tinside\"\t7\n,comma\t8\n");
  LoaderRun tabs = RunLoader({"--url", db.url(), "--table", "notes", "--input", tabbed, "--header",
                              "--columns", "note,id", "--delimiter", "\\t"});
  ASSERT_EQ(tabs.exit_code, 0) << tabs.all();
  EXPECT_EQ(db.Scalar("SELECT string_agg(id || '=' || note, ';' ORDER BY id) FROM notes WHERE id "
                      "> 6"),
            "7=tab\tinside;8=,comma");
}

TEST(CsvInput, AGlobLoadsFilesInNameOrderInChunksThatNeverSpanTwo) {
  GeneratedRows rows("points", 5000);
  ScratchDir dir;
  // Written out of name order; their sizes make the order visible in the
  // journal's row ranges.
  WriteFile(dir.File("part-3.csv"), JoinLines(rows.lines(), 4000, 1000));
  WriteFile(dir.File("part-1.csv"), JoinLines(rows.lines(), 0, 1500));
  WriteFile(dir.File("part-2.csv"), JoinLines(rows.lines(), 1500, 2500));
  WriteFile(dir.File("other.csv"), "999999,1,2,3\n");  // not matched by the glob
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--input",
                             dir.File("part-*.csv"), "--create", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 5000);
  EXPECT_EQ(db.Checksum("points"), rows.checksum());
  EXPECT_EQ(JournalRanges(db), "0+1000 1000+500 1500+1000 2500+1000 3500+500 4000+1000");
  EXPECT_EQ(db.Scalar("SELECT total_rows || ' ' || source FROM loader_jobs"),
            "5000 CSV " + dir.File("part-1.csv") + " and 2 more");
}

TEST(CsvInput, AHeaderIsCheckedInEveryFile) {
  GeneratedRows rows("accounts", 3000);
  ScratchDir dir;
  WriteFile(dir.File("a.csv"), "id,balance\n" + JoinLines(rows.lines(), 0, 1500));
  WriteFile(dir.File("b.csv"), "id,amount\n" + JoinLines(rows.lines(), 1500, 1500));
  ScratchDatabase db;
  LoaderRun run = RunLoader(
      {"--url", db.url(), "--input", dir.File("*.csv"), "--header", "--create", "--workers", "1"});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  EXPECT_TRUE(Contains(run.err, dir.File("b.csv") +
                                    ":1:1: the header names (id, amount) but the first file's "
                                    "names (id, balance); the files of one load must have the "
                                    "same header"))
      << run.err;
  // Every row of a.csv is good and no chunk holds rows of two files.
  EXPECT_EQ(db.Count("accounts"), 1500);
  EXPECT_EQ(JournalRanges(db), "0+1000 1000+500");
}

constexpr long long kBigRows = 200000;

TEST(CsvInput, KillNineMidLoadOfFourFilesThenARerunIsExact) {
  GeneratedRows rows("points", kBigRows);
  ScratchDir dir;
  for (int part = 0; part < 4; ++part) {
    WriteFile(dir.File("points-" + std::to_string(part) + ".csv"),
              JoinLines(rows.lines(), static_cast<size_t>(part) * 50000, 50000));
  }
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  const std::vector<std::string> load = {
      "--url",   db.url(), "--table",   "points", "--input", dir.File("points-*.csv"),
      "--chunk", "500",    "--workers", "2"};
  // Into the second file, so the re-run reads a whole committed file past.
  const LoaderRun killed = KillOnceJournaled(db, load, 70000);
  ASSERT_EQ(killed.term_signal, SIGKILL) << "the load ended before the kill: " << killed.all();
  const long long committed = JournaledRows(db);
  EXPECT_EQ(db.Count("points"), committed);
  EXPECT_LT(committed, kBigRows);

  // The files were not read to the end: the job's total is not known yet.
  LoaderRun list = RunLoader({"journal", "--url", db.url()});
  ASSERT_EQ(list.exit_code, 0) << list.all();
  const std::string job = db.Scalar("SELECT job FROM loader_jobs");
  const std::vector<std::string> listed = JournalListing(list.out, job);
  ASSERT_GE(listed.size(), 5u) << list.out;
  EXPECT_EQ(listed[2], std::to_string(committed)) << list.out;
  EXPECT_EQ(listed[3], "?") << list.out;

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

TEST(CsvInput, UsageErrorsExitWithTheirCodesAndLoadNothing) {
  ScratchDatabase db;
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, "00000000-0000-4000-8000-000000000001,5\n");

  LoaderRun rows = RunLoader({"--url", db.url(), "--input", file, "--rows", "5", "--create"});
  EXPECT_EQ(rows.exit_code, 2) << rows.all();
  EXPECT_TRUE(Contains(rows.err,
                       "--rows is for generated rows; with --input the files are the "
                       "rows"))
      << rows.err;

  const std::string missing = dir.File("missing.csv");
  LoaderRun absent = RunLoader({"--url", db.url(), "--input", missing, "--create"});
  EXPECT_EQ(absent.exit_code, 2) << absent.all();
  EXPECT_TRUE(Contains(absent.err, "--input " + missing + ": No such file or directory"))
      << absent.err;

  LoaderRun glob = RunLoader({"--url", db.url(), "--input", dir.File("*.tsv"), "--create"});
  EXPECT_EQ(glob.exit_code, 2) << glob.all();
  EXPECT_TRUE(Contains(glob.err, "--input " + dir.File("*.tsv") + ": no file matches")) << glob.err;

  LoaderRun column =
      RunLoader({"--url", db.url(), "--input", file, "--columns", "id,amount", "--create"});
  EXPECT_EQ(column.exit_code, 2) << column.all();
  EXPECT_TRUE(Contains(column.err,
                       "--columns: table accounts has no column 'amount' (it has id, "
                       "balance)"))
      << column.err;
  EXPECT_EQ(db.Count("accounts"), -1);

  LoaderRun table = RunLoader({"--url", db.url(), "--table", "orders", "--input", file});
  EXPECT_EQ(table.exit_code, 5) << table.all();
  EXPECT_TRUE(Contains(table.err,
                       "table orders does not exist (or has no columns to load); "
                       "--create makes only accounts and points"))
      << table.err;

  LoaderRun create =
      RunLoader({"--url", db.url(), "--table", "orders", "--input", file, "--create"});
  EXPECT_EQ(create.exit_code, 2) << create.all();
  EXPECT_TRUE(Contains(create.err,
                       "--create and --drop make accounts and points only; create "
                       "orders yourself"))
      << create.err;
  EXPECT_EQ(db.Count("orders"), -1);
}

}  // namespace
}  // namespace loader::test_support
