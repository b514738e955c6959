// --workers auto, as the load runs: measure the rows/s the current workers
// commit over a window, add as many workers again (up to the most allowed),
// measure again, and stop adding once a growth raised the rows/s by less than
// kWorthwhileGain; if it lowered them, go back to the workers before it.
// Near the server two workers already keep it busy, and the first growth
// shows it; across a network each connection spends most of its time
// waiting, and more of them load more. Pure: the caller brings the clock and
// the counters, and starts or stops workers as told.
#ifndef LOADER_EXEC_WORKER_GROWTH_H_
#define LOADER_EXEC_WORKER_GROWTH_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace loader {

class WorkerGrowth {
 public:
  using Clock = std::chrono::steady_clock;

  // A growth has to raise the rows/s by at least this much to be followed
  // by another: doubling the connections of a load bound by the round trip
  // nearly doubles it, one bound by the server gains nothing, and a window's
  // rows/s on a busy machine drift by several percent.
  static constexpr double kWorthwhileGain = 1.2;
  // Held back by the budget this much of a window, the load is throttled:
  // its workers could load more than the budget lets them. The measure is
  // coarse (a chunk's whole wait counts when it is booked), so not 0.
  static constexpr double kThrottledShare = 0.25;

  // Starts with `start` workers, never more than `most`, measuring over
  // windows of `window` (long enough for several round trips).
  WorkerGrowth(int start, int most, Clock::duration window);

  // Called often (each chunk) with the time, the rows committed so far, and
  // how many workers have committed a chunk yet. A window starts once every
  // worker has: a new connection's set-up is not its rows/s. Returns how
  // many workers to add now, or to stop (negative: the last ones added, who
  // finish their chunks and leave); mostly 0. `held`: how long --max-rate
  // has held chunks back so far; a window held back for kThrottledShare of
  // its time or more settles, as more workers could only wait for the budget.
  int Observe(Clock::time_point now, uint64_t rows, int working, Clock::duration held = {});

  // How many should be loading now.
  int workers() const { return workers_; }
  bool settled() const { return state_ == State::kSettled; }
  // What the last decision was, for the log.
  const std::string& last_step() const { return last_step_; }

 private:
  enum class State { kWaiting, kMeasuring, kSettled };

  int workers_;
  int workers_before_ = 0;  // before the last growth
  const int most_;
  const Clock::duration window_;
  State state_;
  Clock::time_point window_start_{};
  uint64_t rows_at_start_ = 0;
  Clock::duration held_at_start_{};
  double last_rate_ = 0;  // rows/s of the previous window; 0: none yet
  std::string last_step_;
};

}  // namespace loader

#endif  // LOADER_EXEC_WORKER_GROWTH_H_
