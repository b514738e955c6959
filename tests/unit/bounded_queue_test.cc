#include "loader/base/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

namespace loader {
namespace {

TEST(BoundedQueue, PopsInPushOrder) {
  BoundedQueue<int> queue(10);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(queue.Push(i));
  for (int i = 1; i <= 5; ++i) {
    int item = 0;
    ASSERT_TRUE(queue.Pop(&item));
    EXPECT_EQ(item, i);
  }
}

TEST(BoundedQueue, MovesMoveOnlyItems) {
  BoundedQueue<std::unique_ptr<int>> queue(2);
  ASSERT_TRUE(queue.Push(std::make_unique<int>(7)));
  std::unique_ptr<int> item;
  ASSERT_TRUE(queue.Pop(&item));
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(*item, 7);
}

// Back-pressure: a producer can never be more than `capacity` items ahead of
// the consumer. The producer counts a push only once Push has returned, so with
// a single consumer `pushed <= popped + capacity` must hold at every check; a
// Push that did not block when full would break it as soon as it ran ahead.
TEST(BoundedQueue, PushBlocksWhileFull) {
  constexpr int kCapacity = 4;
  constexpr int kItems = 2000;
  BoundedQueue<int> queue(kCapacity);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < kItems; ++i) {
      if (!queue.Push(i)) return;
      pushed.fetch_add(1);
    }
  });
  // If an assertion below fails, unblock and join the producer on the way out.
  struct CancelAndJoin {
    BoundedQueue<int>& queue;
    std::thread& thread;
    ~CancelAndJoin() {
      queue.Cancel();
      if (thread.joinable()) thread.join();
    }
  } guard{queue, producer};

  // The producer fills the queue and then must stay stuck at exactly kCapacity
  // until something is popped.
  while (pushed.load() < kCapacity) std::this_thread::yield();
  for (int spin = 0; spin < 10000; ++spin) {
    ASSERT_EQ(pushed.load(), kCapacity);
    std::this_thread::yield();
  }

  for (int popped = 1; popped <= kItems; ++popped) {
    int item = -1;
    ASSERT_TRUE(queue.Pop(&item));
    ASSERT_EQ(item, popped - 1);
    ASSERT_LE(pushed.load(), popped + kCapacity);
  }
  producer.join();
  EXPECT_EQ(pushed.load(), kItems);
}

TEST(BoundedQueue, CloseLetsConsumersDrain) {
  BoundedQueue<int> queue(5);
  ASSERT_TRUE(queue.Push(1));
  ASSERT_TRUE(queue.Push(2));
  ASSERT_TRUE(queue.Push(3));
  queue.Close();
  int item = 0;
  for (int expected = 1; expected <= 3; ++expected) {
    ASSERT_TRUE(queue.Pop(&item));
    EXPECT_EQ(item, expected);
  }
  item = -1;
  EXPECT_FALSE(queue.Pop(&item));
  EXPECT_EQ(item, -1) << "a failed Pop leaves the item alone";
  EXPECT_FALSE(queue.Pop(&item)) << "and keeps failing";
}

TEST(BoundedQueue, PushAfterCloseFails) {
  BoundedQueue<int> queue(5);
  ASSERT_TRUE(queue.Push(1));
  queue.Close();
  EXPECT_FALSE(queue.Push(2));
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item));
  EXPECT_EQ(item, 1);
  EXPECT_FALSE(queue.Pop(&item)) << "the rejected item was not queued";
}

TEST(BoundedQueue, CloseWakesBlockedConsumers) {
  BoundedQueue<int> queue(1);
  std::latch started(3);
  std::atomic<int> failed_pops{0};
  std::vector<std::thread> consumers;
  for (int i = 0; i < 3; ++i) {
    consumers.emplace_back([&] {
      started.count_down();
      int item = 0;
      if (!queue.Pop(&item)) failed_pops.fetch_add(1);
    });
  }
  // Whether a consumer is already waiting or only about to call Pop, it must
  // return false; a Close that forgot to notify would hang the join.
  started.wait();
  queue.Close();
  for (std::thread& t : consumers) t.join();
  EXPECT_EQ(failed_pops.load(), 3);
}

TEST(BoundedQueue, CloseWakesBlockedProducer) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  std::latch started(1);
  bool pushed = true;
  std::thread producer([&] {
    started.count_down();
    pushed = queue.Push(2);
  });
  started.wait();
  queue.Close();
  producer.join();
  EXPECT_FALSE(pushed);
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item));
  EXPECT_EQ(item, 1);
  EXPECT_FALSE(queue.Pop(&item));
}

TEST(BoundedQueue, CancelWakesBlockedPop) {
  BoundedQueue<int> queue(1);
  std::latch started(1);
  bool popped = true;
  std::thread consumer([&] {
    started.count_down();
    int item = 0;
    popped = queue.Pop(&item);
  });
  started.wait();
  queue.Cancel();
  consumer.join();
  EXPECT_FALSE(popped);
}

TEST(BoundedQueue, CancelWakesBlockedPush) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1));
  std::latch started(1);
  bool pushed = true;
  std::thread producer([&] {
    started.count_down();
    pushed = queue.Push(2);
  });
  started.wait();
  queue.Cancel();
  producer.join();
  EXPECT_FALSE(pushed);
}

TEST(BoundedQueue, CancelDropsQueuedItems) {
  // Unlike Close, Cancel stops consumers at once, even with items queued.
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.Push(1));
  ASSERT_TRUE(queue.Push(2));
  queue.Cancel();
  int item = 0;
  EXPECT_FALSE(queue.Pop(&item));
  EXPECT_FALSE(queue.Push(3));
}

TEST(BoundedQueue, TryPopTakesWhatIsQueuedWithoutWaiting) {
  BoundedQueue<int> queue(1);
  int item = 0;
  EXPECT_FALSE(queue.TryPop(&item));  // empty: returns at once
  ASSERT_TRUE(queue.Push(5));
  ASSERT_TRUE(queue.TryPop(&item));
  EXPECT_EQ(item, 5);
  // The slot it freed takes another push without blocking.
  ASSERT_TRUE(queue.Push(6));
  queue.Close();
  ASSERT_TRUE(queue.TryPop(&item));  // closed, but still drained
  EXPECT_EQ(item, 6);
  EXPECT_FALSE(queue.TryPop(&item));
  BoundedQueue<int> cancelled(2);
  ASSERT_TRUE(cancelled.Push(1));
  cancelled.Cancel();
  EXPECT_FALSE(cancelled.TryPop(&item));
}

TEST(BoundedQueue, ManyProducersManyConsumersSeeEveryItemOnce) {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  constexpr uint64_t kPerProducer = 50000;
  constexpr uint64_t kTotal = kProducers * kPerProducer;
  BoundedQueue<uint64_t> queue(16);

  std::vector<std::vector<uint64_t>> received(kConsumers);
  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&queue, &mine = received[c]] {
      uint64_t item = 0;
      while (queue.Pop(&item)) mine.push_back(item);
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&queue, p] {
      for (uint64_t i = 0; i < kPerProducer; ++i) {
        ASSERT_TRUE(queue.Push(static_cast<uint64_t>(p) * kPerProducer + i));
      }
    });
  }
  for (std::thread& t : producers) t.join();
  queue.Close();
  for (std::thread& t : consumers) t.join();

  std::vector<int> times_seen(kTotal, 0);
  uint64_t count = 0;
  uint64_t sum = 0;
  for (const std::vector<uint64_t>& mine : received) {
    // Each producer's items reach any one consumer in the order they were pushed.
    std::vector<int64_t> last_from(kProducers, -1);
    for (uint64_t item : mine) {
      ASSERT_LT(item, kTotal);
      ++times_seen[item];
      ++count;
      sum += item;
      const int64_t producer = static_cast<int64_t>(item / kPerProducer);
      ASSERT_GT(static_cast<int64_t>(item), last_from[producer]);
      last_from[producer] = static_cast<int64_t>(item);
    }
  }
  EXPECT_EQ(count, kTotal);
  EXPECT_EQ(sum, kTotal * (kTotal - 1) / 2);
  for (uint64_t i = 0; i < kTotal; ++i) ASSERT_EQ(times_seen[i], 1) << "item " << i;
}

}  // namespace
}  // namespace loader
