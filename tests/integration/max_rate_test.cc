// --max-rate against the real server: four workers together stay under one
// budget of rows (COPY, and INSERT with chunks in flight) or of bytes, the
// load still commits every row exactly once, --workers auto adds no workers
// while the budget holds the load back, and a stop ends a wait for the
// budget. Times are asserted loosely: a busy machine only makes a load
// slower, and the benchmark (scripts/bench-max-rate.sh) measures precisely.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// 20,000 rows at 2,000 rows/s: ten seconds, whatever the method, though four
// workers could load them in well under one.
class MaxRateByMethod : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(MaxRateByMethod, FourWorkersTogetherStayUnderTheBudget) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  const auto start = Clock::now();
  const LoaderRun run =
      RunLoader(With({"--url", db.url(), "--rows", "20000", "--chunk", "200", "--workers", "4",
                      "--create", "--max-rate", "2000rows/s", "--stats-json", stats},
                     GetParam()));
  const double elapsed = SecondsSince(start);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 20000);
  EXPECT_GE(elapsed, 8.0) << run.all();
  EXPECT_LE(elapsed, 20.0) << run.all();
  const nlohmann::ordered_json json = ParseJson(TakeFile(stats));
  EXPECT_EQ(json["workers"], 4);
  EXPECT_EQ(json["max_rows_per_second"], 2000);
  EXPECT_EQ(json["max_bytes_per_second"], 0);
  EXPECT_LE(json["rows_per_second"].get<double>(), 2000 * 1.25) << json;
  // Four workers waited for the budget, not the budget for them.
  EXPECT_GE(json["rate_wait_seconds"].get<double>(), 5.0) << json;
  EXPECT_TRUE(Contains(run.out, "\nmax rate:       2000 rows/s (--max-rate); it held chunks back "))
      << run.out;
}

INSTANTIATE_TEST_SUITE_P(Methods, MaxRateByMethod,
                         ::testing::Values(std::vector<std::string>{"--method", "copy"},
                                           std::vector<std::string>{"--method", "insert",
                                                                    "--in-flight", "4"}));

// A byte budget counts the chunks' payload: the bytes the summary reports,
// over the seconds it took, stay under it.
TEST(MaxRate, AByteBudget) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  const LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "20000", "--chunk", "250",
                 "--workers", "3", "--create", "--max-rate", "256KiB/s", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 20000);
  const nlohmann::ordered_json json = ParseJson(TakeFile(stats));
  EXPECT_EQ(json["max_bytes_per_second"], 256 * 1024);
  const double bytes = json["bytes"].get<double>();
  const double seconds = json["seconds"].get<double>();
  const double at_budget = bytes / (256 * 1024);
  ASSERT_GE(at_budget, 2.0) << json;  // long enough to tell
  EXPECT_GE(seconds, 0.8 * at_budget) << json;
  EXPECT_LE(seconds, at_budget + 10) << json;
}

TEST(MaxRate, ThePlanShowsTheBudget) {
  ScratchDatabase db;
  const LoaderRun run = RunLoader(
      {"--url", db.url(), "--rows", "100", "--max-rate", "2000rows/s,8MiB/s", "--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out,
                       "\n  max rate:       2000 rows/s and 8 MiB/s, shared by all workers "
                       "(--max-rate; each chunk waits for its share)\n"))
      << run.out;
}

// Two workers already load far more than 1,000 rows/s near the server: the
// budget holds them back, so --workers auto adds none.
TEST(MaxRate, AutoWorkersAddNoneWhileTheBudgetHoldsTheLoadBack) {
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  const LoaderRun run = RunLoader({"--url", db.url(), "--rows", "4000", "--chunk", "100",
                                   "--create", "--max-rate", "1000rows/s", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 4000);
  EXPECT_TRUE(Contains(run.err, "--workers auto: staying at 2 workers: ")) << run.err;
  EXPECT_TRUE(Contains(run.err, " held back by --max-rate ")) << run.err;
  const nlohmann::ordered_json json = ParseJson(TakeFile(stats));
  EXPECT_EQ(json["workers"], 2) << json;
  EXPECT_EQ(json["workers_end"], 2) << json;
}

// A chunk of 1,000 rows at 10 rows/s waits 100 s for its turn; SIGINT ends
// the wait, the load stops as interrupted (exit 10), and a re-run without
// the budget loads exactly the rest.
TEST(MaxRate, AStopEndsAWaitForTheBudget) {
  ScratchDatabase db;
  const std::vector<std::string> load = {"--url", db.url(),    "--rows", "20000",   "--chunk",
                                         "1000",  "--workers", "2",      "--create"};
  LoaderProcess loader(With(load, {"--max-rate", "10rows/s"}));
  ASSERT_TRUE(WaitFor([&] { return db.Count("accounts") >= 1000 || !loader.Running(); },
                      std::chrono::minutes(1)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  loader.Signal(SIGINT);
  const auto stopped = Clock::now();
  ASSERT_TRUE(WaitFor([&] { return !loader.Running(); }, std::chrono::seconds(60)));
  EXPECT_LT(SecondsSince(stopped), 30.0);
  const LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 10) << run.all();
  const long long committed = JournaledRows(db);
  EXPECT_LT(committed, 20000);
  EXPECT_EQ(db.Count("accounts"), committed);

  const LoaderRun rerun = RunLoader(load);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  EXPECT_EQ(db.Count("accounts"), 20000);
  EXPECT_EQ(JournaledRows(db), 20000);
}

}  // namespace
}  // namespace loader::test_support
