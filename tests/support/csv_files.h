// Input files for the CSV tests: a scratch directory per test, CSV text of
// rows the loader generated (so a file's load can be checked against the
// generated load), and edits of single lines in place, as a user fixing a bad
// row would make them.
#ifndef LOADER_TESTS_SUPPORT_CSV_FILES_H_
#define LOADER_TESTS_SUPPORT_CSV_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "support/test_db.h"

namespace loader::test_support {

// A fresh directory under /tmp, removed with everything in it on destruction.
// Asserts (ADD_FAILURE + throw) when it cannot be made.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // The absolute path of `name` in this directory.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Replaces the contents of `path` with `bytes`; fails the test on error.
void WriteFile(const std::string& path, const std::string& bytes);

// `rows` generated rows (seed 1) of `table` (accounts or points), loaded by
// the loader into a database of their own: the reference a file's load is
// compared with.
class GeneratedRows {
 public:
  GeneratedRows(const std::string& table, long long rows);

  // The ordered checksum (ChecksumSql) of the generated table.
  const std::string& checksum() const { return checksum_; }
  // The rows as CSV records ordered by id, one per line, fields as the
  // server prints them (which read back as the same values).
  const std::vector<std::string>& lines() const { return lines_; }
  // The header line naming the table's columns: "id,balance".
  const std::string& header() const { return header_; }
  // ChecksumSql of the generated table as it would be after `sql` (e.g.
  // "DELETE FROM accounts WHERE ..."), which runs in a transaction that is
  // then rolled back.
  std::string ChecksumAfter(const std::string& sql);

 private:
  std::string table_;
  ScratchDatabase db_;
  std::string checksum_;
  std::vector<std::string> lines_;
  std::string header_;
};

// Each line followed by "\n".
std::string JoinLines(const std::vector<std::string>& lines);
// Lines [first, first + count) of `lines` (0-based), each followed by "\n".
std::string JoinLines(const std::vector<std::string>& lines, size_t first, size_t count);

// Replaces line `line` (1-based) of the LF-separated file `path` with `text`,
// in place, keeping every other byte. Fails the test when there is no such
// line.
void ReplaceLine(const std::string& path, uint64_t line, const std::string& text);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_CSV_FILES_H_
