#include "loader/generate/generated_source.h"

#include <algorithm>
#include <string>

#include "loader/generate/row_generator.h"
#include "loader/plan/row_source.h"

namespace loader {
namespace {

template <class Generator>
class GeneratedSource final : public RowSource {
 public:
  GeneratedSource(Generator generator, std::vector<RowRange> ranges, ChunkLimits limits,
                  Encoding encoding, Shard shard)
      : RowSource(limits),
        generator_(std::move(generator)),
        ranges_(std::move(ranges)),
        encoding_(encoding),
        shard_(shard),
        total_rows_(shard.OwnedRows(ranges_)) {}

  Status NextChunk(Chunk* chunk, bool* done) override {
    chunk->Reset(encoding_);
    SkipToOwnedRow();
    *done = range_ >= ranges_.size();
    if (*done) return Status::OK();
    chunk->index = next_index_++;
    chunk->first_row = next_row_;
    EncodeInto(chunk, [&](auto& enc) { Fill(chunk, enc); });
    next_row_ += chunk->rows;
    return Status::OK();
  }

  uint64_t total_rows() const override { return total_rows_; }
  uint64_t rows_read() const override { return ranges_.empty() ? 0 : ranges_.back().end(); }

 private:
  // Moves next_row_ to the first row still to load that this shard owns: past
  // the end of a range to the next one, past other shards' blocks (a hop of
  // at most N blocks each, so skipping costs nothing per row).
  void SkipToOwnedRow() {
    while (range_ < ranges_.size()) {
      next_row_ = shard_.NextOwned(std::max(next_row_, ranges_[range_].first));
      if (next_row_ < ranges_[range_].end()) return;
      ++range_;
    }
  }

  // Encodes rows until the row limit, the range's end or the shard's block's
  // end, or until the Chunker sends a row on to the next chunk.
  template <class Encoder>
  void Fill(Chunk* chunk, Encoder& enc) {
    const uint64_t last = std::min(
        {ranges_[range_].end(), next_row_ + chunker_.max_rows(), shard_.BlockEnd(next_row_)});
    uint32_t rows = 0;
    for (uint64_t row = next_row_; row < last; ++row) {
      if (!chunker_.AddRow(chunk, rows > 0, enc, [&](Encoder& e) { generator_.Emit(row, e); })) {
        break;
      }
      ++rows;
    }
    chunk->rows = rows;
  }

  Generator generator_;
  const std::vector<RowRange> ranges_;
  Encoding encoding_;
  const Shard shard_;
  const uint64_t total_rows_;
  size_t range_ = 0;
  uint64_t next_row_ = 0;
  uint64_t next_index_ = 0;
};

// A compiled table, shared by the sources of a load's passes and workers.
class SyntheticGenerator {
 public:
  explicit SyntheticGenerator(std::shared_ptr<const SyntheticRows> rows) : rows_(std::move(rows)) {}
  template <class Encoder>
  void Emit(uint64_t row, Encoder& enc) const {
    rows_->Emit(row, enc);
  }

 private:
  std::shared_ptr<const SyntheticRows> rows_;
};

}  // namespace

std::unique_ptr<RowSource> MakeSyntheticSource(std::shared_ptr<const SyntheticRows> rows,
                                               std::vector<RowRange> ranges, ChunkLimits limits,
                                               Encoding encoding, Shard shard) {
  return std::make_unique<GeneratedSource<SyntheticGenerator>>(
      SyntheticGenerator(std::move(rows)), std::move(ranges), limits, encoding, shard);
}

std::unique_ptr<RowSource> MakeGeneratedSource(const TableSpec& table, uint64_t seed,
                                               std::vector<RowRange> ranges, ChunkLimits limits,
                                               Encoding encoding, IdOrder ids, Shard shard) {
  if (table.name == "points") {
    return std::make_unique<GeneratedSource<PointsGenerator>>(
        PointsGenerator(seed, ids), std::move(ranges), limits, encoding, shard);
  }
  return std::make_unique<GeneratedSource<AccountsGenerator>>(
      AccountsGenerator(seed), std::move(ranges), limits, encoding, shard);
}

std::unique_ptr<RowSource> MakeGeneratedSource(const TableSpec& table, uint64_t seed, uint64_t rows,
                                               ChunkLimits limits, Encoding encoding, IdOrder ids) {
  std::vector<RowRange> all;
  if (rows > 0) all.push_back({0, rows});
  return MakeGeneratedSource(table, seed, std::move(all), limits, encoding, ids);
}

}  // namespace loader
