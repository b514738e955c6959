#include "loader/base/exit_code.h"

namespace loader {

ExitCode ExitCodeFor(const Status& status) {
  using C = Status::Code;
  switch (status.code()) {
    case C::kOk:
      return ExitCode::kOk;
    case C::kInvalidArgument:
      return ExitCode::kUsage;
    case C::kConnectionFailed:
    case C::kConnectionLost:
      return ExitCode::kUnreachable;
    case C::kAuthFailed:
      return ExitCode::kAuthFailed;
    case C::kTableMissing:
      return ExitCode::kTableMissing;
    case C::kPermissionDenied:
      return ExitCode::kPermissionDenied;
    case C::kRetryable:
    case C::kRetriesExhausted:
    case C::kTooLarge:
      return ExitCode::kRetriesExhausted;
    case C::kDataError:
      return ExitCode::kDataError;
    case C::kAmbiguousCommit:
      return ExitCode::kAmbiguousCommit;
    case C::kInterrupted:
      return ExitCode::kInterrupted;
    case C::kRowsInFallback:
      return ExitCode::kRowsInFallback;
    case C::kServerError:
    case C::kIoError:
    case C::kInternal:
      return ExitCode::kInternal;
  }
  return ExitCode::kInternal;
}

}  // namespace loader
