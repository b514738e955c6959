// RejectLog: where rows that cannot be loaded go under --max-rejects. Each
// rejected row's original text goes, unchanged, to the reject file (so it can
// be fixed and loaded on its own) and one line to its log: "FILE:LINE: reason".
// Past the limit, or with no limit (the default), a bad row stops the load.
//
// A row is written here before the journal records its chunk as done, so a
// crash in between can write it twice on the re-run, never lose it.
// Thread safety: Reject may be called from any thread; rejects are rare, so
// it takes a lock.
#ifndef LOADER_REJECT_LOG_H_
#define LOADER_REJECT_LOG_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "loader/base/status.h"

namespace loader {

class RejectLog {
 public:
  // `path` is the reject file; the log is LogPathFor(path). Neither is
  // created until a row is rejected; both are appended to, so the rows a
  // resumed job rejected earlier stay. max_rejects 0: reject nothing. An
  // empty path keeps nothing: rows are counted and dropped, for a pass that
  // reads the input again only to look for rows in it.
  RejectLog(std::string path, uint64_t max_rejects);
  ~RejectLog();
  RejectLog(const RejectLog&) = delete;
  RejectLog& operator=(const RejectLog&) = delete;

  // Rejects the row with text `raw`: `reason` is a kDataError whose message
  // starts with "FILE:LINE[:COLUMN]: ". Returns OK when the row is set aside,
  // or the error that stops the load: `reason` itself without --max-rejects,
  // or once past the limit "FILE:LINE[:COLUMN]: more than N rows rejected
  // ...: why", its place first (that row is not written: it was not loaded,
  // and the re-run reads it again).
  Status Reject(std::string_view raw, const Status& reason);

  bool enabled() const { return max_rejects_ > 0; }
  uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }
  const std::string& path() const { return path_; }
  std::string log_path() const { return LogPathFor(path_); }

  // "rejects.csv" -> "rejects.log"; any other name gets ".log" appended.
  static std::string LogPathFor(const std::string& path);

 private:
  Status OpenFiles();

  const std::string path_;
  const uint64_t max_rejects_;
  std::mutex mu_;
  std::FILE* data_ = nullptr;
  std::FILE* log_ = nullptr;
  std::atomic<uint64_t> rejected_{0};
};

}  // namespace loader

#endif  // LOADER_REJECT_LOG_H_
