// The one place that decides what a server error means to the loader.
#ifndef LOADER_SQLSTATE_H_
#define LOADER_SQLSTATE_H_

#include <string_view>

#include "loader/base/status.h"

namespace loader {

// Maps a SQLSTATE (and, where CockroachDB reports a condition only in text, the
// message) to a Status code:
//   40001, 40P01                     kRetryable
//   40003                            kAmbiguousCommit
//   class 08, 57P01, 57P02, 57P03    kConnectionLost
//   53400, 54000, "command is too large",
//   "... bigger than maximum allowed message size"  kTooLarge
//   class 22, 23                     kDataError
//   28000, 28P01                     kAuthFailed
//   42501                            kPermissionDenied
//   42P01                            kTableMissing
//   anything else                    kServerError
Status::Code ClassifySqlState(std::string_view sqlstate, std::string_view message);

}  // namespace loader

#endif  // LOADER_SQLSTATE_H_
