// Exponential backoff with jitter between retries of a chunk.
#ifndef LOADER_BACKOFF_H_
#define LOADER_BACKOFF_H_

#include <chrono>
#include <cstdint>

namespace loader {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap) : base_(base), cap_(cap) {}

  // The wait before retry number `retry` (1 for the first retry): the ceiling
  // min(cap, base * 2^(retry-1)), then "equal jitter", a uniform pick in
  // [ceiling/2, ceiling] driven by `random`, so workers that failed together do
  // not retry together, yet every wait keeps half its ceiling.
  std::chrono::milliseconds Delay(int retry, uint64_t random) const;

  // The ceiling alone, for tests and the log.
  std::chrono::milliseconds Ceiling(int retry) const;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
};

}  // namespace loader

#endif  // LOADER_BACKOFF_H_
