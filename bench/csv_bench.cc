// The file reader's hot path on one core: CSV records parsed, checked against
// their columns, digested for the journal and encoded into chunks; and the
// same from gzip and zstd files, decompressed underneath. Loading a
// file must be bound by the server, not by this: a server takes a few hundred
// thousand rows per second, so the reader should do millions.
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "loader/base/table.h"
#include "loader/generate/generated_source.h"
#include "loader/generate/generated_tables.h"
#include "loader/plan/row_source.h"
#include "loader/read/csv_reader.h"
#include "loader/read/csv_source.h"
#include "loader/read/input_stream.h"
#include "loader/read/reject_log.h"

namespace loader {
namespace {

constexpr uint64_t kRows = 1'000'000;

// A CSV file of kRows generated rows of `table`, written once per process.
const std::string& CsvFile(const char* table_name) {
  static std::string paths[2];
  std::string& path = paths[std::string_view(table_name) == "points"];
  if (!path.empty()) return path;
  path =
      "/tmp/loader-csv-bench-" + std::string(table_name) + "-" + std::to_string(getpid()) + ".csv";
  std::FILE* out = std::fopen(path.c_str(), "w");
  auto source = MakeGeneratedSource(*FindGeneratedTable(table_name), 1, kRows, {10000, 8u << 20},
                                    Encoding::kCopyText);
  Chunk chunk;
  bool done = false;
  while (source->NextChunk(&chunk, &done).ok() && !done) {
    std::string rows(chunk.payload.view());
    std::replace(rows.begin(), rows.end(), '\t', ',');
    std::fwrite(rows.data(), 1, rows.size(), out);
  }
  std::fclose(out);
  std::atexit([] {
    for (const std::string& p : paths) {
      if (!p.empty()) std::remove(p.c_str());
    }
  });
  return path;
}

// The same rows as CsvFile, compressed as the gzip and zstd tools would at
// their default levels (6 and 3), written once per process.
const std::string& CompressedFile(const char* table_name, Compression compression) {
  static std::map<std::pair<std::string, Compression>, std::string> paths;
  std::string& path = paths[{table_name, compression}];
  if (!path.empty()) return path;
  const std::string& plain = CsvFile(table_name);
  std::ifstream in(plain, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string packed;
  if (compression == Compression::kGzip) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    packed.resize(deflateBound(&z, text.size()));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(packed.data());
    z.avail_out = static_cast<uInt>(packed.size());
    deflate(&z, Z_FINISH);
    packed.resize(z.total_out);
    deflateEnd(&z);
  } else {
    packed.resize(ZSTD_compressBound(text.size()));
    packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
  }
  path = plain + (compression == Compression::kGzip ? ".gz" : ".zst");
  std::ofstream(path, std::ios::binary).write(packed.data(), static_cast<long>(packed.size()));
  static const bool cleanup = [] {
    std::atexit([] {
      for (const auto& [key, p] : paths) std::remove(p.c_str());
    });
    return true;
  }();
  (void)cleanup;
  return path;
}

// The path of the CSV file of `table_name`'s rows, plain or compressed.
const std::string& FileOf(const char* table_name, Compression compression) {
  return compression == Compression::kNone ? CsvFile(table_name)
                                           : CompressedFile(table_name, compression);
}

// Records only: the RFC 4180 parser and its UTF-8 check, with decompression
// underneath for a .gz or .zst file. Bytes and items are those of the
// decompressed text.
void BM_CsvReader(benchmark::State& state, const char* table_name,
                  Compression compression = Compression::kNone) {
  const std::string& path = FileOf(table_name, compression);
  uint64_t records = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    std::unique_ptr<CsvReader> reader;
    if (!CsvReader::Open(path, CsvOptions(), &reader).ok()) state.SkipWithError("open");
    CsvRecord record;
    bool eof = false;
    Status s;
    while ((s = reader->Next(&record, &eof)).ok() && !eof) {
      ++records;
      bytes += record.raw.size() + 1;
    }
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(records));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_CsvReader, accounts, "accounts")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReader, points, "points")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReader, accounts_gzip, "accounts", Compression::kGzip)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReader, accounts_zstd, "accounts", Compression::kZstd)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReader, points_gzip, "points", Compression::kGzip)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReader, points_zstd, "points", Compression::kZstd)
    ->Unit(benchmark::kMillisecond);

// The whole producer for a file: parse, check each field, digest each row,
// encode into recycled chunks of 1000 rows; with rejects on, each row's text
// is also kept so a refused row can be written out.
void BM_CsvSource(benchmark::State& state, const char* table_name, Encoding encoding, bool rejects,
                  Compression compression = Compression::kNone) {
  const std::string& path = FileOf(table_name, compression);
  RejectLog reject_log("", rejects ? 1 : 0);
  CsvInput input;
  input.paths = {path};
  input.columns = FindGeneratedTable(table_name)->columns;
  input.rejects = &reject_log;
  Chunk chunk;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    std::unique_ptr<RowSource> source;
    if (!MakeCsvSource(input, {1000, 8u << 20}, encoding, {{0, UINT64_MAX}}, &source).ok()) {
      state.SkipWithError("source");
    }
    bool done = false;
    while (source->NextChunk(&chunk, &done).ok() && !done) {
      rows += chunk.rows;
      bytes += chunk.payload.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_CsvSource, accounts_copy, "accounts", Encoding::kCopyText, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvSource, accounts_copy_rejects_on, "accounts", Encoding::kCopyText, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvSource, accounts_insert, "accounts", Encoding::kInsertParams, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvSource, points_copy, "points", Encoding::kCopyText, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvSource, accounts_copy_gzip, "accounts", Encoding::kCopyText, false,
                  Compression::kGzip)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvSource, accounts_copy_zstd, "accounts", Encoding::kCopyText, false,
                  Compression::kZstd)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace loader
