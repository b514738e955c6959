#include "support/run_loader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace loader::test_support {
namespace {

// Ours minus anything that would point the loader at another server or change
// its options behind the test's back, plus `env`.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var(*e);
    if (var.rfind("LOADER_", 0) == 0 || var.rfind("DATABASE_URL=", 0) == 0) continue;
    vars.push_back(var);
  }
  for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
  return vars;
}

// The NULL-terminated char* array exec wants; points into `strings`.
std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> ptrs;
  for (std::string& s : strings) ptrs.push_back(s.data());
  ptrs.push_back(nullptr);
  return ptrs;
}

// mkstemp; *path is left empty when it fails.
int MakeTempFile(const std::string& pattern, std::string* path) {
  std::string name = pattern;
  const int fd = mkstemp(name.data());
  if (fd >= 0) *path = name;
  return fd;
}

void RemoveFile(const std::string& path) {
  if (!path.empty()) unlink(path.c_str());
}

// Writes `bytes` to the pipe `fd` in pieces, as a producer on the other end
// of `cat FILE | loader` would, then closes it. A loader that exits without
// reading everything makes write fail with EPIPE; the SIGPIPE that comes with
// it is blocked in this thread and discarded, so it cannot kill the test.
void FeedPipe(int fd, std::string bytes) {
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  constexpr size_t kPiece = 16 * 1024;
  for (size_t at = 0; at < bytes.size();) {
    const ssize_t n = write(fd, bytes.data() + at, std::min(kPiece, bytes.size() - at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    at += static_cast<size_t>(n);
  }
  close(fd);
  const timespec now{};
  while (sigtimedwait(&pipe_signal, nullptr, &now) == SIGPIPE) {
  }
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TakeFile(const std::string& path) {
  std::string contents = ReadFile(path);
  unlink(path.c_str());
  return contents;
}

std::string LoaderPath() { return LOADER_BIN_PATH; }

LoaderProcess::LoaderProcess(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env, const ChildIo& io) {
  const std::string bin = LoaderPath();
  std::vector<std::string> env_strings = ChildEnvironment(env);
  std::vector<std::string> argv_strings{bin};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> envp = CStrings(env_strings);
  std::vector<char*> argv = CStrings(argv_strings);

  const int out_fd = MakeTempFile("/tmp/loader-test-out-XXXXXX", &out_path_);
  const int err_fd = MakeTempFile("/tmp/loader-test-err-XXXXXX", &err_path_);
  int rc = (out_fd < 0 || err_fd < 0) ? errno : 0;
  // Both ends close on exec: the child gets the read end as its stdin only.
  int stdin_pipe[2] = {-1, -1};
  if (rc == 0 && io.stdin_bytes && pipe2(stdin_pipe, O_CLOEXEC) != 0) rc = errno;
  if (rc == 0) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
    if (io.stdin_bytes) {
      posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], STDIN_FILENO);
    } else {
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    if (!io.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, io.cwd.c_str());
    pid_t pid = 0;
    rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    pid_ = pid;
  }
  if (out_fd >= 0) close(out_fd);
  if (err_fd >= 0) close(err_fd);
  if (stdin_pipe[0] >= 0) close(stdin_pipe[0]);
  if (rc == 0 && io.stdin_bytes) {
    stdin_feeder_ = std::thread(FeedPipe, stdin_pipe[1], *io.stdin_bytes);
  } else if (stdin_pipe[1] >= 0) {
    close(stdin_pipe[1]);
  }
  if (rc != 0) {
    RemoveFile(out_path_);
    RemoveFile(err_path_);
    throw std::runtime_error(std::string("cannot start loader: ") + std::strerror(rc));
  }
}

LoaderProcess::~LoaderProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  // The child is gone, so its end of the pipe is closed and the feeder ends.
  if (stdin_feeder_.joinable()) stdin_feeder_.join();
  RemoveFile(out_path_);
  RemoveFile(err_path_);
}

// Once reaped, the pid may already belong to an unrelated process.
void LoaderProcess::Signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

bool LoaderProcess::Running() { return !Reap(WNOHANG); }

LoaderRun LoaderProcess::Wait() {
  Reap(0);
  if (stdin_feeder_.joinable()) stdin_feeder_.join();
  LoaderRun run;
  if (WIFEXITED(wait_status_)) run.exit_code = WEXITSTATUS(wait_status_);
  if (WIFSIGNALED(wait_status_)) run.term_signal = WTERMSIG(wait_status_);
  run.out = ReadFile(out_path_);
  run.err = ReadFile(err_path_);
  return run;
}

bool LoaderProcess::Reap(int options) {
  while (!reaped_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, options);
    if (r == pid_) {
      reaped_ = true;
      wait_status_ = status;
    } else if (r == 0) {
      return false;  // WNOHANG and still running
    } else if (errno != EINTR) {
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
  }
  return true;
}

LoaderRun RunLoader(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, const ChildIo& io) {
  return LoaderProcess(args, env, io).Wait();
}

nlohmann::ordered_json ParseJson(const std::string& text) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    ADD_FAILURE() << "not one JSON document:\n" << text;
    return nullptr;
  }
  return json;
}

long long JsonNumber(const std::string& json, const std::string& name) {
  const nlohmann::ordered_json value = ParseJson(json);
  return value.contains(name) && value[name].is_number_integer() ? value[name].get<long long>()
                                                                 : -1;
}

std::string JsonString(const std::string& json, const std::string& name) {
  const nlohmann::ordered_json value = ParseJson(json);
  return value.contains(name) && value[name].is_string() ? value[name].get<std::string>() : "";
}

}  // namespace loader::test_support
