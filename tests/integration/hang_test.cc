// Servers that stop answering: a loopback proxy that, once hung, keeps its
// connections open, reads and drops what the client sends and forwards
// nothing, as a hung node or proxy does (the kernel still acknowledges every
// packet, so keepalives see nothing wrong). Only --statement-timeout finds it.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

using std::chrono::steady_clock;

int PortOf(const std::string& url) {
  const size_t colon = url.rfind(':', url.find('/', url.find('@')));
  return std::stoi(url.substr(colon + 1));
}

std::string HostPort(const TcpProxy& proxy) { return "127.0.0.1:" + std::to_string(proxy.port()); }

double SecondsSince(steady_clock::time_point start) {
  return std::chrono::duration<double>(steady_clock::now() - start).count();
}

// The table and the journal first, so the journal can be watched.
void CreatePoints(ScratchDatabase& db) {
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
}

// Two gateways, one of them hung in the middle of the load: its chunks are
// redone over the other, with every row once, well within a minute.
TEST(Hang, WhenOneOfTwoGatewaysHangsTheLoadFinishesOverTheOther) {
  constexpr long long kRows = 300000;
  ScratchDatabase db;
  CreatePoints(db);
  TcpProxy first(PortOf(db.url()));
  TcpProxy second(PortOf(db.url()));
  LoaderProcess loader({"--url", WithPort(db.url(), first.port()), "--url",
                        WithPort(db.url(), second.port()), "--table", "points", "--rows",
                        std::to_string(kRows), "--chunk", "1000", "--workers", "2",
                        "--statement-timeout", "5"});
  ASSERT_TRUE(WaitFor([&] { return !loader.Running() || JournaledRows(db) >= 20000; },
                      std::chrono::minutes(2)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  const auto hung_at = steady_clock::now();
  first.Hang();
  LoaderRun run = loader.Wait();
  const double seconds = SecondsSince(hung_at);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_LT(seconds, 60) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), std::to_string(kRows));
  // The log names the host that stopped answering, and for how long.
  EXPECT_TRUE(Contains(run.err, "no answer from " + HostPort(first) +
                                    " for 5 s (--statement-timeout); cancelled the statement "
                                    "and dropped the connection"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, "while its host " + HostPort(first) + " is down")) << run.err;
  EXPECT_GT(first.hung_bytes(), 0);
}

// The only gateway hangs: the load stops within about --statement-timeout +
// --reconnect-timeout (+ a connect timeout) with exit 3 and a next: line,
// and a re-run straight to the server ends the transactions the hung
// connections left open and loads exactly the rest.
TEST(Hang, WhenTheOnlyGatewayHangsTheLoadStopsInBoundedTimeAndAReRunIsExact) {
  constexpr long long kRows = 300000;
  ScratchDatabase db;
  CreatePoints(db);
  TcpProxy gateway(PortOf(db.url()));
  const std::vector<std::string> load = {"--table",
                                         "points",
                                         "--rows",
                                         std::to_string(kRows),
                                         "--chunk",
                                         "1000",
                                         "--workers",
                                         "2",
                                         "--statement-timeout",
                                         "3",
                                         "--reconnect-timeout",
                                         "3"};
  std::vector<std::string> args = {"--url", WithPort(db.url(), gateway.port())};
  args.insert(args.end(), load.begin(), load.end());
  LoaderProcess loader(args);
  ASSERT_TRUE(WaitFor([&] { return !loader.Running() || JournaledRows(db) >= 20000; },
                      std::chrono::minutes(2)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  // At a COMMIT, so a transaction is surely left open: a plain Hang() could
  // fall while both workers wait for chunks, on a busy machine.
  const auto hung_at = steady_clock::now();
  gateway.HangAt("COMMIT", 1);
  LoaderRun run = loader.Wait();
  const double seconds = SecondsSince(hung_at);
  ASSERT_EQ(run.exit_code, 3) << run.all();
  EXPECT_LT(seconds, 45) << run.all();
  EXPECT_TRUE(Contains(run.err, "no answer from " + HostPort(gateway) + " for 3 s")) << run.err;
  EXPECT_TRUE(Contains(run.out, "next:           ")) << run.out;
  EXPECT_TRUE(Contains(run.out, "run the same command again")) << run.out;
  const long long committed = JournaledRows(db);
  EXPECT_LT(committed, kRows);
  // Still hung: its backends wait for the rest of a COPY, or in a
  // transaction, holding their chunks' journal rows.
  EXPECT_GE(std::stoll(db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND wait_event = 'ClientRead' AND state IN "
                                 "('active', 'idle in transaction')")),
            1);

  args = {"--url", db.url()};
  args.insert(args.end(), load.begin(), load.end());
  LoaderRun rerun = RunLoader(args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_TRUE(std::regex_search(
      rerun.err, std::regex("ended [1-9][0-9]* server session\\(s\\) that an earlier load left "
                            "waiting in a transaction")))
      << rerun.err;
  EXPECT_TRUE(Contains(rerun.err, "resuming: " + std::to_string(committed) + " rows")) << rerun.err;
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), std::to_string(kRows));
}

// A COMMIT that gets no answer: the server holds the transaction open (idle
// in it), the outcome is unknown, and the journal settles it after the
// worker moved to the other gateway and ended the abandoned transaction.
TEST(Hang, AHungCommitIsSettledByTheJournalWithNoDuplicates) {
  constexpr long long kRows = 100000;
  ScratchDatabase db;
  CreatePoints(db);
  TcpProxy first(PortOf(db.url()));
  TcpProxy second(PortOf(db.url()));
  first.HangAt("COMMIT", 5);
  const std::string stats = db.name() + ".json";
  LoaderRun run = RunLoader({"--url", WithPort(db.url(), first.port()), "--url",
                             WithPort(db.url(), second.port()), "--table", "points", "--rows",
                             std::to_string(kRows), "--chunk", "1000", "--workers", "2",
                             "--statement-timeout", "3", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  ASSERT_TRUE(first.hung());
  EXPECT_TRUE(Contains(
      run.err, "the commit's outcome is unknown (no answer from " + HostPort(first) + " for 3 s"))
      << run.err;
  EXPECT_TRUE(Contains(run.err, "ended 1 server session(s) left in a transaction")) << run.err;
  EXPECT_TRUE(Contains(run.err, "the journal says the commit did not happen; loading it again"))
      << run.err;
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_journal"), "100");
  // At least the hung one: on a busy machine a COMMIT through the healthy
  // gateway can pass the 3 s too, and is settled the same way.
  EXPECT_GE(JsonNumber(TakeFile(stats), "ambiguous_resolved"), 1);
}

}  // namespace
}  // namespace loader::test_support
