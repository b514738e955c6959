// The core promise: for a given seed and row count, every method, worker count
// and chunk size leaves byte-identical table contents, and those contents are
// the generator's rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <tuple>

#include "loader/generate/row_generator.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

constexpr uint64_t kRows = 10000;
constexpr uint64_t kSeed = 7;

// table, method, workers, rows per chunk
using MatrixCase = std::tuple<std::string, std::string, int, int>;

std::string CaseName(const ::testing::TestParamInfo<MatrixCase>& info) {
  const auto& [table, method, workers, chunk] = info.param;
  return table + "_" + method + "_w" + std::to_string(workers) + "_chunk" + std::to_string(chunk);
}

// Loads the reference configuration (1 worker, copy, chunk 1000) into its own
// database and returns the table's checksum.
std::string ReferenceChecksum(const std::string& table) {
  ScratchDatabase ref("ref");
  LoaderRun run =
      RunLoader({"--url", ref.url(), "--table", table, "--rows", std::to_string(kRows), "--seed",
                 std::to_string(kSeed), "--chunk", "1000", "--workers", "1", "--create"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  return ref.Checksum(table);
}

class LoadMatrixTest : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(LoadMatrixTest, ExactRowsAndChecksumMatchReference) {
  const auto& [table, method, workers, chunk] = GetParam();
  ScratchDatabase db;
  const std::string stats = "/tmp/" + db.name() + ".json";
  LoaderRun run =
      RunLoader({"--url", db.url(), "--table", table, "--rows", std::to_string(kRows), "--seed",
                 std::to_string(kSeed), "--method", method, "--workers", std::to_string(workers),
                 "--chunk", std::to_string(chunk), "--create", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count(table), static_cast<long long>(kRows));
  EXPECT_EQ(db.Checksum(table), ReferenceChecksum(table));

  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonNumber(json, "rows"), static_cast<long long>(kRows));
  const long long chunks = (kRows + chunk - 1) / chunk;
  EXPECT_EQ(JsonNumber(json, "chunks"), chunks);
  EXPECT_EQ(JsonNumber(json, "retries"), 0);
  EXPECT_NE(run.out.find("rows:           " + std::to_string(kRows)), std::string::npos) << run.out;
}

INSTANTIATE_TEST_SUITE_P(AllConfigurations, LoadMatrixTest,
                         ::testing::Combine(::testing::Values("accounts", "points"),
                                            ::testing::Values("copy", "insert"),
                                            ::testing::Values(1, 4),
                                            ::testing::Values(1, 7, 1000, 20000)),
                         CaseName);

// Captures the generator's values without any wire encoding.
struct CapturingEncoder {
  UuidBytes uuid{};
  int64_t ints[2] = {0, 0};
  std::string decimals[3];
  int n_int = 0;
  int n_decimal = 0;
  void Int8(int64_t v) { ints[n_int++] = v; }
  void Float8(double) {}
  void Decimal(int64_t units, unsigned scale) {
    char buf[kMaxDecimalChars];
    decimals[n_decimal++] = std::string(buf, FormatDecimal(units, scale, buf));
  }
  void Uuid(const UuidBytes& v) { std::copy(std::begin(v), std::end(v), std::begin(uuid)); }
  void Text(std::string_view) {}
  void Null() {}
  void EndRow() {}
};

// The table holds exactly the generator's rows: compared on sums over all rows
// and on individual rows by value, independently of the COPY/INSERT encoders.
TEST(LoadContent, AccountsHoldTheGeneratorsValues) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--rows", std::to_string(kRows), "--seed",
                             std::to_string(kSeed), "--create", "--method", "insert"});
  ASSERT_EQ(run.exit_code, 0) << run.all();

  AccountsGenerator gen(kSeed);
  long long balance_sum = 0;
  for (uint64_t row = 0; row < kRows; ++row) {
    CapturingEncoder enc;
    gen.Emit(row, enc);
    balance_sum += enc.ints[0];
    if (row % 997 == 0) {
      char id[37] = {};
      FormatUuid(enc.uuid, id);
      EXPECT_EQ(db.Scalar("SELECT balance FROM accounts WHERE id = '" + std::string(id) + "'"),
                std::to_string(enc.ints[0]))
          << "row " << row;
    }
  }
  EXPECT_EQ(db.Scalar("SELECT sum(balance) FROM accounts"), std::to_string(balance_sum));
  EXPECT_EQ(db.Scalar("SELECT count(DISTINCT id) FROM accounts"), std::to_string(kRows));
}

TEST(LoadContent, PointsHoldTheGeneratorsValues) {
  ScratchDatabase db;
  LoaderRun run = RunLoader({"--url", db.url(), "--table", "points", "--rows",
                             std::to_string(kRows), "--seed", std::to_string(kSeed), "--create"});
  ASSERT_EQ(run.exit_code, 0) << run.all();

  PointsGenerator gen(kSeed);
  for (uint64_t row = 0; row < kRows; row += 613) {
    CapturingEncoder enc;
    gen.Emit(row, enc);
    // The server parses the same decimal text to the same double: equality is exact.
    EXPECT_EQ(db.Scalar("SELECT count(*) FROM points WHERE id = " + std::to_string(row) +
                        " AND x = '" + enc.decimals[0] + "'::float8 AND y = '" + enc.decimals[1] +
                        "'::float8 AND z = '" + enc.decimals[2] + "'::float8"),
              "1")
        << "row " << row << " x " << enc.decimals[0];
  }
  EXPECT_EQ(db.Scalar("SELECT sum(id) FROM points"), std::to_string(kRows * (kRows - 1) / 2));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM points WHERE least(x, y, z) < 0 OR "
                      "greatest(x, y, z) >= 1024"),
            "0");
}

TEST(LoadContent, DifferentSeedsGiveDifferentTables) {
  ScratchDatabase a("a");
  ScratchDatabase b("b");
  ASSERT_EQ(RunLoader({"--url", a.url(), "--rows", "1000", "--seed", "1", "--create"}).exit_code,
            0);
  ASSERT_EQ(RunLoader({"--url", b.url(), "--rows", "1000", "--seed", "2", "--create"}).exit_code,
            0);
  EXPECT_EQ(a.Count("accounts"), 1000);
  EXPECT_EQ(b.Count("accounts"), 1000);
  EXPECT_NE(a.Checksum("accounts"), b.Checksum("accounts"));
}

}  // namespace
}  // namespace loader::test_support
