// HostSet: the servers one load connects to (every --url, and every host of
// a multi-host URL), shared by its workers. Worker i's home is host i % size.
// When connecting to a host fails, the host is marked down for a backoff that
// grows with its failures in a row, and workers go to the next host that is
// not down; a worker goes back home once that backoff has passed and a
// connection works again. The journal, not the host, decides which chunks
// are committed, so moving a worker never loses or doubles one.
// Thread safety: all methods may be called from any worker at once; the
// state is atomics, read once per chunk, with no lock.
#ifndef LOADER_HOST_SET_H_
#define LOADER_HOST_SET_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loader/base/backoff.h"
#include "loader/base/status.h"
#include "loader/pg/connection.h"

namespace loader {

// One conninfo per host: a URL or key=value conninfo naming several hosts
// (postgresql://h1:26257,h2:26257/db, host=h1,h2 port=26257) becomes one
// key=value conninfo per host, with every other setting kept; a conninfo with
// one host (or none: libpq's PG* variables) is returned as it is. libpq
// itself would use only the first host that answers.
std::vector<std::string> ExpandHosts(const std::string& conninfo);

class HostSet {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: conninfos non-empty. Connections it opens bound every wait
  // for the server by `statement_timeout` (see Connection::Open).
  HostSet(std::vector<std::string> conninfos, Backoff backoff,
          std::chrono::milliseconds statement_timeout = kDefaultStatementTimeout);

  size_t size() const { return hosts_.size(); }
  const std::string& conninfo(size_t i) const { return hosts_[i]->conninfo; }
  // "host:port", for the log and the summary.
  const std::string& name(size_t i) const { return hosts_[i]->name; }

  // Whether host i is not marked down, or its backoff has passed.
  bool Usable(size_t i, Clock::time_point now) const;
  // The hosts in the order a worker whose home is `home` tries them: home,
  // then the ones after it round-robin; the usable ones first, then those
  // still backing off, soonest back first.
  void TryOrder(size_t home, Clock::time_point now, std::vector<size_t>* order) const;
  // Connecting to host i failed: it is down until a backoff from now, longer
  // for each failure in a row; `random` jitters it.
  void MarkDown(size_t i, Clock::time_point now, uint64_t random);
  // A connection to host i works.
  void MarkUp(size_t i);

  std::chrono::milliseconds statement_timeout() const { return statement_timeout_; }

  // The user's session settings (SessionSql), which ConnectAny applies to
  // each connection it opens and workers apply after their own. REQUIRES:
  // set before connections are opened from other threads.
  void SetSessionSql(std::string sql) { session_sql_ = std::move(sql); }
  const std::string& session_sql() const { return session_sql_; }

  // Opens a connection to host i (without marking it up or down).
  Status Open(size_t i, std::unique_ptr<Connection>* out) const {
    return Connection::Open(conninfo(i), out, statement_timeout_);
  }

  // Opens a connection to the first host that answers, in TryOrder(0), with
  // the session settings applied, and sets *host to it; hosts that do not
  // answer are marked down. A failure other than an unreachable host (a
  // wrong password) stops it at once. Returns the last failure when no host
  // answers.
  Status ConnectAny(std::unique_ptr<Connection>* out, size_t* host);

 private:
  struct Host {
    std::string conninfo;
    std::string name;
    std::atomic<int64_t> down_until{0};  // Clock ticks; 0: up
    std::atomic<int> failures{0};        // in a row
  };

  Backoff backoff_;
  const std::chrono::milliseconds statement_timeout_;
  std::string session_sql_;
  std::vector<std::unique_ptr<Host>> hosts_;  // Host holds atomics: never moved
};

}  // namespace loader

#endif  // LOADER_HOST_SET_H_
