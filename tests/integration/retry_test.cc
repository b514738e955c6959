// Transient failures raised by the real server: a trigger raises SQLSTATE 40001
// (as CockroachDB does on contention) or terminates the loader's own backend,
// and the load must still end with exactly the reference rows.
#include <gtest/gtest.h>

#include <tuple>

#include "support/faults.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// method, --server
class SerializationRetryTest
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(SerializationRetryTest, AShareOfFailingStatementsIsRetriedToExactRows) {
  const auto& [method, server] = GetParam();
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  InstallFault(db, "accounts", 3, kRaise40001);

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "10000", "--chunk", "500", "--workers",
                             "2", "--method", method, "--server", server, "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 10000);
  EXPECT_EQ(db.Checksum("accounts"), ReferenceChecksum("accounts", 10000));

  const std::string json = TakeFile(stats);
  EXPECT_GT(JsonNumber(json, "retries"), 0) << json;
  EXPECT_GT(JsonNumber(json, "retried_chunks"), 0) << json;
  EXPECT_LE(JsonNumber(json, "retried_chunks"), JsonNumber(json, "retries")) << json;
  EXPECT_EQ(JsonNumber(json, "chunks"), 20) << json;
  EXPECT_TRUE(Contains(run.err, "restart transaction: injected by test (SQLSTATE 40001)"))
      << run.err;
  if (server == "cockroach" && method == "insert") {
    EXPECT_TRUE(Contains(run.err, "at once from the savepoint")) << run.err;
  }
}

INSTANTIATE_TEST_SUITE_P(
    MethodsAndProtocols, SerializationRetryTest,
    ::testing::Values(std::make_tuple("copy", "postgres"), std::make_tuple("insert", "postgres"),
                      std::make_tuple("insert", "cockroach"), std::make_tuple("copy", "cockroach")),
    [](const auto& info) { return std::get<0>(info.param) + "_" + std::get<1>(info.param); });

TEST(Retry, AlwaysFailingChunkStopsAfterMaxRetriesWithExit7) {
  ScratchDatabase db;
  ASSERT_EQ(RunLoader({"--url", db.url(), "--rows", "0", "--create"}).exit_code, 0);
  InstallFault(db, "accounts", 1, kRaise40001);

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "5000", "--workers", "1", "--max-retries",
                             "3", "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 7) << run.all();
  EXPECT_TRUE(Contains(run.err,
                       "chunk 0 (rows 0..999): gave up after 3 retries: restart "
                       "transaction: injected by test (SQLSTATE 40001)"))
      << run.err;
  EXPECT_EQ(db.Count("accounts"), 0);
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "retries"), 3) << json;
  EXPECT_EQ(JsonNumber(json, "retried_chunks"), 1) << json;
  EXPECT_EQ(JsonString(json, "status"), "retries_exhausted") << json;
}

TEST(Retry, ConnectionLostBeforeCommitReconnectsAndRedoesTheChunk) {
  ScratchDatabase db;
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "0", "--create"}).exit_code, 0);
  // The backend kills itself in the middle of the statement: the client sees
  // 57P01 and a closed connection before it ever sent COMMIT.
  InstallFault(db, "points", 4, "PERFORM pg_terminate_backend(pg_backend_pid())");

  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows", "10000", "--chunk",
                             "500", "--workers", "2", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 10000);
  EXPECT_EQ(db.Checksum("points"), ReferenceChecksum("points", 10000));
  const std::string json = TakeFile(stats);
  EXPECT_GT(JsonNumber(json, "reconnects"), 0) << json;
  EXPECT_GT(JsonNumber(json, "retries"), 0) << json;
}

}  // namespace
}  // namespace loader::test_support
