// Digests of input text, so the journal can record what a committed chunk's
// rows were and a re-run can tell whether those lines of the file changed.
// Not cryptographic: they detect edits, not tampering. Stable across runs and
// builds (the journal keeps them), on little-endian machines.
#ifndef LOADER_CONTENT_DIGEST_H_
#define LOADER_CONTENT_DIGEST_H_

#include <cstdint>
#include <string_view>

#include "loader/encode/chunk.h"

namespace loader {

// A chunk the journal has, with its digest (0: none recorded).
struct CommittedChunk {
  uint64_t first_row = 0;
  uint64_t rows = 0;
  uint64_t digest = 0;
};

// Of one row's bytes as read. Runs at several GB/s: it is on the read path.
uint64_t RowDigest(std::string_view bytes);

// Folds the next row's digest into the digest of the rows before it (start
// from 0). Order matters: swapped rows give another digest.
uint64_t CombineDigest(uint64_t digest, uint64_t row_digest);

// Of all the input rows a chunk covers (its origins), rejected ones included;
// 0 for generated rows, which have no text to change.
uint64_t ChunkDigest(const Chunk& chunk);

}  // namespace loader

#endif  // LOADER_CONTENT_DIGEST_H_
