#include <gtest/gtest.h>

#include "loader/sink/sink.h"

namespace loader {
namespace {

TEST(ChooseMethod, AskedForIsTakenWhateverTheServerAndDistance) {
  for (Method m : {Method::kCopy, Method::kInsert}) {
    const MethodChoice chosen = ChooseMethod(m, ServerKind::kCockroach, 50);
    EXPECT_EQ(chosen.method, m);
    EXPECT_EQ(chosen.reason, "--method");
  }
}

TEST(ChooseMethod, PostgresNearbyTakesCopyAndAcrossANetworkPipelinedInsert) {
  const MethodChoice near = ChooseMethod(std::nullopt, ServerKind::kPostgres, 0.06);
  EXPECT_EQ(near.method, Method::kCopy);
  EXPECT_EQ(near.reason, "auto: a round trip of 0.06 ms, under 1 ms: COPY is fastest this near");
  const MethodChoice far = ChooseMethod(std::nullopt, ServerKind::kPostgres, 20.5);
  EXPECT_EQ(far.method, Method::kInsert);
  EXPECT_EQ(far.reason,
            "auto: a round trip of 20.50 ms, 1 ms or more: pipelined INSERT hides it, where COPY "
            "waits twice a chunk");
  EXPECT_EQ(ChooseMethod(std::nullopt, ServerKind::kPostgres, kPipelineRoundTripMs).method,
            Method::kInsert);
}

TEST(ChooseMethod, CockroachTakesPipelinedInsertEvenNearby) {
  const MethodChoice chosen = ChooseMethod(std::nullopt, ServerKind::kCockroach, 0.05);
  EXPECT_EQ(chosen.method, Method::kInsert);
  EXPECT_EQ(chosen.reason,
            "auto: on CockroachDB COPY waits five times a chunk, pipelined INSERT at most once");
  EXPECT_EQ(MethodName(Method::kInsert), "insert");
  EXPECT_EQ(MethodName(Method::kCopy), "copy");
}

}  // namespace
}  // namespace loader
