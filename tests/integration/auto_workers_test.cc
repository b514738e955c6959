// --workers auto, the default, across a network: the plan bounds the growth
// by the connections the server still accepts, the load adds workers while
// that raises the rows/s, and every row arrives exactly once.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr int kRows = 100000;

TEST(AutoWorkers, GrowWithinTheDatabasesConnectionLimitToExactRows) {
  ScratchDatabase ref("ref");
  ASSERT_EQ(RunLoader({"--url", ref.url(), "--table", "points", "--rows", std::to_string(kRows),
                       "--create", "--workers", "1"})
                .exit_code,
            0);
  ScratchDatabase db;
  // This test's own connection and the loader's first one are open when it
  // counts: 12 - 2 free, of which auto takes half.
  db.Exec("ALTER DATABASE " + db.name() + " CONNECTION LIMIT 12");
  const std::string url = db.url();
  TcpProxy proxy(std::stoi(url.substr(url.rfind(':') + 1)));
  proxy.SetDelay(std::chrono::milliseconds(10));
  // One chunk in flight a connection: each waits out every round trip, so
  // more connections load more.
  const std::vector<std::string> load = {"--url",       WithPort(url, proxy.port()),
                                         "--table",     "points",
                                         "--rows",      std::to_string(kRows),
                                         "--method",    "insert",
                                         "--in-flight", "1",
                                         "--create"};

  std::vector<std::string> dry_run = load;
  dry_run.push_back("--dry-run");
  LoaderRun plan = RunLoader(dry_run);
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_TRUE(Contains(plan.out,
                       "\n  workers:        2 to start (auto: adding connections while that "
                       "raises the rows/s, at most 5: half of the server's 10 free connection "
                       "slots)\n"))
      << plan.out;

  const std::string stats = "/tmp/" + db.name() + ".json";
  std::vector<std::string> run_args = load;
  run_args.insert(run_args.end(), {"--stats-json", stats});
  LoaderRun run = RunLoader(run_args);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ref.Checksum("points"));
  // The first window is the yardstick: its workers are always doubled once.
  EXPECT_TRUE(Contains(run.err, "--workers auto: 2 workers load ")) << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "workers_start"), 2) << json;
  const long long workers = JsonNumber(json, "workers");
  EXPECT_GE(workers, 4) << json;
  EXPECT_LE(workers, 5) << json;
  const auto per_worker = ParseJson(json)["per_worker"];
  ASSERT_EQ(static_cast<long long>(per_worker.size()), workers) << json;
  long long rows = 0;
  for (const auto& w : per_worker) rows += w["rows"].get<long long>();
  EXPECT_EQ(rows, kRows) << json;
  const long long at_end = JsonNumber(json, "workers_end");
  EXPECT_GE(at_end, 2) << json;  // it may go back to the workers before the last growth
  EXPECT_LE(at_end, workers) << json;
  EXPECT_TRUE(Contains(run.out, "table:          points (insert, " + std::to_string(workers) +
                                    " workers (auto: 2 to start, " + std::to_string(at_end) +
                                    " at the end), PostgreSQL)\n"))
      << run.out;
}

// A fixed --workers never grows, and the plan says it was asked for.
TEST(AutoWorkers, AFixedCountStaysAsGiven) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "300000",
                             "--workers", "3", "--create", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_FALSE(Contains(run.err, "--workers auto")) << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "workers"), 3) << json;
  EXPECT_EQ(JsonNumber(json, "workers_start"), 3) << json;
  EXPECT_EQ(JsonNumber(json, "workers_end"), 3) << json;
  EXPECT_EQ(db.Count("points"), 300000);
  LoaderRun plan = RunLoader(
      {"--url", db.url(), "--table", "points", "--rows", "10", "--workers", "3", "--dry-run"});
  EXPECT_TRUE(Contains(plan.out, "\n  workers:        3 (--workers)\n")) << plan.out;
}

}  // namespace
}  // namespace loader::test_support
