#include "exec/warm_connections.h"

#include <spdlog/spdlog.h>

#include "exec/worker_connection.h"

namespace loader {

WarmConnections::WarmConnections(const HostSet* hosts, ServerKind server, int workers)
    : hosts_(hosts->size()) {
  for (int w = 0; w < workers; ++w) {
    const size_t host = static_cast<size_t>(w) % hosts_;
    opening_.push_back(std::async(std::launch::async, [hosts, server, host, w] {
      std::unique_ptr<Connection> conn;
      const Status s = hosts->Open(host, &conn);
      if (!s.ok()) {
        spdlog::debug("worker {}: connecting ahead: {}", w, s.ToString());
        return std::unique_ptr<Connection>();
      }
      ApplySessionSettings(*conn, server, w);
      return conn;
    }));
  }
}

WarmConnections::~WarmConnections() {
  for (auto& f : opening_) {
    if (f.valid()) f.wait();
  }
}

std::unique_ptr<Connection> WarmConnections::Take(int worker, size_t host) {
  const size_t w = static_cast<size_t>(worker);
  if (w >= opening_.size() || w % hosts_ != host || !opening_[w].valid()) return nullptr;
  std::unique_ptr<Connection> conn = opening_[w].get();
  if (conn != nullptr && conn->broken()) conn.reset();
  return conn;
}

}  // namespace loader
