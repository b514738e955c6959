#include "exec/worker_connection.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "exec/warm_connections.h"
#include "loader/generate/row_generator.h"
#include "pg/abandoned_sessions.h"

namespace loader {

using Clock = HostSet::Clock;
using Code = Status::Code;

void SetUpWorkerSession(Connection& conn, ServerKind server, const std::string& user_sql,
                        int worker) {
  // If this client vanishes mid-transaction without the server noticing (a
  // host or network failure, no FIN), its session would hold the chunk's
  // locks, and so block the redo's journal insert, for hours of default
  // keepalives. These bound that to about a minute. CockroachDB has the
  // timeout, not the keepalive settings. The user's --set come after, in
  // the same round trip, and win.
  std::string sql = server == ServerKind::kPostgres
                        ? "SET idle_in_transaction_session_timeout = '60s'; "
                          "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
                          "SET tcp_keepalives_count = 3"
                        : "SET idle_in_transaction_session_timeout = '60s'";
  if (!user_sql.empty()) sql += "; " + user_sql;
  Status set = conn.Exec(sql.c_str());
  if (set.ok()) return;
  // The user's settings were tried on the first connection: a refusal now
  // is news.
  if (user_sql.empty()) {
    spdlog::debug("worker {}: session settings not applied: {}", worker, set.ToString());
  } else {
    spdlog::warn("worker {}: session settings (--set, --qos) not applied: {}", worker,
                 set.ToString());
  }
}

WorkerConnection::WorkerConnection(HostSet* hosts, size_t home, ServerKind server, Sink* sink,
                                   int worker, WarmConnections* warm)
    : hosts_(hosts),
      home_(home),
      server_(server),
      sink_(sink),
      worker_(worker),
      warm_(warm),
      host_(home),
      jitter_(static_cast<uint64_t>(worker) + 0x51) {}

void WorkerConnection::Drop() {
  if (conn_ && conn_->timed_out()) {
    // Its workers go to the other hosts at once, not after a connect timeout.
    hosts_->MarkDown(host_, Clock::now(), jitter_.Next());
    abandoned_session_ = true;
  }
  conn_.reset();
}

Status WorkerConnection::Connect(size_t host, std::unique_ptr<Connection>* out) {
  std::unique_ptr<Connection> conn;
  if (warm_ != nullptr && !connected_before_) conn = warm_->Take(worker_, host);
  if (conn != nullptr) {  // set and prepared
    *out = std::move(conn);
    return Status::OK();
  }
  Status s = hosts_->Open(host, &conn);
  if (!s.ok()) return s;
  SetUpWorkerSession(*conn, server_, hosts_->session_sql(), worker_);
  const auto timeout =
      std::chrono::duration_cast<std::chrono::seconds>(hosts_->statement_timeout());
  if (abandoned_session_ && server_ == ServerKind::kPostgres && timeout.count() > 0) {
    int ended = 0;
    Status end = EndAbandonedSessions(*conn, timeout, &ended);
    if (!end.ok()) {
      spdlog::warn("worker {}: could not end the transactions a hung connection left open: {}",
                   worker_, end.ToString());
    } else if (ended > 0) {
      spdlog::warn(
          "worker {}: ended {} server session(s) left in a transaction by a connection "
          "that stopped answering",
          worker_, ended);
    }
    // Once per hang: a session that does not look abandoned long enough yet
    // makes the redo wait behind it until it times out too, and the next
    // connection looks again.
    abandoned_session_ = false;
  }
  s = sink_->Prepare(*conn);
  if (s.ok()) *out = std::move(conn);
  return s;
}

Status WorkerConnection::Ensure(bool* reconnected) {
  *reconnected = false;
  const auto now = Clock::now();
  if (open()) {
    if (host_ == home_ || !hosts_->Usable(home_, now)) return Status::OK();
    spdlog::info("worker {}: trying its host {} again", worker_, hosts_->name(home_));
  }
  Drop();
  hosts_->TryOrder(home_, now, &try_order_);
  Status s;
  for (size_t k = 0; k < try_order_.size(); ++k) {
    const size_t host = try_order_[k];
    // Hosts still backing off wait for the caller's backoff, unless all are.
    if (k > 0 && !hosts_->Usable(host, now)) break;
    std::unique_ptr<Connection> conn;
    s = Connect(host, &conn);
    if (s.code() == Code::kConnectionFailed || s.code() == Code::kConnectionLost) {
      hosts_->MarkDown(host, Clock::now(), jitter_.Next());
      if (hosts_->size() > 1) {
        spdlog::warn("worker {}: host {} is down: {}", worker_, hosts_->name(host), s.ToString());
      }
      continue;
    }
    if (!s.ok()) return s;
    hosts_->MarkUp(host);
    if (host != host_ || host != home_) {
      spdlog::info("worker {}: connected to {}{}", worker_, hosts_->name(host),
                   host == home_ ? "" : " while its host " + hosts_->name(home_) + " is down");
    }
    host_ = host;
    if (connected_before_) {
      *reconnected = true;
      spdlog::info("worker {}: reconnected", worker_);
    }
    connected_before_ = true;
    conn_ = std::move(conn);
    return s;
  }
  return s;
}

}  // namespace loader
