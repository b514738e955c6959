#include "loader/exec/retry_decision.h"

namespace loader {

RetryAction DecideRetry(const FailedAttempt& failure) {
  using Code = Status::Code;
  switch (failure.code) {
    case Code::kAmbiguousCommit:
      return failure.journal ? RetryAction::kAskJournal : RetryAction::kStopOutcomeUnknown;
    case Code::kConnectionLost:
    case Code::kConnectionFailed:
      return RetryAction::kReconnect;
    case Code::kRetryable:
      if (failure.serialization_retries >= failure.max_retries) {
        return RetryAction::kRetriesExhausted;
      }
      if (failure.server == ServerKind::kCockroach && failure.serialization_retries == 0 &&
          failure.method != Method::kCopy && failure.transaction_open) {
        return RetryAction::kRetryFromSavepoint;
      }
      return RetryAction::kRetryAfterBackoff;
    case Code::kTooLarge:
      return RetryAction::kSplit;
    case Code::kDataError:
      return failure.rows_from_files ? RetryAction::kFindRefusedRow : RetryAction::kStop;
    default:
      return RetryAction::kStop;
  }
}

}  // namespace loader
