// WarmConnections: the workers' first connections, opened while the load is
// still being prepared on the first one (the table, the journal). Across a
// network, connecting, logging in and the session settings cost four round
// trips or more, which every worker would otherwise wait out before its
// first chunk.
// Thread safety: Take from any thread, each worker its own.
#ifndef LOADER_EXEC_WARM_CONNECTIONS_H_
#define LOADER_EXEC_WARM_CONNECTIONS_H_

#include <cstddef>
#include <future>
#include <memory>
#include <vector>

#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"

namespace loader {

class WarmConnections {
 public:
  // Starts opening one connection for each worker 0..workers-1, to its home
  // host (worker % hosts), with the session settings, each on a thread of
  // its own. `hosts` must outlive it.
  WarmConnections(const HostSet* hosts, ServerKind server, int workers);
  // Waits for those still opening (each bounded by libpq's connect_timeout
  // and the statement timeout), and closes those not taken.
  ~WarmConnections();

  WarmConnections(const WarmConnections&) = delete;
  WarmConnections& operator=(const WarmConnections&) = delete;

  // Worker `worker`'s connection to `host`, once it is open; null when
  // there is none: another host, another worker, taken already, or it
  // failed (the worker then connects as usual, and reports why).
  std::unique_ptr<Connection> Take(int worker, size_t host);

 private:
  const size_t hosts_;
  std::vector<std::future<std::unique_ptr<Connection>>> opening_;
};

}  // namespace loader

#endif  // LOADER_EXEC_WARM_CONNECTIONS_H_
