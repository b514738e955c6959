// Logging setup: spdlog to stderr, every line scrubbed of registered secrets.
#ifndef LOADER_LOGGING_H_
#define LOADER_LOGGING_H_

#include <string>

#include "loader/status.h"

namespace loader {

// level: trace, debug, info, warn, error or off.
Status SetupLogging(const std::string& level);

}  // namespace loader

#endif  // LOADER_LOGGING_H_
