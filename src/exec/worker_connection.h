// WorkerConnection: one worker's connection to the load's hosts. It connects
// to the worker's home host while that host is usable, else to the next host
// that answers, marking the hosts that refuse as down in the shared HostSet,
// and between chunks it goes back home once home's backoff has passed. Every
// new connection gets the worker's session settings and its sink's prepared
// statements before it is handed out. A connection dropped because its
// server stopped answering marks its host down, and on PostgreSQL the next
// connection ends the transactions such hangs left open (see
// abandoned_sessions.h) before the chunk is redone.
// Thread safety: one per worker thread.
#ifndef LOADER_WORKER_CONNECTION_H_
#define LOADER_WORKER_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loader/base/hash.h"
#include "loader/base/status.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/sink/sink.h"

namespace loader {

class WarmConnections;

// The session settings of a worker's connection, the loader's then the
// user's (HostSet::session_sql); settings that cannot be applied are logged
// and left.
void SetUpWorkerSession(Connection& conn, ServerKind server, const std::string& user_sql,
                        int worker);

class WorkerConnection {
 public:
  // `hosts`, `sink` and `warm` must outlive it. `worker` names it in the log
  // and seeds the jitter of the hosts' backoff. `warm`: where its first
  // connection may be waiting, opened ahead and prepared for `sink`'s
  // statements; null: none is.
  WorkerConnection(HostSet* hosts, size_t home, ServerKind server, Sink* sink, int worker,
                   WarmConnections* warm = nullptr);

  // Makes sure there is a working connection, opening one when there is none,
  // it broke, or home is usable again while it points elsewhere. Sets
  // *reconnected when it opened one after an earlier connection. Returns the
  // last host's failure when no host answers, and a failure other than an
  // unreachable host (a refused password) at once.
  Status Ensure(bool* reconnected);

  // REQUIRES: open().
  Connection& get() { return *conn_; }
  bool open() const { return conn_ && !conn_->broken(); }
  // Forgets the connection (closing it); the next Ensure opens another.
  void Drop();
  // The host the connection is (or was last) to.
  size_t host() const { return host_; }

 private:
  Status Connect(size_t host, std::unique_ptr<Connection>* out);

  HostSet* const hosts_;
  const size_t home_;
  const ServerKind server_;
  Sink* const sink_;
  const int worker_;
  WarmConnections* const warm_;
  std::unique_ptr<Connection> conn_;
  size_t host_;
  bool connected_before_ = false;
  // A connection of this worker timed out: the server may still hold its
  // transaction open.
  bool abandoned_session_ = false;
  std::vector<size_t> try_order_;  // reused by Ensure
  Jitter jitter_;                  // for marking a host down
};

}  // namespace loader

#endif  // LOADER_WORKER_CONNECTION_H_
