// Status: the outcome of an operation, carried up the stack instead of exceptions.
//
// A Status keeps what the caller needs to decide what happens next: a code (what
// kind of failure), the human message, and the SQLSTATE when the server sent one.
// Thread safety: a Status is a value; distinct objects may be used concurrently.
#ifndef LOADER_STATUS_H_
#define LOADER_STATUS_H_

#include <string>
#include <string_view>

namespace loader {

class Status {
 public:
  // Codes name what the failure means to the loader, not where it came from.
  // ClassifySqlState (pg/sqlstate.h) is the one place that maps SQLSTATEs here.
  enum class Code {
    kOk,
    kInvalidArgument,   // bad option value or bad input; the user must change something
    kConnectionFailed,  // the server could not be reached (or stayed unreachable)
    kConnectionLost,    // an open connection broke; the transaction is known aborted
    kAuthFailed,        // the server refused the credentials
    kTableMissing,      // the target table does not exist
    kPermissionDenied,  // the role lacks a privilege
    kRetryable,         // a transient failure (40001, 40P01): the transaction may be redone
    kRetriesExhausted,  // kRetryable, --max-retries times in a row
    kAmbiguousCommit,   // COMMIT outcome unknown: the chunk may or may not be committed
    kTooLarge,          // the chunk exceeds a server limit and must be split
    kDataError,         // the server rejected the data (SQLSTATE class 22 or 23)
    kServerError,       // any other server error
    kIoError,           // a local file could not be read or written
    kInterrupted,       // stopped by SIGINT/SIGTERM; what was committed stays committed
    kRowsInFallback,    // the load went on, but some chunks went to --fallback-dir
    kInternal,          // a bug or an unexpected exception
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  // A failure with an explicit code, optionally keeping the server's SQLSTATE.
  static Status Error(Code code, std::string msg, std::string sqlstate = {}) {
    return {code, std::move(msg), std::move(sqlstate)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Five characters when the server reported one, else empty.
  const std::string& sqlstate() const { return sqlstate_; }

  // The same failure with a new code (e.g. kRetryable becomes kRetriesExhausted).
  Status WithCode(Code code) const { return {code, message_, sqlstate_}; }
  // The same failure with "context: " in front of the message.
  Status WithContext(std::string_view context) const;

  // "message (SQLSTATE 40001)" or just the message.
  std::string ToString() const;

 private:
  Status(Code code, std::string msg, std::string sqlstate = {})
      : code_(code), message_(std::move(msg)), sqlstate_(std::move(sqlstate)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string sqlstate_;
};

// A short stable name for a code, used in logs and in the JSON summary.
std::string_view CodeName(Status::Code code);

}  // namespace loader

#endif  // LOADER_STATUS_H_
