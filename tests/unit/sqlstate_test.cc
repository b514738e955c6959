#include "loader/pg/sqlstate.h"

#include <gtest/gtest.h>

#include <string>

#include "loader/base/exit_code.h"
#include "loader/base/status.h"

namespace loader {
namespace {

using C = Status::Code;

struct SqlStateCase {
  const char* sqlstate;
  const char* message;
  C code;
};

// Every row of the table in sqlstate.h, with a few members of each class.
TEST(ClassifySqlState, FollowsTheTable) {
  const SqlStateCase cases[] = {
      {"40001", "restart transaction: TransactionRetryWithProtoRefreshError", C::kRetryable},
      {"40P01", "deadlock detected", C::kRetryable},
      {"40003", "result is ambiguous", C::kAmbiguousCommit},
      {"08000", "connection exception", C::kConnectionLost},
      {"08003", "connection does not exist", C::kConnectionLost},
      {"08006", "connection failure", C::kConnectionLost},
      {"08001", "could not connect", C::kConnectionLost},
      {"08P01", "protocol violation", C::kConnectionLost},
      {"57P01", "terminating connection due to administrator command", C::kConnectionLost},
      {"57P02", "crash shutdown", C::kConnectionLost},
      {"57P03", "the database system is starting up", C::kConnectionLost},
      {"53400", "configuration limit exceeded", C::kTooLarge},
      {"54000", "program limit exceeded", C::kTooLarge},
      {"XX000", "command is too large: 70000000 bytes (max: 67108864)", C::kTooLarge},
      // CockroachDB's pgwire message limit, sent with a class 08 code: the text wins,
      // since reconnecting to send the same chunk again would fail the same way.
      {"08P01", "message size 18 MiB bigger than maximum allowed message size 16 MiB",
       C::kTooLarge},
      {"22000", "data exception", C::kDataError},
      {"22P02", "invalid input syntax for type uuid", C::kDataError},
      {"22003", "numeric value out of range", C::kDataError},
      {"23505", "duplicate key value violates unique constraint", C::kDataError},
      {"23502", "null value in column violates not-null constraint", C::kDataError},
      {"28000", "invalid authorization specification", C::kAuthFailed},
      {"28P01", "password authentication failed for user", C::kAuthFailed},
      {"42501", "permission denied for table accounts", C::kPermissionDenied},
      {"42P01", "relation \"accounts\" does not exist", C::kTableMissing},
      {"XX000", "internal error", C::kServerError},
      {"42601", "syntax error", C::kServerError},
      {"57014", "canceling statement due to statement timeout", C::kServerError},
      {"57P04", "database dropped", C::kServerError},  // only 57P01..57P03 are listed
      {"53200", "out of memory", C::kServerError},     // only 53400 of class 53
      {"40002", "integrity constraint violation", C::kServerError},
      {"42P07", "relation already exists", C::kServerError},
      {"", "", C::kServerError},
  };
  for (const SqlStateCase& c : cases) {
    EXPECT_EQ(ClassifySqlState(c.sqlstate, c.message), c.code)
        << "'" << c.sqlstate << "' " << c.message << ": got "
        << CodeName(ClassifySqlState(c.sqlstate, c.message)) << ", want " << CodeName(c.code);
  }
}

TEST(ClassifySqlState, TooLargeMessageWithoutSqlState) {
  EXPECT_EQ(ClassifySqlState("", "command is too large"), C::kTooLarge);
  EXPECT_EQ(ClassifySqlState("XX000", "command is too large"), C::kTooLarge);
}

struct ExitCase {
  C code;
  int exit_code;
};

TEST(ExitCodeFor, MapsEveryCodeToItsDocumentedNumber) {
  const ExitCase cases[] = {
      {C::kOk, 0},
      {C::kInvalidArgument, 2},
      {C::kConnectionFailed, 3},
      {C::kConnectionLost, 3},
      {C::kAuthFailed, 4},
      {C::kTableMissing, 5},
      {C::kPermissionDenied, 6},
      {C::kRetryable, 7},
      {C::kRetriesExhausted, 7},
      {C::kAmbiguousCommit, 9},
      {C::kTooLarge, 7},
      {C::kDataError, 8},
      {C::kServerError, 1},
      {C::kIoError, 1},
      {C::kInternal, 1},
      {C::kInterrupted, 10},
  };
  for (const ExitCase& c : cases) {
    const Status s = c.code == C::kOk ? Status::OK() : Status::Error(c.code, "failed");
    EXPECT_EQ(static_cast<int>(ExitCodeFor(s)), c.exit_code) << CodeName(c.code);
  }
}

TEST(ExitCodeFor, NamedConstantsKeepTheirNumbers) {
  // Scripts depend on these numbers; they never change meaning once released.
  EXPECT_EQ(static_cast<int>(ExitCode::kOk), 0);
  EXPECT_EQ(static_cast<int>(ExitCode::kInternal), 1);
  EXPECT_EQ(static_cast<int>(ExitCode::kUsage), 2);
  EXPECT_EQ(static_cast<int>(ExitCode::kUnreachable), 3);
  EXPECT_EQ(static_cast<int>(ExitCode::kAuthFailed), 4);
  EXPECT_EQ(static_cast<int>(ExitCode::kTableMissing), 5);
  EXPECT_EQ(static_cast<int>(ExitCode::kPermissionDenied), 6);
  EXPECT_EQ(static_cast<int>(ExitCode::kRetriesExhausted), 7);
  EXPECT_EQ(static_cast<int>(ExitCode::kDataError), 8);
  EXPECT_EQ(static_cast<int>(ExitCode::kAmbiguousCommit), 9);
  EXPECT_EQ(static_cast<int>(ExitCode::kInterrupted), 10);
}

TEST(Status, ToStringFormats) {
  EXPECT_EQ(Status::OK().ToString(), "OK");
  EXPECT_EQ(Status::InvalidArgument("bad --rows").ToString(), "bad --rows");
  EXPECT_EQ(Status::Error(C::kRetryable, "restart transaction", "40001").ToString(),
            "restart transaction (SQLSTATE 40001)");
}

TEST(Status, WithContextPrefixesTheMessageAndKeepsTheRest) {
  const Status s = Status::Error(C::kDataError, "invalid input syntax", "22P02")
                       .WithContext("chunk 7")
                       .WithContext("loading accounts");
  EXPECT_EQ(s.code(), C::kDataError);
  EXPECT_EQ(s.sqlstate(), "22P02");
  EXPECT_EQ(s.message(), "loading accounts: chunk 7: invalid input syntax");
  EXPECT_EQ(s.ToString(), "loading accounts: chunk 7: invalid input syntax (SQLSTATE 22P02)");
}

TEST(Status, WithContextOnOkStaysOk) {
  const Status s = Status::OK().WithContext("anything");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Status, WithCodeKeepsMessageAndSqlState) {
  const Status s = Status::Error(C::kRetryable, "restart", "40001").WithCode(C::kRetriesExhausted);
  EXPECT_EQ(s.code(), C::kRetriesExhausted);
  EXPECT_EQ(s.message(), "restart");
  EXPECT_EQ(s.sqlstate(), "40001");
}

TEST(Status, CodeNames) {
  EXPECT_EQ(CodeName(C::kOk), "ok");
  EXPECT_EQ(CodeName(C::kRetriesExhausted), "retries_exhausted");
  EXPECT_EQ(CodeName(C::kAmbiguousCommit), "ambiguous_commit");
  EXPECT_EQ(CodeName(C::kDataError), "data_error");
  EXPECT_EQ(CodeName(C::kInterrupted), "interrupted");
}

}  // namespace
}  // namespace loader
