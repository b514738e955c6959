#include "job/after_load.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "loader/base/table.h"

namespace loader {

Status UsableConnection(HostSet& hosts, FirstServer* first, Connection** conn) {
  if (!first->conn || first->conn->broken()) {
    first->conn.reset();
    Status s = hosts.ConnectAny(&first->conn, &first->host);
    if (!s.ok()) return s;
  }
  *conn = first->conn.get();
  return Status::OK();
}

Status AnalyzeTable(HostSet& hosts, FirstServer* first, const std::string& table, double* seconds) {
  const auto start = std::chrono::steady_clock::now();
  Connection* conn = nullptr;
  Status s = UsableConnection(hosts, first, &conn);
  const std::string sql = "ANALYZE " + QuoteIdent(table);
  if (s.ok()) s = conn->Exec(sql.c_str());
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  *seconds = took.count();
  if (!s.ok()) return s.WithContext("--analyze: " + sql);
  spdlog::info("--analyze: {} took {:.2f} s", sql, *seconds);
  return s;
}

}  // namespace loader
