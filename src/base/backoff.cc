#include "loader/base/backoff.h"

#include <algorithm>

namespace loader {

std::chrono::milliseconds Backoff::Ceiling(int retry) const {
  // Past 2^20 the cap has long won; stop shifting before it overflows.
  const int shift = std::clamp(retry - 1, 0, 20);
  const int64_t ceiling = base_.count() << shift;
  return std::chrono::milliseconds(std::min<int64_t>(ceiling, cap_.count()));
}

std::chrono::milliseconds Backoff::Delay(int retry, uint64_t random) const {
  const int64_t ceiling = Ceiling(retry).count();
  const int64_t half = ceiling / 2;
  const int64_t span = ceiling - half + 1;
  return std::chrono::milliseconds(half + static_cast<int64_t>(random % span));
}

}  // namespace loader
