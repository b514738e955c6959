// SHA-256 (FIPS 180-4), for the checksums in an import manifest: the digest
// `sha256sum` prints, so anyone can check a file without the loader. Uses the
// x86 SHA extensions where the CPU has them (LOADER_SHA256_PORTABLE=1 in the
// environment turns them off, for tests).
// Thread safety: none; one hasher per stream.
#ifndef LOADER_SHA256_H_
#define LOADER_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loader {

class Sha256 {
 public:
  Sha256();

  void Update(std::string_view bytes);
  // The digest as 64 lower-case hex digits. The hasher is spent afterwards.
  std::string HexDigest();

 private:
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t block_size_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace loader

#endif  // LOADER_SHA256_H_
