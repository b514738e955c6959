#include "support/import_files.h"

#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <utility>

#include "support/run_loader.h"

namespace loader::testing {

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
  std::istringstream lines(ReadFile(dir + "/manifest.json"));
  for (std::string line; std::getline(lines, line);) {
    if (!Contains(line, "{\"name\": ")) continue;
    ManifestFile f;
    f.name = JsonString(line, "name");
    f.first_row = JsonNumber(line, "first_row");
    f.rows = JsonNumber(line, "rows");
    f.bytes = JsonNumber(line, "bytes");
    f.sha256 = JsonString(line, "sha256");
    f.journal_rows = JsonNumber(line, "journal_rows");
    f.maybe_committed = Contains(line, "\"maybe_committed\": true");
    f.line = line;
    files.push_back(std::move(f));
  }
  return files;
}

}  // namespace loader::testing
