// The process exit codes of `loader`, documented in README.md. Scripts rely on
// them, so a value never changes meaning once released.
#ifndef LOADER_EXIT_CODE_H_
#define LOADER_EXIT_CODE_H_

#include "loader/base/status.h"

namespace loader {

enum class ExitCode : int {
  kOk = 0,
  kInternal = 1,          // unexpected failure or server error not listed below
  kUsage = 2,             // bad option value or combination
  kUnreachable = 3,       // server unreachable, or the connection was lost for good
  kAuthFailed = 4,        // authentication failed
  kTableMissing = 5,      // target table missing and --create not given
  kPermissionDenied = 6,  // the role lacks a privilege on the table
  kRetriesExhausted = 7,  // a chunk kept failing with retryable errors past --max-retries,
                          // or one row is too large for the server
  kDataError = 8,         // the server rejected a row (SQLSTATE class 22/23)
  kAmbiguousCommit = 9,   // a COMMIT's outcome is unknown (--no-journal); the chunk is named
  kInterrupted = 10,      // stopped by SIGINT/SIGTERM; a re-run resumes from the journal
  kRowsInFallback = 11,   // the load finished, but some chunks could not be committed and
                          // wait as CSV files in --fallback-dir
};

ExitCode ExitCodeFor(const Status& status);

}  // namespace loader

#endif  // LOADER_EXIT_CODE_H_
