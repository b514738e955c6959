// Runs the real `loader` binary (the one this build made) as a child process, the way a user
// or a script would, and captures what it printed and how it exited.
#ifndef LOADER_TESTS_SUPPORT_RUN_LOADER_H_
#define LOADER_TESTS_SUPPORT_RUN_LOADER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace loader::test_support {

struct LoaderRun {
  int exit_code = -1;   // -1 when killed by a signal
  int term_signal = 0;  // the signal that killed it, 0 when it exited
  std::string out;      // stdout
  std::string err;      // stderr
  std::string all() const { return out + err; }
};

// Where the child reads its standard input and which directory it runs in.
struct ChildIo {
  // Fed to the child through a pipe, then the pipe is closed; without it the
  // child reads /dev/null.
  std::optional<std::string> stdin_bytes;
  std::string cwd;  // empty: this process's working directory
};

// A loader started in the background, for tests that signal or kill it
// mid-load. Its stdout and stderr go to temporary files that Wait() reads.
// Thread safety: one thread at a time.
class LoaderProcess {
 public:
  // Starts loader with `args`. The child gets this process's environment
  // without any LOADER_* or DATABASE_URL variable, plus `env`. Throws
  // std::runtime_error when it cannot be started.
  explicit LoaderProcess(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         const ChildIo& io = {});
  // SIGKILL if still running, then reap; removes the temporary files.
  ~LoaderProcess();

  LoaderProcess(const LoaderProcess&) = delete;
  LoaderProcess& operator=(const LoaderProcess&) = delete;

  int pid() const { return pid_; }
  // kill(pid, sig); does nothing once the child has been reaped.
  void Signal(int sig);
  // True until the child has exited (after which it has been reaped).
  bool Running();
  // Waits for the child to exit and returns what it printed and how it ended.
  // May be called again; the answer stays the same.
  LoaderRun Wait();

 private:
  // waitpid(pid, options) until it answers; true once the child is reaped.
  // Throws std::runtime_error when waitpid fails (the child is not ours).
  bool Reap(int options);

  int pid_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;  // valid once reaped_
  std::string out_path_;
  std::string err_path_;
  std::thread stdin_feeder_;  // writes ChildIo::stdin_bytes; joined once reaped
};

// The loader binary under test.
std::string LoaderPath();

// LoaderProcess(args, env, io).Wait(): runs loader to completion.
LoaderRun RunLoader(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}, const ChildIo& io = {});

// `text` (a --stats-json file, a manifest) parsed as JSON; a text that is not
// one JSON document fails the test and parses as null.
nlohmann::ordered_json ParseJson(const std::string& text);
// The integer value of the top-level "name" of the JSON document `json`
// (-1 if absent).
long long JsonNumber(const std::string& json, const std::string& name);
// The string value of the top-level "name" of `json`, decoded ("" if absent).
std::string JsonString(const std::string& json, const std::string& name);

std::string ReadFile(const std::string& path);
// ReadFile, then delete the file (a --stats-json output a test is done with).
std::string TakeFile(const std::string& path);

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_RUN_LOADER_H_
