#include "loader/read/content_digest.h"

#include <cstring>

#include "loader/base/hash.h"

namespace loader {

uint64_t RowDigest(std::string_view bytes) {
  constexpr uint64_t kMul = 0x9fb21c651e98df25ULL;
  uint64_t h = 0x243f6a8885a308d3ULL ^ (bytes.size() * kMul);
  const char* p = bytes.data();
  size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    uint64_t word = 0;
    std::memcpy(&word, p, n);
    h = (h ^ word) * kMul;
  }
  return Mix64(h);
}

uint64_t CombineDigest(uint64_t digest, uint64_t row_digest) {
  return Mix64(digest ^ row_digest) + 0x632be59bd9b4e019ULL;
}

uint64_t ChunkDigest(const Chunk& chunk) {
  uint64_t digest = 0;
  for (const RowOrigin& origin : chunk.origins) digest = CombineDigest(digest, origin.digest);
  return digest;
}

}  // namespace loader
