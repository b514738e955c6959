// --fallback-dir DIR (issue 5) end to end against the real server, for the
// faults other than 40001 past --max-retries (in fallback_test.cc): text that
// needs every kind of quoting, a line of just \. (which stops psql's \copy),
// one row too large even alone (54000), and no connection past
// --reconnect-timeout. Each writes its chunks to DIR and exits 11, and DIR's
// load-postgres.sql, run with the real psql, completes the table. Bad data
// still stops the load (exit 8) and writes nothing to DIR, and without
// --fallback-dir a failing chunk still stops it (exit 7).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/fallback_load.h"
#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

namespace fs = std::filesystem;

// accounts rows read from a CSV file, with a note column whose text needs
// every kind of quoting in CSV and every escape in COPY text.
constexpr char kCreateNotes[] =
    "CREATE TABLE account_notes (id UUID PRIMARY KEY, balance INT8 NOT NULL, note TEXT)";

// Cycled over the rows: row i gets kNotes[i % kNoteKinds]; nullptr is NULL.
constexpr const char* kNotes[] = {
    "plain",
    "say \"hi\", ok",
    "line1\nline2",
    "back\\slash \\N \\\\ end",
    "tab\there\tand tail\t",
    "crlf\r\ninside",
    "",
    nullptr,
    "\\N",
    "  leading and trailing spaces  ",
    "\xc3\xbcnic\xc3\xb6"
    "de \xe2\x9c\x93 \"q\" ,",  // ünicöde ✓ "q" ,
    "\\.",
    "ends with a backslash\\",
    "real\n\nnewlines and \\n \\t \\r \\\\ written out",
    "bare\rcarriage return",
    "a,b,c",
};
constexpr size_t kNoteKinds = std::size(kNotes);

// Every value of account_notes, NULL told apart from '', as one digest.
constexpr char kNotesDigest[] =
    "SELECT md5(string_agg(id || ' ' || balance || ' ' || coalesce(encode(convert_to(note, "
    "'UTF8'), 'hex'), 'NULL'), E'\\n' ORDER BY id)) FROM account_notes";

class FallbackCsvTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FallbackCsvTest, TrickyTextRoundTripsThroughTheFallbackFiles) {
  constexpr long long kRows = 4000;
  GeneratedRows accounts("accounts", kRows);
  std::vector<std::string> records;
  for (size_t i = 0; i < accounts.lines().size(); ++i) {
    records.push_back(accounts.lines()[i] + "," + CsvQuoted(kNotes[i % kNoteKinds]));
  }
  ScratchDir scratch;
  const std::string input = scratch.File("notes.csv");
  const std::string dir = scratch.File("fallback");
  WriteFile(input, JoinLines(records));

  ScratchDatabase db;
  db.Exec(kCreateNotes);
  CreateJournal(db, "account_notes");
  FailChunksWhere(db, "NEW.first_row % 1500 = 500");
  const std::vector<std::string> command = {
      "--url",     db.url(),   "--table",        "account_notes",
      "--input",   input,      "--chunk",        "500",
      "--workers", "2",        "--max-retries",  "1",
      "--method",  GetParam(), "--fallback-dir", dir};
  LoaderRun run = RunLoader(command);
  ASSERT_EQ(run.exit_code, 11) << run.all();
  EXPECT_TRUE(Contains(run.out, Summary("rows", "2500"))) << run.out;
  EXPECT_TRUE(Contains(run.out, FallbackSummary(1500, 3, dir))) << run.out;
  EXPECT_TRUE(Contains(run.out, FallbackStatus(1500, 3, dir))) << run.out;
  EXPECT_EQ(db.Count("account_notes"), 2500);

  ExpectManifestMatchesFiles(dir);
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  ASSERT_EQ(files.size(), 3u);
  for (size_t k = 0; k < files.size(); ++k) {
    const ManifestFile& f = files[k];
    SCOPED_TRACE(f.name);
    EXPECT_EQ(f.first_row, 500 + 1500 * static_cast<long long>(k));
    EXPECT_EQ(f.name, FallbackName("account_notes", f.first_row));
    EXPECT_EQ(f.rows, 500);
    EXPECT_EQ(f.journal_rows, 500);
    // COPY text or INSERT parameters, written back as the CSV they came from.
    EXPECT_EQ(ReadFile(dir + "/" + f.name), JoinLines(records, f.first_row, 500));
  }

  db.Exec("DROP TRIGGER fail_chunk ON loader_journal");
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(psql.output, "");

  ScratchDatabase direct("direct");
  direct.Exec(kCreateNotes);
  LoaderRun load = RunLoader({"--url", direct.url(), "--table", "account_notes", "--input", input});
  ASSERT_EQ(load.exit_code, 0) << load.all();
  EXPECT_EQ(db.Count("account_notes"), kRows);
  EXPECT_EQ(db.Scalar(kNotesDigest), direct.Scalar(kNotesDigest));
  // Every kind of note, from the first fallback file, byte for byte.
  for (size_t i = 500; i < 500 + kNoteKinds; ++i) {
    const char* note = kNotes[i % kNoteKinds];
    const std::string id = accounts.lines()[i].substr(0, accounts.lines()[i].find(','));
    EXPECT_EQ(db.Scalar("SELECT coalesce(encode(convert_to(note, 'UTF8'), 'hex'), 'NULL') FROM "
                        "account_notes WHERE id = '" +
                        id + "'"),
              note == nullptr ? "NULL" : Hex(note))
        << "row " << i;
  }

  // The script's journal rows carry the digests of the lines they loaded.
  LoaderRun rerun = RunLoader(command);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok: already loaded, nothing to do")))
      << rerun.out;
  EXPECT_EQ(db.Count("account_notes"), kRows);
  EXPECT_EQ(db.Scalar(kNotesDigest), direct.Scalar(kNotesDigest));
}

INSTANTIATE_TEST_SUITE_P(Methods, FallbackCsvTest, ::testing::Values("copy", "insert"), MethodName);

// psql 15's \copy takes a line of just \. for the end of the data even inside
// a quoted CSV field (a limitation README.md states): the script stops at that
// file with the files before it loaded and journaled, nothing of it or after
// it, and a re-run of the loader then loads exactly the rest.
TEST(Fallback, ALineOfJustBackslashDotStopsTheScriptAtItsFileAndARerunLoadsTheRest) {
  const std::vector<std::string> ids = {"00000000-0000-4000-8000-000000000001",
                                        "00000000-0000-4000-8000-000000000002",
                                        "00000000-0000-4000-8000-000000000003"};
  const std::vector<std::string> notes = {"first", "before\n\\.\nafter", "third"};
  std::string csv;
  for (size_t i = 0; i < ids.size(); ++i) csv += ids[i] + "," + CsvQuoted(notes[i].c_str()) + "\n";
  ScratchDir scratch;
  const std::string input = scratch.File("notes.csv");
  const std::string dir = scratch.File("fallback");
  WriteFile(input, csv);

  ScratchDatabase db;
  db.Exec("CREATE TABLE notes (id UUID PRIMARY KEY, note TEXT)");
  CreateJournal(db, "notes");
  FailChunksWhere(db, "true");
  const std::vector<std::string> command = {"--url",         db.url(), "--table",        "notes",
                                            "--input",       input,    "--chunk",        "1",
                                            "--max-retries", "0",      "--fallback-dir", dir};
  LoaderRun run = RunLoader(command);
  ASSERT_EQ(run.exit_code, 11) << run.all();
  EXPECT_TRUE(Contains(run.out, FallbackSummary(3, 3, dir))) << run.out;
  EXPECT_EQ(CsvFilesIn(dir),
            std::vector<std::string>(
                {FallbackName("notes", 0), FallbackName("notes", 1), FallbackName("notes", 2)}));
  EXPECT_EQ(ReadFile(dir + "/" + FallbackName("notes", 1)), ids[1] + ",\"before\n\\.\nafter\"\n");
  db.Exec("DROP TRIGGER fail_chunk ON loader_journal");

  const ShellRun psql = LoadWithPsql(dir, db.url());
  EXPECT_EQ(psql.exit_code, 3) << psql.output;
  EXPECT_TRUE(Contains(psql.output, "ERROR:  unterminated CSV quoted field")) << psql.output;
  EXPECT_EQ(db.Scalar("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM notes"),
            ids[0] + ":first");
  EXPECT_EQ(db.Scalar("SELECT string_agg(first_row || '+' || row_count, ',') FROM loader_journal"),
            "0+1");

  LoaderRun rerun = RunLoader(command);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(Contains(rerun.out, Summary("rows", "2"))) << rerun.out;
  const std::string kNotesAsHex =
      "SELECT string_agg(id || ' ' || encode(convert_to(note, 'UTF8'), 'hex'), ',' ORDER BY id) "
      "FROM notes";
  const std::string expected = ids[0] + " " + Hex(notes[0]) + "," + ids[1] + " " + Hex(notes[1]) +
                               "," + ids[2] + " " + Hex(notes[2]);
  EXPECT_EQ(db.Scalar(kNotesAsHex), expected);

  // Every file is journaled now: the script skips them all, \. or not.
  const ShellRun again = LoadWithPsql(dir, db.url());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output, SkippedLine(0, 1) + SkippedLine(1, 1) + SkippedLine(2, 1));
  EXPECT_EQ(db.Scalar(kNotesAsHex), expected);
}

// A row-level trigger refuses row 8345 with 54000 in any statement: its chunk
// is halved down to that one row, which goes to DIR; the rest commit.
class FallbackTooLargeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FallbackTooLargeTest, ARowTooLargeOnItsOwnIsSpilledAlone) {
  ScratchDatabase db;
  CreateTable(db, "points");
  db.Exec(
      "CREATE FUNCTION too_large() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 8345 "
      "THEN RAISE EXCEPTION 'row % is too large: injected by test', NEW.id USING ERRCODE = "
      "'54000'; END IF; RETURN NEW; END $$");
  db.Exec(
      "CREATE TRIGGER too_large BEFORE INSERT ON points FOR EACH ROW EXECUTE FUNCTION "
      "too_large()");
  ScratchDir scratch;
  const std::string dir = scratch.File("fallback");
  const std::string stats = scratch.File("stats.json");
  const std::vector<std::string> command = {"--url",          db.url(), "--table",      "points",
                                            "--rows",         "10000",  "--chunk",      "1000",
                                            "--workers",      "2",      "--method",     GetParam(),
                                            "--fallback-dir", dir,      "--stats-json", stats};
  LoaderRun run = RunLoader(command);
  ASSERT_EQ(run.exit_code, 11) << run.all();
  const std::string reason =
      "chunk 8 (rows 8345..8345): a single row is too large for the server: row 8345 is too "
      "large: injected by test (SQLSTATE 54000)";
  EXPECT_TRUE(Contains(run.err, "written to " + dir + " instead: " + reason)) << run.err;
  const std::string json = TakeFile(stats);
  // 1000 -> 500 -> 250 -> 125 -> 63 -> 32 -> 16 -> 8 -> 4 -> 2 -> 1, always
  // the part holding row 8345 (8000 + 345).
  EXPECT_EQ(JsonNumber(json, "splits"), 10) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 9999) << json;
  EXPECT_EQ(JsonNumber(json, "file_rows"), 1) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 1) << json;
  EXPECT_TRUE(Contains(run.out, Summary("splits", "10"))) << run.out;
  EXPECT_TRUE(Contains(run.out, FallbackSummary(1, 1, dir))) << run.out;
  EXPECT_TRUE(Contains(run.out, FallbackStatus(1, 1, dir))) << run.out;

  ExpectManifestMatchesFiles(dir);
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "points.000000008345.csv");
  EXPECT_EQ(files[0].first_row, 8345);
  EXPECT_EQ(files[0].rows, 1);
  EXPECT_EQ(files[0].journal_rows, 1);
  EXPECT_EQ(files[0].reason, reason);
  ScratchDatabase ref("ref");
  ASSERT_EQ(
      RunLoader({"--url", ref.url(), "--table", "points", "--rows", "10000", "--create"}).exit_code,
      0);
  EXPECT_EQ(ReadFile(dir + "/" + files[0].name),
            ref.Scalar("SELECT concat_ws(',', id, x, y, z) || E'\\n' FROM points WHERE id = 8345"));
  EXPECT_EQ(db.Count("points"), 9999);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM points WHERE id = 8345"), "0");

  db.Exec("DROP TRIGGER too_large ON points");
  const ShellRun psql = LoadWithPsql(dir, db.url());
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(psql.output, "");
  EXPECT_EQ(db.Count("points"), 10000);
  EXPECT_EQ(db.Checksum("points"), ref.Checksum("points"));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) || ' ' || max(first_row + row_count) FROM "
                      "loader_journal"),
            "10000 10000");

  LoaderRun rerun = RunLoader(command);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok: already loaded, nothing to do")))
      << rerun.out;
  EXPECT_EQ(db.Count("points"), 10000);
  EXPECT_EQ(db.Checksum("points"), ref.Checksum("points"));
}

INSTANTIATE_TEST_SUITE_P(Methods, FallbackTooLargeTest, ::testing::Values("copy", "insert"),
                         MethodName);

// The loader reaches the server through a proxy that goes down for good mid
// load: the chunks in flight give up after --reconnect-timeout, every later
// one after a single refused connection, and all of them go to DIR.
TEST(Fallback, ServerGoneForGoodSpillsEveryRemainingChunk) {
  constexpr long long kRows = 200000;
  ScratchDatabase db;
  CreateTable(db, "points");
  const std::string reference = ReferenceChecksum("points", kRows);
  ScratchDir scratch;
  const std::string dir = scratch.File("fallback");
  const std::string stats = scratch.File("stats.json");
  const std::string url = db.url();
  TcpProxy proxy(std::stoi(url.substr(url.rfind(':') + 1)));
  LoaderProcess loader({"--url", WithPort(url, proxy.port()), "--table", "points", "--rows",
                        std::to_string(kRows), "--chunk", "1000", "--workers", "2",
                        "--reconnect-timeout", "1", "--fallback-dir", dir, "--stats-json", stats});
  ASSERT_TRUE(WaitFor([&] { return JournaledRows(db) >= 20000 || !loader.Running(); },
                      std::chrono::minutes(2)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  proxy.Stop();
  LoaderRun run = loader.Wait();
  EXPECT_EQ(run.exit_code, 11) << run.all();
  WaitForLoaderBackendsToEnd(db);
  EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");

  ExpectManifestMatchesFiles(dir);
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  ASSERT_FALSE(files.empty());
  long long spilled_rows = 0;
  long long spilled_but_committed = 0;
  long long at_once = 0;
  for (const ManifestFile& f : files) {
    SCOPED_TRACE(f.name);
    EXPECT_EQ(f.first_row % 1000, 0);
    EXPECT_EQ(f.rows, 1000);
    EXPECT_EQ(f.journal_rows, 1000);
    EXPECT_TRUE(Contains(f.reason, "without a working connection (--reconnect-timeout)"))
        << f.reason;
    if (Contains(f.reason, "gave up after 0 s without a working connection")) ++at_once;
    // Never some rows of a chunk: all of them, and then only when its COMMIT
    // was in flight as the proxy went down.
    const long long in_table = std::stoll(
        db.Scalar("SELECT count(*) FROM points WHERE id >= " + std::to_string(f.first_row) +
                  " AND id < " + std::to_string(f.first_row + f.rows)));
    if (f.maybe_committed) {
      EXPECT_TRUE(in_table == 0 || in_table == f.rows) << in_table;
    } else {
      EXPECT_EQ(in_table, 0);
    }
    if (in_table > 0) ++spilled_but_committed;
    spilled_rows += f.rows;
  }
  // Each of the 2 workers waited out the timeout once; every chunk after that
  // tried to connect once.
  EXPECT_EQ(at_once, static_cast<long long>(files.size()) - 2);
  const long long committed = db.Count("points");
  EXPECT_EQ(committed + spilled_rows - 1000 * spilled_but_committed, kRows);
  const std::string json = TakeFile(stats);
  const long long file_count = static_cast<long long>(files.size());
  EXPECT_EQ(JsonNumber(json, "file_rows"), spilled_rows) << json;
  EXPECT_EQ(JsonNumber(json, "files"), file_count) << json;
  // The summary counts the commits the loader saw; a chunk whose COMMIT
  // reply was lost is in a file (maybe committed), never in "rows".
  EXPECT_EQ(JsonNumber(json, "rows") + spilled_rows, kRows) << json;
  EXPECT_EQ(JsonString(json, "status"), "rows_in_fallback") << json;
  EXPECT_TRUE(Contains(run.out, FallbackSummary(spilled_rows, file_count, dir))) << run.out;
  EXPECT_TRUE(Contains(run.out, FallbackStatus(spilled_rows, file_count, dir) +
                                    FallbackNext(dir, JsonString(json, "job"))))
      << run.out;

  const ShellRun psql = LoadWithPsql(dir, url);
  ASSERT_EQ(psql.exit_code, 0) << psql.output;
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), reference);
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) || ' ' || max(first_row + row_count) FROM "
                      "loader_journal"),
            std::to_string(kRows) + " " + std::to_string(kRows));
  EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");
}

TEST(Fallback, WithoutFallbackDirAFailingChunkStillStopsWithExit7) {
  ScratchDatabase db;
  CreateTable(db, "points");
  FailChunksWhere(db, "NEW.first_row % 3000 = 1000");
  ScratchDir scratch;
  const std::string stats = scratch.File("stats.json");
  LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "30000", "--chunk", "1000",
                 "--workers", "1", "--max-retries", "1", "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 7) << run.all();
  EXPECT_TRUE(Contains(run.out, Summary("status",
                                        "retries_exhausted: chunk 1 (rows 1000..1999): "
                                        "gave up after 1 retries: restart transaction: "
                                        "injected by test (SQLSTATE 40001)")))
      << run.out;
  EXPECT_TRUE(Contains(run.out, Summary("next",
                                        "1000 of 30000 rows are committed; run the same "
                                        "command again to load the rest (job " +
                                            JsonString(ReadFile(stats), "job") + ")")))
      << run.out;
  EXPECT_FALSE(Contains(run.all(), "fallback")) << run.all();
  EXPECT_EQ(db.Count("points"), 1000);
  EXPECT_EQ(db.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"), "1 1000");
}

// A generated row the server refuses (23514) is bad data, not a reason to spill.
class FallbackBadDataTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FallbackBadDataTest, ARefusedGeneratedRowStopsWithExit8AndWritesNothing) {
  ScratchDatabase db;
  CreateTable(db, "points");
  db.Exec(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 4321 "
      "THEN RAISE EXCEPTION 'row % rejected by test', NEW.id USING ERRCODE = '23514'; END IF; "
      "RETURN NEW; END $$");
  db.Exec("CREATE TRIGGER refuse BEFORE INSERT ON points FOR EACH ROW EXECUTE FUNCTION refuse()");
  ScratchDir scratch;
  const std::string dir = scratch.File("fallback");
  const std::string stats = scratch.File("stats.json");
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "10000", "--chunk",
                             "1000", "--workers", "1", "--method", GetParam(), "--fallback-dir",
                             dir, "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  const std::string status =
      SummaryStart("status",
                   "data_error: chunk 4 (rows 4000..4999): row 4321 rejected by test [PL/pgSQL "
                   "function refuse() line 1 at RAISE");
  const std::string next = Summary("next",
                                   "4000 of 10000 rows are committed; run the same "
                                   "command again to load the rest (job " +
                                       JsonString(ReadFile(stats), "job") + ")");
  if (GetParam() == "copy") {
    // Binary COPY names the tuple it refused, and the loader the row that is.
    EXPECT_TRUE(Contains(run.out, SummaryStart("status",
                                               "data_error: chunk 4 (rows 4000..4999): "
                                               "row 4321: row 4321 rejected by test") +
                                      " [PL/pgSQL function refuse() line 1 at RAISE\nCOPY points, "
                                      "line 322] (SQLSTATE 23514)\n" +
                                      next))
        << run.out;
  } else {
    EXPECT_TRUE(Contains(run.out, status + "] (SQLSTATE 23514)\n" + next)) << run.out;
  }
  EXPECT_FALSE(Contains(run.all(), "fallback")) << run.all();
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(db.Count("points"), 4000);
}

INSTANTIATE_TEST_SUITE_P(Methods, FallbackBadDataTest, ::testing::Values("copy", "insert"),
                         MethodName);

TEST(Fallback, ARefusedRowOfAFileStopsWithExit8AtItsLineAndWritesNothing) {
  GeneratedRows accounts("accounts", 3000);
  std::vector<std::string> lines = accounts.lines();
  lines[1233] = lines[1233].substr(0, lines[1233].find(',')) + ",-5";
  ScratchDir scratch;
  const std::string input = scratch.File("accounts.csv");
  const std::string dir = scratch.File("fallback");
  WriteFile(input, JoinLines(lines));
  ScratchDatabase db;
  CreateTable(db, "accounts");
  db.Exec("ALTER TABLE accounts ADD CONSTRAINT balance_not_negative CHECK (balance >= 0)");
  LoaderRun run =
      RunLoader({"--url", db.url(), "--input", input, "--workers", "1", "--fallback-dir", dir});
  EXPECT_EQ(run.exit_code, 8) << run.all();
  const std::string id = lines[1233].substr(0, lines[1233].find(','));
  EXPECT_TRUE(Contains(run.out, Summary("status", "data_error: " + input +
                                                      ":1234: the server refused the row: new "
                                                      "row for relation \"accounts\" violates "
                                                      "check constraint \"balance_not_negative\": "
                                                      "Failing row contains (" +
                                                      id + ", -5). (SQLSTATE 23514)")))
      << run.out;
  EXPECT_FALSE(Contains(run.all(), "fallback")) << run.all();
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(db.Count("accounts"), 1000);
}

}  // namespace
}  // namespace loader::test_support
