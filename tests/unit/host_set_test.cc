// HostSet and ExpandHosts: which host a worker tries, and in what order, as
// hosts go down and come back; and a multi-host URL as one conninfo per host.
#include "loader/pg/host_set.h"

#include <gtest/gtest.h>

namespace loader {
namespace {

using Clock = HostSet::Clock;
using std::chrono::milliseconds;

HostSet ThreeHosts() {
  return HostSet({"host=a port=1", "host=b port=2", "host=c port=3"},
                 Backoff(milliseconds(1000), milliseconds(30000)));
}

std::vector<size_t> Order(const HostSet& hosts, size_t home, Clock::time_point now) {
  std::vector<size_t> order;
  hosts.TryOrder(home, now, &order);
  return order;
}

TEST(ExpandHosts, AMultiHostUrlBecomesOneConninfoPerHost) {
  EXPECT_EQ(ExpandHosts("postgresql://bob:pw@h1:26257,h2:26258/db?sslmode=disable"),
            (std::vector<std::string>{
                "user='bob' password='pw' dbname='db' host='h1' port='26257' sslmode='disable'",
                "user='bob' password='pw' dbname='db' host='h2' port='26258' sslmode='disable'"}));
}

TEST(ExpandHosts, OnePortServesEveryHost) {
  EXPECT_EQ(ExpandHosts("host=h1,h2,h3 port=26257 dbname=x"),
            (std::vector<std::string>{"dbname='x' host='h1' port='26257'",
                                      "dbname='x' host='h2' port='26257'",
                                      "dbname='x' host='h3' port='26257'"}));
}

TEST(ExpandHosts, QuotesValuesSoLibpqReadsThemBack) {
  const std::vector<std::string> out = ExpandHosts("host=h1,h2 password='it\\'s a \\\\ test'");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "password='it\\'s a \\\\ test' host='h1'");
  EXPECT_EQ(HostOf(out[1]), "h2:5432");
}

TEST(ExpandHosts, OneHostOrNoneIsLeftAsItIs) {
  const std::string url = "postgresql://bob:pw@h1:26257/db?sslmode=disable";
  EXPECT_EQ(ExpandHosts(url), std::vector<std::string>{url});
  EXPECT_EQ(ExpandHosts(""), std::vector<std::string>{""});
  EXPECT_EQ(ExpandHosts("postgresql://%zz"), std::vector<std::string>{"postgresql://%zz"});
}

TEST(HostSet, NamesEachHost) {
  const HostSet hosts = ThreeHosts();
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts.name(1), "b:2");
  EXPECT_EQ(hosts.conninfo(2), "host=c port=3");
}

TEST(HostSet, AWorkerTriesItsHomeThenTheOthersRoundRobin) {
  const HostSet hosts = ThreeHosts();
  const auto now = Clock::now();
  EXPECT_EQ(Order(hosts, 0, now), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(Order(hosts, 1, now), (std::vector<size_t>{1, 2, 0}));
  EXPECT_EQ(Order(hosts, 2, now), (std::vector<size_t>{2, 0, 1}));
}

TEST(HostSet, AHostMarkedDownIsTriedLastUntilItsBackoffPasses) {
  HostSet hosts = ThreeHosts();
  const auto now = Clock::now();
  hosts.MarkDown(1, now, 0);  // the first backoff: 500 to 1000 ms
  EXPECT_FALSE(hosts.Usable(1, now));
  EXPECT_EQ(Order(hosts, 1, now), (std::vector<size_t>{2, 0, 1}));
  EXPECT_EQ(Order(hosts, 0, now), (std::vector<size_t>{0, 2, 1}));
  EXPECT_TRUE(hosts.Usable(1, now + milliseconds(1001)));
  EXPECT_EQ(Order(hosts, 1, now + milliseconds(1001)), (std::vector<size_t>{1, 2, 0}));
}

TEST(HostSet, EachFailureInARowBacksOffLonger) {
  HostSet hosts = ThreeHosts();
  const auto now = Clock::now();
  hosts.MarkDown(0, now, 0);
  hosts.MarkDown(0, now, 0);
  hosts.MarkDown(0, now, 0);  // the third: 2000 to 4000 ms
  EXPECT_FALSE(hosts.Usable(0, now + milliseconds(1999)));
  EXPECT_TRUE(hosts.Usable(0, now + milliseconds(4001)));
  hosts.MarkUp(0);
  EXPECT_TRUE(hosts.Usable(0, now));
  hosts.MarkDown(0, now, 0);  // counted from one again
  EXPECT_TRUE(hosts.Usable(0, now + milliseconds(1001)));
}

TEST(HostSet, WhenAllAreDownTheSoonestBackComesFirst) {
  HostSet hosts = ThreeHosts();
  const auto now = Clock::now();
  hosts.MarkDown(0, now, 0);
  hosts.MarkDown(0, now, 0);                      // back in 1000 to 2000 ms
  hosts.MarkDown(1, now + milliseconds(100), 0);  // back in 600 to 1100 ms
  hosts.MarkDown(2, now, 0);                      // back in 500 to 1000 ms
  EXPECT_EQ(Order(hosts, 0, now), (std::vector<size_t>{2, 1, 0}));
}

}  // namespace
}  // namespace loader
