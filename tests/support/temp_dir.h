// A fresh directory for a test's files, removed with everything in it when the
// test ends; reading a file back whole; a command's output.
#ifndef LOADER_TESTS_UNIT_TEMP_DIR_H_
#define LOADER_TESTS_UNIT_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace loader::test_support {

class TempDir {
 public:
  TempDir() {
    std::string pattern = testing::TempDir() + "loader_unit_test.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

  // Writes `contents` to the file `name` in the directory; returns its path.
  std::string Write(const std::string& name, const std::string& contents) const {
    const std::string path = File(name);
    std::ofstream out(path, std::ios::binary);
    out << contents;
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

 private:
  std::string path_;
};

inline std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path << " cannot be read";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What `command` (run by sh) prints on standard output; a failure to run it,
// or an exit status other than 0, fails the test.
inline std::string CommandOutput(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen " << command;
    return "";
  }
  std::string out;
  char buf[1 << 16];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << ": " << out;
  return out;
}

}  // namespace loader::test_support

#endif  // LOADER_TESTS_UNIT_TEMP_DIR_H_
