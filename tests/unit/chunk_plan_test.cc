#include "loader/plan/chunk_plan.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "loader/base/table.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/pg/server_info.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

const TableSpec& Accounts() { return *FindGeneratedTable("accounts"); }
const TableSpec& Points() { return *FindGeneratedTable("points"); }

IntentBudget Budget(uint64_t bytes) {
  IntentBudget budget;
  budget.bytes = bytes;
  budget.from_server = true;
  return budget;
}

// The sizes every expectation below is derived from; if these change, the
// arithmetic in the tests must be redone rather than silently still passing.
TEST(ChunkPlan, GeneratedTableSizes) {
  ASSERT_NE(FindGeneratedTable("accounts"), nullptr);
  ASSERT_NE(FindGeneratedTable("points"), nullptr);
  EXPECT_EQ(FindGeneratedTable("orders"), nullptr);
  EXPECT_EQ(Accounts().max_row_bytes, 59u);
  EXPECT_EQ(Accounts().intent_bytes_per_row, 76u);
  EXPECT_EQ(Points().max_row_bytes, 58u);
  EXPECT_EQ(Points().intent_bytes_per_row, 65u);
}

TEST(ChunkPlan, PostgresKeepsRequestedRows) {
  for (const TableSpec* table : {&Accounts(), &Points()}) {
    const ChunkPlan plan = PlanChunks(*table, 1000, kDefaultChunkBytes, nullptr);
    EXPECT_EQ(plan.limits.max_rows, 1000u) << table->name;
    EXPECT_EQ(plan.limits.max_bytes, kDefaultChunkBytes) << table->name;
    EXPECT_EQ(plan.requested_rows, 1000u);
    EXPECT_EQ(plan.requested_bytes, kDefaultChunkBytes);
    EXPECT_EQ(plan.intent_budget_bytes, 0u);
    EXPECT_EQ(plan.intent_rows_cap, 0u);
    EXPECT_EQ(plan.reason, "--chunk 1000 rows");
  }
}

TEST(ChunkPlan, SmallChunkBytesIsEnforcedByTheRowSource) {
  // max_rows stays at --chunk: the byte cap travels in limits.max_bytes and the
  // RowSource closes the chunk there. The reason says the byte cap binds.
  const ChunkPlan accounts = PlanChunks(Accounts(), 1000, 1024, nullptr);
  EXPECT_EQ(accounts.limits.max_rows, 1000u);
  EXPECT_EQ(accounts.limits.max_bytes, 1024u);
  // 1024 / 59 = 17 rows of the largest possible size.
  EXPECT_EQ(accounts.reason,
            "--chunk-bytes 1.0 KiB closes chunks first: at least 17 rows of at most 59 bytes fit");

  const ChunkPlan points = PlanChunks(Points(), 1000, 512 * 1024, nullptr);
  EXPECT_EQ(points.limits.max_rows, 1000u);
  EXPECT_EQ(points.limits.max_bytes, 512u * 1024);
  // 524288 / 58 = 9039 rows: more than 1000, so --chunk still decides.
  EXPECT_EQ(points.reason, "--chunk 1000 rows");

  const ChunkPlan tight = PlanChunks(Points(), 1000, 58, nullptr);
  EXPECT_EQ(tight.limits.max_bytes, 58u);
  EXPECT_EQ(tight.reason,
            "--chunk-bytes 58 B closes chunks first: at least 1 rows of at most 58 bytes fit");
}

TEST(ChunkPlan, CockroachSmallIntentBudgetCapsRows) {
  // 256 KiB x 0.5 = 131072 bytes of intents; accounts 131072 / 76 = 1724 rows.
  const IntentBudget budget = Budget(256 * 1024);
  const ChunkPlan accounts = PlanChunks(Accounts(), 10000, kDefaultChunkBytes, &budget);
  EXPECT_EQ(accounts.intent_budget_bytes, 256u * 1024);
  EXPECT_EQ(accounts.intent_rows_cap, 1724u);
  EXPECT_EQ(accounts.limits.max_rows, 1724u);
  EXPECT_EQ(accounts.limits.max_bytes, kDefaultChunkBytes);
  EXPECT_EQ(accounts.requested_rows, 10000u);
  EXPECT_EQ(accounts.reason,
            "the intent budget (256.0 KiB x 50% / ~76 key bytes per row) caps it at 1724 rows");

  // points: 131072 / 65 = 2016 rows.
  const ChunkPlan points = PlanChunks(Points(), 10000, kDefaultChunkBytes, &budget);
  EXPECT_EQ(points.intent_rows_cap, 2016u);
  EXPECT_EQ(points.limits.max_rows, 2016u);
  EXPECT_NE(points.reason.find("intent budget"), std::string::npos) << points.reason;
}

TEST(ChunkPlan, CockroachDefaultBudgetDoesNotCapThousandRows) {
  const IntentBudget budget = Budget(kDefaultIntentBudgetBytes);
  const ChunkPlan accounts = PlanChunks(Accounts(), 1000, kDefaultChunkBytes, &budget);
  EXPECT_EQ(accounts.intent_budget_bytes, 4u << 20);
  EXPECT_EQ(accounts.intent_rows_cap, 27594u);  // 2097152 / 76
  EXPECT_EQ(accounts.limits.max_rows, 1000u);
  EXPECT_EQ(accounts.reason, "--chunk 1000 rows");

  const ChunkPlan points = PlanChunks(Points(), 1000, kDefaultChunkBytes, &budget);
  EXPECT_EQ(points.intent_rows_cap, 32263u);  // 2097152 / 65
  EXPECT_EQ(points.limits.max_rows, 1000u);
}

TEST(ChunkPlan, TinyBudgetStillAllowsOneRow) {
  const IntentBudget budget = Budget(10);
  const ChunkPlan plan = PlanChunks(Accounts(), 1000, kDefaultChunkBytes, &budget);
  EXPECT_EQ(plan.intent_rows_cap, 1u);
  EXPECT_EQ(plan.limits.max_rows, 1u);
}

// The intent cap exists so that no chunk's estimated intents exceed half the
// budget. The byte cap only bounds rows from below (it is computed with the
// largest possible row), so a real chunk can hold more rows than
// chunk_bytes / max_row_bytes; the intent cap must hold regardless. Here
// 96 KiB / 59 = 1666 rows looks tighter than the 1724-row cap, yet 96 KiB holds
// 2239 real accounts rows (44 bytes each): ~170 KB of intents against 128 KiB.
TEST(ChunkPlan, IntentCapHoldsWhenChunkBytesAlmostBinds) {
  const IntentBudget budget = Budget(256 * 1024);
  const ChunkPlan plan = PlanChunks(Accounts(), 10000, 96 * 1024, &budget);
  ASSERT_EQ(plan.intent_rows_cap, 1724u);
  EXPECT_LE(plan.limits.max_rows, plan.intent_rows_cap);

  auto source = MakeGeneratedSource(Accounts(), 1, 20000, plan.limits, Encoding::kCopyText);
  Chunk chunk;
  bool done = false;
  while (true) {
    ASSERT_TRUE(source->NextChunk(&chunk, &done).ok());
    if (done) break;
    EXPECT_LE(chunk.rows, plan.intent_rows_cap) << "chunk " << chunk.index;
  }
}

TEST(ChunkPlan, DescribeNamesTheLimits) {
  const ChunkPlan postgres = PlanChunks(Accounts(), 1000, kDefaultChunkBytes, nullptr);
  EXPECT_EQ(postgres.Describe(Accounts()),
            "  chunk rows:     1000 (--chunk 1000 rows)\n"
            "  chunk bytes:    at most 8.0 MiB of payload (rows of accounts encode to at most "
            "59 bytes)\n"
            "  intent budget:  none (PostgreSQL has no per-transaction lock budget)\n");

  const IntentBudget budget = Budget(256 * 1024);
  const ChunkPlan cockroach = PlanChunks(Accounts(), 10000, kDefaultChunkBytes, &budget);
  const std::string text = cockroach.Describe(Accounts());
  EXPECT_NE(text.find("  chunk rows:     1724 (the intent budget"), std::string::npos) << text;
  EXPECT_NE(text.find("  intent budget:  256.0 KiB, 50% used per chunk: 1724 rows at ~76 bytes "
                      "each\n"),
            std::string::npos)
      << text;
}

struct ByteSizeCase {
  const char* text;
  uint64_t bytes;
};

TEST(ParseByteSize, AcceptsPlainNumbersAndBinaryUnits) {
  const ByteSizeCase cases[] = {
      {"4194304", 4194304},
      {"4 MiB", 4u << 20},
      {"4.0 MiB", 4u << 20},
      {"256KiB", 256u << 10},
      {"8M", 8u << 20},
      {"64k", 64u << 10},
      {"1 GiB", uint64_t{1} << 30},
      {" 12 b", 12},
      {"0", 0},
      {"1.5KiB", 1536},
      {"2mb", 2u << 20},
      {"512 KiB ", 512u << 10},
  };
  for (const ByteSizeCase& c : cases) {
    uint64_t bytes = 12345;
    const Status s = ParseByteSize(c.text, &bytes);
    ASSERT_TRUE(s.ok()) << "'" << c.text << "': " << s.ToString();
    EXPECT_EQ(bytes, c.bytes) << "'" << c.text << "'";
  }
}

TEST(ParseByteSize, RejectsTextThatIsNotANumber) {
  for (const char* text : {"", "abc", "-1", "MiB", " "}) {
    uint64_t bytes = 777;
    const Status s = ParseByteSize(text, &bytes);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << "'" << text << "'";
    EXPECT_EQ(s.message(), "'" + std::string(text) +
                               "' is not a byte size (expected e.g. 8MiB, 512KiB, 1048576)");
    EXPECT_EQ(bytes, 777u) << "the output is untouched on error";
  }
}

TEST(ParseByteSize, RejectsUnknownUnits) {
  for (const char* text : {"5 parsecs", "4 TiB", "12 bytes", "1kk"}) {
    uint64_t bytes = 777;
    const Status s = ParseByteSize(text, &bytes);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << "'" << text << "'";
    EXPECT_EQ(s.message(),
              "'" + std::string(text) + "' has an unknown unit (use B, KiB, MiB or GiB)");
    EXPECT_EQ(bytes, 777u);
  }
}

TEST(ParseByteSize, RejectsSizesThatOverflow) {
  for (const char* text : {"1e30", "10e18", "9000000000 GiB"}) {
    uint64_t bytes = 777;
    const Status s = ParseByteSize(text, &bytes);
    EXPECT_EQ(s.message(), "'" + std::string(text) + "' is too large") << text;
    EXPECT_EQ(bytes, 777u);
  }
}

}  // namespace
}  // namespace loader
