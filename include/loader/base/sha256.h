// SHA-256 (FIPS 180-4), for the checksums in an import manifest: the digest
// `sha256sum` prints, so anyone can check a file without the loader. OpenSSL's
// libcrypto does the hashing (with the CPU's SHA or vector instructions where
// it has them); libpq loads it anyway.
// Thread safety: none; one hasher per stream.
#ifndef LOADER_SHA256_H_
#define LOADER_SHA256_H_

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace loader {

class Sha256 {
 public:
  Sha256();

  void Update(std::string_view bytes);
  // The digest as 64 lower-case hex digits. The hasher is spent afterwards.
  std::string HexDigest();

 private:
  struct ContextDeleter {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, ContextDeleter> context_;
};

}  // namespace loader

#endif  // LOADER_SHA256_H_
