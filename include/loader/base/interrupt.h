// Graceful stop on SIGINT / SIGTERM. The first signal asks the load to stop:
// no new chunk starts, chunks in flight commit or roll back, the summary is
// printed and the process exits with ExitCode::kInterrupted. A second signal
// ends the process at once, killed by that signal; the journal still makes a
// re-run exact, because a chunk and its journal row commit together.
// Thread safety: every function may be called from any thread.
#ifndef LOADER_INTERRUPT_H_
#define LOADER_INTERRUPT_H_

#include <chrono>

namespace loader {

// Installs the SIGINT and SIGTERM handlers. Call once, from main.
void InstallInterruptHandlers();

// True once a stop was asked for (by a signal or RequestInterrupt).
bool InterruptRequested();

// Asks for a stop as a first signal would. For tests and embedders.
void RequestInterrupt();

// Sleeps for `d`, returning early (false) when a stop is asked for meanwhile.
bool SleepUnlessInterrupted(std::chrono::milliseconds d);

}  // namespace loader

#endif  // LOADER_INTERRUPT_H_
