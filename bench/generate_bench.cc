// The producer's hot path on one core: generating rows and encoding them for
// the wire (or for --emit-import's CSV files, with their SHA-256), and the
// RowSource cutting them into chunks. Targets (DESIGN.md):
// at least 10 M accounts rows/s and 3 M points rows/s.
#include <benchmark/benchmark.h>

#include "loader/base/sha256.h"
#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/generate/row_generator.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

constexpr uint64_t kRowsPerChunk = 1000;

// Generate + encode one chunk's worth of rows per iteration into a reused
// chunk, in each encoding a Sink sends or --emit-import writes.
template <class Generator, Encoding kEncoding>
void BM_Generate(benchmark::State& state) {
  Generator gen(1);
  Chunk chunk;
  uint64_t row = 0;
  for (auto _ : state) {
    chunk.Reset(kEncoding);
    EncodeInto(&chunk, [&](auto& enc) {
      for (uint64_t i = 0; i < kRowsPerChunk; ++i) gen.Emit(row++, enc);
    });
    benchmark::DoNotOptimize(chunk.payload.data());
  }
  state.counters["bytes/row"] = static_cast<double>(chunk.payload.size()) / kRowsPerChunk;
  state.SetItemsProcessed(state.iterations() * kRowsPerChunk);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * chunk.payload.size()));
}
BENCHMARK(BM_Generate<AccountsGenerator, Encoding::kCopyText>)->Name("accounts/generate+copy_text");
BENCHMARK(BM_Generate<PointsGenerator, Encoding::kCopyText>)->Name("points/generate+copy_text");
BENCHMARK(BM_Generate<AccountsGenerator, Encoding::kCopyBinary>)
    ->Name("accounts/generate+copy_binary");
BENCHMARK(BM_Generate<PointsGenerator, Encoding::kCopyBinary>)->Name("points/generate+copy_binary");
BENCHMARK(BM_Generate<AccountsGenerator, Encoding::kInsertParams>)
    ->Name("accounts/generate+insert_params");
BENCHMARK(BM_Generate<PointsGenerator, Encoding::kInsertParams>)
    ->Name("points/generate+insert_params");
BENCHMARK(BM_Generate<AccountsGenerator, Encoding::kCsvText>)->Name("accounts/generate+csv_text");
BENCHMARK(BM_Generate<PointsGenerator, Encoding::kCsvText>)->Name("points/generate+csv_text");

// The manifest's checksum, computed over every byte an --emit-import writes:
// it must not be what limits a worker.
void BM_Sha256(benchmark::State& state) {
  const std::string block(1 << 20, 'x');
  for (auto _ : state) {
    Sha256 sha;
    sha.Update(block);
    benchmark::DoNotOptimize(sha.HexDigest());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * block.size()));
}
BENCHMARK(BM_Sha256)->Name("sha256/1MiB");

// The whole producer: RowSource filling recycled chunks under row and byte limits.
void BM_Chunker(benchmark::State& state, const char* table_name, uint64_t chunk_rows) {
  const TableSpec& table = *FindGeneratedTable(table_name);
  const uint64_t total = 1'000'000;
  Chunk chunk;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    // What a copy load of generated rows sends.
    auto source =
        MakeGeneratedSource(table, 1, total, {chunk_rows, 8u << 20}, Encoding::kCopyBinary);
    bool done = false;
    while (source->NextChunk(&chunk, &done).ok() && !done) {
      rows += chunk.rows;
      bytes += chunk.payload.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_Chunker, accounts_chunk1000, "accounts", 1000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Chunker, points_chunk1000, "points", 1000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Chunker, points_chunk20000, "points", 20000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace loader
