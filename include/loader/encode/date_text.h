// Dates and times as counts (days since 1970-01-01, seconds of a day) and as
// the text both servers read and print, for generated values and for COPY
// binary values written back out as CSV.
#ifndef LOADER_ENCODE_DATE_TEXT_H_
#define LOADER_ENCODE_DATE_TEXT_H_

#include <cstdint>

namespace loader {

constexpr int64_t kSecondsPerDay = 86400;
// PostgreSQL's binary dates and timestamps count from 2000-01-01.
constexpr int64_t kPostgresEpochDays = 10957;
constexpr int64_t kPostgresEpochSeconds = kPostgresEpochDays * kSecondsPerDay;

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// "2024-03-01", for years 1 to 9999. Returns the end.
char* FormatDate(int64_t days, char* out);
// "13:04:59" for 0 <= seconds < 100 hours. Returns the end.
char* FormatTimeOfDay(int64_t seconds, char* out);

}  // namespace loader

#endif  // LOADER_ENCODE_DATE_TEXT_H_
