// Test support for the ParseCommandLine tests: a clean LOADER_* environment
// and argv built from strings.
#ifndef LOADER_TESTS_UNIT_CLI_TESTING_H_
#define LOADER_TESTS_UNIT_CLI_TESTING_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <utility>
#include <vector>

#include "loader/cli/cli.h"

extern char** environ;

namespace loader::test_support {

// ParseCommandLine reads the whole process environment, so each test starts
// from an environment without LOADER_*, DATABASE_URL, COCKROACH_URL or
// COCKROACH_CERTS_DIR and puts the original values back when it ends,
// whatever the developer's shell had set.
class ScopedLoaderEnv {
 public:
  ScopedLoaderEnv() {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const size_t eq = entry.find('=');
      if (eq == std::string::npos) continue;
      std::string name = entry.substr(0, eq);
      if (IsOurs(name)) saved_.emplace_back(std::move(name), entry.substr(eq + 1));
    }
    ClearOurs();
  }
  ~ScopedLoaderEnv() {
    ClearOurs();
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }
  ScopedLoaderEnv(const ScopedLoaderEnv&) = delete;
  ScopedLoaderEnv& operator=(const ScopedLoaderEnv&) = delete;

  void Set(const char* name, const char* value) { ASSERT_EQ(setenv(name, value, 1), 0); }

 private:
  static bool IsOurs(const std::string& name) {
    return name.starts_with("LOADER_") || name == "DATABASE_URL" || name == "COCKROACH_URL" ||
           name == "COCKROACH_CERTS_DIR";
  }
  static void ClearOurs() {
    // Collect first: unsetenv may reshuffle `environ` while we walk it.
    std::vector<std::string> names;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('='));
      if (IsOurs(name)) names.push_back(name);
    }
    for (const std::string& name : names) unsetenv(name.c_str());
  }

  std::vector<std::pair<std::string, std::string>> saved_;
};

inline CommandLine Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "loader");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  return ParseCommandLine(static_cast<int>(args.size()), argv.data());
}

// The message of a command line that must be rejected.
inline std::string ErrorOf(std::vector<std::string> args) {
  const CommandLine cl = Parse(std::move(args));
  EXPECT_FALSE(cl.exit_now);
  EXPECT_EQ(cl.status.code(), Status::Code::kInvalidArgument) << cl.status.ToString();
  return cl.status.message();
}

}  // namespace loader::test_support

#endif  // LOADER_TESTS_UNIT_CLI_TESTING_H_
