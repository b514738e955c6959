#include "loader/report/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

#include "loader/base/logging.h"

namespace loader {

ProgressMode ChooseProgressMode(bool quiet) {
  if (quiet) return ProgressMode::kOff;
  return isatty(STDERR_FILENO) != 0 ? ProgressMode::kTerminal : ProgressMode::kLog;
}

std::string FormatProgress(const ProgressSnapshot& p) {
  const double rate = p.seconds > 0 ? p.rows / p.seconds : 0;
  const double mib = p.seconds > 0 ? p.bytes / 1048576.0 / p.seconds : 0;
  char buf[160];
  std::string out;
  if (p.total > 0) {
    std::snprintf(buf, sizeof buf, "%llu / %llu rows (%.1f%%)",
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                  100.0 * static_cast<double>(p.done) / static_cast<double>(p.total));
  } else {
    std::snprintf(buf, sizeof buf, "%llu rows", static_cast<unsigned long long>(p.done));
  }
  out = buf;
  std::snprintf(buf, sizeof buf, ", %.0f rows/s, %.2f MiB/s, %llu retries", rate, mib,
                static_cast<unsigned long long>(p.retries));
  out += buf;
  if (p.total > 0 && rate > 0 && p.done < p.total) {
    const auto eta = static_cast<unsigned long long>((p.total - p.done) / rate + 0.5);
    std::snprintf(buf, sizeof buf, ", ETA %llu:%02llu:%02llu", eta / 3600, eta / 60 % 60, eta % 60);
    out += buf;
  }
  return out;
}

ProgressReporter::ProgressReporter(const Stats& stats, uint64_t total, ProgressMode mode,
                                   std::chrono::milliseconds log_every)
    : stats_(stats),
      total_(total),
      mode_(mode),
      interval_(mode == ProgressMode::kTerminal ? std::chrono::milliseconds(250) : log_every),
      start_(std::chrono::steady_clock::now()) {
  if (mode_ != ProgressMode::kOff && interval_.count() > 0)
    thread_ = std::thread([this] { Run(); });
}

ProgressReporter::~ProgressReporter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (mode_ == ProgressMode::kTerminal) SetStatusLine("");
}

ProgressSnapshot ProgressReporter::Snapshot() const {
  ProgressSnapshot p;
  p.rows = stats_.rows.load(std::memory_order_relaxed);
  p.done = p.rows + stats_.skipped_rows.load(std::memory_order_relaxed);
  p.total = total_;
  p.bytes = stats_.bytes.load(std::memory_order_relaxed);
  p.retries = stats_.retries.load(std::memory_order_relaxed);
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return p;
}

void ProgressReporter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
    const std::string line = FormatProgress(Snapshot());
    if (mode_ == ProgressMode::kTerminal) {
      SetStatusLine(line);
    } else {
      spdlog::info("progress: {}", line);
    }
  }
}

}  // namespace loader
