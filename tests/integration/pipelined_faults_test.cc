// Pipelined INSERT (issue 18) under faults: each worker keeps a window of
// chunks in flight on its connection (--in-flight 8), and whatever strikes
// one of them (40001, a refused row, a chunk too large, COMMIT replies lost
// for a whole window) every row still ends up in the table exactly once,
// checked by count and by an ordered checksum against a clean load, with the
// counters to match. Backends terminated and a server restarted with a
// window in flight are fault_test.cc's, for both protocols.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr char kInFlight[] = "8";

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// `rows` points in chunks of `chunk` rows, pipelined.
std::vector<std::string> PipelinedPoints(const std::string& url, long long rows, int chunk) {
  return {"--url",       url,
          "--table",     "points",
          "--rows",      std::to_string(rows),
          "--chunk",     std::to_string(chunk),
          "--method",    "insert",
          "--in-flight", kInFlight};
}

void CreatePoints(const std::string& url) {
  ASSERT_EQ(RunLoader({"--url", url, "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
}

int PortOf(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

// One snapshot: a chunk's rows and its journal row commit together.
constexpr char kTableMatchesJournal[] =
    "SELECT (SELECT count(*) FROM points) = "
    "(SELECT coalesce(sum(row_count), 0) FROM loader_journal)";

class PipelinedRetryTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PipelinedRetryTest, SerializationFailuresInAFullWindowGiveExactRows) {
  const std::string server = GetParam();
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  InstallFault(db, "accounts", 3, kRaise40001);
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "10000", "--chunk", "500", "--workers",
                             "1", "--method", "insert", "--in-flight", kInFlight, "--server",
                             server, "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 10000);
  EXPECT_EQ(db.Checksum("accounts"), ReferenceChecksum("accounts", 10000));
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "in_flight"), 8) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 20) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_GT(JsonNumber(json, "retried_chunks"), 0) << json;
  EXPECT_LE(JsonNumber(json, "retried_chunks"), JsonNumber(json, "retries")) << json;
  EXPECT_TRUE(Contains(run.err, "restart transaction: injected by test (SQLSTATE 40001)"))
      << run.err;
  if (server == "cockroach") {
    // The failed transaction stays open past the window's sync points, at
    // its savepoint.
    EXPECT_TRUE(Contains(run.err, "at once from the savepoint")) << run.err;
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM loader_journal"), "20");
}

INSTANTIATE_TEST_SUITE_P(Protocols, PipelinedRetryTest, ::testing::Values("postgres", "cockroach"));

TEST(PipelinedFaults, ChunksTooLargeAreSplitWithAWindowInFlight) {
  ScratchDatabase db;
  CreatePoints(db.url());
  InstallRowLimit(db, "points", 300, "53400");
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader(
      With(PipelinedPoints(db.url(), 20000, 1000), {"--workers", "1", "--stats-json", stats}));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const std::string json = TakeFile(stats);
  // Every chunk cut at 1000 rows before the limit came down (at most the
  // window and the one ready) splits three times; the rest are 250 rows.
  EXPECT_GE(JsonNumber(json, "splits"), 3) << json;
  EXPECT_LE(JsonNumber(json, "splits"), 3 * 9) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 80) << json;
  EXPECT_EQ(db.Count("points"), 20000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 20000));
  EXPECT_EQ(db.Scalar("SELECT max(row_count) FROM loader_journal"), "250");
}

// A row the server refuses in the fourth chunk of a window: without
// --max-rejects the load stops there, and the chunks after it in flight,
// refused by the server after the failed transaction, are not committed
// another way; with it, the row is set aside and everything else commits.
TEST(PipelinedFaults, ARefusedRowInAWindowStopsAtItsLineOrIsSetAside) {
  GeneratedRows rows("accounts", 10000);
  ScratchDir dir;
  const std::string file = dir.File("accounts.csv");
  WriteFile(file, JoinLines(rows.lines()));
  const std::string id = rows.lines()[3499].substr(0, rows.lines()[3499].find(','));
  const std::vector<std::string> load = {"--url",       "",       "--input",   file,
                                         "--method",    "insert", "--workers", "1",
                                         "--in-flight", kInFlight};
  {
    ScratchDatabase db("stops");
    ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
    db.Exec("INSERT INTO accounts VALUES ('" + id + "', -1)");
    std::vector<std::string> args = load;
    args[1] = db.url();
    LoaderRun run = RunLoader(args);
    EXPECT_EQ(run.exit_code, 8) << run.all();
    EXPECT_TRUE(Contains(run.err, file +
                                      ":3500: the server refused the row: duplicate key value "
                                      "violates unique constraint \"accounts_pkey\": Key (id)=(" +
                                      id + ") already exists. (SQLSTATE 23505)"))
        << run.err;
    EXPECT_EQ(db.Count("accounts"), 3000 + 1);  // chunks 0 to 2, and the row already there
    EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), "3000");
  }
  {
    ScratchDatabase db("aside");
    ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
    db.Exec("INSERT INTO accounts VALUES ('" + id + "', -1)");
    const std::string stats = dir.File("stats.json");
    std::vector<std::string> args = With(load, {"--max-rejects", "1", "--reject-file",
                                                dir.File("rejects.csv"), "--stats-json", stats});
    args[1] = db.url();
    LoaderRun run = RunLoader(args);
    ASSERT_EQ(run.exit_code, 0) << run.all();
    const std::string json = TakeFile(stats);
    EXPECT_EQ(JsonNumber(json, "rows"), 9999) << json;
    EXPECT_EQ(JsonNumber(json, "rejected"), 1) << json;
    EXPECT_EQ(ReadFile(dir.File("rejects.csv")), rows.lines()[3499] + "\n");
    EXPECT_EQ(db.Count("accounts"), 10000);
    EXPECT_EQ(db.Checksum("accounts"),
              rows.ChecksumAfter("UPDATE accounts SET balance = -1 WHERE id = '" + id + "'"));
    EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), "10000");
  }
}

// Through a proxy 2 ms away each way, so a window of commits is in flight,
// the fourth COMMIT is cut: one worker loads 10,000 points.
class CutInAWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CreatePoints(db_.url());
    proxy_.SetDelay(std::chrono::milliseconds(2));
  }
  LoaderRun Load(TcpProxy::CutMode mode, const std::vector<std::string>& more) {
    proxy_.CutAt("COMMIT", 4, mode);
    LoaderRun run = RunLoader(With(
        With(PipelinedPoints(WithPort(db_.url(), proxy_.port()), 10000, 1000), {"--workers", "1"}),
        more));
    EXPECT_EQ(proxy_.cuts(), 1);
    return run;
  }
  void ExpectExactPoints() {
    EXPECT_EQ(db_.Count("points"), 10000);
    EXPECT_EQ(db_.Checksum("points"), ReferenceChecksum("points", 10000));
    EXPECT_EQ(db_.Scalar(kTableMatchesJournal), "t");
  }

  ScratchDatabase db_;
  TcpProxy proxy_{PortOf(db_.url())};
};

// The proxy lets the fourth COMMIT in, then drops every reply the server
// sends from then on and cuts the connection. Each chunk whose answer was
// lost is settled by the journal.
TEST_F(CutInAWindowTest, CommitRepliesLostForAWindowAreSettledByTheJournal) {
  const std::string stats = "/tmp/" + db_.name() + ".json";
  LoaderRun run = Load(TcpProxy::CutMode::kAfterReply, {"--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "chunk 3 (rows 3000..3999): the journal says the commit succeeded; "
                       "nothing to redo"))
      << run.err;
  const std::string json = TakeFile(stats);
  EXPECT_GE(JsonNumber(json, "ambiguous_resolved"), 1) << json;
  EXPECT_LE(JsonNumber(json, "ambiguous_resolved"), 8) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 10000) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 10) << json;
  ExpectExactPoints();
}

TEST_F(CutInAWindowTest, ACommitThatNeverArrivedIsRedone) {
  LoaderRun run = Load(TcpProxy::CutMode::kBeforeForward, {});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "chunk 3 (rows 3000..3999): the journal says the commit did not happen; "
                       "loading it again"))
      << run.err;
  ExpectExactPoints();
}

TEST_F(CutInAWindowTest, WithoutTheJournalALostReplyStopsWithExit9) {
  LoaderRun run = Load(TcpProxy::CutMode::kAfterReply, {"--no-journal"});
  EXPECT_EQ(run.exit_code, 9) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "the commit's outcome is unknown, and with --no-journal there is no "
                       "record to settle it"))
      << run.err;
  // Chunks 0 to 3 went in whole and committed; the proxy held back every
  // chunk after them, and none was redone blindly.
  EXPECT_EQ(db_.Count("points"), 4000);
  EXPECT_EQ(db_.Scalar("SELECT max(id) FROM points"), "3999");
}

}  // namespace
}  // namespace loader::test_support
