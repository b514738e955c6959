#include "loader/exec/rate_limit.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <thread>

#include "loader/pg/server_info.h"

namespace loader {
namespace {

using std::chrono::nanoseconds;

class SteadyClock final : public RateClock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }

  bool WaitUntil(TimePoint until, const std::function<bool()>& stop) override {
    // A signal handler cannot wake a condition variable (interrupt.h), so
    // the wait looks at `stop` in short steps; it runs once per chunk at
    // most, never per row.
    constexpr nanoseconds kStep = std::chrono::milliseconds(50);
    for (;;) {
      if (stop()) return false;
      const TimePoint now = Now();
      if (now >= until) return true;
      std::this_thread::sleep_for(std::min<nanoseconds>(kStep, until - now));
    }
  }
};

// How long `amount` takes of a budget of `per_second`, rounded up so a
// booking never gives more than the budget.
nanoseconds Cost(uint64_t amount, uint64_t per_second) {
  const long double ns = std::ceil(static_cast<long double>(amount) * 1e9L / per_second);
  return nanoseconds(static_cast<int64_t>(std::min<long double>(ns, 0x1p62L)));
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

Status NotARate(const std::string& item) {
  return Status::InvalidArgument("'" + item +
                                 "' is not a rate: give rows per second as 2000rows/s, or "
                                 "payload bytes per second as 8MiB/s");
}

// One rate, "2000rows/s" or "8MiB/s", into *rows or *bytes.
Status ParseOneRate(const std::string& item, uint64_t* rows, uint64_t* bytes) {
  if (!item.ends_with("/s")) return NotARate(item);
  std::string amount = Trimmed(std::string_view(item).substr(0, item.size() - 2));
  const bool is_rows = amount.ends_with("rows");
  if (is_rows) amount = Trimmed(std::string_view(amount).substr(0, amount.size() - 4));
  if (amount.empty() || !std::isdigit(static_cast<unsigned char>(amount.front()))) {
    return NotARate(item);
  }
  uint64_t value = 0;
  if (is_rows) {
    const auto [end, ec] = std::from_chars(amount.data(), amount.data() + amount.size(), value);
    if (ec != std::errc() || end != amount.data() + amount.size()) {
      return Status::InvalidArgument("'" + item + "': rows per second must be a whole number");
    }
  } else {
    // A bare number could be rows or bytes: the unit says which.
    if (!std::isalpha(static_cast<unsigned char>(amount.back()))) {
      return Status::InvalidArgument("'" + item + "': rows or bytes? Write " + amount +
                                     "rows/s, or " + amount + "B/s for bytes");
    }
    if (!ParseByteSize(amount, &value).ok()) return NotARate(item);
  }
  if (value == 0) {
    return Status::InvalidArgument("'" + item +
                                   "' would load nothing: give a rate above 0, or none for no "
                                   "limit");
  }
  uint64_t* const slot = is_rows ? rows : bytes;
  if (*slot != 0) {
    return Status::InvalidArgument(std::string("two rates of ") + (is_rows ? "rows" : "bytes") +
                                   " per second: give one");
  }
  *slot = value;
  return Status::OK();
}

}  // namespace

std::string RateBudget::Describe() const {
  std::string out;
  if (rows_per_second > 0) out = std::to_string(rows_per_second) + " rows/s";
  if (bytes_per_second > 0) {
    if (!out.empty()) out += " and ";
    if (bytes_per_second % (1 << 20) == 0) {
      out += std::to_string(bytes_per_second >> 20) + " MiB/s";
    } else if (bytes_per_second % (1 << 10) == 0) {
      out += std::to_string(bytes_per_second >> 10) + " KiB/s";
    } else {
      out += std::to_string(bytes_per_second) + " B/s";
    }
  }
  return out.empty() ? "none" : out;
}

Status ParseRateBudget(const std::vector<std::string>& values, RateBudget* budget) {
  RateBudget parsed;
  bool none = false;
  size_t items = 0;
  for (const std::string& value : values) {
    for (size_t begin = 0;;) {
      const size_t comma = std::min(value.find(',', begin), value.size());
      const std::string item = Trimmed(std::string_view(value).substr(begin, comma - begin));
      ++items;
      if (item == "none") {
        none = true;
      } else {
        Status s = ParseOneRate(item, &parsed.rows_per_second, &parsed.bytes_per_second);
        if (!s.ok()) return s;
      }
      if (comma == value.size()) break;
      begin = comma + 1;
    }
  }
  if (none && items > 1) {
    return Status::InvalidArgument("none means no limit: it cannot go with a rate");
  }
  *budget = parsed;
  return Status::OK();
}

RateClock* SteadyRateClock() {
  static SteadyClock clock;
  return &clock;
}

nanoseconds RateBurst(const RateBudget& budget, uint64_t chunk_rows, uint64_t chunk_bytes,
                      int chunks) {
  nanoseconds chunk{0};
  if (budget.rows_per_second > 0) chunk = Cost(chunk_rows, budget.rows_per_second);
  if (budget.bytes_per_second > 0) {
    chunk = std::max(chunk, Cost(chunk_bytes, budget.bytes_per_second));
  }
  const int64_t most = std::chrono::duration_cast<nanoseconds>(kMostRateBurst).count();
  const int64_t n = std::max(chunks, 1);
  return nanoseconds(chunk.count() >= most / n ? most : chunk.count() * n);
}

RateLimiter::RateLimiter(RateBudget budget, nanoseconds burst, RateClock* clock)
    : budget_(budget), burst_(burst), clock_(clock) {
  // A load that has just started has had no quiet spell to earn credit for.
  rows_ = {budget.rows_per_second, clock->Now()};
  bytes_ = {budget.bytes_per_second, clock->Now()};
}

RateClock::TimePoint RateLimiter::Reserve(uint64_t rows, uint64_t bytes, RateClock::TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  // The chunk goes when every budget has room for it; credit older than
  // burst_ has lapsed.
  RateClock::TimePoint start = now - burst_;
  for (const Schedule* s : {&rows_, &bytes_}) {
    if (s->per_second > 0) start = std::max(start, s->next);
  }
  if (rows_.per_second > 0) rows_.next = start + Cost(rows, rows_.per_second);
  if (bytes_.per_second > 0) bytes_.next = start + Cost(bytes, bytes_.per_second);
  if (start > now) waited_ += start - now;
  return start;
}

nanoseconds RateLimiter::Book(uint64_t rows, uint64_t bytes) {
  if (!budget_.limited()) return nanoseconds(0);
  const RateClock::TimePoint now = clock_->Now();
  return std::max(nanoseconds(0), Reserve(rows, bytes, now) - now);
}

bool RateLimiter::Acquire(uint64_t rows, uint64_t bytes, const std::function<bool()>& stop) {
  if (!budget_.limited()) return true;
  const RateClock::TimePoint now = clock_->Now();
  const RateClock::TimePoint start = Reserve(rows, bytes, now);
  return start <= now || clock_->WaitUntil(start, stop);
}

nanoseconds RateLimiter::waited() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waited_;
}

}  // namespace loader
