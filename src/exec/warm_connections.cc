#include "exec/warm_connections.h"

#include <spdlog/spdlog.h>

#include "exec/worker_connection.h"

namespace loader {

WarmConnections::WarmConnections(const HostSet* hosts, ServerKind server, int workers,
                                 Method method, const TableSpec* table, uint64_t max_chunk_rows,
                                 const ConflictPolicy& conflict)
    : hosts_(hosts->size()), max_chunk_rows_(max_chunk_rows) {
  std::shared_future<bool> table_ready = table_ready_.get_future().share();
  for (int w = 0; w < workers; ++w) {
    const size_t host = static_cast<size_t>(w) % hosts_;
    // The table by value: a connection not taken may still be opening when
    // the load that planned it is gone.
    opening_.push_back(std::async(std::launch::async, [=, table = *table] {
      std::unique_ptr<Connection> conn;
      Status s = hosts->Open(host, &conn);
      if (s.ok()) SetUpWorkerSession(*conn, server, hosts->session_sql(), w);
      if (s.ok() && !table_ready.get()) s = Status::Internal("the load stopped before it began");
      if (s.ok()) s = MakeSink(method, table, max_chunk_rows, conflict)->Prepare(*conn);
      if (!s.ok()) {
        spdlog::debug("worker {}: connecting ahead: {}", w, s.ToString());
        conn.reset();
      }
      return conn;
    }));
  }
}

WarmConnections::~WarmConnections() {
  if (!table_ready_set_) table_ready_.set_value(false);
  for (auto& f : opening_) {
    if (f.valid()) f.wait();
  }
}

void WarmConnections::TableReady() {
  if (table_ready_set_) return;
  table_ready_set_ = true;
  table_ready_.set_value(true);
}

std::unique_ptr<Connection> WarmConnections::Take(int worker, size_t host) {
  const size_t w = static_cast<size_t>(worker);
  if (w >= opening_.size() || w % hosts_ != host || !opening_[w].valid()) return nullptr;
  std::unique_ptr<Connection> conn = opening_[w].get();
  if (conn != nullptr && conn->broken()) conn.reset();
  return conn;
}

}  // namespace loader
