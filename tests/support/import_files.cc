#include "support/import_files.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <utility>

#include "support/run_loader.h"

namespace loader::test_support {

std::string ShellWord(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

ShellRun Shell(const std::string& command) {
  ShellRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    run.output = "popen failed";
    return run;
  }
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) run.output.append(buf, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

ShellRun LoadWithPsql(const std::string& dir, const std::string& url) {
  return Shell("cd " + ShellWord(dir) + " && psql -X -q -v ON_ERROR_STOP=1 " + ShellWord(url) +
               " -f load-postgres.sql");
}

std::string Sha256Sum(const std::string& path) {
  const ShellRun run = Shell("sha256sum " + ShellWord(path));
  return run.exit_code == 0 ? run.output.substr(0, 64) : "sha256sum failed: " + run.output;
}

std::vector<std::string> CsvFilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const std::filesystem::directory_entry& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".csv")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<ManifestFile> ManifestFiles(const std::string& dir) {
  std::vector<ManifestFile> files;
  if (!std::filesystem::exists(dir + "/manifest.json")) return files;
  const nlohmann::ordered_json manifest = ParseJson(ReadFile(dir + "/manifest.json"));
  if (!manifest.contains("files")) return files;
  for (const nlohmann::ordered_json& entry : manifest["files"]) {
    ManifestFile f;
    f.name = entry.value("name", "");
    f.first_row = entry.value("first_row", -1LL);
    f.rows = entry.value("rows", -1LL);
    f.bytes = entry.value("bytes", -1LL);
    f.sha256 = entry.value("sha256", "");
    f.journal_rows = entry.value("journal_rows", -1LL);
    f.maybe_committed = entry.value("maybe_committed", false);
    f.reason = entry.value("reason", "");
    files.push_back(std::move(f));
  }
  return files;
}

std::string FallbackName(const std::string& table, long long first_row) {
  std::string number = std::to_string(first_row);
  return table + "." + std::string(12 - number.size(), '0') + number + ".csv";
}

void ExpectManifestMatchesFiles(const std::string& dir) {
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  std::vector<std::string> names;
  long long rows = 0;
  for (const ManifestFile& f : files) {
    SCOPED_TRACE(f.name);
    names.push_back(f.name);
    EXPECT_EQ(f.sha256, Sha256Sum(dir + "/" + f.name));
    EXPECT_EQ(f.bytes, static_cast<long long>(std::filesystem::file_size(dir + "/" + f.name)));
    EXPECT_EQ(f.name,
              FallbackName(JsonString(ReadFile(dir + "/manifest.json"), "table"), f.first_row));
    rows += f.rows;
  }
  EXPECT_EQ(names, CsvFilesIn(dir));
  const std::string manifest = ReadFile(dir + "/manifest.json");
  EXPECT_EQ(JsonString(manifest, "kind"), "fallback") << manifest;
  EXPECT_EQ(JsonNumber(manifest, "rows"), rows) << manifest;
}

long long LineCount(const std::string& path) {
  const std::string bytes = ReadFile(path);
  return std::count(bytes.begin(), bytes.end(), '\n');
}

void ExpectManifestDescribesFiles(const std::string& dir, long long total_rows,
                                  bool one_line_per_row) {
  const std::vector<ManifestFile> files = ManifestFiles(dir);
  std::vector<std::string> names;
  for (const ManifestFile& f : files) names.push_back(f.name);
  EXPECT_EQ(names, CsvFilesIn(dir));
  const std::string manifest = ReadFile(dir + "/manifest.json");
  EXPECT_EQ(JsonNumber(manifest, "rows"), total_rows) << manifest;
  long long rows = 0;
  long long bytes = 0;
  for (const ManifestFile& f : files) {
    SCOPED_TRACE(f.name);
    const std::string path = dir + "/" + f.name;
    EXPECT_EQ(f.sha256, Sha256Sum(path));
    EXPECT_EQ(f.bytes, static_cast<long long>(std::filesystem::file_size(path)));
    EXPECT_EQ(f.first_row, rows);
    EXPECT_GT(f.rows, 0);
    if (one_line_per_row) {
      EXPECT_EQ(f.rows, LineCount(path));
    }
    rows += f.rows;
    bytes += f.bytes;
  }
  EXPECT_EQ(rows, total_rows);
  EXPECT_EQ(JsonNumber(manifest, "bytes"), bytes) << manifest;
}

std::string CsvQuoted(const char* value) {
  if (value == nullptr) return "";
  const std::string text = value;
  // \. and a leading U+FEFF are quoted too (psql's end of data, a byte order mark).
  const bool plain = !text.empty() && text.find_first_of(",\"\r\n") == std::string::npos &&
                     text != "\\." && !text.starts_with("\xEF\xBB\xBF");
  if (plain) return text;
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

std::string SkippedLine(long long first_row, long long rows) {
  return "rows " + std::to_string(first_row) + ".." + std::to_string(first_row + rows - 1) +
         " are in loader_journal already: skipped (a re-run of the loader loads any of them "
         "still missing)\n";
}

}  // namespace loader::test_support
