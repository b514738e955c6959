// Sha256 against published digests, and the same digest however the bytes are
// cut into Update calls: a manifest's checksum must not depend on how the
// writer's chunks happened to fall.
#include "loader/base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace loader {
namespace {

std::string DigestOf(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

// The digest of `bytes` fed `piece` bytes per Update (the last piece shorter).
std::string DigestInPieces(std::string_view bytes, size_t piece) {
  Sha256 sha;
  for (size_t at = 0; at < bytes.size(); at += piece) sha.Update(bytes.substr(at, piece));
  return sha.HexDigest();
}

// Bytes that are neither text nor a repeated value, with every high bit set
// somewhere: a sign-extension or byte-order slip changes the digest.
std::string Pattern(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>((i * 131 + 7) & 0xff);
  return out;
}

// The example digests of FIPS 180-4 (NIST CSRC "Examples with Intermediate
// Values", SHA256.pdf and SHA2_Additional.pdf); re-checked with Python's
// hashlib.sha256 and coreutils sha256sum when this test was written.
TEST(Sha256, NistVectors) {
  EXPECT_EQ(DigestOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(DigestOf("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 448 bits: the padding's 1 bit and length no longer fit, so a second block.
  EXPECT_EQ(DigestOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(DigestOf(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, MillionAsFedInUnevenPieces) {
  const std::string a(1'000'000, 'a');
  EXPECT_EQ(DigestInPieces(a, 1000), DigestOf(a));
  EXPECT_EQ(DigestInPieces(a, 4093),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths at the edges of the padding (55 bytes still take the length in the
// same block, 56 do not) and of the 64-byte block. Expected values computed
// with Python: hashlib.sha256(bytes((i * 131 + 7) & 0xff for i in range(n))).
TEST(Sha256, PaddingAndBlockEdges) {
  const struct {
    size_t length;
    const char* digest;
  } kCases[] = {
      {1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"},
      {55, "16ed9c4697ca11d5f6fb25ea7900252dd4cb97215d7f6d0b2bb3e2a86ac0ec72"},
      {56, "939ada93b2fe1e9c596d767bb408567c83e253667f0b25e5be8e16f35f2cbac9"},
      {57, "ab84281f3b181e6cfc7cf870c7f3e7912be6fd1ac49c7dd6b21f6c25bb9a5eaa"},
      {63, "6073f83b09ae82016cdbe24c18996c48f0eaa08ca675d0f6b90b807fc29e0149"},
      {64, "b337ba9b0c69c391364e985fdcb23a889887e59800832c92fbfa22b8a3c40304"},
      {65, "9d6a3fb113b586b4ab97bc11c993a27bd9b7bbcb756e0646083dc47a679600e6"},
      {119, "9773fbac8194c3d789af101b49b6a26073076895ef6e0f658432849dd477a43f"},
      {120, "070a538f085dd94821d4dc197c5c8b791051891d4fa2a1bf25d3c275236676f7"},
      {127, "5072b7a9a4cda7f6d80f1eff09b8b9653201dba22319daf32c6c05339d57f483"},
      {128, "485a94e53eba9717a5d8b7b4489cad92a752f1c5722e7dfd29dd164b7c438d11"},
      {129, "72b63785704123441e7405a2620b859d1f107604ef5882e2674e82cc40d173a6"},
      {1000, "533b698850849b7908b20a22658f639c0b2a476f1791f85f50188287c31a9aba"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(DigestOf(Pattern(c.length)), c.digest) << c.length << " bytes";
  }
}

TEST(Sha256, EveryPieceSizeGivesTheOneUpdateDigest) {
  for (size_t length :
       {0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192, 193, 300}) {
    const std::string bytes = Pattern(length);
    const std::string whole = DigestOf(bytes);
    for (size_t piece = 1; piece <= 130; ++piece) {
      EXPECT_EQ(DigestInPieces(bytes, piece), whole) << length << " bytes in pieces of " << piece;
    }
  }
}

// A writer appends whatever its encoder produced, empty chunks included.
TEST(Sha256, EmptyUpdatesChangeNothing) {
  Sha256 sha;
  sha.Update("");
  sha.Update("ab");
  sha.Update("");
  sha.Update("");
  sha.Update("c");
  sha.Update("");
  EXPECT_EQ(sha.HexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Pieces that first fill a partial block and then carry whole blocks in one
// call: the path that compresses straight from the caller's bytes.
TEST(Sha256, PartialBlockThenSeveralWholeBlocksInOneUpdate) {
  const std::string bytes = Pattern(1000);
  for (size_t head = 1; head < 64; ++head) {
    Sha256 sha;
    sha.Update(std::string_view(bytes).substr(0, head));
    sha.Update(std::string_view(bytes).substr(head, 200));
    sha.Update(std::string_view(bytes).substr(head + 200));
    EXPECT_EQ(sha.HexDigest(), "533b698850849b7908b20a22658f639c0b2a476f1791f85f50188287c31a9aba")
        << "first piece " << head;
  }
}

}  // namespace
}  // namespace loader
