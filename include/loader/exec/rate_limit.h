// --max-rate: a budget of rows and/or payload bytes per second that every
// worker of a load shares, so a load on a shared cluster stays under it
// whatever --workers is. The unit is a chunk, never a row: a chunk takes its
// rows and bytes from the budget once, before it goes.
//
// RateLimiter keeps, for each budget, the time from which the next chunk may
// go (GCRA, the "theoretical arrival time"). Acquire books a chunk's slot
// under one mutex, moving that time on by rows / rate (and bytes / rate),
// then sleeps outside the mutex until the slot comes. A chunk pays after its
// slot: one bigger than a second's budget goes when its turn comes, and the
// next one waits longer, so nothing can wait forever for a budget it never
// fits in. A quiet spell (the workers were slower than the budget) earns
// credit for at most `burst`, so a load that fell behind catches up by at
// most that much at once.
// Thread safety: Acquire and the accessors may be called from any thread.
#ifndef LOADER_EXEC_RATE_LIMIT_H_
#define LOADER_EXEC_RATE_LIMIT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"

namespace loader {

struct RateBudget {
  uint64_t rows_per_second = 0;   // 0: no row budget
  uint64_t bytes_per_second = 0;  // payload bytes; 0: no byte budget

  bool limited() const { return rows_per_second > 0 || bytes_per_second > 0; }
  // "2000 rows/s", "8 MiB/s", "2000 rows/s and 1536 KiB/s", or "none".
  std::string Describe() const;
};

// Reads --max-rate's values into *budget: each value one rate or several
// joined by commas, a rate being N rows/s (2000rows/s) or a byte size per
// second as --chunk-bytes reads sizes (8MiB/s, 512KiB/s, 1048576B/s), or
// "none". At most one of each kind; a rate of 0 is refused.
Status ParseRateBudget(const std::vector<std::string>& values, RateBudget* budget);

// Where the limiter reads the time and waits: the real clock, or a test's.
class RateClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~RateClock() = default;
  virtual TimePoint Now() = 0;
  // Waits until `until`; returns false as soon as `stop()` is true instead.
  virtual bool WaitUntil(TimePoint until, const std::function<bool()>& stop) = 0;
};

// std::chrono::steady_clock; its wait asks `stop` every 50 ms at most.
RateClock* SteadyRateClock();

// How much quiet time earns credit: at most one chunk for each of `chunks`
// (the chunks the workers may send at once), and never more than
// kMostRateBurst, so no second loads more than about a tenth over the
// budget beyond the chunk in flight.
inline constexpr std::chrono::milliseconds kMostRateBurst{100};
std::chrono::nanoseconds RateBurst(const RateBudget& budget, uint64_t chunk_rows,
                                   uint64_t chunk_bytes, int chunks);

class RateLimiter {
 public:
  // `clock` must outlive the limiter. The budget starts with no credit.
  RateLimiter(RateBudget budget, std::chrono::nanoseconds burst,
              RateClock* clock = SteadyRateClock());

  // Books the slot of a chunk of `rows` and `bytes` and waits for it; true
  // when the chunk may go. False when `stop()` became true first: the load
  // is stopping, and the booked slot is left to lapse. Without a budget, or
  // when the slot has come, returns at once, without a system call.
  bool Acquire(uint64_t rows, uint64_t bytes, const std::function<bool()>& stop);

  // Books the slot as Acquire does, and returns how long from now it is
  // (zero: at once) without waiting. For Acquire and the tests.
  std::chrono::nanoseconds Book(uint64_t rows, uint64_t bytes);

  const RateBudget& budget() const { return budget_; }
  // The waits booked so far, summed: how long the budget held the load back.
  std::chrono::nanoseconds waited() const;

 private:
  // Books the slot of a chunk asking at `now`; returns when it may go.
  RateClock::TimePoint Reserve(uint64_t rows, uint64_t bytes, RateClock::TimePoint now);

  struct Schedule {
    uint64_t per_second = 0;    // 0: not limited
    RateClock::TimePoint next;  // when the next chunk may go
  };

  const RateBudget budget_;
  const std::chrono::nanoseconds burst_;
  RateClock* const clock_;
  mutable std::mutex mu_;
  Schedule rows_;                       // guarded by mu_
  Schedule bytes_;                      // guarded by mu_
  std::chrono::nanoseconds waited_{0};  // guarded by mu_
};

}  // namespace loader

#endif  // LOADER_EXEC_RATE_LIMIT_H_
