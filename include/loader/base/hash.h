// Hashing and cheap randomness the loader uses everywhere: row generation,
// content digests, job ids, retry jitter. Not for security.
#ifndef LOADER_HASH_H_
#define LOADER_HASH_H_

#include <chrono>
#include <cstdint>

namespace loader {

__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang; not ISO C++

// splitmix64's finalizer: a bijection on 64-bit values with good avalanche, so
// distinct inputs give distinct, well-spread outputs.
constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A splitmix64 stream for retry and reconnect jitter: seeded by the clock and
// a stream number (a worker), so workers that fail together do not retry in
// step. Thread safety: one thread at a time.
class Jitter {
 public:
  explicit Jitter(uint64_t stream)
      : state_(static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
               Mix64(stream)) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }

 private:
  uint64_t state_;
};

}  // namespace loader

#endif  // LOADER_HASH_H_
