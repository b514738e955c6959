#include "loader/exec/worker_growth.h"

#include <algorithm>
#include <cstdio>

namespace loader {

WorkerGrowth::WorkerGrowth(int start, int most, Clock::duration window)
    : workers_(start),
      most_(most),
      window_(window),
      state_(start < most ? State::kWaiting : State::kSettled) {}

int WorkerGrowth::Observe(Clock::time_point now, uint64_t rows, int working, Clock::duration held) {
  if (state_ == State::kSettled) return 0;
  if (state_ == State::kWaiting) {
    if (working < workers_) return 0;
    state_ = State::kMeasuring;
    window_start_ = now;
    rows_at_start_ = rows;
    held_at_start_ = held;
    return 0;
  }
  if (now - window_start_ < window_) return 0;
  const double seconds = std::chrono::duration<double>(now - window_start_).count();
  const double rate = static_cast<double>(rows - rows_at_start_) / seconds;
  char step[192];
  if (last_rate_ > 0 && rate < last_rate_ * kWorthwhileGain) {
    state_ = State::kSettled;
    if (rate < last_rate_) {
      // The last ones cost more than they brought: the server or this
      // machine is the limit, not the round trip.
      std::snprintf(step, sizeof step,
                    "going back to %d workers: %d loaded %.0f rows/s, %.2fx the %.0f rows/s of %d",
                    workers_before_, workers_, rate, rate / last_rate_, last_rate_,
                    workers_before_);
      last_step_ = step;
      const int retire = workers_ - workers_before_;
      workers_ = workers_before_;
      return -retire;
    }
    std::snprintf(step, sizeof step,
                  "staying at %d workers: %.0f rows/s, %.2fx the %.0f rows/s of %d", workers_, rate,
                  rate / last_rate_, last_rate_, workers_before_);
    last_step_ = step;
    return 0;
  }
  last_rate_ = rate;
  if (workers_ == most_) {
    std::snprintf(step, sizeof step, "staying at %d workers, the most allowed: %.0f rows/s",
                  workers_, rate);
    last_step_ = step;
    state_ = State::kSettled;
    return 0;
  }
  const double held_share = std::chrono::duration<double>(held - held_at_start_).count() / seconds;
  if (held_share >= kThrottledShare) {
    // The budget, not the workers, holds the rows/s back: more connections
    // would only wait for it, and cost a shared cluster their sessions.
    std::snprintf(step, sizeof step,
                  "staying at %d workers: %.0f rows/s, held back by --max-rate %.0f%% of the time",
                  workers_, rate, 100 * std::min(1.0, held_share));
    last_step_ = step;
    state_ = State::kSettled;
    return 0;
  }
  const int add = std::min(workers_, most_ - workers_);
  std::snprintf(step, sizeof step, "%d workers load %.0f rows/s; adding %d", workers_, rate, add);
  last_step_ = step;
  workers_before_ = workers_;
  workers_ += add;
  state_ = State::kWaiting;
  return add;
}

}  // namespace loader
