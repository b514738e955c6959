// Loading across a network: through a proxy that holds every byte a few
// milliseconds each way, loads of both methods and both dialects give exact
// rows, and the round trips they wait for (server_waits, which a network
// makes costly) stay within what each protocol needs per chunk.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr int kRows = 20000;
constexpr int kChunk = 1000;
constexpr int kChunks = kRows / kChunk;
constexpr int kWorkers = 2;

struct Case {
  const char* method;
  const char* server;
  // The most waits for the server a chunk may cost, and the most each
  // worker's connection may cost once (prepared statements, a reconnect).
  int waits_per_chunk;
  int waits_per_connection;
};

class LatencyTest : public ::testing::TestWithParam<Case> {};

TEST_P(LatencyTest, ExactRowsAndAtMostTheProtocolsWaitsPerChunk) {
  const Case& c = GetParam();
  ScratchDatabase ref("ref");
  ASSERT_EQ(RunLoader({"--url", ref.url(), "--table", "points", "--rows", std::to_string(kRows),
                       "--create"})
                .exit_code,
            0);
  ScratchDatabase db;
  const std::string url = db.url();
  TcpProxy proxy(std::stoi(url.substr(url.rfind(':') + 1)));
  proxy.SetDelay(std::chrono::milliseconds(2));
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", WithPort(url, proxy.port()), "--table", "points", "--rows",
                             std::to_string(kRows), "--chunk", std::to_string(kChunk), "--method",
                             c.method, "--server", c.server, "--workers", std::to_string(kWorkers),
                             "--create", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ref.Checksum("points"));

  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "chunks"), kChunks);
  const long long waits = JsonNumber(json, "server_waits");
  // One at a time, every chunk waits at least for its commit; pipelined, a
  // wait may bring the answers of several.
  EXPECT_GE(waits, kChunks / JsonNumber(json, "in_flight")) << json;
  EXPECT_EQ(JsonNumber(json, "in_flight") > 1, std::string(c.method) == "insert") << json;
  EXPECT_LE(waits, c.waits_per_chunk * kChunks + c.waits_per_connection * kWorkers) << json;
  // The round trip measured before loading includes the proxy's 2 ms each way.
  EXPECT_GE(ParseJson(json)["round_trip_ms"].get<double>(), 4.0) << json;
}

// The protocols, per chunk:
//  - copy, PostgreSQL: "BEGIN; <journal row>; COPY ...; COMMIT" as one query
//    string: a wait for the COPY to begin, and one for its end and COMMIT.
//  - copy, CockroachDB, which takes no COPY with other statements: BEGIN with
//    the savepoint and the journal row; COPY; its data and end; RELEASE
//    SAVEPOINT; COMMIT.
//  - insert, either: a chunk's transaction goes out whole in libpq's
//    pipeline mode, several chunks before the first one's answer is awaited:
//    at most one wait a chunk.
// And per connection: its session settings, and for insert the prepared
// statement.
INSTANTIATE_TEST_SUITE_P(Protocols, LatencyTest,
                         ::testing::Values(Case{"copy", "postgres", 2, 1},
                                           Case{"insert", "postgres", 1, 2},
                                           Case{"copy", "cockroach", 5, 1},
                                           Case{"insert", "cockroach", 1, 2}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.method) + "_" + info.param.server;
                         });

// --method auto, the default: COPY beside the server, pipelined INSERT once
// a round trip costs a millisecond or more, and pipelined INSERT on
// CockroachDB wherever it is; the plan says which and why.
TEST(AutoMethod, CopyBesideTheServerAndPipelinedInsertAcrossANetwork) {
  ScratchDatabase db;
  const std::string url = db.url();
  const std::string stats = "/tmp/" + db.name() + ".json";
  const std::vector<std::string> load = {"--table",  "points",       "--rows", "5000",
                                         "--create", "--stats-json", stats};
  auto with_url = [&](const std::string& target, std::vector<std::string> more) {
    std::vector<std::string> args = {"--url", target};
    args.insert(args.end(), load.begin(), load.end());
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  LoaderRun beside = RunLoader(with_url(url, {}));
  ASSERT_EQ(beside.exit_code, 0) << beside.all();
  std::string json = TakeFile(stats);
  EXPECT_EQ(JsonString(json, "method"), "copy") << json;
  EXPECT_EQ(JsonNumber(json, "in_flight"), 1) << json;

  TcpProxy proxy(std::stoi(url.substr(url.rfind(':') + 1)));
  proxy.SetDelay(std::chrono::milliseconds(2));
  const std::string far = WithPort(url, proxy.port());
  LoaderRun plan = RunLoader(with_url(far, {"--dry-run"}));
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_TRUE(Contains(plan.out, "  method:         insert (auto: a round trip of ")) << plan.out;
  EXPECT_TRUE(Contains(plan.out,
                       " ms, 1 ms or more: pipelined INSERT hides it, where COPY waits "
                       "twice a chunk)\n"))
      << plan.out;
  EXPECT_TRUE(Contains(plan.out, "  in flight:      ")) << plan.out;

  db.Exec("TRUNCATE points");
  LoaderRun across = RunLoader(with_url(far, {"--job", "across"}));
  ASSERT_EQ(across.exit_code, 0) << across.all();
  json = TakeFile(stats);
  EXPECT_EQ(JsonString(json, "method"), "insert") << json;
  EXPECT_GE(JsonNumber(json, "in_flight"), 2) << json;
  EXPECT_EQ(db.Count("points"), 5000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 5000));

  LoaderRun cockroach = RunLoader(with_url(url, {"--server", "cockroach", "--dry-run"}));
  ASSERT_EQ(cockroach.exit_code, 0) << cockroach.all();
  EXPECT_TRUE(Contains(cockroach.out,
                       "  method:         insert (auto: on CockroachDB COPY waits five times a "
                       "chunk, pipelined INSERT at most once)\n"))
      << cockroach.out;
}

// Every connection costs round trips: a load opens the first one, which
// plans and prepares the load and reads the journal at the end, and one a
// worker, opened while the first prepares the table and the journal, and
// nothing else.
TEST(ConnectionsAcrossANetwork, OneToPlanAndOneAWorkerOpenedAhead) {
  ScratchDatabase db;
  const std::string url = db.url();
  TcpProxy proxy(std::stoi(url.substr(url.rfind(':') + 1)));
  proxy.SetDelay(std::chrono::milliseconds(5));
  for (const char* method : {"insert", "copy"}) {
    SCOPED_TRACE(method);
    const int before = proxy.connections();
    LoaderRun run =
        RunLoader({"--url", WithPort(url, proxy.port()), "--table", "points", "--rows", "20000",
                   "--method", method, "--workers", "3", "--create", "--job", method});
    ASSERT_EQ(run.exit_code, 0) << run.all();
    EXPECT_EQ(proxy.connections() - before, 1 + 3) << run.all();
    EXPECT_EQ(db.Count("points"), 20000);
    db.Exec("TRUNCATE points");
  }
}

}  // namespace
}  // namespace loader::test_support
