// RateLimiter against a clock the test drives: the exact wait of each chunk
// in a sequence, several threads sharing one budget, chunks bigger than a
// second's budget, no budget at all, and a wait that a stop ends; then
// --max-rate's text.
#include "loader/exec/rate_limit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace loader {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// Time stands still unless the test or a wait moves it. With `advance`, a
// wait moves it to the end of the wait (one thread at a time); without, a
// wait returns at once, so threads can book against a clock held still.
class FakeClock final : public RateClock {
 public:
  explicit FakeClock(bool advance = true) : advance_(advance) {}

  TimePoint Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  bool WaitUntil(TimePoint until, const std::function<bool()>& stop) override {
    std::lock_guard<std::mutex> lock(mu_);
    waits_.push_back(until - TimePoint{});
    if (stop()) return false;
    if (advance_) now_ = std::max(now_, until);
    return true;
  }

  void Pass(nanoseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  // The time points waited for, since the clock's zero.
  std::vector<nanoseconds> waits() {
    std::lock_guard<std::mutex> lock(mu_);
    return waits_;
  }

 private:
  const bool advance_;
  std::mutex mu_;
  TimePoint now_{};
  std::vector<nanoseconds> waits_;
};

const std::function<bool()> kNeverStop = [] { return false; };

RateBudget Rows(uint64_t per_second) { return RateBudget{.rows_per_second = per_second}; }

TEST(RateLimiter, EachChunkWaitsForTheRowsBeforeIt) {
  FakeClock clock;
  RateLimiter limiter(Rows(1000), nanoseconds(0), &clock);
  // A chunk pays after its slot: the first goes at once, each later one
  // when the rows before it have had their time at 1000 rows/s.
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(0));
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(100));
  EXPECT_EQ(limiter.Book(250, 0), milliseconds(200));
  EXPECT_EQ(limiter.Book(1, 0), milliseconds(450));
  clock.Pass(milliseconds(300));  // the booked slots are kept, the time moves on
  EXPECT_EQ(limiter.Book(10, 0), milliseconds(151));
  EXPECT_EQ(limiter.waited(), milliseconds(100 + 200 + 450 + 151));
}

TEST(RateLimiter, AcquireWaitsUntilTheSlot) {
  FakeClock clock;
  RateLimiter limiter(Rows(2000), nanoseconds(0), &clock);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.Acquire(200, 0, kNeverStop));
  // 200 rows at 2000 rows/s: a chunk every 100 ms, the first at once and
  // without a wait.
  EXPECT_EQ(clock.waits(), (std::vector<nanoseconds>{milliseconds(100), milliseconds(200),
                                                     milliseconds(300), milliseconds(400)}));
  EXPECT_EQ(clock.Now() - RateClock::TimePoint{}, milliseconds(400));
}

TEST(RateLimiter, AQuietSpellEarnsNoMoreThanTheBurst) {
  FakeClock clock;
  RateLimiter limiter(Rows(1000), milliseconds(100), &clock);
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(0));
  clock.Pass(seconds(10));
  // Ten seconds of quiet are worth 100 ms, one more chunk of 100 rows at once.
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(0));
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(0));
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(100));
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(200));
}

TEST(RateLimiter, ALoadStartsWithoutCredit) {
  FakeClock clock;
  clock.Pass(seconds(5));  // before the limiter: not a quiet spell of the load's
  RateLimiter limiter(Rows(1000), milliseconds(100), &clock);
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(0));
  EXPECT_EQ(limiter.Book(100, 0), milliseconds(100));
}

TEST(RateLimiter, AChunkBiggerThanASecondsBudgetStillGoes) {
  FakeClock clock;
  RateLimiter limiter(Rows(1000), nanoseconds(0), &clock);
  ASSERT_TRUE(limiter.Acquire(10000, 0, kNeverStop));  // ten seconds' worth, at once
  EXPECT_TRUE(clock.waits().empty());
  ASSERT_TRUE(limiter.Acquire(10000, 0, kNeverStop));  // after the first one's ten seconds
  ASSERT_TRUE(limiter.Acquire(1, 0, kNeverStop));
  EXPECT_EQ(clock.waits(), (std::vector<nanoseconds>{seconds(10), seconds(20)}));
}

TEST(RateLimiter, BytesAndRowsTheTighterBudgetDecides) {
  FakeClock clock;
  RateLimiter limiter(RateBudget{.rows_per_second = 1000, .bytes_per_second = 1 << 20},
                      nanoseconds(0), &clock);
  EXPECT_EQ(limiter.Book(100, 1 << 19), milliseconds(0));  // 100 ms of rows, 500 of bytes
  EXPECT_EQ(limiter.Book(500, 1024), milliseconds(500));   // the bytes before it decide
  // 500 rows took 500 ms; 1 KiB hardly any: the rows decide.
  EXPECT_EQ(limiter.Book(1, 0), milliseconds(1000));
}

TEST(RateLimiter, BytesAlone) {
  FakeClock clock;
  RateLimiter limiter(RateBudget{.bytes_per_second = 1000}, nanoseconds(0), &clock);
  EXPECT_EQ(limiter.Book(1000000, 250), milliseconds(0));  // rows are not counted
  EXPECT_EQ(limiter.Book(1000000, 250), milliseconds(250));
  EXPECT_EQ(limiter.Book(1000000, 1), milliseconds(500));
  // 1 byte at 1000 B/s is 1 ms; a third of one rounds up, never down.
  RateLimiter odd(RateBudget{.bytes_per_second = 3}, nanoseconds(0), &clock);
  EXPECT_EQ(odd.Book(0, 1), nanoseconds(0));
  EXPECT_EQ(odd.Book(0, 1), nanoseconds(333333334));
}

TEST(RateLimiter, NoBudgetNeverWaits) {
  FakeClock clock;
  RateLimiter limiter(RateBudget{}, milliseconds(100), &clock);
  EXPECT_FALSE(limiter.budget().limited());
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.Book(1000000, 1 << 30), nanoseconds(0));
    EXPECT_TRUE(limiter.Acquire(1000000, 1 << 30, [] { return true; }));
  }
  EXPECT_TRUE(clock.waits().empty());
  EXPECT_EQ(limiter.waited(), nanoseconds(0));
}

TEST(RateLimiter, EmptyChunksTakeNothing) {
  FakeClock clock;
  RateLimiter limiter(Rows(10), nanoseconds(0), &clock);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Book(0, 0), nanoseconds(0));
  EXPECT_EQ(limiter.Book(10, 0), nanoseconds(0));
  EXPECT_EQ(limiter.Book(0, 0), seconds(1));  // still waits its turn, and takes nothing
  EXPECT_EQ(limiter.Book(0, 0), seconds(1));
}

// Threads booking at once each get a slot of their own: at 1000 rows/s and
// 10 rows a chunk, one every 10 ms, none twice, none skipped, whatever the
// order they came in.
TEST(RateLimiter, ThreadsShareOneBudget) {
  FakeClock clock(/*advance=*/false);
  RateLimiter limiter(Rows(1000), nanoseconds(0), &clock);
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int i = 0; i < kEach; ++i) ASSERT_TRUE(limiter.Acquire(10, 0, kNeverStop));
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<nanoseconds> waits = clock.waits();
  std::sort(waits.begin(), waits.end());
  ASSERT_EQ(waits.size(), static_cast<size_t>(kThreads * kEach - 1));  // the first goes at once
  for (size_t i = 0; i < waits.size(); ++i) {
    EXPECT_EQ(waits[i], milliseconds(10) * static_cast<int>(i + 1)) << "slot " << i + 1;
  }
}

TEST(RateLimiter, AStopEndsTheWait) {
  FakeClock clock;
  RateLimiter limiter(Rows(1), nanoseconds(0), &clock);
  EXPECT_TRUE(limiter.Acquire(1, 0, [] { return true; }));  // no wait: no stop asked
  EXPECT_FALSE(limiter.Acquire(1, 0, [] { return true; }));
  EXPECT_EQ(clock.Now(), RateClock::TimePoint{});  // it did not wait the second out
}

// The real clock's wait looks at the stop while it sleeps: a wait of an
// hour ends soon after another thread asks. The bound is loose; only a
// wait that ignores the stop can come near it.
TEST(RateLimiter, TheSteadyClocksWaitEndsOnAStop) {
  RateLimiter limiter(Rows(1), nanoseconds(0));
  ASSERT_TRUE(limiter.Acquire(3600, 0, kNeverStop));
  std::atomic<bool> stop{false};
  std::thread asker([&] {
    std::this_thread::sleep_for(milliseconds(100));
    stop.store(true);
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(limiter.Acquire(1, 0, [&] { return stop.load(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(30));
  asker.join();
}

TEST(RateBurst, OneChunkPerWorkerAtMostATenthOfASecond) {
  // 200 rows at 2000 rows/s take 100 ms: a tenth of a second caps 4 of them.
  EXPECT_EQ(RateBurst(Rows(2000), 200, 1 << 20, 4), milliseconds(100));
  // 100 rows at 50000 rows/s take 2 ms: one for each of 2 workers.
  EXPECT_EQ(RateBurst(Rows(50000), 100, 1 << 20, 2), milliseconds(4));
  // The byte budget's share of a chunk when it is the longer.
  EXPECT_EQ(RateBurst(RateBudget{.rows_per_second = 50000, .bytes_per_second = 100 << 20}, 100,
                      1 << 20, 2),
            milliseconds(20));
  EXPECT_EQ(RateBurst(RateBudget{}, 100, 1 << 20, 2), nanoseconds(0));
}

RateBudget Parsed(const std::vector<std::string>& values) {
  RateBudget budget{.rows_per_second = 99, .bytes_per_second = 99};
  const Status s = ParseRateBudget(values, &budget);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return budget;
}

std::string ErrorOf(const std::vector<std::string>& values) {
  RateBudget budget;
  const Status s = ParseRateBudget(values, &budget);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  return s.message();
}

TEST(ParseRateBudget, RowsBytesBothAndNone) {
  EXPECT_EQ(Parsed({"2000rows/s"}).rows_per_second, 2000u);
  EXPECT_EQ(Parsed({"2000rows/s"}).bytes_per_second, 0u);
  EXPECT_EQ(Parsed({"2000 rows/s"}).rows_per_second, 2000u);
  EXPECT_EQ(Parsed({"8MiB/s"}).bytes_per_second, 8u << 20);
  EXPECT_EQ(Parsed({"8MiB/s"}).rows_per_second, 0u);
  EXPECT_EQ(Parsed({"512KiB/s"}).bytes_per_second, 512u << 10);
  EXPECT_EQ(Parsed({"1.5MiB/s"}).bytes_per_second, 1536u << 10);
  EXPECT_EQ(Parsed({"100B/s"}).bytes_per_second, 100u);
  const RateBudget both = Parsed({"50000rows/s, 8MiB/s"});
  EXPECT_EQ(both.rows_per_second, 50000u);
  EXPECT_EQ(both.bytes_per_second, 8u << 20);
  const RateBudget twice = Parsed({"8MiB/s", "50000rows/s"});
  EXPECT_EQ(twice.rows_per_second, 50000u);
  EXPECT_EQ(twice.bytes_per_second, 8u << 20);
  EXPECT_FALSE(Parsed({"none"}).limited());
  EXPECT_FALSE(Parsed({}).limited());
}

TEST(ParseRateBudget, RefusesWhatIsNotOneClearRate) {
  const std::string use =
      ": give rows per second as 2000rows/s, or payload bytes per second as "
      "8MiB/s";
  EXPECT_EQ(ErrorOf({"50000"}), "'50000' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"fast"}), "'fast' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"rows/s"}), "'rows/s' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"-5rows/s"}), "'-5rows/s' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"8XB/s"}), "'8XB/s' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"2000rows/s,"}), "'' is not a rate" + use);
  EXPECT_EQ(ErrorOf({"50000/s"}),
            "'50000/s': rows or bytes? Write 50000rows/s, or 50000B/s for "
            "bytes");
  EXPECT_EQ(ErrorOf({"2.5rows/s"}), "'2.5rows/s': rows per second must be a whole number");
  EXPECT_EQ(ErrorOf({"0rows/s"}),
            "'0rows/s' would load nothing: give a rate above 0, or none for no limit");
  EXPECT_EQ(ErrorOf({"0MiB/s"}),
            "'0MiB/s' would load nothing: give a rate above 0, or none for no limit");
  EXPECT_EQ(ErrorOf({"2000rows/s,3000rows/s"}), "two rates of rows per second: give one");
  EXPECT_EQ(ErrorOf({"1MiB/s", "2MiB/s"}), "two rates of bytes per second: give one");
  EXPECT_EQ(ErrorOf({"none,2000rows/s"}), "none means no limit: it cannot go with a rate");
}

TEST(RateBudget, Describe) {
  EXPECT_EQ(RateBudget{}.Describe(), "none");
  EXPECT_EQ(Rows(2000).Describe(), "2000 rows/s");
  EXPECT_EQ(RateBudget{.bytes_per_second = 8 << 20}.Describe(), "8 MiB/s");
  EXPECT_EQ(RateBudget{.bytes_per_second = 1536 << 10}.Describe(), "1536 KiB/s");
  EXPECT_EQ(RateBudget{.bytes_per_second = 1000}.Describe(), "1000 B/s");
  EXPECT_EQ((RateBudget{.rows_per_second = 5, .bytes_per_second = 1 << 20}).Describe(),
            "5 rows/s and 1 MiB/s");
}

}  // namespace
}  // namespace loader
