#include "loader/exec/retry_decision.h"

#include <gtest/gtest.h>

#include "loader/pg/sqlstate.h"

namespace loader {
namespace {

using Code = Status::Code;

// A failure as the server reports it, at a point of the transaction.
FailedAttempt Failed(std::string_view sqlstate, std::string_view message = "") {
  return {.code = ClassifySqlState(sqlstate, message), .journal = true};
}

TEST(DecideRetry, SerializationFailuresBackOffAndRedoUntilMaxRetries) {
  for (std::string_view sqlstate : {"40001", "40P01"}) {
    FailedAttempt failure = Failed(sqlstate);
    EXPECT_EQ(DecideRetry(failure), RetryAction::kRetryAfterBackoff) << sqlstate;
    failure.serialization_retries = 9;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kRetryAfterBackoff) << sqlstate;
    failure.serialization_retries = 10;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kRetriesExhausted) << sqlstate;
    failure.max_retries = 0;
    failure.serialization_retries = 0;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kRetriesExhausted) << sqlstate;
  }
}

TEST(DecideRetry, CockroachRetriesTheFirstSerializationFailureFromTheSavepoint) {
  FailedAttempt failure = Failed("40001");
  failure.server = ServerKind::kCockroach;
  failure.method = Method::kInsert;
  failure.transaction_open = true;
  EXPECT_EQ(DecideRetry(failure), RetryAction::kRetryFromSavepoint);
  // Only the first; only with the transaction still open; never for COPY;
  // never on PostgreSQL, which restarts in full.
  FailedAttempt second = failure;
  second.serialization_retries = 1;
  EXPECT_EQ(DecideRetry(second), RetryAction::kRetryAfterBackoff);
  FailedAttempt closed = failure;
  closed.transaction_open = false;
  EXPECT_EQ(DecideRetry(closed), RetryAction::kRetryAfterBackoff);
  FailedAttempt copy = failure;
  copy.method = Method::kCopy;
  EXPECT_EQ(DecideRetry(copy), RetryAction::kRetryAfterBackoff);
  FailedAttempt postgres = failure;
  postgres.server = ServerKind::kPostgres;
  EXPECT_EQ(DecideRetry(postgres), RetryAction::kRetryAfterBackoff);
}

TEST(DecideRetry, AnUnknownCommitOutcomeGoesToTheJournalOrStops) {
  // 40003 (statement completion unknown), and a connection lost once the
  // commit went out, which TxnRunner reports as kAmbiguousCommit.
  FailedAttempt failure = Failed("40003");
  EXPECT_EQ(failure.code, Code::kAmbiguousCommit);
  EXPECT_EQ(DecideRetry(failure), RetryAction::kAskJournal);
  failure.journal = false;
  EXPECT_EQ(DecideRetry(failure), RetryAction::kStopOutcomeUnknown);
  const FailedAttempt lost_commit{.code = Code::kAmbiguousCommit, .journal = true};
  EXPECT_EQ(DecideRetry(lost_commit), RetryAction::kAskJournal);
}

TEST(DecideRetry, AConnectionLostBeforeTheCommitIsReconnectedAndRedone) {
  // Class 08, the server shutting down or restarting (57P01..57P03), and a
  // host that does not answer; with or without a journal.
  for (std::string_view sqlstate : {"08006", "08003", "08000", "57P01", "57P02", "57P03"}) {
    FailedAttempt failure = Failed(sqlstate);
    EXPECT_EQ(DecideRetry(failure), RetryAction::kReconnect) << sqlstate;
    failure.journal = false;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kReconnect) << sqlstate;
  }
  EXPECT_EQ(DecideRetry({.code = Code::kConnectionFailed}), RetryAction::kReconnect);
}

TEST(DecideRetry, TooLargeIsSplit) {
  EXPECT_EQ(DecideRetry(Failed("53400")), RetryAction::kSplit);
  EXPECT_EQ(DecideRetry(Failed("54000")), RetryAction::kSplit);
  EXPECT_EQ(DecideRetry(Failed("XX000", "command is too large: 17000000 bytes")),
            RetryAction::kSplit);
}

TEST(DecideRetry, ARefusedRowIsFoundByItsLineOnlyWhenRowsHaveLines) {
  for (std::string_view sqlstate : {"22P02", "22003", "23505", "23502", "23514"}) {
    FailedAttempt failure = Failed(sqlstate);
    EXPECT_EQ(DecideRetry(failure), RetryAction::kStop) << sqlstate;  // generated rows
    failure.rows_from_files = true;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kFindRefusedRow) << sqlstate;
  }
}

TEST(DecideRetry, EverythingElseStops) {
  for (std::string_view sqlstate : {"42P01", "42501", "28P01", "42601", "XX000", "25P02"}) {
    FailedAttempt failure = Failed(sqlstate);
    failure.rows_from_files = true;
    failure.server = ServerKind::kCockroach;
    failure.transaction_open = true;
    EXPECT_EQ(DecideRetry(failure), RetryAction::kStop) << sqlstate;
  }
}

}  // namespace
}  // namespace loader
