// Digests of input rows: the journal keeps them, so they must tell edits
// apart and never change from one build to the next.
#include "loader/read/content_digest.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "loader/encode/chunk.h"

namespace loader {
namespace {

// Journals written by earlier runs hold these: a change of recipe makes every
// resumed file job fail its check. Computed apart from the loader (a Python
// transcription of the recipe in content_digest.cc).
TEST(RowDigest, KnownValues) {
  EXPECT_EQ(RowDigest(""), 0xe9e0033e3badaf36u);
  EXPECT_EQ(RowDigest("a,b"), 0xe76ee2806cba0c6au);
  EXPECT_EQ(RowDigest("1,hello world,\"x\ny\""), 0xb7e916152e92e721u);
  EXPECT_EQ(RowDigest(std::string_view("\0", 1)), 0xcce5bec5cc186b1eu);
}

TEST(CombineDigest, KnownValue) {
  uint64_t digest = 0;
  for (std::string_view row : {"1,a", "2,b", "3,c"}) digest = CombineDigest(digest, RowDigest(row));
  EXPECT_EQ(digest, 0x575040b2b15b8755u);
}

TEST(RowDigest, DependsOnEveryByteAndTheLength) {
  const std::string base = "0123456789abcdefghij";  // two words and 4 trailing bytes
  std::set<uint64_t> seen = {RowDigest(base)};
  // Any one byte changed: in the first word, past byte 8, in the trailing bytes.
  for (size_t i = 0; i < base.size(); ++i) {
    std::string changed = base;
    changed[i] ^= 0x01;
    EXPECT_TRUE(seen.insert(RowDigest(changed)).second) << "byte " << i;
  }
  // Every prefix, so also lengths that differ by trailing bytes only.
  for (size_t n = 0; n < base.size(); ++n) {
    EXPECT_TRUE(seen.insert(RowDigest(std::string_view(base).substr(0, n))).second)
        << "prefix " << n;
  }
  // Trailing NULs are bytes too, not padding.
  EXPECT_NE(RowDigest("abc"), RowDigest(std::string_view("abc\0", 4)));
  EXPECT_NE(RowDigest("abcdefgh"), RowDigest(std::string_view("abcdefgh\0", 9)));
  EXPECT_NE(RowDigest(""), RowDigest(std::string_view("\0", 1)));
  // The same bytes in other words: only past byte 8, or only in the tail.
  EXPECT_NE(RowDigest("12345678a"), RowDigest("12345678b"));
  EXPECT_NE(RowDigest("abcdefgh12345678X"), RowDigest("12345678abcdefghX"));
}

TEST(RowDigest, IsAFunctionOfTheBytesAlone) {
  const std::string a = "same,bytes,\"here\"";
  const std::string b = a;  // another buffer
  EXPECT_EQ(RowDigest(a), RowDigest(b));
  EXPECT_EQ(RowDigest(std::string_view(a).substr(5, 5)), RowDigest("bytes"));
}

TEST(CombineDigest, OrderMatters) {
  const uint64_t a = RowDigest("1,a");
  const uint64_t b = RowDigest("2,b");
  EXPECT_NE(CombineDigest(CombineDigest(0, a), b), CombineDigest(CombineDigest(0, b), a));
  // A row more, even an empty one, changes the fold.
  EXPECT_NE(CombineDigest(CombineDigest(0, a), RowDigest("")), CombineDigest(0, a));
  // A repeated row does not cancel out.
  EXPECT_NE(CombineDigest(CombineDigest(0, a), a), 0u);
}

TEST(ChunkDigest, FoldsEveryOriginRejectedOnesIncluded) {
  Chunk chunk;
  EXPECT_EQ(ChunkDigest(chunk), 0u);  // generated rows: nothing to check
  chunk.rows = 5;
  EXPECT_EQ(ChunkDigest(chunk), 0u);

  for (std::string_view row : {"1,a", "2,b", "3,c"}) {
    RowOrigin origin;
    origin.digest = RowDigest(row);
    chunk.origins.push_back(origin);
  }
  chunk.origins[1].sent = false;
  chunk.rows = 2;
  EXPECT_EQ(ChunkDigest(chunk), 0x575040b2b15b8755u);
  // The lines and the sent flags are not part of it: the text is.
  chunk.origins[0].line = 99;
  chunk.origins[1].sent = true;
  EXPECT_EQ(ChunkDigest(chunk), 0x575040b2b15b8755u);
}

}  // namespace
}  // namespace loader
