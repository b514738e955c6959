// WarmConnections: the workers' first connections, opened while the load is
// still being prepared on the first one (the table, the journal). Across a
// network, connecting, logging in, the session settings and preparing the
// INSERT cost five round trips or more, which every worker would otherwise
// wait out before its first chunk.
// Thread safety: Take from any thread, each worker its own.
#ifndef LOADER_EXEC_WARM_CONNECTIONS_H_
#define LOADER_EXEC_WARM_CONNECTIONS_H_

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/sink/sink.h"

namespace loader {

class WarmConnections {
 public:
  // Starts opening one connection for each worker 0..workers-1, to its home
  // host (worker % hosts), with the session settings, each on a thread of
  // its own; once TableReady, they prepare the statements of
  // MakeSink(method, table, max_chunk_rows, conflict). `hosts` must outlive
  // it.
  WarmConnections(const HostSet* hosts, ServerKind server, int workers, Method method,
                  const TableSpec* table, uint64_t max_chunk_rows, const ConflictPolicy& conflict);
  // Waits for those still opening (each bounded by libpq's connect_timeout
  // and the statement timeout), and closes those not taken. Never
  // TableReady: none is prepared, or taken.
  ~WarmConnections();

  // The table is there, as the load will find it (created, dropped and
  // created again): statements naming it can be prepared. Once.
  void TableReady();

  WarmConnections(const WarmConnections&) = delete;
  WarmConnections& operator=(const WarmConnections&) = delete;

  // The row limit its INSERT statements were prepared for: workers whose
  // sink has another must not take its connections.
  uint64_t max_chunk_rows() const { return max_chunk_rows_; }

  // Worker `worker`'s connection to `host`, once it is open; null when
  // there is none: another host, another worker, taken already, or it
  // failed (the worker then connects as usual, and reports why).
  std::unique_ptr<Connection> Take(int worker, size_t host);

 private:
  const size_t hosts_;
  const uint64_t max_chunk_rows_;
  std::promise<bool> table_ready_;
  bool table_ready_set_ = false;
  std::vector<std::future<std::unique_ptr<Connection>>> opening_;
};

}  // namespace loader

#endif  // LOADER_EXEC_WARM_CONNECTIONS_H_
