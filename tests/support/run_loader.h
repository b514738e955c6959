// Runs the real `loader` binary (the one this build made) as a child process, the way a user
// or a script would, and captures what it printed and how it exited.
#ifndef LOADER_TESTS_SUPPORT_RUN_LOADER_H_
#define LOADER_TESTS_SUPPORT_RUN_LOADER_H_

#include <map>
#include <string>
#include <vector>

namespace loader::testing {

struct LoaderRun {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
  std::string all() const { return out + err; }
};

// Runs loader with `args`. The child gets this process's environment without
// any LOADER_* or DATABASE_URL variable, plus `env`.
LoaderRun RunLoader(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {});

// The integer value of "name": N in a --stats-json file's contents (-1 if absent).
long long JsonNumber(const std::string& json, const std::string& name);

std::string ReadFile(const std::string& path);
// ReadFile, then delete the file (a --stats-json output a test is done with).
std::string TakeFile(const std::string& path);

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace loader::testing

#endif  // LOADER_TESTS_SUPPORT_RUN_LOADER_H_
