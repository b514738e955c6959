// Compressed test inputs made in memory with the libraries the loader reads
// them with: gzip members (zlib), zstd frames, bzip2 streams. Concatenate
// the results for files of several members or frames.
#ifndef LOADER_TESTS_SUPPORT_COMPRESSION_TESTING_H_
#define LOADER_TESTS_SUPPORT_COMPRESSION_TESTING_H_

#include <optional>
#include <string>
#include <string_view>

#include "loader/base/status.h"
#include "loader/read/input_stream.h"

namespace loader::test_support {

// One gzip member of `text` (deflate level `level`).
std::string Gzip(std::string_view text, int level = 6);
// One zstd frame of `text`, with its content size and checksum.
std::string Zstd(std::string_view text, int level = 3);
// One bzip2 stream of `text`.
std::string Bzip2(std::string_view text);
// One of the above by `compression`; `text` itself for kNone.
std::string Compress(Compression compression, std::string_view text);

// What an InputStream over `bytes` (a file named `name`) gave, read `chunk`
// bytes at a time: all of it, or what came before its first error.
struct StreamRead {
  std::string text;
  Status status;
  Compression compression = Compression::kNone;
};
StreamRead ReadStream(const std::string& bytes, const std::string& name,
                      std::optional<Compression> decompress = std::nullopt, size_t chunk = 1 << 20);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_COMPRESSION_TESTING_H_
