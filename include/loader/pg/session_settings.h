// Session settings a user asks for with --set NAME=VALUE (and --qos): given
// to every connection the loader opens, after its own, so that a setting the
// loader also makes (idle_in_transaction_session_timeout) is the user's.
// Thread safety: plain values and pure functions.
#ifndef LOADER_PG_SESSION_SETTINGS_H_
#define LOADER_PG_SESSION_SETTINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"

namespace loader {

class Connection;

struct SessionSetting {
  std::string name;   // a configuration parameter: letters, digits, _ and . (a custom one)
  std::string value;  // as given; commas separate the items of a list (search_path)
  // How the user asked for it, for errors: "--set synchronous_commit=off".
  std::string option;
};

// Parses "NAME=VALUE"; kInvalidArgument naming --set when the name is not a
// parameter name or there is no '='.
Status ParseSessionSetting(std::string_view text, SessionSetting* out);

// "SET a = 'x'; SET b = 'y', 'z'": one statement per setting, each value item
// a quoted literal, so no value can end the statement. Empty for none.
std::string SessionSql(const std::vector<SessionSetting>& settings);

// Applies the settings one by one, so that a refusal names the setting and
// the server's reason (kInvalidArgument: an unknown parameter or a bad value
// is the command line's fault, found before any row is sent).
Status ApplySessionSettings(Connection& conn, const std::vector<SessionSetting>& settings);

}  // namespace loader

#endif  // LOADER_PG_SESSION_SETTINGS_H_
