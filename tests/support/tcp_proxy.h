// A real loopback TCP proxy between a client (the loader, a Connection) and the
// test PostgreSQL server, for fault-injection tests: it cuts a connection at an
// exact point of the conversation (just before or just after a given COMMIT
// reaches the server), goes down as a whole like a gateway node would, or hangs
// as a whole: every connection stays open and nothing gets through any more.
//
// Only the client->server direction is read, as a pgwire stream, and only far
// enough to recognise the SQL of simple-query ('Q') and Parse ('P') messages;
// everything else, and the whole server->client direction, is forwarded
// unchanged as soon as it arrives.
// Thread safety: every public method may be called from any thread.
#ifndef LOADER_TESTS_SUPPORT_TCP_PROXY_H_
#define LOADER_TESTS_SUPPORT_TCP_PROXY_H_

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace loader::test_support {

class TcpProxy {
 public:
  enum class CutMode {
    // Forward the matched message to the server, wait until the server's reply
    // to it arrives (at least one byte, up to 10 s), drop that reply and any
    // more until the server is quiet for 200 ms, and close both sockets: the
    // server has committed, the client only sees its connection die.
    kAfterReply,
    // Do not forward the matched message; close both sockets at once (the
    // server sees the client vanish mid-transaction and rolls back).
    kBeforeForward,
  };

  // Listens on 127.0.0.1 on an ephemeral port and forwards every accepted
  // connection to 127.0.0.1:target_port. Throws std::runtime_error if it
  // cannot listen.
  explicit TcpProxy(int target_port);
  // Stop(), then joins every thread.
  ~TcpProxy();

  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }

  // Arms a one-shot cut, replacing any armed cut or hang: the `nth` (1-based,
  // counted across all connections from now on) simple-query or Parse
  // message whose SQL text equals `sql` exactly is handled per `mode`. A
  // Parse (libpq's pipeline mode) is handled with the messages after it up
  // to the next Sync, which make the server run it. The end of a COPY whose
  // query string goes on with `sql` ("BEGIN; ...; COPY ...; COMMIT") counts
  // as that statement: the server runs it as the copy ends. REQUIRES: nth >= 1.
  void CutAt(const std::string& sql, int nth, CutMode mode);
  // How many cuts have happened.
  int cuts() const { return cuts_.load(); }
  // Connections accepted so far.
  int connections() const { return connections_.load(); }

  // A gateway or proxy that stops answering without closing anything; the
  // kernel still acknowledges every packet, so TCP keepalives see nothing
  // wrong. From now on every live connection, and every one accepted later,
  // stays open on both sides; whatever the client sends is read and dropped,
  // and nothing more is forwarded either way (the server's bytes are left
  // unread). New connections are accepted but never reach the server. A piece
  // of data already being forwarded when Hang() is called may still arrive.
  // Only Stop() ends a hang. Idempotent.
  void Hang();
  // Arms a one-shot hang, replacing any armed cut or hang: the `nth` (1-based,
  // counted across all connections from now on) simple-query or Parse
  // message (as for CutAt) whose SQL text equals `sql` exactly is dropped,
  // not forwarded, and the whole proxy
  // hangs from that moment as with Hang(). HangAt("COMMIT", 1) leaves the
  // server idle in transaction. REQUIRES: nth >= 1.
  void HangAt(const std::string& sql, int nth);
  // Whether the proxy hangs (Hang(), or an armed hang matched).
  bool hung() const { return hung_.load(); }
  // Client bytes read and dropped because of the hang, the message HangAt
  // matched included: a test sees the clients kept sending.
  long long hung_bytes() const { return hung_bytes_.load(); }

  // A server across a network: from now on every byte read, either way, is
  // held `one_way` before it is passed on, in order (bandwidth is not
  // limited). 0 forwards at once again. A fault flushes what is held first.
  void SetDelay(std::chrono::milliseconds one_way) { delay_ms_ = one_way.count(); }

  // A gateway node going down: closes the listener and every live connection
  // (hung ones too, so the server then sees its clients go); later connection
  // attempts are refused. Idempotent.
  void Stop();

 private:
  struct ClientStream;
  struct Scan;

  // What the armed fault does to the message it matches.
  enum class Fault { kCutAfterReply, kCutBeforeForward, kHang };

  void AcceptLoop();
  // Proxies one accepted client until either side closes, a cut, or Stop();
  // a hang hands the connection to DropUntilStop().
  void Serve(int client_fd);
  // Reads and drops the client's bytes until Stop(); the caller keeps its
  // sockets open meanwhile.
  void DropUntilStop(int client_fd);
  // Splits the unforwarded client bytes into those that may leave now and,
  // when the armed fault matched, the message it matched.
  Scan ScanClientBytes(ClientStream* stream);
  // Whether a fault is armed: query messages are then withheld until whole.
  bool Armed() const;
  // Counts a complete 'Q' message against the armed fault; true (with what to
  // do) when this is the one, which disarms it.
  bool TakeArmed(std::string_view sql, Fault* fault);
  // Sends all of data[0, len) to `fd`; false when the peer or Stop() ends it.
  bool SendAll(int fd, const char* data, size_t len) const;
  // Waits up to `timeout_ms` (-1: forever) for `fd` to be readable; false on
  // timeout or Stop().
  bool WaitReadable(int fd, int timeout_ms) const;

  const int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  // Stop() closes the write end; the read end then stays readable (EOF) for
  // every poll() in every thread, which is how they all wake at once.
  int stop_read_fd_ = -1;
  int stop_write_fd_ = -1;
  std::atomic<int> cuts_{0};
  std::atomic<int> connections_{0};
  std::atomic<bool> hung_{false};
  std::atomic<long long> hung_bytes_{0};
  std::atomic<long long> delay_ms_{0};
  std::thread acceptor_;

  std::mutex stop_mu_;  // serialises Stop()
  mutable std::mutex mu_;
  std::string armed_sql_;              // guarded by mu_
  int armed_countdown_ = 0;            // guarded by mu_; matches left until the fault, 0: disarmed
  Fault armed_fault_{};                // guarded by mu_
  std::vector<std::thread> sessions_;  // guarded by mu_; one per accepted connection
};

// `url` (postgresql://user:pw@127.0.0.1:PORT/db?...) with its port replaced by
// `port` (or added, when it has none).
std::string WithPort(const std::string& url, int port);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_TCP_PROXY_H_
