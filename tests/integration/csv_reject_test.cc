// Bad rows in CSV input (issue 4): the first one stops the load at its
// file:line:column with every row before it committed, and fixing it in place
// resumes there; --max-rejects sets bad rows aside, byte for byte, with one log line
// each; rows the server refuses are found by their line; and a line changed
// where the journal says it was already loaded is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr long long kRows = 10000;
constexpr long long kChunkRows = 1000;  // the default --chunk

// The chunks that hold `rows` rows from the start of the input: the rows
// before a bad one are all sent, the last chunk partly filled.
long long ChunksOf(long long rows) { return (rows + kChunkRows - 1) / kChunkRows; }

// What the journal says is done, as "ROWS END": with every row in exactly
// one chunk from row 0 on, both are the rows committed.
std::string JournalRowsAndEnd(ScratchDatabase& db) {
  return db.Scalar(
      "SELECT sum(row_count) || ' ' || max(first_row + row_count) FROM loader_journal");
}

std::string RowsAndEnd(long long rows) { return std::to_string(rows) + " " + std::to_string(rows); }

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string IdOf(const std::string& accounts_line) {
  return accounts_line.substr(0, accounts_line.find(','));
}

// One bad record that replaces a good line of the generated accounts, and
// what the loader says about it after "FILE:LINE:".
struct BadRow {
  uint64_t line;       // 1-based; the file has no header, so row line - 1
  std::string text;    // the bad record
  std::string reason;  // "COLUMN: why"
};

// The five kinds of bad row the reader and the field checks catch, in five
// different chunks of 1000 rows.
std::vector<BadRow> FiveBadRows(const std::vector<std::string>& lines) {
  auto id = [&](uint64_t line) { return IdOf(lines[line - 1]); };
  const std::string bad_uuid = "zzzz" + lines[3701].substr(4);
  return {
      {1501, id(1501) + ",12x4",
       "38: column balance: expected a 64-bit integer (INT8), found '12x4'"},
      {3702, bad_uuid,
       "1: column id: expected a UUID: 32 hex digits, as in 8-4-4-4-12 (UUID), found '" +
           IdOf(bad_uuid) + "'"},
      {5003, lines[5002] + ",extra", "1: expected 2 fields (id, balance), found 3"},
      {7204, id(7204) + ",12\"3",
       "40: a quote inside an unquoted field (quote the whole field and double the quotes in "
       "it)"},
      {9905, id(9905) + ",9223372036854775808",
       "38: column balance: expected a 64-bit integer (INT8), found '9223372036854775808'"},
  };
}

// The generated accounts with `bad` in place of their lines.
std::string WithBadRows(std::vector<std::string> lines, const std::vector<BadRow>& bad) {
  for (const BadRow& b : bad) lines[b.line - 1] = b.text;
  return JoinLines(lines);
}

// "'id1', 'id2', ..." of the generated rows at these 1-based lines.
std::string IdList(const std::vector<std::string>& lines, const std::vector<uint64_t>& at) {
  std::string list;
  for (uint64_t line : at) list += (list.empty() ? "'" : ", '") + IdOf(lines[line - 1]) + "'";
  return list;
}

std::string SortedLines(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return JoinLines(lines);
}

TEST(CsvRejects, TheFirstBadRowStopsTheLoadAndEachFixResumesToTheNext) {
  GeneratedRows rows("accounts", kRows);
  const std::vector<BadRow> bad = FiveBadRows(rows.lines());
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, WithBadRows(rows.lines(), bad));
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  const std::vector<std::string> load = {"--url",     db.url(), "--input",      file, "--create",
                                         "--workers", "2",      "--stats-json", stats};

  long long committed = 0;
  for (const BadRow& b : bad) {
    SCOPED_TRACE("stops at line " + std::to_string(b.line));
    LoaderRun run = RunLoader(load);
    ASSERT_EQ(run.exit_code, 8) << run.all();
    EXPECT_TRUE(Contains(run.err, file + ":" + std::to_string(b.line) + ":" + b.reason)) << run.err;
    // Every row before the bad one, once each, and no row of it or after it:
    // the file has no header, so they are lines 1..line-1.
    const long long before = static_cast<long long>(b.line - 1);
    EXPECT_EQ(db.Count("accounts"), before);
    EXPECT_EQ(JournalRowsAndEnd(db), RowsAndEnd(before));
    const std::string json = TakeFile(stats);
    EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed) << json;
    EXPECT_EQ(JsonNumber(json, "rows"), before - committed) << json;
    EXPECT_EQ(JsonString(json, "status"), "data_error") << json;
    EXPECT_TRUE(Contains(run.out, "next:           " + std::to_string(before) +
                                      " rows are committed; fix the input if it is at fault, "
                                      "then run the same command again to load the rest"))
        << run.out;
    committed = before;
    ReplaceLine(file, b.line, rows.lines()[b.line - 1]);
  }
  // The last run resumes at the last bad row's line.
  LoaderRun last = RunLoader(load);
  ASSERT_EQ(last.exit_code, 0) << last.all();
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), kRows - committed) << json;
  EXPECT_EQ(db.Count("accounts"), kRows);
  EXPECT_EQ(JournalRowsAndEnd(db), RowsAndEnd(kRows));
  EXPECT_EQ(db.Checksum("accounts"), rows.checksum());

  // The same as a clean load of the fixed file.
  ScratchDatabase clean("clean");
  ASSERT_EQ(RunLoader({"--url", clean.url(), "--input", file, "--create"}).exit_code, 0);
  EXPECT_EQ(db.Checksum("accounts"), clean.Checksum("accounts"));
}

TEST(CsvRejects, MaxRejectsSetsAsideExactlyTheBadRowsByteForByte) {
  GeneratedRows rows("accounts", kRows);
  const std::vector<BadRow> bad = FiveBadRows(rows.lines());
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, WithBadRows(rows.lines(), bad));
  std::string bad_lines;
  std::string log_lines;
  for (const BadRow& b : bad) {
    bad_lines += b.text + "\n";
    log_lines += file + ":" + std::to_string(b.line) + ":" + b.reason + "\n";
  }
  const std::string good_checksum =
      rows.ChecksumAfter("DELETE FROM accounts WHERE id IN (" +
                         IdList(rows.lines(), {1501, 3702, 5003, 7204, 9905}) + ")");
  const std::string rejects = dir.File("rejects.csv");
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  const std::vector<std::string> load = {
      "--url",         db.url(), "--input",       file,    "--create",     "--workers", "2",
      "--max-rejects", "10",     "--reject-file", rejects, "--stats-json", stats};

  LoaderRun run = RunLoader(load);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "rejected:       5 rows, in " + rejects + "\n")) << run.out;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), 9995) << json;
  EXPECT_EQ(JsonNumber(json, "rejected"), 5) << json;
  EXPECT_EQ(JsonString(json, "reject_file"), rejects) << json;
  EXPECT_EQ(db.Count("accounts"), 9995);
  EXPECT_EQ(db.Checksum("accounts"), good_checksum);
  EXPECT_EQ(ReadFile(rejects), bad_lines);
  EXPECT_EQ(ReadFile(dir.File("rejects.log")), log_lines);

  // Rejected rows are done in the journal: a re-run has nothing to do and
  // sets nothing aside again.
  LoaderRun again = RunLoader(load);
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_TRUE(Contains(again.out, "status:         ok: already loaded, nothing to do"))
      << again.out;
  EXPECT_EQ(JsonNumber(TakeFile(stats), "skipped_rows"), kRows);
  EXPECT_EQ(ReadFile(rejects), bad_lines);
  EXPECT_EQ(db.Count("accounts"), 9995);
}

TEST(CsvRejects, OneRowPastMaxRejectsStopsTheLoadAndARaisedLimitResumes) {
  GeneratedRows rows("accounts", kRows);
  const std::vector<BadRow> bad = FiveBadRows(rows.lines());
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, WithBadRows(rows.lines(), bad));
  const std::string rejects = dir.File("rejects.csv");
  ScratchDatabase db;
  const std::vector<std::string> load = {"--url",     db.url(), "--input",       file,   "--create",
                                         "--workers", "2",      "--reject-file", rejects};

  LoaderRun run = RunLoader(With(load, {"--max-rejects", "4"}));
  EXPECT_EQ(run.exit_code, 8) << run.all();
  const size_t column_end = bad[4].reason.find(": ");
  EXPECT_TRUE(Contains(run.err, file + ":9905:" + bad[4].reason.substr(0, column_end) +
                                    ": more than 4 rows rejected (--max-rejects 4); the rejected "
                                    "rows are in " +
                                    rejects + "; this one is past the limit: " +
                                    bad[4].reason.substr(column_end + 2)))
      << run.err;
  // Every row before the fifth bad row is done: the four bad ones among
  // them set aside, the rest loaded.
  const long long before = static_cast<long long>(bad[4].line - 1);
  EXPECT_EQ(db.Count("accounts"), before - 4);
  EXPECT_EQ(ReadFile(rejects),
            bad[0].text + "\n" + bad[1].text + "\n" + bad[2].text + "\n" + bad[3].text + "\n");

  LoaderRun raised = RunLoader(With(load, {"--max-rejects", "10"}));
  ASSERT_EQ(raised.exit_code, 0) << raised.all();
  EXPECT_TRUE(Contains(raised.out, "skipped:        " + std::to_string(before) + " rows in " +
                                       std::to_string(ChunksOf(before)) +
                                       " chunks already loaded\n"))
      << raised.out;
  EXPECT_EQ(db.Count("accounts"), 9995);
  std::string all;
  for (const BadRow& b : bad) all += b.text + "\n";
  EXPECT_EQ(ReadFile(rejects), all);
}

TEST(CsvRejects, TheDefaultRejectFileIsNamedAfterTheJobInTheWorkingDirectory) {
  ScratchDir dir;
  const std::string file = dir.File("few.csv");
  WriteFile(file,
            "00000000-0000-4000-8000-000000000001,1\n"
            "00000000-0000-4000-8000-000000000002,two\n"
            "00000000-0000-4000-8000-000000000003,3\n");
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  ChildIo io;
  io.cwd = dir.path();
  LoaderRun run = RunLoader(
      {"--url", db.url(), "--input", file, "--create", "--max-rejects", "1", "--stats-json", stats},
      {}, io);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const std::string json = TakeFile(stats);
  const std::string job = JsonString(json, "job");
  ASSERT_EQ(job.rfind("accounts-", 0), 0u) << json;
  EXPECT_EQ(JsonString(json, "reject_file"), job + ".reject.csv") << json;
  EXPECT_EQ(ReadFile(dir.File(job + ".reject.csv")), "00000000-0000-4000-8000-000000000002,two\n");
  EXPECT_EQ(ReadFile(dir.File(job + ".reject.log")),
            file + ":2:38: column balance: expected a 64-bit integer (INT8), found 'two'\n");
  EXPECT_EQ(db.Scalar("SELECT string_agg(balance::text, ',' ORDER BY id) FROM accounts"), "1,3");
}

TEST(CsvRejects, BadTextIsSetAsideWithItsBytesUnchanged) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE notes (id int PRIMARY KEY, note text)");
  ScratchDir dir;
  const std::string file = dir.File("notes.csv");
  const std::string invalid_utf8 = "2,bad \xFF byte";
  const std::string nul = std::string("3,nul ") + '\0' + " byte";
  WriteFile(file, "1,ok\n" + invalid_utf8 + "\n" + nul + "\n4,\"fine\"\n");
  const std::string rejects = dir.File("rejects");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "notes", "--input", file,
                             "--max-rejects", "2", "--reject-file", rejects});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(ReadFile(rejects), invalid_utf8 + "\n" + nul + "\n");
  // Not rejects.csv: the log is the reject file's name with .log added.
  EXPECT_EQ(ReadFile(rejects + ".log"),
            file + ":2:7: invalid UTF-8 (the loader reads UTF-8 text only)\n" + file +
                ":3:3: column note: a NUL byte, which the server's text cannot hold\n");
  EXPECT_EQ(db.Scalar("SELECT string_agg(id || '=' || note, ',' ORDER BY id) FROM notes"),
            "1=ok,4=fine");
}

// Lines 10, 2500 and 7777 of the file name rows already in the table (with
// balance -1): the server refuses them, in three different chunks.
TEST(CsvRejects, RowsTheServerRefusesAreSetAsideByTheirLine) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, JoinLines(rows.lines()));
  const std::string ids = IdList(rows.lines(), {10, 2500, 7777});
  const std::string expected =
      rows.ChecksumAfter("UPDATE accounts SET balance = -1 WHERE id IN (" + ids + ")");
  std::string refused_lines;
  std::string log_lines;
  for (uint64_t line : {10, 2500, 7777}) {
    refused_lines += rows.lines()[line - 1] + "\n";
    log_lines += file + ":" + std::to_string(line) +
                 ": the server refused the row: duplicate key value violates unique constraint "
                 "\"accounts_pkey\": Key (id)=(" +
                 IdOf(rows.lines()[line - 1]) + ") already exists. (SQLSTATE 23505)\n";
  }
  for (const char* method : {"copy", "insert"}) {
    SCOPED_TRACE(std::string("--method ") + method);
    ScratchDatabase db(method);
    ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
    db.Exec("INSERT INTO accounts SELECT id::uuid, -1 FROM unnest(ARRAY[" + ids + "]) id");
    const std::string rejects = dir.File(std::string(method) + ".csv");
    const std::string stats = dir.File("stats.json");
    LoaderRun run =
        RunLoader({"--url", db.url(), "--input", file, "--method", method, "--workers", "2",
                   "--max-rejects", "3", "--reject-file", rejects, "--stats-json", stats});
    ASSERT_EQ(run.exit_code, 0) << run.all();
    const std::string json = TakeFile(stats);
    EXPECT_EQ(JsonNumber(json, "rows"), kRows - 3) << json;
    EXPECT_EQ(JsonNumber(json, "rejected"), 3) << json;
    EXPECT_EQ(db.Count("accounts"), kRows);
    EXPECT_EQ(db.Checksum("accounts"), expected);
    EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), "10000");
    // Two workers find them in any order.
    EXPECT_EQ(SortedLines(ReadFile(rejects)), SortedLines(refused_lines));
    EXPECT_EQ(SortedLines(ReadFile(dir.File(std::string(method) + ".log"))),
              SortedLines(log_lines));
  }
}

TEST(CsvRejects, WithoutMaxRejectsARefusedRowStopsTheLoadAtItsLine) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, JoinLines(rows.lines()));
  const std::string ids = IdList(rows.lines(), {1010, 2500});
  for (const char* method : {"copy", "insert"}) {
    SCOPED_TRACE(std::string("--method ") + method);
    ScratchDatabase db(method);
    ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
    db.Exec("INSERT INTO accounts SELECT id::uuid, -1 FROM unnest(ARRAY[" + ids + "]) id");
    const std::vector<std::string> load = {"--url",    db.url(), "--input",   file,
                                           "--method", method,   "--workers", "1"};
    LoaderRun run = RunLoader(load);
    EXPECT_EQ(run.exit_code, 8) << run.all();
    EXPECT_TRUE(Contains(run.err, file +
                                      ":1010: the server refused the row: duplicate key value "
                                      "violates unique constraint \"accounts_pkey\": Key (id)=(" +
                                      IdOf(rows.lines()[1009]) +
                                      ") already exists. (SQLSTATE 23505)"))
        << run.err;
    EXPECT_EQ(db.Count("accounts"), 1000 + 2);  // chunk 0 and the two rows already there

    // The fix is in the table this time: the same command then loads the rest.
    db.Exec("DELETE FROM accounts WHERE balance = -1");
    LoaderRun rerun = RunLoader(load);
    ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
    EXPECT_TRUE(Contains(rerun.out, "skipped:        1000 rows in 1 chunks already loaded"))
        << rerun.out;
    EXPECT_EQ(db.Count("accounts"), kRows);
    EXPECT_EQ(db.Checksum("accounts"), rows.checksum());
  }
}

TEST(CsvRejects, ALineChangedWhereItWasLoadedIsRefusedAndDropStartsOver) {
  GeneratedRows rows("accounts", kRows);
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  std::vector<std::string> lines = rows.lines();
  constexpr uint64_t kBadLine = 5003;  // no header: rows 0..5001 come before it
  constexpr long long kBefore = kBadLine - 1;
  lines[kBadLine - 1] += ",extra";
  WriteFile(file, JoinLines(lines));
  const std::string stats = dir.File("stats.json");
  ScratchDatabase db;
  const std::vector<std::string> load = {"--url",     db.url(), "--input",      file, "--create",
                                         "--workers", "2",      "--stats-json", stats};

  LoaderRun first = RunLoader(load);
  ASSERT_EQ(first.exit_code, 8) << first.all();
  ASSERT_EQ(db.Count("accounts"), kBefore);
  const std::string job = JsonString(TakeFile(stats), "job");

  // The bad line is fixed, but line 1234 (row 1233, in chunk 1) changed too.
  ReplaceLine(file, kBadLine, rows.lines()[kBadLine - 1]);
  const std::string changed = IdOf(rows.lines()[1233]) + ",7";
  ReplaceLine(file, 1234, changed);
  LoaderRun rerun = RunLoader(load);
  EXPECT_EQ(rerun.exit_code, 8) << rerun.all();
  EXPECT_TRUE(Contains(rerun.err, file + ":1001: lines 1001..2000 are not what job " + job +
                                      " committed as rows 1000..1999: the input changed where "
                                      "it was already loaded"))
      << rerun.err;
  EXPECT_EQ(db.Count("accounts"), kBefore);
  TakeFile(stats);

  LoaderRun drop = RunLoader(With(load, {"--drop"}));
  ASSERT_EQ(drop.exit_code, 0) << drop.all();
  EXPECT_TRUE(Contains(drop.err, "forgot 1 journal jobs of table accounts")) << drop.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), kRows) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 0) << json;
  EXPECT_EQ(db.Count("accounts"), kRows);
  EXPECT_EQ(db.Checksum("accounts"),
            rows.ChecksumAfter("UPDATE accounts SET balance = 7 WHERE id = '" +
                               IdOf(rows.lines()[1233]) + "'"));
}

}  // namespace
}  // namespace loader::test_support
