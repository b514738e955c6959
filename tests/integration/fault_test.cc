// Exactly once under real faults: the loader killed with SIGKILL or stopped
// with SIGINT part way, its backends terminated, the server restarted, and a
// TCP proxy that cuts the connection around a COMMIT. Every test ends with the
// exact rows, checked by count and by an ordered checksum against a clean load.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/faults.h"
#include "support/private_server.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

using std::chrono::seconds;

constexpr long long kRows = 200000;

std::vector<std::string> PointsLoad(const std::string& url, long long rows = kRows,
                                    int chunk = 1000) {
  return {"--url",     url,
          "--table",   "points",
          "--rows",    std::to_string(rows),
          "--chunk",   std::to_string(chunk),
          "--workers", "2"};
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// One snapshot: a chunk's rows and its journal row commit together, so after
// any fault the table holds exactly the journaled rows.
constexpr char kTableMatchesJournal[] =
    "SELECT (SELECT count(*) FROM points) = "
    "(SELECT coalesce(sum(row_count), 0) FROM loader_journal)";

void CreatePoints(const std::string& url) {
  ASSERT_EQ(RunLoader({"--url", url, "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
}

// The re-run after a fault: loads the rest, and the table is exactly the
// reference rows.
void RerunIsExact(ScratchDatabase& db, long long committed_before) {
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun rerun = RunLoader(With(PointsLoad(db.url()), {"--stats-json", stats}));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.all();
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "skipped_rows"), committed_before) << json;
  EXPECT_GT(JsonNumber(json, "skipped_chunks"), 0) << json;
  EXPECT_EQ(JsonNumber(json, "rows") + JsonNumber(json, "skipped_rows"), kRows) << json;
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
}

TEST(Faults, KillNineAtSeveralPointsThenARerunIsExact) {
  ScratchDatabase db;
  CreatePoints(db.url());
  long long committed = 0;
  for (long long point : {10000LL, 80000LL, 150000LL}) {
    const LoaderRun run =
        KillOnceJournaled(db, PointsLoad(db.url()), point, std::chrono::minutes(2));
    ASSERT_EQ(run.term_signal, SIGKILL)
        << "the load ended before the kill at " << point << ": " << run.all();
    EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");
    const long long now = JournaledRows(db);
    EXPECT_GE(now, point);
    EXPECT_LT(now, kRows);
    committed = now;
  }
  RerunIsExact(db, committed);
}

TEST(Faults, SigintStopsWithExit10AndARerunIsExact) {
  ScratchDatabase db;
  CreatePoints(db.url());
  LoaderProcess loader(PointsLoad(db.url()));
  ASSERT_TRUE(WaitFor([&] { return JournaledRows(db) >= 30000 || !loader.Running(); },
                      std::chrono::minutes(2)));
  loader.Signal(SIGINT);
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 10) << run.all();
  EXPECT_TRUE(Contains(run.err, "stopping: finishing the chunks in flight")) << run.err;
  EXPECT_TRUE(Contains(run.out, "status:         interrupted: interrupted by a signal")) << run.out;
  const long long committed = JournaledRows(db);
  EXPECT_TRUE(Contains(run.out, "next:           " + std::to_string(committed) +
                                    " of 200000 rows "
                                    "are committed; run the same command again to load the rest"))
      << run.out;
  EXPECT_TRUE(Contains(run.out, "rows:           " + std::to_string(committed) + "\n")) << run.out;
  EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");
  EXPECT_LT(committed, kRows);
  RerunIsExact(db, committed);
}

TEST(Faults, ASecondSigintQuitsAtOnceAndARerunIsExact) {
  ScratchDatabase db;
  CreatePoints(db.url());
  // Every statement takes half a second, so the first SIGINT finds a chunk in
  // flight and the second one arrives while the loader still waits for it.
  InstallFault(db, "points", 1, "PERFORM pg_sleep(0.5)");
  LoaderProcess loader(PointsLoad(db.url()));
  ASSERT_TRUE(WaitFor([&] { return JournaledRows(db) >= 2000 || !loader.Running(); },
                      std::chrono::minutes(1)));
  loader.Signal(SIGINT);
  WaitFor([] { return false; }, std::chrono::milliseconds(100));
  loader.Signal(SIGINT);
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.term_signal, SIGINT) << run.all();
  EXPECT_TRUE(Contains(run.err, "stopping: finishing the chunks in flight")) << run.err;
  EXPECT_EQ(run.out, "");  // no summary: it quit at once
  WaitForLoaderBackendsToEnd(db);
  db.Exec("DROP TRIGGER inject_fault ON points");
  EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");
  RerunIsExact(db, JournaledRows(db));
}

// The same faults for either way of committing: COPY, a chunk at a time, and
// pipelined INSERT, a window of 8 chunks in flight on each connection.
class FaultsByProtocol : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(FaultsByProtocol, BackendsTerminatedRepeatedlyStillGiveExactRows) {
  ScratchDatabase db;
  CreatePoints(db.url());
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderProcess loader(
      With(With(PointsLoad(db.url(), kRows, 500), GetParam()), {"--stats-json", stats}));
  // Only once loading is under way: the set-up connection is not retried.
  ASSERT_TRUE(
      WaitFor([&] { return JournaledRows(db) > 0 || !loader.Running(); }, std::chrono::minutes(1)));
  int killed = 0;
  while (loader.Running()) {
    killed += std::stoi(db.Scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
        "current_database() AND application_name = 'loader' AND pid <> pg_backend_pid()"));
    WaitFor([&] { return !loader.Running(); }, std::chrono::milliseconds(100));
  }
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_GE(killed, 3);
  const std::string json = TakeFile(stats);
  EXPECT_GE(JsonNumber(json, "reconnects"), 1) << json;
  EXPECT_EQ(JsonNumber(json, "rows") + JsonNumber(json, "skipped_rows"), kRows) << json;
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar(kTableMatchesJournal), "t");
}

TEST_P(FaultsByProtocol, ServerRestartedImmediatelyMidLoadStillGivesExactRows) {
  PrivateServer server;
  CreatePoints(server.url());
  const std::string stats = "/tmp/loader-restart-" + std::to_string(::getpid()) + ".json";
  LoaderProcess loader(With(With(PointsLoad(server.url()), GetParam()),
                            {"--reconnect-timeout", "120", "--stats-json", stats}));
  ASSERT_TRUE(WaitFor(
      [&] {
        return std::stoll(QueryScalar(server.url(), kJournaledRows)) >= 20000 || !loader.Running();
      },
      std::chrono::minutes(2)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  server.Restart("immediate");
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const std::string json = TakeFile(stats);
  EXPECT_GE(JsonNumber(json, "reconnects"), 1) << json;
  EXPECT_EQ(QueryScalar(server.url(), "SELECT count(*) FROM points"), std::to_string(kRows));
  EXPECT_EQ(QueryScalar(server.url(), ChecksumSql("points")), ReferenceChecksum("points", kRows));
  EXPECT_EQ(QueryScalar(server.url(), kTableMatchesJournal), "t");
}

INSTANTIATE_TEST_SUITE_P(Protocols, FaultsByProtocol,
                         ::testing::Values(std::vector<std::string>{"--method", "copy"},
                                           std::vector<std::string>{"--method", "insert",
                                                                    "--in-flight", "8"}),
                         [](const auto& info) { return info.param[1]; });

TEST(Faults, ServerThatStaysDownEndsWithExit3AndSaysARerunResumes) {
  auto server = std::make_unique<PrivateServer>();
  const std::string url = server->url();
  CreatePoints(url);
  LoaderProcess loader(With(PointsLoad(url, 2000000), {"--reconnect-timeout", "2"}));
  ASSERT_TRUE(
      WaitFor([&] { return std::stoll(QueryScalar(url, kJournaledRows)) > 0 || !loader.Running(); },
              std::chrono::minutes(1)));
  server.reset();  // stopped for good
  LoaderRun run = loader.Wait();
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_TRUE(Contains(run.err, "s without a working connection (--reconnect-timeout)")) << run.err;
  EXPECT_TRUE(Contains(run.out, "rows are committed; run the same command again to load the rest"))
      << run.out;
}

// The proxy lets the server commit, then cuts the loader off before it hears
// so: the loader cannot know, the journal can.
class CutCommitTest : public ::testing::Test {
 protected:
  void SetUp() override { CreatePoints(db_.url()); }
  int ServerPort() const { return std::stoi(db_.url().substr(db_.url().rfind(':') + 1)); }
  // Loads 10,000 points through `proxy`, with `more` options.
  LoaderRun LoadThrough(const TcpProxy& proxy, const std::vector<std::string>& more) {
    return RunLoader(
        With({"--url", WithPort(db_.url(), proxy.port()), "--table", "points", "--rows", "10000"},
             more));
  }
  void ExpectExactPoints() {
    EXPECT_EQ(db_.Count("points"), 10000);
    EXPECT_EQ(db_.Checksum("points"), ReferenceChecksum("points", 10000));
  }

  ScratchDatabase db_;
};

TEST_F(CutCommitTest, CommittedButCutOffIsSettledByTheJournal) {
  TcpProxy proxy(ServerPort());
  proxy.CutAt("COMMIT", 3, TcpProxy::CutMode::kAfterReply);
  const std::string stats = "/tmp/" + db_.name() + ".json";
  LoaderRun run = LoadThrough(proxy, {"--workers", "1", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_TRUE(Contains(run.err, "chunk 2 (rows 2000..2999): the commit's outcome is unknown"))
      << run.err;
  EXPECT_TRUE(Contains(run.err,
                       "chunk 2 (rows 2000..2999): the journal says the commit "
                       "succeeded; nothing to redo"))
      << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "ambiguous_resolved"), 1) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  ExpectExactPoints();
}

TEST_F(CutCommitTest, CommitThatNeverArrivedIsRedone) {
  TcpProxy proxy(ServerPort());
  proxy.CutAt("COMMIT", 3, TcpProxy::CutMode::kBeforeForward);
  LoaderRun run = LoadThrough(proxy, {"--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(proxy.cuts(), 1);
  EXPECT_TRUE(Contains(run.err,
                       "chunk 2 (rows 2000..2999): the journal says the commit did not "
                       "happen; loading it again"))
      << run.err;
  ExpectExactPoints();
}

TEST_F(CutCommitTest, CockroachReleaseCutOffIsSettledByTheJournal) {
  TcpProxy proxy(ServerPort());
  proxy.CutAt("RELEASE SAVEPOINT cockroach_restart", 2, TcpProxy::CutMode::kAfterReply);
  LoaderRun run =
      LoadThrough(proxy, {"--workers", "2", "--method", "copy", "--server", "cockroach"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(proxy.cuts(), 1);
  // On PostgreSQL RELEASE is not the commit (COMMIT is, and it was never sent),
  // so here the journal finds nothing and the chunk is loaded again; on
  // CockroachDB the same cut would find it committed.
  EXPECT_TRUE(Contains(run.err, "the commit's outcome is unknown")) << run.err;
  EXPECT_TRUE(Contains(run.err, "the journal says the commit did not happen; loading it again"))
      << run.err;
  ExpectExactPoints();
}

TEST_F(CutCommitTest, PipelinedCockroachReleaseCutOffIsSettledByTheJournal) {
  TcpProxy proxy(ServerPort());
  proxy.CutAt("RELEASE SAVEPOINT cockroach_restart", 2, TcpProxy::CutMode::kAfterReply);
  const std::string stats = "/tmp/" + db_.name() + ".json";
  LoaderRun run = LoadThrough(proxy, {"--workers", "1", "--method", "insert", "--server",
                                      "cockroach", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(proxy.cuts(), 1);
  // In a pipeline RELEASE goes with the rest of its transaction, COMMIT
  // included, as on CockroachDB where RELEASE commits: the journal finds it.
  EXPECT_TRUE(Contains(run.err,
                       "chunk 1 (rows 1000..1999): the journal says the commit succeeded; "
                       "nothing to redo"))
      << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_GE(JsonNumber(json, "ambiguous_resolved"), 1) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  ExpectExactPoints();
}

TEST_F(CutCommitTest, WithoutTheJournalTheCutChunkIsNamedWithExit9) {
  TcpProxy proxy(ServerPort());
  proxy.CutAt("COMMIT", 3, TcpProxy::CutMode::kAfterReply);
  LoaderRun run = LoadThrough(proxy, {"--workers", "1", "--no-journal"});
  EXPECT_EQ(run.exit_code, 9) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "chunk 2 (rows 2000..2999): the commit's outcome is unknown, and "
                       "with --no-journal there is no record to settle it"))
      << run.err;
  // It did commit: the loader neither redid it nor went on.
  EXPECT_EQ(db_.Count("points"), 3000);
}

// A server that refuses statements of more than 300 rows (53400, as
// CockroachDB's intent budget does): chunks are split until they fit.
class TooLargeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TooLargeTest, ChunksAreSplitUntilTheyFitAndLaterOnesAreSmaller) {
  ScratchDatabase db;
  CreatePoints(db.url());
  InstallRowLimit(db, "points", 300, "53400");
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "10000", "--chunk", "1000",
                 "--workers", "1", "--method", GetParam(), "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err, "chunk 0 (rows 0..999) is too large for the server")) << run.err;
  EXPECT_TRUE(Contains(run.err, "(SQLSTATE 53400); committing it as 500 + 500 rows")) << run.err;
  const std::string json = TakeFile(stats);
  // 1000 -> 500 -> 250: chunk 0 splits three times (1000, then each 500), as
  // does every chunk made before the limit came down (the worker's chunks in
  // flight and the one ready for it); every chunk made after is 250 rows and
  // fits. Either way 40 chunks of 250 rows commit.
  EXPECT_GE(JsonNumber(json, "splits"), 3) << json;
  EXPECT_LE(JsonNumber(json, "splits"), 3 * (JsonNumber(json, "in_flight") + 1)) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 40) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_EQ(db.Count("points"), 10000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 10000));
  EXPECT_EQ(db.Scalar("SELECT max(row_count) FROM loader_journal"), "250");
}

INSTANTIATE_TEST_SUITE_P(Methods, TooLargeTest, ::testing::Values("copy", "insert"));

TEST(Faults, ARowTooLargeOnItsOwnStopsWithExit7) {
  ScratchDatabase db;
  CreatePoints(db.url());
  InstallRowLimit(db, "points", 0, "54000");
  LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "4", "--workers", "1"});
  EXPECT_EQ(run.exit_code, 7) << run.all();
  EXPECT_TRUE(Contains(
      run.err,
      "chunk 0 (rows 0..0): a single row is too large for the server: statement of 1 rows is "
      "too large: injected by test (SQLSTATE 54000)"))
      << run.err;
  EXPECT_EQ(db.Count("points"), 0);
}

}  // namespace
}  // namespace loader::test_support
