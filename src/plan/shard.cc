#include "loader/plan/shard.h"

#include <charconv>

namespace loader {
namespace {

bool ReadNumber(std::string_view text, uint64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

// The whole rounds of N blocks before `row` give a block each, then the
// last partial round gives its blocks up to and including K.
uint64_t Shard::OwnedBefore(uint64_t row) const {
  const uint64_t blocks = row / block_rows;
  const uint64_t rounds = blocks / count;
  const uint64_t left = blocks % count;  // whole blocks after the last round
  uint64_t rows = rounds * block_rows;
  if (left > index) rows += block_rows;
  if (left == index) rows += row % block_rows;
  return rows;
}

uint64_t Shard::OwnedRow(uint64_t own) const {
  return (own / block_rows * count + index) * block_rows + own % block_rows;
}

uint64_t Shard::NextOwned(uint64_t row) const {
  const uint64_t block = row / block_rows;
  const uint64_t ahead = (index + count - block % count) % count;
  return ahead == 0 ? row : (block + ahead) * block_rows;
}

uint64_t Shard::BlockEnd(uint64_t row) const {
  return whole() ? UINT64_MAX : (row / block_rows + 1) * block_rows;
}

uint64_t Shard::OwnedRows(uint64_t first, uint64_t end) const {
  if (end <= first) return 0;
  return OwnedBefore(end) - OwnedBefore(first);
}

uint64_t Shard::OwnedRows(const std::vector<RowRange>& ranges) const {
  uint64_t rows = 0;
  for (const RowRange& r : ranges) rows += OwnedRows(r.first, r.end());
  return rows;
}

std::string Shard::Name() const { return std::to_string(index) + "/" + std::to_string(count); }

Status ParseShard(std::string_view text, Shard* shard) {
  const size_t slash = text.find('/');
  uint64_t k = 0;
  uint64_t n = 0;
  if (slash == std::string_view::npos || !ReadNumber(text.substr(0, slash), &k) ||
      !ReadNumber(text.substr(slash + 1), &n) || n == 0 || n > kMaxShards || k >= n) {
    return Status::InvalidArgument(
        "--shard: '" + std::string(text) +
        "' is not K/N with 0 <= K < N <= " + std::to_string(kMaxShards) +
        " (this process loads the blocks of --chunk rows whose number mod N is K; start one "
        "process for each K)");
  }
  shard->index = k;
  shard->count = n;
  return Status::OK();
}

RowRange Shard::ToOwn(const RowRange& job_rows) const {
  const uint64_t first = OwnedBefore(job_rows.first);
  return {first, OwnedBefore(job_rows.end()) - first};
}

RowRange Shard::ToJob(const RowRange& own_rows) const {
  const uint64_t first = OwnedRow(own_rows.first);
  return {first, OwnedRow(own_rows.end() - 1) + 1 - first};
}

}  // namespace loader
