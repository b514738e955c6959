// --fallback-dir DIR (issue 5) end to end against the real server: chunks
// that cannot be committed for a reason other than bad data (40001 past
// --max-retries, one row too large even alone, no connection past
// --reconnect-timeout) are written to DIR and the load goes on to exit 11.
// Every test then loads DIR/load-postgres.sql with the real psql and checks
// the table against a clean load by count and ordered checksum; running the
// script twice, or the loader again, in either order, never doubles a row.
// Bad data still stops the load (exit 8) and writes nothing to DIR, and
// without --fallback-dir a failing chunk still stops it (exit 7).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::testing {
namespace {

namespace fs = std::filesystem;

std::string MethodName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// <table>.<first row, 12 digits>.csv
std::string FallbackName(const std::string& table, long long first_row) {
  std::string number = std::to_string(first_row);
  return table + "." + std::string(12 - number.size(), '0') + number + ".csv";
}

// manifest.json names exactly the CSV files of `dir`, each with its size and
// sha256sum, and its rows adding up to the manifest's total.
void ExpectManifestMatchesFiles(const std::string& dir) {
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  std::vector<std::string> names;
  long long rows = 0;
  for (const ManifestFile& f : files) {
    SCOPED_TRACE(f.name);
    names.push_back(f.name);
    EXPECT_EQ(f.sha256, Sha256Sum(dir + "/" + f.name));
    EXPECT_EQ(f.bytes, static_cast<long long>(fs::file_size(dir + "/" + f.name)));
    EXPECT_EQ(f.name,
              FallbackName(JsonString(ReadFile(dir + "/manifest.json"), "table"), f.first_row));
    rows += f.rows;
  }
  EXPECT_EQ(names, CsvFilesIn(dir));
  const std::string manifest = ReadFile(dir + "/manifest.json");
  EXPECT_TRUE(Contains(manifest, "\"kind\": \"fallback\"")) << manifest;
  EXPECT_EQ(JsonNumber(manifest, "rows"), rows) << manifest;
}

// A row-level trigger on loader_journal raising 40001 for the chunks whose
// journal row matches `condition` (on NEW.first_row): those chunks can never
// commit, whatever the method. The journal tables must exist.
void FailChunksWhere(ScratchDatabase& db, const std::string& condition) {
  db.Exec("CREATE FUNCTION fail_chunk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " +
          condition + " THEN " + kRaise40001 + "; END IF; RETURN NEW; END $$");
  db.Exec(
      "CREATE TRIGGER fail_chunk BEFORE INSERT ON loader_journal FOR EACH ROW EXECUTE FUNCTION "
      "fail_chunk()");
}

// Makes the table (and the journal tables, which the loader creates on first use).
void CreateTable(ScratchDatabase& db, const std::string& table) {
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", table, "--rows", "0", "--create"}).exit_code,
            0);
}

// Makes the journal tables with an empty load of `table` from standard input.
void CreateJournal(ScratchDatabase& db, const std::string& table) {
  ChildIo empty;
  empty.stdin_bytes = "";
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", table, "--input", "-"}, {}, empty).exit_code,
            0);
}

constexpr char kJournalTiles[] =
    "SELECT count(*) || ' ' || coalesce(sum(row_count), 0) || ' ' || "
    "coalesce(max(first_row + row_count), 0) FROM loader_journal";

// One snapshot: the table holds exactly the journaled rows.
constexpr char kTableMatchesJournal[] =
    "SELECT (SELECT count(*) FROM points) = "
    "(SELECT coalesce(sum(row_count), 0) FROM loader_journal)";

std::string SkippedLine(long long first_row, long long rows) {
  return "rows " + std::to_string(first_row) + ".." + std::to_string(first_row + rows - 1) +
         " are in loader_journal already: skipped (a re-run of the loader loads any of them "
         "still missing)\n";
}

// The start of a summary line: "name:" padded to 16 columns, then `value`.
std::string SummaryStart(const std::string& name, const std::string& value) {
  std::string label = name + ":";
  label.resize(16, ' ');
  return label + value;
}

// A whole summary line.
std::string Summary(const std::string& name, const std::string& value) {
  return SummaryStart(name, value) + "\n";
}

// The "fallback:", "status:" and "next:" lines of a load that left `rows` rows
// in `files` files in `dir`.
std::string FallbackSummary(long long rows, long long files, const std::string& dir) {
  return Summary("fallback", std::to_string(rows) + " rows in " + std::to_string(files) +
                                 " files wait in " + dir + ": cd " + dir +
                                 " && psql -f load-postgres.sql (PostgreSQL), or upload.sh "
                                 "then import.sql (CockroachDB)");
}
std::string FallbackStatus(long long rows, long long files, const std::string& dir) {
  return Summary("status", "rows_in_fallback: " + std::to_string(rows) + " rows in " +
                               std::to_string(files) +
                               " chunks could not be committed; they wait in " + dir);
}
std::string FallbackNext(const std::string& dir, const std::string& job) {
  return Summary("next", "load them with: cd " + dir +
                             " && psql -f load-postgres.sql (PostgreSQL), or sh upload.sh, then "
                             "import.sql (CockroachDB); or run the same command again to retry "
                             "them (job " +
                             job + ")");
}

// 30,000 points in chunks of 1,000 of which the 10 starting at 1000, 4000,
// ..., 28000 always hit 40001, loaded with --max-retries 1 and --fallback-dir.
class FallbackRetriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr long long kRows = 30000;
  static constexpr char kFailing[] = "id % 3000 BETWEEN 1000 AND 1999";

  void SetUp() override {
    CreateTable(db_, "points");
    FailChunksWhere(db_, "NEW.first_row % 3000 = 1000");
    ASSERT_EQ(RunLoader({"--url", ref_.url(), "--table", "points", "--rows", "30000", "--create"})
                  .exit_code,
              0);
  }

  std::vector<std::string> Command() const {
    return {"--url",         db_.url(), "--table",        "points", "--rows",       "30000",
            "--chunk",       "1000",    "--workers",      "2",      "--method",     GetParam(),
            "--max-retries", "1",       "--fallback-dir", dir_,     "--stats-json", stats_};
  }

  // The first run: exit 11 with the 10 failing chunks in DIR and the other
  // 20,000 rows in the table.
  void LoadWithFallback() {
    LoaderRun run = RunLoader(Command());
    ASSERT_EQ(run.exit_code, 11) << run.all();
    const std::string json = TakeFile(stats_);
    job_ = JsonString(json, "job");
    ASSERT_EQ(job_.rfind("points-", 0), 0u) << json;
    EXPECT_EQ(JsonNumber(json, "rows"), 20000) << json;
    EXPECT_EQ(JsonNumber(json, "chunks"), 20) << json;
    EXPECT_EQ(JsonNumber(json, "retries"), 10) << json;
    EXPECT_EQ(JsonNumber(json, "retried_chunks"), 10) << json;
    EXPECT_EQ(JsonNumber(json, "file_rows"), 10000) << json;
    EXPECT_EQ(JsonNumber(json, "files"), 10) << json;
    EXPECT_EQ(JsonString(json, "files_dir"), dir_) << json;
    EXPECT_EQ(JsonString(json, "status"), "rows_in_fallback") << json;
    EXPECT_TRUE(Contains(run.out, Summary("rows", "20000"))) << run.out;
    EXPECT_TRUE(Contains(run.out, FallbackSummary(10000, 10, dir_))) << run.out;
    EXPECT_TRUE(Contains(run.out, FallbackStatus(10000, 10, dir_) + FallbackNext(dir_, job_)))
        << run.out;

    std::vector<std::string> expected_names;
    for (long long first = 1000; first < kRows; first += 3000) {
      const std::string reason = "chunk " + std::to_string(first / 1000) + " (rows " +
                                 std::to_string(first) + ".." + std::to_string(first + 999) +
                                 "): gave up after 1 retries: restart transaction: injected by "
                                 "test (SQLSTATE 40001)";
      EXPECT_TRUE(Contains(run.err, "written to " + dir_ + " instead: " + reason)) << run.err;
      expected_names.push_back(FallbackName("points", first));
    }
    ExpectManifestMatchesFiles(dir_);
    EXPECT_EQ(CsvFilesIn(dir_), expected_names);
    const std::string manifest = ReadFile(dir_ + "/manifest.json");
    EXPECT_EQ(JsonString(manifest, "job"), job_) << manifest;
    EXPECT_EQ(JsonNumber(manifest, "rows"), 10000) << manifest;
    for (const ManifestFile& f : ManifestFiles(dir_)) {
      SCOPED_TRACE(f.name);
      EXPECT_EQ(f.first_row % 3000, 1000);
      EXPECT_EQ(f.rows, 1000);
      EXPECT_EQ(f.journal_rows, 1000);
      EXPECT_FALSE(f.maybe_committed);
      EXPECT_TRUE(Contains(f.line, "\"reason\": \"chunk " + std::to_string(f.first_row / 1000) +
                                       " (rows " + std::to_string(f.first_row) + ".." +
                                       std::to_string(f.first_row + 999) +
                                       "): gave up after 1 retries: restart transaction: "
                                       "injected by test (SQLSTATE 40001)\"}"))
          << f.line;
      // Each file holds its chunk's rows as the server prints them.
      EXPECT_EQ(
          ReadFile(dir_ + "/" + f.name),
          ref_.Scalar("SELECT string_agg(concat_ws(',', id, x, y, z), E'\\n' ORDER BY id) "
                      "|| E'\\n' FROM points WHERE id BETWEEN " +
                      std::to_string(f.first_row) + " AND " + std::to_string(f.first_row + 999)));
    }

    // The table holds exactly the other rows, each journaled once.
    EXPECT_EQ(db_.Count("points"), 20000);
    EXPECT_EQ(db_.Scalar(ChecksumOutside()), ref_.Scalar(ChecksumOutside()));
    EXPECT_EQ(db_.Scalar("SELECT count(*) FROM points WHERE " + std::string(kFailing)), "0");
    EXPECT_EQ(db_.Scalar("SELECT count(*) || ' ' || sum(row_count) FROM loader_journal"),
              "20 20000");
    EXPECT_EQ(db_.Scalar(kTableMatchesJournal), "t");
  }

  std::string ChecksumOutside() const {
    return "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM points t WHERE NOT (" +
           std::string(kFailing) + ")";
  }

  // What running load-postgres.sql prints when every file is journaled already.
  std::string AllSkipped() const {
    std::string out;
    for (long long first = 1000; first < kRows; first += 3000) out += SkippedLine(first, 1000);
    return out;
  }

  void ExpectExactTable() {
    EXPECT_EQ(db_.Count("points"), kRows);
    EXPECT_EQ(db_.Checksum("points"), ref_.Checksum("points"));
    EXPECT_EQ(db_.Scalar(kJournalTiles), "30 30000 30000");
  }

  // Loads DIR with load-postgres.sql: psql must exit 0 having printed exactly
  // `output` and leave the exact table.
  void LoadScriptPrinting(const std::string& output) {
    const ShellRun psql = LoadWithPsql(dir_, db_.url());
    ASSERT_EQ(psql.exit_code, 0) << psql.output;
    EXPECT_EQ(psql.output, output);
    ExpectExactTable();
  }

  // Runs the same command again into `*rerun`: it must exit 0 and say
  // "job <job_>: <progress>" on stderr.
  void Rerun(const std::string& progress, LoaderRun* rerun) {
    *rerun = RunLoader(Command());
    ASSERT_EQ(rerun->exit_code, 0) << rerun->all();
    EXPECT_TRUE(Contains(rerun->err, "job " + job_ + ": " + progress)) << rerun->err;
  }

  ScratchDatabase db_;
  ScratchDatabase ref_{"ref"};
  ScratchDir scratch_;
  const std::string dir_ = scratch_.File("fallback");
  const std::string stats_ = scratch_.File("stats.json");
  std::string job_;
};

TEST_P(FallbackRetriesTest, ScriptLoadsTheRestThenNeitherScriptNorLoaderDoublesARow) {
  ASSERT_NO_FATAL_FAILURE(LoadWithFallback());
  db_.Exec("DROP TRIGGER fail_chunk ON loader_journal");

  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(""));
  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(AllSkipped()));

  LoaderRun rerun;
  ASSERT_NO_FATAL_FAILURE(
      Rerun("already loaded: all 30000 rows are committed (30 chunks); nothing to do", &rerun));
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok: already loaded, nothing to do")))
      << rerun.out;
  EXPECT_FALSE(Contains(rerun.out, "fallback:")) << rerun.out;
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonNumber(json, "rows"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), kRows) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 0) << json;
  ExpectExactTable();
}

TEST_P(FallbackRetriesTest, LoaderRerunLoadsTheRestThenTheScriptSkipsEveryFile) {
  ASSERT_NO_FATAL_FAILURE(LoadWithFallback());
  db_.Exec("DROP TRIGGER fail_chunk ON loader_journal");

  LoaderRun rerun;
  ASSERT_NO_FATAL_FAILURE(
      Rerun("resuming: 20000 rows in 20 chunks are already committed; loading the other 10000 rows",
            &rerun));
  EXPECT_TRUE(Contains(rerun.out, Summary("status", "ok"))) << rerun.out;
  const std::string json = TakeFile(stats_);
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 10) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), 20000) << json;
  EXPECT_EQ(JsonNumber(json, "skipped_chunks"), 20) << json;
  EXPECT_EQ(JsonNumber(json, "files"), 0) << json;
  ExpectExactTable();

  ASSERT_NO_FATAL_FAILURE(LoadScriptPrinting(AllSkipped()));
}

INSTANTIATE_TEST_SUITE_P(Methods, FallbackRetriesTest, ::testing::Values("copy", "insert"),
                         MethodName);

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

// The field as CsvTextEncoder writes it: NULL empty, and quoted only when
// needed, so a fallback file holds exactly the input's records.
std::string CsvField(const char* value) {
  if (value == nullptr) return "";
  const std::string text = value;
  if (!text.empty() && text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

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
    records.push_back(accounts.lines()[i] + "," + CsvField(kNotes[i % kNoteKinds]));
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
  for (size_t i = 0; i < ids.size(); ++i) csv += ids[i] + "," + CsvField(notes[i].c_str()) + "\n";
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
  EXPECT_TRUE(Contains(files[0].line, "\"reason\": \"" + reason + "\"}")) << files[0].line;
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
    EXPECT_TRUE(Contains(f.line, "without a working connection (--reconnect-timeout)")) << f.line;
    if (Contains(f.line, "gave up after 0 s without a working connection")) ++at_once;
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
    // COPY names the row it refused, as it was sent.
    EXPECT_TRUE(Contains(run.out, status + "\nCOPY points, line 322: \"4321\t")) << run.out;
    EXPECT_TRUE(Contains(run.out, "\"] (SQLSTATE 23514)\n" + next)) << run.out;
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
}  // namespace loader::testing
