// ConnectSettings: how the loader reaches its servers beyond the URLs
// themselves: CockroachDB's certificate directory, --insecure, and the bound
// on every wait for an answer. ResolveHosts turns the URLs and these settings
// into one libpq conninfo per host, the way `cockroach sql` and libpq would
// read the same URL, certificates and environment.
// Thread safety: plain values and pure functions (they read the environment).
#ifndef LOADER_CONNECT_SETTINGS_H_
#define LOADER_CONNECT_SETTINGS_H_

#include <chrono>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/pg/session_settings.h"

namespace loader {

// A healthy chunk commits in well under a second; two minutes without an
// answer means the server or the path to it hangs.
constexpr std::chrono::seconds kDefaultStatementTimeout{120};

struct ConnectSettings {
  // --certs-dir / COCKROACH_CERTS_DIR: ca.crt, client.<user>.crt and
  // client.<user>.key, as `cockroach cert` makes them. Empty: none.
  std::string certs_dir;
  // --insecure, as cockroach means it: sslmode=disable.
  bool insecure = false;
  // --statement-timeout: how long any statement (a chunk's COPY or INSERT,
  // COMMIT, a journal read) may go without a byte from the server before it
  // is cancelled and its connection dropped. 0: no bound.
  std::chrono::seconds statement_timeout = kDefaultStatementTimeout;
  // --set: settings every session gets, after the loader's own.
  std::vector<SessionSetting> session;
};

// One conninfo per host to connect to, for `urls` (empty: libpq's PG*
// variables, with PGHOST=a,b read as two hosts), each URL's hosts expanded
// (see ExpandHosts in host_set.h). With a certs directory, every conninfo
// gets sslrootcert=DIR/ca.crt, sslcert=DIR/client.<user>.crt,
// sslkey=DIR/client.<user>.key and sslmode=verify-full, each unless the
// conninfo sets it itself; <user> is the conninfo's user, else $PGUSER, else
// root (then also passed as the user), as `cockroach sql` does. A missing
// file is kInvalidArgument naming it and the command that makes it. With
// `insecure`, sslmode=disable; refused with a certs directory, or with a
// URL that asks for another sslmode. Every secret of every conninfo is
// registered for scrubbing (redact.h).
Status ResolveHosts(const std::vector<std::string>& urls, const ConnectSettings& settings,
                    std::vector<std::string>* conninfos);

}  // namespace loader

#endif  // LOADER_CONNECT_SETTINGS_H_
