#include "loader/base/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

namespace loader {
namespace {

std::atomic<int> g_signals{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

// Only async-signal-safe calls here: an atomic, write(2), signal(2), raise(3).
extern "C" void OnStopSignal(int sig) {
  const int saved_errno = errno;  // write(2) may change it under the interrupted code
  if (g_signals.fetch_add(1) == 0) {
    static constexpr char kMessage[] =
        "\nloader: stopping: finishing the chunks in flight (press Ctrl-C again to quit at "
        "once; a re-run resumes)\n";
    [[maybe_unused]] ssize_t n = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    errno = saved_errno;
    return;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  // Restart interrupted system calls: libpq's socket I/O must not see EINTR
  // for a stop that lets in-flight chunks finish.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool InterruptRequested() { return g_signals.load(std::memory_order_relaxed) > 0; }

void RequestInterrupt() { g_signals.fetch_add(1); }

bool SleepUnlessInterrupted(std::chrono::milliseconds d) {
  // A signal handler cannot notify a condition variable, so poll in short
  // steps; this only runs during backoff, never per row.
  constexpr std::chrono::milliseconds kStep(50);
  const auto until = std::chrono::steady_clock::now() + d;
  while (!InterruptRequested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kStep, until - now));
  }
  return false;
}

}  // namespace loader
