#include "loader/read/reject_log.h"

#include <cerrno>
#include <cstring>

namespace loader {
namespace {

// True when `s` ends in ":N", N one or more digits; *before is what precedes it.
bool EndsInNumber(std::string_view s, std::string_view* before) {
  size_t k = s.size();
  while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9') --k;
  if (k == s.size() || k == 0 || s[k - 1] != ':') return false;
  *before = s.substr(0, k - 1);
  return true;
}

// Length of the "FILE:LINE[:COLUMN]: " a reason starts with, or 0 when it
// has none.
size_t LocationLength(std::string_view message) {
  for (size_t at = message.find(": "); at != std::string_view::npos;
       at = message.find(": ", at + 1)) {
    std::string_view file = message.substr(0, at);
    if (!EndsInNumber(file, &file)) continue;
    EndsInNumber(file, &file);  // the line, when the number was a column
    if (!file.empty()) return at + 2;
  }
  return 0;
}

}  // namespace

RejectLog::RejectLog(std::string path, uint64_t max_rejects)
    : path_(std::move(path)), max_rejects_(max_rejects) {}

RejectLog::~RejectLog() {
  if (data_ != nullptr) std::fclose(data_);
  if (log_ != nullptr) std::fclose(log_);
}

std::string RejectLog::LogPathFor(const std::string& path) {
  constexpr std::string_view kCsv = ".csv";
  if (path.size() > kCsv.size() &&
      path.compare(path.size() - kCsv.size(), kCsv.size(), kCsv) == 0) {
    return path.substr(0, path.size() - kCsv.size()) + ".log";
  }
  return path + ".log";
}

Status RejectLog::OpenFiles() {
  if (data_ == nullptr) data_ = std::fopen(path_.c_str(), "ae");
  if (data_ == nullptr) {
    return Status::IoError("--reject-file " + path_ + ": " + std::strerror(errno));
  }
  const std::string log_path = LogPathFor(path_);
  if (log_ == nullptr) log_ = std::fopen(log_path.c_str(), "ae");
  if (log_ == nullptr) {
    return Status::IoError("reject log " + log_path + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status RejectLog::Reject(std::string_view raw, const Status& reason) {
  if (max_rejects_ == 0) return reason;
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t rejected = rejected_.load(std::memory_order_relaxed);
  if (rejected >= max_rejects_) {
    const std::string limit = "more than " + std::to_string(max_rejects_) +
                              " rows rejected (--max-rejects " + std::to_string(max_rejects_) +
                              "); the rejected rows are in " + path_;
    const std::string_view message = reason.message();
    const size_t location = LocationLength(message);
    if (location == 0) return reason.WithContext(limit + "; the one past the limit");
    return Status::Error(
        reason.code(),
        std::string(message.substr(0, location)) + limit +
            "; this one is past the limit: " + std::string(message.substr(location)),
        reason.sqlstate());
  }
  if (path_.empty()) {
    rejected_.store(rejected + 1, std::memory_order_relaxed);
    return Status::OK();
  }
  Status s = OpenFiles();
  if (!s.ok()) return s;
  // One line per row in the log: a value with a line break cannot split it.
  std::string why = reason.ToString();
  for (char& c : why) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  const bool written = std::fwrite(raw.data(), 1, raw.size(), data_) == raw.size() &&
                       std::fputc('\n', data_) != EOF && std::fflush(data_) == 0 &&
                       std::fprintf(log_, "%s\n", why.c_str()) >= 0 && std::fflush(log_) == 0;
  if (!written)
    return Status::IoError("writing rejected rows to " + path_ + ": " + std::strerror(errno));
  rejected_.store(rejected + 1, std::memory_order_relaxed);
  return Status::OK();
}

}  // namespace loader
