#include "support/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>

namespace loader::test_support {
namespace {

constexpr uint32_t kSslRequestCode = 80877103;
constexpr uint32_t kGssEncRequestCode = 80877104;
constexpr int kReplyWaitMs = 10000;
// How long a server that has answered must stay silent to have answered all.
constexpr int kQuietMs = 200;
constexpr size_t kReadBytes = 64 * 1024;

uint32_t ReadInt32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return ntohl(v);
}

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Forwarded pieces are often a few bytes of request/response traffic; Nagle
// plus delayed ACKs would add tens of milliseconds to each round trip.
void SetNoDelay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Bytes held back for the proxy's delay, in order, each with when it may go.
class DelayLine {
 public:
  using Clock = std::chrono::steady_clock;
  void Push(Clock::time_point due, const char* data, size_t len) {
    pieces_.emplace_back(due, std::string(data, len));
  }
  bool empty() const { return pieces_.empty(); }
  // Milliseconds until the first piece is due (0: now); -1 when none waits.
  int WaitMs(Clock::time_point now) const {
    if (pieces_.empty()) return -1;
    if (pieces_.front().first <= now) return 0;
    return static_cast<int>(
               std::chrono::duration_cast<std::chrono::milliseconds>(pieces_.front().first - now)
                   .count()) +
           1;
  }
  // Sends the pieces due by `until` with send(data, len); false when a send fails.
  template <class Send>
  bool SendDue(Clock::time_point until, Send&& send) {
    while (!pieces_.empty() && pieces_.front().first <= until) {
      if (!send(pieces_.front().second.data(), pieces_.front().second.size())) return false;
      pieces_.pop_front();
    }
    return true;
  }

 private:
  std::deque<std::pair<Clock::time_point, std::string>> pieces_;
};

// The last statement of a query string that goes on after a COPY FROM
// STDIN ("BEGIN; ...; COPY ... FROM STDIN; COMMIT" gives "COMMIT"); "" when
// there is none.
// The SQL text of a Parse message's body: a statement name and the text,
// each ended by a NUL, then parameter types.
std::string_view ParsedSql(std::string_view body) {
  const size_t name_end = body.find('\0');
  if (name_end == std::string_view::npos) return {};
  const std::string_view rest = body.substr(name_end + 1);
  return rest.substr(0, rest.find('\0'));
}

// The length of the typed messages at the start of `bytes` through the
// first Sync ('S'); 0 when that Sync is not all there yet.
size_t ThroughSync(std::string_view bytes) {
  size_t pos = 0;
  while (bytes.size() - pos >= 5) {
    const size_t total = size_t{1} + ReadInt32(bytes.data() + pos + 1);
    if (bytes.size() - pos < total) return 0;
    pos += total;
    if (bytes[pos - total] == 'S') return pos;
  }
  return 0;
}

std::string StatementAfterCopy(std::string_view sql) {
  const size_t copy = sql.find("COPY ");
  if (copy == std::string_view::npos) return "";
  const size_t last = sql.rfind("; ");
  if (last == std::string_view::npos || last < copy) return "";
  return std::string(sql.substr(last + 2));
}

}  // namespace

// Where the client->server byte stream stands in pgwire framing.
struct TcpProxy::ClientStream {
  bool startup = true;               // the next message is untyped (startup, SSLRequest, ...)
  bool awaiting_ssl_answer = false;  // the server's one-byte answer comes next
  bool opaque = false;               // TLS or unparseable: forward everything unread
  size_t passthrough = 0;            // bytes of the current message still to forward unread
  std::string pending;               // received from the client, not yet forwarded
  // The statement the last query string holds after its COPY (as in
  // "BEGIN; ...; COPY ...; COMMIT"), which the server runs when the copy
  // ends: the copy's end (CopyDone) stands for it. Kept while armed only.
  std::string after_copy;
};

struct TcpProxy::Scan {
  size_t ready = 0;      // pending[0, ready) may be forwarded
  bool matched = false;  // pending[ready, ready + matched_len) is the armed fault's message
  size_t matched_len = 0;
  Fault fault{};
};

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("TcpProxy: pipe: ") + std::strerror(errno));
  }
  stop_read_fd_ = pipe_fds[0];
  stop_write_fd_ = pipe_fds[1];
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = std::strerror(errno);
    if (listen_fd_ >= 0) close(listen_fd_);
    close(stop_read_fd_);
    close(stop_write_fd_);
    throw std::runtime_error("TcpProxy: cannot listen on 127.0.0.1: " + error);
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread(&TcpProxy::AcceptLoop, this);
}

TcpProxy::~TcpProxy() {
  Stop();
  close(stop_read_fd_);
}

void TcpProxy::CutAt(const std::string& sql, int nth, CutMode mode) {
  std::lock_guard lock(mu_);
  armed_sql_ = sql;
  armed_countdown_ = nth;
  armed_fault_ = mode == CutMode::kAfterReply ? Fault::kCutAfterReply : Fault::kCutBeforeForward;
}

void TcpProxy::HangAt(const std::string& sql, int nth) {
  std::lock_guard lock(mu_);
  armed_sql_ = sql;
  armed_countdown_ = nth;
  armed_fault_ = Fault::kHang;
}

// Sessions are not woken: each notices the hang when its poll() next returns,
// before it forwards anything, and then stops watching the server.
void TcpProxy::Hang() { hung_ = true; }

void TcpProxy::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  if (listen_fd_ < 0) return;
  close(stop_write_fd_);
  stop_write_fd_ = -1;
  // The listener is closed only once the acceptor is out of poll(), so its fd
  // cannot be reused under it; from then on connecting is refused.
  acceptor_.join();
  close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> sessions;
  {
    std::lock_guard lock(mu_);
    sessions.swap(sessions_);
  }
  for (std::thread& session : sessions) session.join();
}

void TcpProxy::AcceptLoop() {
  while (WaitReadable(listen_fd_, -1)) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // Anything but a connection that vanished before accept() would repeat
      // at once on the next poll(): give up instead of spinning.
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    ++connections_;
    std::lock_guard lock(mu_);
    sessions_.emplace_back(&TcpProxy::Serve, this, fd);
  }
}

void TcpProxy::Serve(int client_fd) {
  if (hung_) {
    // A hung proxy accepts (the kernel does) but never gets as far as the server.
    DropUntilStop(client_fd);
    close(client_fd);
    return;
  }
  const int server_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in target = Loopback(target_port_);
  if (server_fd < 0 ||
      connect(server_fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
    if (server_fd >= 0) close(server_fd);
    close(client_fd);
    return;
  }
  SetNoDelay(client_fd);
  SetNoDelay(server_fd);

  ClientStream stream;
  char buf[kReadBytes];
  bool hang = false;
  DelayLine to_client;
  DelayLine to_server;
  auto send_to = [this](int fd) {
    return [this, fd](const char* data, size_t len) { return SendAll(fd, data, len); };
  };
  // Forwards now, or after the delay.
  auto forward = [&](DelayLine& line, int fd, const char* data, size_t len) {
    const long long delay = delay_ms_.load();
    if (delay == 0 && line.empty()) return SendAll(fd, data, len);
    line.Push(DelayLine::Clock::now() + std::chrono::milliseconds(delay), data, len);
    return true;
  };
  while (true) {
    const auto now = DelayLine::Clock::now();
    if (!to_client.SendDue(now, send_to(client_fd)) ||
        !to_server.SendDue(now, send_to(server_fd))) {
      break;
    }
    const int a = to_client.WaitMs(now);
    const int b = to_server.WaitMs(now);
    const int wait_ms = a < 0 ? b : b < 0 ? a : std::min(a, b);
    pollfd fds[3] = {{client_fd, POLLIN, 0}, {server_fd, POLLIN, 0}, {stop_read_fd_, POLLIN, 0}};
    if (poll(fds, 3, wait_ms) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents != 0) break;
    // Checked after every wake-up, before anything is read: whatever woke a
    // hung session, its server bytes (or EOF) stay unread.
    if (hung_) {
      hang = true;
      break;
    }
    if (fds[1].revents != 0) {
      const ssize_t n = recv(server_fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      if (stream.awaiting_ssl_answer) {
        // 'S' or 'G': TLS or GSS encryption follows, which we cannot read.
        stream.opaque = buf[0] != 'N';
        stream.awaiting_ssl_answer = false;
      }
      if (!forward(to_client, client_fd, buf, static_cast<size_t>(n))) break;
    }
    if (fds[0].revents != 0) {
      const ssize_t n = recv(client_fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      stream.pending.append(buf, static_cast<size_t>(n));
      const Scan scan = ScanClientBytes(&stream);
      if (!forward(to_server, server_fd, stream.pending.data(), scan.ready)) break;
      stream.pending.erase(0, scan.ready);
      if (!scan.matched) continue;
      // A fault acts on the stream as it is: what is held goes first.
      const auto all = DelayLine::Clock::time_point::max();
      if (!to_client.SendDue(all, send_to(client_fd)) ||
          !to_server.SendDue(all, send_to(server_fd))) {
        break;
      }
      if (scan.fault == Fault::kHang) {
        hung_ = true;
        hang = true;
        break;
      }
      if (scan.fault == Fault::kCutAfterReply) {
        // Whatever the server sent before the COMMIT went in belongs to the
        // client; the first byte after it is the start of the COMMIT's reply.
        ssize_t old;
        while ((old = recv(server_fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
          SendAll(client_fd, buf, static_cast<size_t>(old));
        }
        // The reply, and in a pipeline the replies to what went before it,
        // end when the server falls quiet: nothing more is sent to it.
        if (SendAll(server_fd, stream.pending.data(), scan.matched_len) &&
            WaitReadable(server_fd, kReplyWaitMs)) {
          while (recv(server_fd, buf, sizeof buf, 0) > 0 && WaitReadable(server_fd, kQuietMs)) {
          }
        }
      }
      ++cuts_;
      break;
    }
  }
  if (hang) {
    // Client bytes withheld so far (HangAt's message among them) are dropped too.
    hung_bytes_ += static_cast<long long>(stream.pending.size());
    DropUntilStop(client_fd);
  }
  close(client_fd);
  close(server_fd);
}

void TcpProxy::DropUntilStop(int client_fd) {
  char buf[kReadBytes];
  bool client_open = true;
  while (true) {
    // Once the client has closed, its fd would poll readable forever.
    pollfd fds[2] = {{stop_read_fd_, POLLIN, 0}, {client_fd, POLLIN, 0}};
    if (poll(fds, client_open ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents == 0) continue;
    const ssize_t n = recv(client_fd, buf, sizeof buf, 0);
    if (n > 0) {
      hung_bytes_ += n;
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      client_open = false;
    }
  }
}

TcpProxy::Scan TcpProxy::ScanClientBytes(ClientStream* s) {
  Scan scan;
  size_t& pos = scan.ready;
  while (pos < s->pending.size()) {
    const char* p = s->pending.data() + pos;
    const size_t avail = s->pending.size() - pos;
    if (s->opaque) {
      pos = s->pending.size();
    } else if (s->passthrough > 0) {
      const size_t n = std::min(s->passthrough, avail);
      pos += n;
      s->passthrough -= n;
    } else if (s->startup) {
      // Untyped: int32 length (itself included), int32 code or protocol version.
      if (avail < 8) break;
      const uint32_t len = ReadInt32(p);
      const uint32_t code = ReadInt32(p + 4);
      if (len < 8) {
        s->opaque = true;
      } else if (len == 8 && (code == kSslRequestCode || code == kGssEncRequestCode)) {
        s->awaiting_ssl_answer = true;  // the real startup message follows the answer
        s->passthrough = len;
      } else {
        s->startup = false;
        s->passthrough = len;
      }
    } else {
      // Typed: type byte, int32 length (itself included), body.
      if (avail < 5) break;
      const uint32_t len = ReadInt32(p + 1);
      if (len < 4) {
        s->opaque = true;
        continue;
      }
      const size_t total = size_t{1} + len;
      if (p[0] == 'P' && Armed()) {
        // Extended protocol (a pipeline): the statement runs once the
        // messages after its Parse, up to the sync point, are in, so a
        // match acts on all of them.
        if (avail < total) break;
        const size_t through_sync = ThroughSync(std::string_view(p, avail));
        if (through_sync == 0) break;
        if (TakeArmed(ParsedSql(std::string_view(p + 5, len - 4)), &scan.fault)) {
          scan.matched = true;
          scan.matched_len = through_sync;
          break;
        }
      } else if (p[0] == 'Q' && Armed()) {
        if (avail < total) break;
        // The body is the SQL text and a terminating NUL.
        const std::string_view sql(p + 5, len - 5);
        s->after_copy = StatementAfterCopy(sql);
        if (TakeArmed(sql, &scan.fault)) {
          scan.matched = true;
          scan.matched_len = total;
          break;
        }
      } else if (p[0] == 'c' && !s->after_copy.empty()) {
        const std::string after = std::move(s->after_copy);
        s->after_copy.clear();
        if (TakeArmed(after, &scan.fault)) {
          scan.matched = true;
          scan.matched_len = total;
          break;
        }
      }
      s->passthrough = total;
    }
  }
  return scan;
}

bool TcpProxy::Armed() const {
  std::lock_guard lock(mu_);
  return armed_countdown_ > 0;
}

bool TcpProxy::TakeArmed(std::string_view sql, Fault* fault) {
  std::lock_guard lock(mu_);
  if (armed_countdown_ == 0 || sql != armed_sql_ || --armed_countdown_ > 0) return false;
  *fault = armed_fault_;
  return true;
}

bool TcpProxy::SendAll(int fd, const char* data, size_t len) const {
  // Non-blocking sends with a poll() between them: a blocking send() to a peer
  // that stopped reading would not wake up for Stop().
  while (len > 0) {
    const ssize_t n = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data += n;
      len -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
    pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_read_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return false;
    if (fds[1].revents != 0) return false;
  }
  return true;
}

bool TcpProxy::WaitReadable(int fd, int timeout_ms) const {
  while (true) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_read_fd_, POLLIN, 0}};
    const int n = poll(fds, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 && fds[1].revents == 0;
  }
}

std::string WithPort(const std::string& url, int port) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) throw std::invalid_argument("WithPort: not a URL: " + url);
  const size_t authority = scheme + 3;
  const size_t end = std::min(url.find_first_of("/?", authority), url.size());
  // The host starts after the user info; a ':' past it (and past an IPv6
  // literal's ']') starts the port.
  const size_t at = url.rfind('@', end - 1);
  const size_t host = at == std::string::npos || at < authority ? authority : at + 1;
  const size_t bracket = url.rfind(']', end - 1);
  const size_t colon_from = bracket == std::string::npos || bracket < host ? host : bracket;
  const size_t colon = url.find(':', colon_from);
  const size_t host_end = colon < end ? colon : end;
  return url.substr(0, host_end) + ":" + std::to_string(port) + url.substr(end);
}

}  // namespace loader::test_support
