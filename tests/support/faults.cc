#include "support/faults.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "support/run_loader.h"

namespace loader::test_support {

void InstallFault(ScratchDatabase& db, const std::string& table, int every,
                  const std::string& action) {
  db.Exec("CREATE SEQUENCE fault_counter");
  db.Exec(
      "CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF nextval('fault_counter') % " +
      std::to_string(every) + " = 0 THEN " + action + "; END IF; RETURN NULL; END $$");
  db.Exec("CREATE TRIGGER inject_fault BEFORE INSERT ON " + table +
          " FOR EACH STATEMENT EXECUTE FUNCTION inject_fault()");
}

void InstallRowLimit(ScratchDatabase& db, const std::string& table, int max_rows,
                     const std::string& sqlstate) {
  db.Exec(
      "CREATE FUNCTION row_limit() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE n int8; "
      "BEGIN SELECT count(*) INTO n FROM new_rows; IF n > " +
      std::to_string(max_rows) +
      " THEN RAISE EXCEPTION 'statement of % rows is too large: injected by test', n "
      "USING ERRCODE = '" +
      sqlstate + "'; END IF; RETURN NULL; END $$");
  db.Exec("CREATE TRIGGER row_limit AFTER INSERT ON " + table +
          " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_limit()");
}

std::string ReferenceChecksum(const std::string& table, long long rows) {
  ScratchDatabase ref("ref");
  LoaderRun run = RunLoader({"--url", ref.url(), "--table", table, "--rows", std::to_string(rows),
                             "--create", "--no-journal"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  return ref.Checksum(table);
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

long long JournaledRows(ScratchDatabase& db) { return std::stoll(db.Scalar(kJournaledRows)); }

void WaitForLoaderBackendsToEnd(ScratchDatabase& db) {
  ASSERT_TRUE(WaitFor(
      [&] {
        return db.Scalar(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND application_name = 'loader' AND "
                   "pid <> pg_backend_pid()") == "0";
      },
      std::chrono::seconds(30)));
}

LoaderRun KillOnceJournaled(ScratchDatabase& db, const std::vector<std::string>& args,
                            long long rows, std::chrono::milliseconds bound) {
  LoaderProcess loader(args);
  auto enough = [&] {
    return db.Scalar("SELECT to_regclass('loader_journal') IS NOT NULL") == "t" &&
           JournaledRows(db) >= rows;
  };
  EXPECT_TRUE(WaitFor([&] { return enough() || !loader.Running(); }, bound))
      << "the journal did not reach " << rows << " rows in time";
  loader.Signal(SIGKILL);
  const LoaderRun killed = loader.Wait();
  WaitForLoaderBackendsToEnd(db);
  return killed;
}

}  // namespace loader::test_support
