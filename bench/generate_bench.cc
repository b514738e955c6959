// The producer's hot path on one core: generating rows and encoding them for
// the wire (or for --emit-import's CSV files, with their SHA-256), and the
// RowSource cutting them into chunks. Targets (DESIGN.md):
// at least 10 M accounts rows/s and 3 M points rows/s.
#include <benchmark/benchmark.h>

#include "loader/row_generator.h"
#include "loader/row_source.h"
#include "loader/sha256.h"
#include "loader/table.h"

namespace loader {
namespace {

constexpr uint64_t kRowsPerChunk = 1000;

// Generate + encode one chunk's worth of rows per iteration into a reused buffer.
template <class Generator>
void BM_GenerateCopyText(benchmark::State& state) {
  Generator gen(1);
  ByteBuffer buf;
  uint64_t row = 0;
  for (auto _ : state) {
    buf.Clear();
    CopyTextEncoder enc(&buf);
    for (uint64_t i = 0; i < kRowsPerChunk; ++i) gen.Emit(row++, enc);
    benchmark::DoNotOptimize(buf.data());
    state.counters["bytes/row"] = static_cast<double>(buf.size()) / kRowsPerChunk;
  }
  state.SetItemsProcessed(state.iterations() * kRowsPerChunk);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_GenerateCopyText<AccountsGenerator>)->Name("accounts/generate+copy_text");
BENCHMARK(BM_GenerateCopyText<PointsGenerator>)->Name("points/generate+copy_text");

// The same for the CSV of --emit-import files.
template <class Generator>
void BM_GenerateCsvText(benchmark::State& state) {
  Generator gen(1);
  ByteBuffer buf;
  uint64_t row = 0;
  for (auto _ : state) {
    buf.Clear();
    CsvTextEncoder enc(&buf);
    for (uint64_t i = 0; i < kRowsPerChunk; ++i) gen.Emit(row++, enc);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(state.iterations() * kRowsPerChunk);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_GenerateCsvText<AccountsGenerator>)->Name("accounts/generate+csv_text");
BENCHMARK(BM_GenerateCsvText<PointsGenerator>)->Name("points/generate+csv_text");

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

template <class Generator>
void BM_GenerateInsertParams(benchmark::State& state) {
  Generator gen(1);
  ByteBuffer buf;
  std::vector<uint32_t> offsets;
  uint64_t row = 0;
  for (auto _ : state) {
    buf.Clear();
    offsets.clear();
    InsertParamEncoder enc(&buf, &offsets);
    for (uint64_t i = 0; i < kRowsPerChunk; ++i) gen.Emit(row++, enc);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(state.iterations() * kRowsPerChunk);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_GenerateInsertParams<AccountsGenerator>)->Name("accounts/generate+insert_params");
BENCHMARK(BM_GenerateInsertParams<PointsGenerator>)->Name("points/generate+insert_params");

// The whole producer: RowSource filling recycled chunks under row and byte limits.
void BM_Chunker(benchmark::State& state, const char* table_name, uint64_t chunk_rows) {
  const TableSpec& table = *FindGeneratedTable(table_name);
  const uint64_t total = 1'000'000;
  Chunk chunk;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto source = MakeGeneratedSource(table, 1, total, {chunk_rows, 8u << 20}, Encoding::kCopyText);
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
