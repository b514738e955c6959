#include "loader/base/status.h"

namespace loader {

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return {code_, std::move(msg), sqlstate_};
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (sqlstate_.empty()) return message_;
  return message_ + " (SQLSTATE " + sqlstate_ + ")";
}

std::string_view CodeName(Status::Code code) {
  using C = Status::Code;
  switch (code) {
    case C::kOk:
      return "ok";
    case C::kInvalidArgument:
      return "invalid_argument";
    case C::kConnectionFailed:
      return "connection_failed";
    case C::kConnectionLost:
      return "connection_lost";
    case C::kAuthFailed:
      return "auth_failed";
    case C::kTableMissing:
      return "table_missing";
    case C::kPermissionDenied:
      return "permission_denied";
    case C::kRetryable:
      return "retryable";
    case C::kRetriesExhausted:
      return "retries_exhausted";
    case C::kAmbiguousCommit:
      return "ambiguous_commit";
    case C::kTooLarge:
      return "too_large";
    case C::kDataError:
      return "data_error";
    case C::kServerError:
      return "server_error";
    case C::kIoError:
      return "io_error";
    case C::kInterrupted:
      return "interrupted";
    case C::kRowsInFallback:
      return "rows_in_fallback";
    case C::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace loader
