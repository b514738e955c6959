// The fault-injection support itself: TcpProxy between a real Connection and the
// fixture server (forwarding, the two kinds of cut, a gateway going down), and
// LoaderProcess, the loader run in the background so a test can kill it.
#include "support/tcp_proxy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "loader/connection.h"
#include "loader/status.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::testing {
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
bool BackendGone(ScratchDatabase& db, int backend_pid) {
  return Eventually(
      [&] {
        return db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = " +
                         std::to_string(backend_pid)) == "0";
      },
      std::chrono::seconds(5));
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
}  // namespace loader::testing
