// Several gateway nodes: two loopback TCP proxies in front of one PostgreSQL
// stand for two CockroachDB nodes. Workers spread over both, and when one goes
// down its workers move to the other, with every row committed exactly once.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

struct HostShare {
  std::string host;
  long long rows = 0;
  long long chunks = 0;
  long long reconnects = 0;
};

// The per_host array of a --stats-json file.
std::vector<HostShare> PerHost(const std::string& json) {
  std::vector<HostShare> out;
  const nlohmann::ordered_json shares = ParseJson(json)["per_host"];
  for (const auto& share : shares) {
    out.push_back({share["host"], share["rows"], share["chunks"], share["reconnects"]});
  }
  return out;
}

int PortOf(const std::string& url) {
  const size_t colon = url.rfind(':', url.find('/', url.find('@')));
  return std::stoi(url.substr(colon + 1));
}

std::string HostPort(int port) { return "127.0.0.1:" + std::to_string(port); }

// Two proxies to `db`'s server: two gateway nodes of one cluster.
struct TwoGateways {
  explicit TwoGateways(const std::string& url)
      : first(PortOf(url)),
        second(PortOf(url)),
        first_url(WithPort(url, first.port())),
        second_url(WithPort(url, second.port())) {}
  TcpProxy first;
  TcpProxy second;
  std::string first_url;
  std::string second_url;
};

void ExpectSpreadOverBoth(const std::vector<HostShare>& hosts, const TwoGateways& gateways,
                          long long rows) {
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0].host, HostPort(gateways.first.port()));
  EXPECT_EQ(hosts[1].host, HostPort(gateways.second.port()));
  EXPECT_GT(hosts[0].rows, 0);
  EXPECT_GT(hosts[1].rows, 0);
  EXPECT_EQ(hosts[0].rows + hosts[1].rows, rows);
}

TEST(Hosts, ALoadOverTwoUrlsSpreadsItsChunksOverBoth) {
  constexpr long long kRows = 40000;
  ScratchDatabase db;
  TwoGateways gateways(db.url());
  const std::string stats = db.name() + ".json";
  LoaderRun run = RunLoader({"--url", gateways.first_url, "--url", gateways.second_url, "--table",
                             "points", "--rows", std::to_string(kRows), "--workers", "2",
                             "--create", "--quiet", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  const std::vector<HostShare> hosts = PerHost(TakeFile(stats));
  ExpectSpreadOverBoth(hosts, gateways, kRows);
  // The text's host table, one line per host.
  EXPECT_TRUE(
      std::regex_search(run.out, std::regex("\n  host +rows  chunks  retries  reconnects\n")))
      << run.out;
  for (const HostShare& h : hosts) {
    EXPECT_TRUE(
        std::regex_search(run.out, std::regex("\n  " + h.host + " +" + std::to_string(h.rows) +
                                              " +" + std::to_string(h.chunks) + " +0 +0\n")))
        << run.out;
  }
}

// postgresql://user@h1:p1,h2:p2/db: libpq alone would use the first host
// that answers; the loader gives each host its share of the workers.
TEST(Hosts, AMultiHostUrlSpreadsItsChunksOverEveryHost) {
  constexpr long long kRows = 40000;
  ScratchDatabase db;
  TwoGateways gateways(db.url());
  const std::string url = db.url();
  const std::string both = HostPort(gateways.first.port()) + "," + HostPort(gateways.second.port());
  const std::string multi = std::regex_replace(url, std::regex("127\\.0\\.0\\.1:\\d+"), both);
  const std::string stats = db.name() + ".json";
  LoaderRun run = RunLoader({"--url", multi, "--table", "points", "--rows", std::to_string(kRows),
                             "--workers", "2", "--create", "--quiet", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  const std::string json = TakeFile(stats);
  ExpectSpreadOverBoth(PerHost(json), gateways, kRows);
  // The password of the URL, expanded to one conninfo per host, stays hidden.
  const std::string password =
      url.substr(url.find(':', 13) + 1, url.find('@') - url.find(':', 13) - 1);
  EXPECT_FALSE(Contains(run.all() + json, password)) << run.all();
}

// One gateway goes down mid load: its workers move to the other and the load
// ends with every row once.
TEST(Hosts, WhenOneGatewayGoesDownTheLoadFinishesOverTheOther) {
  constexpr long long kRows = 200000;
  ScratchDatabase db;
  TwoGateways gateways(db.url());
  const std::string stats = db.name() + ".json";
  // The table and the journal first, so the journal can be watched.
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  LoaderProcess loader({"--url", gateways.first_url, "--url", gateways.second_url, "--table",
                        "points", "--rows", std::to_string(kRows), "--chunk", "1000", "--workers",
                        "2", "--create", "--stats-json", stats});
  ASSERT_TRUE(WaitFor([&] { return !loader.Running() || JournaledRows(db) >= 20000; },
                      std::chrono::minutes(2)));
  ASSERT_TRUE(loader.Running()) << loader.Wait().all();
  gateways.first.Stop();
  const long long before = JournaledRows(db);
  LoaderRun run = loader.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", kRows));
  EXPECT_EQ(db.Scalar("SELECT sum(row_count) FROM loader_journal"), std::to_string(kRows));
  const std::vector<HostShare> hosts = PerHost(TakeFile(stats));
  ASSERT_EQ(hosts.size(), 2u);
  // The first gateway took no chunk after it went down; the second took the rest.
  EXPECT_LE(hosts[0].rows, before + 2000);
  EXPECT_GE(hosts[1].rows, kRows - before - 2000);
  EXPECT_EQ(hosts[0].rows + hosts[1].rows, kRows);
  EXPECT_GE(hosts[1].reconnects, 1);  // the first gateway's worker, moved over
  EXPECT_TRUE(Contains(run.err, "host " + HostPort(gateways.first.port()) + " is down")) << run.err;
}

// A node that is down when the load starts: a warning, and its workers use
// the others. A host name that does not resolve is a typo and stops the load.
TEST(Hosts, AGatewayDownAtTheStartIsLeftToTheOthersButAnUnknownNameStops) {
  constexpr long long kRows = 20000;
  ScratchDatabase db;
  TwoGateways gateways(db.url());
  gateways.second.Stop();
  LoaderRun run =
      RunLoader({"--url", gateways.first_url, "--url", gateways.second_url, "--table", "points",
                 "--rows", std::to_string(kRows), "--workers", "2", "--create", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), kRows);
  EXPECT_TRUE(Contains(run.err, "; its workers start on the other hosts")) << run.err;

  const std::string unknown =
      std::regex_replace(db.url(), std::regex("127\\.0\\.0\\.1"), "no-such-host.invalid");
  run = RunLoader({"--url", gateways.first_url, "--url", unknown, "--table", "points", "--rows",
                   "10", "--quiet"});
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_TRUE(Contains(run.err, "could not translate host name \"no-such-host.invalid\""))
      << run.err;
}

}  // namespace
}  // namespace loader::test_support
