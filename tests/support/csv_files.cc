#include "support/csv_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/run_loader.h"

namespace loader::test_support {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  ADD_FAILURE() << what;
  throw std::runtime_error(what);
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = "/tmp/loader-csv-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern + " failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) Fail("cannot write " + path);
}

GeneratedRows::GeneratedRows(const std::string& table, long long rows)
    : table_(table), db_("source") {
  LoaderRun run = RunLoader({"--url", db_.url(), "--table", table, "--rows", std::to_string(rows),
                             "--create", "--no-journal"});
  if (run.exit_code != 0) Fail("generating " + table + ": " + run.all());
  checksum_ = db_.Checksum(table);
  header_ = db_.Scalar(
      "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
      "information_schema.columns WHERE table_name = '" +
      table + "'");
  // Neither table has a value that needs quoting: UUIDs and numbers.
  lines_ = SplitLines(db_.Scalar("SELECT string_agg(concat_ws(',', " + header_ +
                                 "), E'\\n' "
                                 "ORDER BY id) FROM " +
                                 table));
  if (lines_.size() != static_cast<size_t>(rows)) Fail("exporting " + table + ": wrong row count");
}

std::string GeneratedRows::ChecksumAfter(const std::string& sql) {
  db_.Exec("BEGIN");
  db_.Exec(sql);
  const std::string checksum = db_.Checksum(table_);
  db_.Exec("ROLLBACK");
  return checksum;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  return JoinLines(lines, 0, lines.size());
}

std::string JoinLines(const std::vector<std::string>& lines, size_t first, size_t count) {
  std::string text;
  for (size_t i = first; i < first + count && i < lines.size(); ++i) text += lines[i] + "\n";
  return text;
}

void ReplaceLine(const std::string& path, uint64_t line, const std::string& text) {
  std::string bytes = ReadFile(path);
  size_t begin = 0;
  for (uint64_t n = 1; n < line; ++n) {
    begin = bytes.find('\n', begin);
    if (begin == std::string::npos) Fail(path + " has no line " + std::to_string(line));
    ++begin;
  }
  const size_t end = bytes.find('\n', begin);
  if (begin >= bytes.size()) Fail(path + " has no line " + std::to_string(line));
  bytes.replace(begin, (end == std::string::npos ? bytes.size() : end) - begin, text);
  WriteFile(path, bytes);
}

}  // namespace loader::test_support
