// FormatProgress: the text a user watches and a log keeps.
#include "loader/report/progress.h"

#include <gtest/gtest.h>

namespace loader {
namespace {

TEST(FormatProgress, KnownTotalShowsPercentRateAndEta) {
  ProgressSnapshot p;
  p.done = 12000;
  p.total = 100000;
  p.rows = 12000;
  p.bytes = 3 * 1048576;
  p.retries = 2;
  p.seconds = 4;
  // 3000 rows/s; (100000 - 12000) / 3000 = 29.3 s.
  EXPECT_EQ(FormatProgress(p),
            "12000 / 100000 rows (12.0%), 3000 rows/s, 0.75 MiB/s, 2 retries, ETA 0:00:29");
}

TEST(FormatProgress, RowsDoneBeforeThisRunCountAsDoneButNotInTheRate) {
  ProgressSnapshot p;
  p.done = 60000;  // 50000 of them from the journal
  p.total = 100000;
  p.rows = 10000;
  p.seconds = 10;
  EXPECT_EQ(FormatProgress(p),
            "60000 / 100000 rows (60.0%), 1000 rows/s, 0.00 MiB/s, 0 retries, ETA 0:00:40");
}

TEST(FormatProgress, EtaRunsIntoHours) {
  ProgressSnapshot p;
  p.done = 1;
  p.total = 7323;  // 7322 s left at 1 row/s: 2 h 2 min 2 s
  p.rows = 1;
  p.seconds = 1;
  EXPECT_EQ(FormatProgress(p),
            "1 / 7323 rows (0.0%), 1 rows/s, 0.00 MiB/s, 0 retries, ETA 2:02:02");
}

TEST(FormatProgress, NoEtaBeforeAnyRowOrOnceDone) {
  ProgressSnapshot p;
  p.total = 1000;
  EXPECT_EQ(FormatProgress(p), "0 / 1000 rows (0.0%), 0 rows/s, 0.00 MiB/s, 0 retries");
  p.done = p.rows = 1000;
  p.seconds = 2;
  EXPECT_EQ(FormatProgress(p), "1000 / 1000 rows (100.0%), 500 rows/s, 0.00 MiB/s, 0 retries");
}

TEST(FormatProgress, UnknownTotalShowsRowsAndRateOnly) {
  ProgressSnapshot p;
  p.done = 5000;
  p.rows = 5000;
  p.bytes = 1048576;
  p.seconds = 0.5;
  EXPECT_EQ(FormatProgress(p), "5000 rows, 10000 rows/s, 2.00 MiB/s, 0 retries");
}

}  // namespace
}  // namespace loader
