// Logging setup: spdlog to stderr, every line scrubbed of registered secrets.
#ifndef LOADER_LOGGING_H_
#define LOADER_LOGGING_H_

#include <string>

#include "loader/base/status.h"

namespace loader {

// level: trace, debug, info, warn, error or off.
Status SetupLogging(const std::string& level);

// The live status line of a terminal: kept as the last line of stderr, log
// lines written above it, redrawn in place. An empty line clears it. Thread
// safe. Only for a terminal: it writes carriage returns and ANSI erases.
void SetStatusLine(const std::string& line);

}  // namespace loader

#endif  // LOADER_LOGGING_H_
