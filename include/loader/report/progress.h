// Progress while a load runs: on a terminal, a status line redrawn a few
// times a second (logging.h keeps log lines above it); elsewhere, a log line
// every so often, for CI logs and files; or nothing (--quiet).
#ifndef LOADER_PROGRESS_H_
#define LOADER_PROGRESS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "loader/report/stats.h"

namespace loader {

enum class ProgressMode { kOff, kTerminal, kLog };

// kOff when quiet, kTerminal when stderr is a terminal, else kLog.
ProgressMode ChooseProgressMode(bool quiet);

struct ProgressSnapshot {
  uint64_t done = 0;   // rows of the job committed or rejected, this run or before
  uint64_t total = 0;  // rows of the job; 0: not known (files not read yet)
  uint64_t rows = 0;   // rows this run committed
  uint64_t bytes = 0;  // payload bytes this run committed
  uint64_t retries = 0;
  double seconds = 0;  // since this run started loading
};

// "12000 / 100000 rows (12.0%), 4000 rows/s, 0.17 MiB/s, 0 retries, ETA 0:00:22";
// without a total, rows done, rate and retries only.
std::string FormatProgress(const ProgressSnapshot& p);

// Reports `stats` from a thread of its own until destroyed: every 250 ms on a
// terminal, every `log_every` in the log (0: never). Rows committed before
// this run count as done: stats.skipped_rows holds them. `total` 0 is unknown.
class ProgressReporter {
 public:
  ProgressReporter(const Stats& stats, uint64_t total, ProgressMode mode,
                   std::chrono::milliseconds log_every);
  // Stops the thread and clears the status line.
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  void Run();
  ProgressSnapshot Snapshot() const;

  const Stats& stats_;
  const uint64_t total_;
  const ProgressMode mode_;
  const std::chrono::milliseconds interval_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace loader

#endif  // LOADER_PROGRESS_H_
