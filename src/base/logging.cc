#include "loader/base/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>

#include "loader/base/redact.h"

namespace loader {
namespace {

// "Back to the start of the line, erase to its end."
constexpr char kEraseLine[] = "\r\x1b[K";

// Whoever writes to stderr, and the status line shown there.
std::mutex& StderrMutex() {
  static std::mutex mu;
  return mu;
}
std::string& StatusLine() {
  static std::string line;
  return line;
}

// Formats like any sink, then scrubs secrets before the bytes leave the
// process. A status line on show is erased first and drawn again below. The
// sink's own mutex keeps its formatter to one thread at a time (spdlog's
// pattern formatter caches time fields, should the pattern ever show them);
// StderrMutex, taken inside it, orders the bytes against SetStatusLine.
class ScrubbingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line = ScrubSecrets(std::string(formatted.data(), formatted.size()));
    std::lock_guard<std::mutex> lock(StderrMutex());
    if (!StatusLine().empty()) line = kEraseLine + line + StatusLine();
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

void SetStatusLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(StderrMutex());
  if (line.empty() && StatusLine().empty()) return;
  StatusLine() = line;
  const std::string out = kEraseLine + line;
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

Status SetupLogging(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  // from_str maps anything unknown to "off"; only "off" itself may mean that.
  if (parsed == spdlog::level::off && level != "off") {
    return Status::InvalidArgument("--log-level: '" + level +
                                   "' is not one of trace, debug, info, warn, error, off");
  }
  auto logger = std::make_shared<spdlog::logger>("loader", std::make_shared<ScrubbingStderrSink>());
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l: %v");
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return Status::OK();
}

}  // namespace loader
