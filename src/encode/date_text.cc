#include "loader/encode/date_text.h"

#include <array>
#include <cstring>

namespace loader {
namespace {

// "00" to "99": two digits a copy, for the date and time fields.
constexpr std::array<char, 200> MakePairs() {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}
constexpr std::array<char, 200> kPairs = MakePairs();

char* TwoDigits(uint64_t v, char* out) {
  std::memcpy(out, &kPairs[2 * v], 2);
  return out + 2;
}

}  // namespace

// Howard Hinnant's algorithms: exact over the proleptic Gregorian calendar,
// no tables.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

char* FormatDate(int64_t days, char* out) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const uint64_t year = static_cast<uint64_t>(y) % 10000;  // years 1 to 9999
  out = TwoDigits(year / 100, out);
  out = TwoDigits(year % 100, out);
  *out++ = '-';
  out = TwoDigits(m, out);
  *out++ = '-';
  return TwoDigits(d, out);
}

char* FormatTimeOfDay(int64_t seconds, char* out) {
  const uint64_t s = static_cast<uint64_t>(seconds);
  out = TwoDigits(s / 3600 % 100, out);
  *out++ = ':';
  out = TwoDigits(s / 60 % 60, out);
  *out++ = ':';
  return TwoDigits(s % 60, out);
}

}  // namespace loader
