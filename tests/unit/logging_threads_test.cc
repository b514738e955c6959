// Log lines from several workers and a redrawn status line share stderr: every
// line arrives whole and once, with the status line erased and redrawn around
// it. Runs under ThreadSanitizer in CI (label `pool`).
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "loader/base/logging.h"

namespace loader {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Logging, WorkersAndTheStatusLineShareStderrLineByLine) {
  constexpr int kThreads = 4;
  constexpr int kLines = 200;
  char path[] = "/tmp/loader-logging-XXXXXX";
  const int file = mkstemp(path);
  ASSERT_GE(file, 0);
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  ASSERT_EQ(dup2(file, STDERR_FILENO), STDERR_FILENO);
  ASSERT_TRUE(SetupLogging("info").ok());

  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) spdlog::info("worker {} line {}", t, i);
    });
  }
  for (int i = 0; i < kLines; ++i) SetStatusLine("status " + std::to_string(i));
  for (std::thread& w : workers) w.join();
  SetStatusLine("");
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(file);

  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::remove(path);
  const std::string text = all.str();
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kLines; ++i) {
      const std::string line = "worker " + std::to_string(t) + " line " + std::to_string(i) + "\n";
      ASSERT_EQ(Count(text, line), 1u) << line;
    }
  }
}

}  // namespace
}  // namespace loader
