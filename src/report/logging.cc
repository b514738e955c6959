#include "loader/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>

#include "loader/redact.h"

namespace loader {
namespace {

// Formats like any sink, then scrubs secrets before the bytes leave the process.
class ScrubbingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const std::string line = ScrubSecrets(std::string(formatted.data(), formatted.size()));
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

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
