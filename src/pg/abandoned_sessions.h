// Ending the transactions that a hung path left open on a PostgreSQL server.
//
// A loader whose statement got no answer drops its connection, but when the
// path hangs rather than breaks (a hung proxy or node that still acknowledges
// every packet), the server never learns it: the backend waits for the rest
// of a COPY, or for a COMMIT, with the chunk's journal row (and its rows)
// locked, and the chunk's redo would wait behind it. No server setting bounds
// that wait: statement_timeout and cancel requests are held off while a
// backend reads COPY data, and a backend inside a COPY is not idle, so
// idle_in_transaction_session_timeout does not apply either. So the loader
// ends such backends itself.
// Thread safety: no shared state; each call needs its own Connection.
#ifndef LOADER_ABANDONED_SESSIONS_H_
#define LOADER_ABANDONED_SESSIONS_H_

#include <chrono>

#include "loader/base/status.h"
#include "loader/pg/connection.h"

namespace loader {

// Terminates the backends of the current user that hold a lock on
// loader_journal (so: loaders inside a chunk's transaction) and have waited
// for their client, in a COPY or idle in a transaction, since longer than
// `waited`: a loader that is alive gives up on a statement after its own
// --statement-timeout, so none of its sessions waits that long for itself.
// Sets *ended to how many were. PostgreSQL only (pg_stat_activity, pg_locks).
Status EndAbandonedSessions(Connection& conn, std::chrono::seconds waited, int* ended);

}  // namespace loader

#endif  // LOADER_ABANDONED_SESSIONS_H_
