// The directory an --emit-import or --fallback-dir run leaves behind, seen as
// a user sees it: through sh, psql and sha256sum. Runs load-postgres.sql the
// way the loader's summary says to, reads manifest.json back into one record
// per data file, and checks a --fallback-dir manifest against its files.
#ifndef LOADER_TESTS_SUPPORT_IMPORT_FILES_H_
#define LOADER_TESTS_SUPPORT_IMPORT_FILES_H_

#include <string>
#include <vector>

namespace loader::test_support {

// How a shell command ended and what it printed.
struct ShellRun {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;  // stdout and stderr
};

// `text` as a single sh word: in single quotes, each ' written as '\''.
std::string ShellWord(const std::string& text);

// Runs `command` with sh, as a user at a terminal would, stderr merged into
// stdout.
ShellRun Shell(const std::string& command);

// What the loader's summary tells the user to run:
// cd DIR && psql -X -q -v ON_ERROR_STOP=1 URL -f load-postgres.sql.
ShellRun LoadWithPsql(const std::string& dir, const std::string& url);

// The hex SHA-256 of the file at `path` as sha256sum prints it, or
// "sha256sum failed: " and its output (which no digest equals).
std::string Sha256Sum(const std::string& path);

// The names of the *.csv files in `dir`, sorted.
std::vector<std::string> CsvFilesIn(const std::string& dir);

// One entry of the "files" of manifest.json. Fields the entry does not have
// keep their defaults: an --emit-import manifest has no journal_rows.
struct ManifestFile {
  std::string name;
  long long first_row = -1;
  long long rows = -1;
  long long bytes = -1;
  std::string sha256;
  long long journal_rows = -1;
  bool maybe_committed = false;
  std::string reason;  // a --fallback-dir file's
};

// The "files" of DIR/manifest.json, in order; none when there is no manifest.
std::vector<ManifestFile> ManifestFiles(const std::string& dir);

// The name of a --fallback-dir file: <table>.<first row, 12 digits>.csv.
std::string FallbackName(const std::string& table, long long first_row);

// The manifest.json of a --fallback-dir DIR names exactly the CSV files of
// `dir` (each by FallbackName, with its size and sha256sum), and their rows
// add up to the manifest's total.
void ExpectManifestMatchesFiles(const std::string& dir);

// The newlines in the file at `path`.
long long LineCount(const std::string& path);

// The manifest.json of an --emit-import DIR describes its data files exactly:
// the same names, each with its sha256sum and size, rows that follow on from
// the file before and sum to `total_rows`; with `one_line_per_row` (no text
// values) each file's rows are its lines.
void ExpectManifestDescribesFiles(const std::string& dir, long long total_rows,
                                  bool one_line_per_row);

// `value` as a CSV field the way the loader's CsvTextEncoder writes it into a
// fallback file: NULL (nullptr) empty, and quoted only when needed, so the
// file holds exactly the input's records.
std::string CsvQuoted(const char* value);

// `bytes` in lowercase hex, as encode(convert_to(text, 'UTF8'), 'hex') shows
// a stored value: no quoting can hide a difference.
std::string Hex(const std::string& bytes);

// What load-postgres.sql prints for a file whose rows
// [first_row, first_row + rows) are journaled already.
std::string SkippedLine(long long first_row, long long rows);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_IMPORT_FILES_H_
