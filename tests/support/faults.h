// Faults raised by the real server, for tests of what the loader does when a
// chunk fails: triggers that raise a SQLSTATE or kill their own backend.
#ifndef LOADER_TESTS_SUPPORT_FAULTS_H_
#define LOADER_TESTS_SUPPORT_FAULTS_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {

// What CockroachDB sends on contention, raised from PL/pgSQL.
inline constexpr char kRaise40001[] =
    "RAISE EXCEPTION 'restart transaction: injected by test' USING ERRCODE = '40001'";

// Installs a statement-level BEFORE INSERT trigger on `table` (which COPY fires
// too) running `action` whenever nextval of a counter is divisible by `every`.
// The counter is a sequence, so rolled-back attempts still advance it.
void InstallFault(ScratchDatabase& db, const std::string& table, int every,
                  const std::string& action);

// Installs a statement-level AFTER INSERT trigger on `table` that raises
// `sqlstate` ("program limit exceeded"-like) when one statement carries more
// than `max_rows` rows, as a server with a per-transaction budget would.
void InstallRowLimit(ScratchDatabase& db, const std::string& table, int max_rows,
                     const std::string& sqlstate);

// The ordered checksum of `rows` generated rows of `table` (seed 1), loaded by
// the loader into a database of its own.
std::string ReferenceChecksum(const std::string& table, long long rows);

// Polls `done` every 20 ms until it is true (returns true) or `timeout` passes.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// Rows of all jobs in the journal, summed.
inline constexpr char kJournaledRows[] = "SELECT coalesce(sum(row_count), 0) FROM loader_journal";
long long JournaledRows(ScratchDatabase& db);

// Starts loader with `args`, kills it (SIGKILL) once the journal holds at
// least `rows` rows, and waits until its backends are gone, so what follows
// starts from what committed. Returns how it ended: term_signal is SIGKILL
// unless the load ended first (or `bound` passed, which fails the test).
LoaderRun KillOnceJournaled(ScratchDatabase& db, const std::vector<std::string>& args,
                            long long rows,
                            std::chrono::milliseconds bound = std::chrono::minutes(1));

// After a loader was killed its backends may still be finishing a transaction
// (a COMMIT in flight commits): waits (and asserts) until they are gone, so
// what is counted next is final.
void WaitForLoaderBackendsToEnd(ScratchDatabase& db);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_FAULTS_H_
