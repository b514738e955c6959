// Synthetic rows of any table on one core: generating a 10-column table of
// mixed types and encoding it for each way rows leave the loader. Target
// (issue 19): at least 3,000,000 rows/s.
#include <benchmark/benchmark.h>

#include "loader/encode/chunk.h"
#include "loader/generate/seed_table.h"
#include "loader/generate/synthetic_rows.h"

namespace loader {
namespace {

constexpr uint64_t kRowsPerChunk = 1000;

SeedColumn MakeColumn(const char* name, const char* sql_type, bool not_null = true) {
  SeedColumn c;
  c.name = name;
  c.sql_type = sql_type;
  c.not_null = not_null;
  SeedTypeFromSql(sql_type, &c);
  return c;
}

// orders: a bigint key, a reference, money, a float, two times, a status
// from a CHECK's list, a name, a flag and a UUID; two columns nullable.
SeedTable Orders() {
  SeedTable t;
  t.name = "orders";
  t.columns = {MakeColumn("id", "bigint"),
               MakeColumn("customer_id", "integer"),
               MakeColumn("amount", "numeric(10,2)"),
               MakeColumn("weight", "double precision", false),
               MakeColumn("placed", "timestamp with time zone"),
               MakeColumn("due", "date"),
               MakeColumn("status", "text"),
               MakeColumn("note", "character varying(20)", false),
               MakeColumn("paid", "boolean"),
               MakeColumn("token", "uuid")};
  t.columns[6].checks.push_back(
      {"status_known", "CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text, 'sent'::text])))",
       false});
  t.keys.push_back({"orders_pkey", {0}, true});
  t.references.push_back({"orders_customer_fkey", {1}, "customers", {"id"}});
  return t;
}

std::shared_ptr<const SyntheticRows> CompileOrders() {
  SeedOptions options;
  options.rows = 100'000'000;
  const SampleReader customers = [](const std::string&, const std::vector<std::string>&,
                                    uint64_t limit, uint64_t, ReferenceSample* out) {
    for (uint64_t i = 1; i <= limit && i <= 50000; ++i) out->rows.push_back({std::to_string(i)});
    return Status::OK();
  };
  SeedPlan plan;
  const Status s = CompileSeedTable(Orders(), options, {}, customers, &plan);
  if (!s.ok() || !plan.rows->binary()) std::abort();
  return plan.rows;
}

template <Encoding kEncoding>
void BM_Synthetic(benchmark::State& state) {
  const std::shared_ptr<const SyntheticRows> rows = CompileOrders();
  Chunk chunk;
  uint64_t row = 0;
  for (auto _ : state) {
    chunk.Reset(kEncoding);
    EncodeInto(&chunk, [&](auto& enc) {
      for (uint64_t i = 0; i < kRowsPerChunk; ++i) rows->Emit(row++, enc);
    });
    benchmark::DoNotOptimize(chunk.payload.data());
  }
  state.counters["bytes/row"] = static_cast<double>(chunk.payload.size()) / kRowsPerChunk;
  state.SetItemsProcessed(state.iterations() * kRowsPerChunk);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.payload.size()));
}
BENCHMARK(BM_Synthetic<Encoding::kCopyBinary>)->Name("orders10/generate+copy_binary");
BENCHMARK(BM_Synthetic<Encoding::kCopyText>)->Name("orders10/generate+copy_text");
BENCHMARK(BM_Synthetic<Encoding::kInsertParams>)->Name("orders10/generate+insert_params");
BENCHMARK(BM_Synthetic<Encoding::kCsvText>)->Name("orders10/generate+csv_text");

}  // namespace
}  // namespace loader
