// The fault-injection support itself: TcpProxy between a real Connection and the
// fixture server (forwarding, the two kinds of cut, a gateway going down, a
// hang), and LoaderProcess, the loader run in the background so a test can kill
// it.
#include "support/tcp_proxy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "loader/base/status.h"
#include "loader/pg/connection.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

using std::chrono::steady_clock;
using Code = Status::Code;

// The port in postgresql://user:pw@host:PORT/db?...
int PortOf(const std::string& url) {
  const size_t end = url.find_first_of("/?", url.find("://") + 3);
  const size_t colon = url.rfind(':', end);
  return std::stoi(url.substr(colon + 1, end - colon - 1));
}

// Opens a connection or fails the test (the result is then null).
std::unique_ptr<Connection> Open(const std::string& url) {
  std::unique_ptr<Connection> conn;
  const Status s = Connection::Open(url, &conn);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return conn;
}

#define EXPECT_OK(expr)                    \
  do {                                     \
    const Status s_ = (expr);              \
    EXPECT_TRUE(s_.ok()) << s_.ToString(); \
  } while (0)

// Polls `done` every 50 ms for at most `limit`; true once it held.
template <typename Predicate>
bool Eventually(Predicate done, std::chrono::milliseconds limit) {
  const auto deadline = steady_clock::now() + limit;
  while (!done()) {
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// The server notices a vanished client only when it next reads from it; until
// its backend is gone, an (erroneously) forwarded COMMIT could still land.
bool BackendGone(ScratchDatabase& db, int backend_pid,
                 std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  return Eventually(
      [&] {
        return db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = " +
                         std::to_string(backend_pid)) == "0";
      },
      limit);
}

// The backend's state in pg_stat_activity, asked on `db`'s own connection (not
// through any proxy); "" when the backend is gone.
std::string BackendState(ScratchDatabase& db, int backend_pid) {
  return db.Scalar("SELECT state FROM pg_stat_activity WHERE pid = " + std::to_string(backend_pid));
}

// A hang test must see a connection *not* answer, so it drives libpq itself:
// Connection's calls wait for the answer, with no bound.
using RawConn = std::unique_ptr<pg_conn, PgConnCloser>;

RawConn OpenRaw(const std::string& url) {
  RawConn conn(PQconnectdb(url.c_str()));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  return conn;
}

// Runs one statement and checks it succeeded.
void ExecRaw(pg_conn* conn, const char* sql) {
  PgResult result(PQexec(conn, sql));
  const ExecStatusType status = PQresultStatus(result.get());
  EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      << sql << ": " << PQerrorMessage(conn);
}

// Whether `fd` has something to read (data, EOF or an error) within `timeout_ms`.
bool ReadableWithin(int fd, int timeout_ms) {
  pollfd pfd{fd, POLLIN, 0};
  return poll(&pfd, 1, timeout_ms) > 0;
}

// Sends `sql` without waiting; true when libpq got it onto the socket.
bool SendQuery(pg_conn* conn, const char* sql) {
  return PQsendQuery(conn, sql) == 1 && PQflush(conn) == 0;
}

// A raw TCP connection to 127.0.0.1:port; -1 (and a test failure) if refused.
int ConnectTcp(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  ADD_FAILURE() << "connect to 127.0.0.1:" << port << ": " << std::strerror(errno);
  if (fd >= 0) close(fd);
  return -1;
}

// A protocol 3.0 StartupMessage for `user` on `dbname`.
std::string StartupMessage(const std::string& user, const std::string& dbname) {
  std::string body;
  const uint32_t version = htonl(3u << 16);
  body.append(reinterpret_cast<const char*>(&version), 4);
  body += "user";
  body += '\0';
  body += user;
  body += '\0';
  body += "database";
  body += '\0';
  body += dbname;
  body += '\0';
  body += '\0';
  const uint32_t len = htonl(static_cast<uint32_t>(4 + body.size()));
  return std::string(reinterpret_cast<const char*>(&len), 4) + body;
}

TEST(TcpProxy, WithPortReplacesOnlyThePort) {
  EXPECT_EQ(WithPort("postgresql://u:p:w@127.0.0.1:5432/db?sslmode=disable", 61000),
            "postgresql://u:p:w@127.0.0.1:61000/db?sslmode=disable");
  EXPECT_EQ(WithPort("postgresql://u@localhost/db", 7), "postgresql://u@localhost:7/db");
  EXPECT_EQ(WithPort("postgresql://[::1]:5432?a=b", 8), "postgresql://[::1]:8?a=b");
}

TEST(TcpProxy, ForwardsAConnectionToTheServer) {
  ScratchDatabase db;
  TcpProxy proxy(PortOf(db.url()));
  auto conn = Open(WithPort(db.url(), proxy.port()));
  ASSERT_NE(conn, nullptr);
  EXPECT_OK(conn->Exec("CREATE TABLE t (id int PRIMARY KEY, v text)"));
  EXPECT_OK(conn->Exec("INSERT INTO t SELECT g, repeat('x', 1000) FROM generate_series(1, 700) g"));
  // A statement far larger than one read, with a cut armed for another one.
  proxy.CutAt("COMMIT", 1, TcpProxy::CutMode::kBeforeForward);
  const std::string big = "INSERT INTO t VALUES (701, '" + std::string(3 << 20, 'y') + "')";
  EXPECT_OK(conn->Exec(big.c_str()));
  PgResult rows;
  EXPECT_OK(conn->Query("SELECT sum(length(v)) FROM t", &rows));
  EXPECT_EQ(FirstValue(rows), std::to_string(700 * 1000 + (3 << 20)));

  EXPECT_EQ(db.Count("t"), 701);
  EXPECT_EQ(db.Scalar("SELECT sum(id) FROM t"), std::to_string(701 * 702 / 2));
  EXPECT_EQ(proxy.connections(), 1);
  EXPECT_EQ(proxy.cuts(), 0);
}

TEST(TcpProxy, CutAfterReplyLosesTheConnectionButTheCommitLands) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (id int PRIMARY KEY)");
  TcpProxy proxy(PortOf(db.url()));
  proxy.CutAt("COMMIT", 2, TcpProxy::CutMode::kAfterReply);
  auto conn = Open(WithPort(db.url(), proxy.port()));
  ASSERT_NE(conn, nullptr);
  EXPECT_OK(conn->Exec("BEGIN"));
  EXPECT_OK(conn->Exec("INSERT INTO t VALUES (1)"));
  EXPECT_OK(conn->Exec("COMMIT"));
  EXPECT_EQ(proxy.cuts(), 0);

  EXPECT_OK(conn->Exec("BEGIN"));
  EXPECT_OK(conn->Exec("INSERT INTO t VALUES (2)"));
  const Status commit = conn->Exec("COMMIT");
  EXPECT_FALSE(commit.ok());
  EXPECT_EQ(commit.code(), Code::kConnectionLost) << commit.ToString();
  EXPECT_TRUE(conn->broken());
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_EQ(db.Count("t"), 2);
  EXPECT_EQ(db.Scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM t"), "1,2");
}

TEST(TcpProxy, CutBeforeForwardLosesTheConnectionAndTheTransaction) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (id int PRIMARY KEY)");
  TcpProxy proxy(PortOf(db.url()));
  proxy.CutAt("COMMIT", 2, TcpProxy::CutMode::kBeforeForward);
  auto conn = Open(WithPort(db.url(), proxy.port()));
  ASSERT_NE(conn, nullptr);
  const int backend_pid = conn->backend_pid();
  EXPECT_OK(conn->Exec("BEGIN"));
  EXPECT_OK(conn->Exec("INSERT INTO t VALUES (1)"));
  EXPECT_OK(conn->Exec("COMMIT"));

  EXPECT_OK(conn->Exec("BEGIN"));
  EXPECT_OK(conn->Exec("INSERT INTO t VALUES (2)"));
  const Status commit = conn->Exec("COMMIT");
  EXPECT_FALSE(commit.ok());
  EXPECT_EQ(commit.code(), Code::kConnectionLost) << commit.ToString();
  EXPECT_EQ(proxy.cuts(), 1);
  ASSERT_TRUE(BackendGone(db, backend_pid));
  EXPECT_EQ(db.Count("t"), 1);
  EXPECT_EQ(db.Scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM t"), "1");
}

TEST(TcpProxy, CutsAtAStatementThatSpansManyReads) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  TcpProxy proxy(PortOf(db.url()));
  const std::string big = "INSERT INTO t VALUES (1, '" + std::string(3 << 20, 'y') + "')";
  proxy.CutAt(big, 1, TcpProxy::CutMode::kBeforeForward);
  auto conn = Open(WithPort(db.url(), proxy.port()));
  ASSERT_NE(conn, nullptr);
  const int backend_pid = conn->backend_pid();
  const Status insert = conn->Exec(big.c_str());
  EXPECT_EQ(insert.code(), Code::kConnectionLost) << insert.ToString();
  EXPECT_EQ(proxy.cuts(), 1);
  ASSERT_TRUE(BackendGone(db, backend_pid));
  EXPECT_EQ(db.Count("t"), 0);
}

TEST(TcpProxy, StopBreaksOpenConnectionsAndRefusesNewOnes) {
  ScratchDatabase db;
  TcpProxy stopped(PortOf(db.url()));
  TcpProxy other(PortOf(db.url()));  // a second gateway node that stays up
  const std::string url = WithPort(db.url(), stopped.port());
  auto conn = Open(url);
  auto survivor = Open(WithPort(db.url(), other.port()));
  ASSERT_NE(conn, nullptr);
  ASSERT_NE(survivor, nullptr);
  EXPECT_OK(conn->Exec("SELECT 1"));

  stopped.Stop();
  const Status broken = conn->Exec("SELECT 1");
  EXPECT_EQ(broken.code(), Code::kConnectionLost) << broken.ToString();
  std::unique_ptr<Connection> again;
  const Status refused = Connection::Open(url, &again);
  EXPECT_EQ(refused.code(), Code::kConnectionFailed) << refused.ToString();
  stopped.Stop();
  EXPECT_EQ(stopped.connections(), 1);

  EXPECT_OK(survivor->Exec("SELECT 1"));
  EXPECT_EQ(other.connections(), 1);
}

TEST(TcpProxy, HangKeepsConnectionsOpenAndAnswersNothing) {
  ScratchDatabase db;
  TcpProxy proxy(PortOf(db.url()));
  const std::string url = WithPort(db.url(), proxy.port());
  RawConn conn = OpenRaw(url);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  const int backend_pid = PQbackendPID(conn.get());
  ExecRaw(conn.get(), "SELECT 1");

  proxy.Hang();
  proxy.Hang();
  EXPECT_TRUE(proxy.hung());
  ASSERT_TRUE(SendQuery(conn.get(), "SELECT 1"));
  EXPECT_FALSE(ReadableWithin(PQsocket(conn.get()), 1500)) << "an answer got through the hang";
  // The proxy read the query (the client's sends do not back up) and dropped it.
  EXPECT_TRUE(Eventually([&] { return proxy.hung_bytes() > 0; }, std::chrono::seconds(2)));
  // The server saw nothing: the backend is there, idle, not running the query.
  EXPECT_EQ(BackendState(db, backend_pid), "idle");

  // A new connection is accepted, but its startup message gets no reply.
  const int fresh = ConnectTcp(proxy.port());
  ASSERT_GE(fresh, 0);
  const std::string startup = StartupMessage("postgres", db.name());
  const long long before = proxy.hung_bytes();
  EXPECT_EQ(send(fresh, startup.data(), startup.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(startup.size()));
  EXPECT_FALSE(ReadableWithin(fresh, 1000)) << "the new connection got a reply or was closed";
  EXPECT_TRUE(Eventually(
      [&] { return proxy.hung_bytes() >= before + static_cast<long long>(startup.size()); },
      std::chrono::seconds(2)));
  EXPECT_EQ(proxy.connections(), 2);
  EXPECT_EQ(proxy.cuts(), 0);

  // Stop() ends the hang: both clients see their connection close and the
  // server sees its client go.
  proxy.Stop();
  EXPECT_TRUE(ReadableWithin(fresh, 5000));
  char byte;
  EXPECT_EQ(recv(fresh, &byte, 1, 0), 0);
  close(fresh);
  EXPECT_TRUE(ReadableWithin(PQsocket(conn.get()), 5000));
  EXPECT_TRUE(BackendGone(db, backend_pid, std::chrono::seconds(10)));
}

TEST(TcpProxy, HangAtCommitLeavesTheServerIdleInTransaction) {
  ScratchDatabase db;
  db.Exec("CREATE TABLE t (id int PRIMARY KEY)");
  TcpProxy proxy(PortOf(db.url()));
  const std::string url = WithPort(db.url(), proxy.port());
  proxy.HangAt("COMMIT", 1);
  RawConn conn = OpenRaw(url);
  RawConn bystander = OpenRaw(url);  // another connection through the same proxy
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK);
  ASSERT_EQ(PQstatus(bystander.get()), CONNECTION_OK);
  const int backend_pid = PQbackendPID(conn.get());
  ExecRaw(conn.get(), "BEGIN");
  ExecRaw(conn.get(), "INSERT INTO t VALUES (1)");
  ExecRaw(bystander.get(), "SELECT 1");
  EXPECT_FALSE(proxy.hung());

  ASSERT_TRUE(SendQuery(conn.get(), "COMMIT"));
  EXPECT_FALSE(ReadableWithin(PQsocket(conn.get()), 1500)) << "COMMIT got an answer";
  EXPECT_TRUE(proxy.hung());
  // The COMMIT message: type, length, "COMMIT" and its NUL.
  EXPECT_GE(proxy.hung_bytes(), 1 + 4 + 7);
  EXPECT_EQ(BackendState(db, backend_pid), "idle in transaction");
  EXPECT_EQ(db.Count("t"), 0);
  // The whole proxy hangs, not just the connection that sent the COMMIT.
  ASSERT_TRUE(SendQuery(bystander.get(), "SELECT 1"));
  EXPECT_FALSE(ReadableWithin(PQsocket(bystander.get()), 1000)) << "a bystander got an answer";
  EXPECT_EQ(proxy.cuts(), 0);

  proxy.Stop();
  EXPECT_TRUE(BackendGone(db, backend_pid, std::chrono::seconds(10)));
  EXPECT_EQ(db.Count("t"), 0);
}

TEST(LoaderProcess, RunsToCompletionInTheBackground) {
  ScratchDatabase db;
  LoaderProcess loader({"--url", db.url(), "--rows", "1000", "--create"});
  const LoaderRun run = loader.Wait();
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(run.term_signal, 0);
  EXPECT_FALSE(loader.Running());
  EXPECT_EQ(loader.Wait().exit_code, 0);
  EXPECT_EQ(db.Count("accounts"), 1000);
}

TEST(LoaderProcess, SigkillMidLoadEndsItBySignal) {
  ScratchDatabase db;
  LoaderProcess loader(
      {"--url", db.url(), "--rows", "2000000", "--chunk", "1000", "--create", "--workers", "1"});
  ASSERT_TRUE(Eventually([&] { return db.Count("accounts") > 0; }, std::chrono::seconds(30)));
  ASSERT_TRUE(loader.Running());
  loader.Signal(SIGKILL);
  const LoaderRun run = loader.Wait();
  EXPECT_EQ(run.exit_code, -1) << run.all();
  EXPECT_EQ(run.term_signal, SIGKILL);
  EXPECT_FALSE(loader.Running());
  EXPECT_LT(db.Count("accounts"), 2000000);
}

}  // namespace
}  // namespace loader::test_support
