// ImportFileWriter: the description it returns (rows, bytes, SHA-256) is the
// file on disk, checked by reading the file back and by sha256sum, the tool a
// user of the manifest would run.
#include "loader/emit/import_file_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "support/temp_dir.h"

namespace loader {
namespace {

// The first word `sha256sum FILE` prints: its digest of the file.
std::string Sha256sumOf(const std::string& path) {
  const std::string out = test_support::CommandOutput("sha256sum '" + path + "'");
  return out.substr(0, out.find(' '));
}

TEST(ImportFileWriter, DescribesTheBytesItWrote) {
  test_support::TempDir dir;
  ImportFileWriter writer;
  ASSERT_TRUE(writer.Open(dir.path(), "accounts.00002.csv", 1000).ok());
  EXPECT_TRUE(writer.is_open());
  // Pieces as a writer gets them from its encoder: several rows per append,
  // one empty chunk, a quoted field with a line break and a NULL.
  const std::string pieces[] = {
      "1,100\n2,-5\n",
      "3,\"a, b\"\n",
      "",
      "4,\"two\nlines\"\n5,\n6,\"\"\n",
      std::string(70, 'x') + "," + std::string(70, 'y') + "\n",
  };
  const uint64_t rows[] = {2, 1, 0, 3, 1};
  std::string all;
  for (size_t i = 0; i < std::size(pieces); ++i) {
    ASSERT_TRUE(writer.Append(pieces[i], rows[i]).ok());
    all += pieces[i];
    EXPECT_EQ(writer.bytes(), all.size());
  }
  ImportFile file;
  ASSERT_TRUE(writer.Close(&file).ok());
  EXPECT_FALSE(writer.is_open());

  const std::string path = dir.File("accounts.00002.csv");
  EXPECT_EQ(test_support::Contents(path), all);
  EXPECT_EQ(file.name, "accounts.00002.csv");
  EXPECT_EQ(file.first_row, 1000u);
  EXPECT_EQ(file.rows, 7u);
  EXPECT_EQ(file.bytes, all.size());
  EXPECT_EQ(file.sha256, Sha256sumOf(path));
  EXPECT_EQ(file.sha256.size(), 64u);
  // A writer knows nothing of journals: the fallback fields stay unset.
  EXPECT_EQ(file.span, 0u);
  EXPECT_EQ(file.content_digest, 0u);
  EXPECT_FALSE(file.maybe_committed);
  EXPECT_EQ(file.reason, "");
}

// Big enough that the digest crosses many blocks, in appends of odd sizes.
TEST(ImportFileWriter, LargeFileInUnevenAppends) {
  test_support::TempDir dir;
  ImportFileWriter writer;
  ASSERT_TRUE(writer.Open(dir.path(), "big.csv", 0).ok());
  std::string all;
  uint64_t rows = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string row = std::to_string(i * 7919) + "," + std::string(i % 97, 'a' + i % 26) + "\n";
    ASSERT_TRUE(writer.Append(row, 1).ok());
    all += row;
    ++rows;
  }
  ImportFile file;
  ASSERT_TRUE(writer.Close(&file).ok());
  EXPECT_EQ(file.rows, rows);
  EXPECT_EQ(file.bytes, all.size());
  EXPECT_EQ(test_support::Contents(dir.File("big.csv")), all);
  EXPECT_EQ(file.sha256, Sha256sumOf(dir.File("big.csv")));
}

TEST(ImportFileWriter, EmptyFileHasTheEmptyDigest) {
  test_support::TempDir dir;
  ImportFileWriter writer;
  ASSERT_TRUE(writer.Open(dir.path(), "empty.csv", 5).ok());
  ImportFile file;
  ASSERT_TRUE(writer.Close(&file).ok());
  EXPECT_EQ(file.rows, 0u);
  EXPECT_EQ(file.bytes, 0u);
  EXPECT_EQ(file.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(test_support::Contents(dir.File("empty.csv")), "");
}

// A re-run replaces a file of the same name, and the writer starts its count
// and digest again for each file it opens.
TEST(ImportFileWriter, ReplacesAnEarlierFileAndStartsAfresh) {
  test_support::TempDir dir;
  dir.Write("a.csv", "stale contents that are longer than the new ones\n");
  ImportFileWriter writer;
  ImportFile first;
  ASSERT_TRUE(writer.Open(dir.path(), "a.csv", 0).ok());
  ASSERT_TRUE(writer.Append("1,2\n", 1).ok());
  ASSERT_TRUE(writer.Close(&first).ok());
  EXPECT_EQ(test_support::Contents(dir.File("a.csv")), "1,2\n");

  ImportFile second;
  ASSERT_TRUE(writer.Open(dir.path(), "b.csv", 1).ok());
  ASSERT_TRUE(writer.Append("abc", 1).ok());
  ASSERT_TRUE(writer.Close(&second).ok());
  EXPECT_EQ(second.name, "b.csv");
  EXPECT_EQ(second.first_row, 1u);
  EXPECT_EQ(second.rows, 1u);
  EXPECT_EQ(second.bytes, 3u);
  EXPECT_EQ(second.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(first.sha256, Sha256sumOf(dir.File("a.csv")));
}

TEST(ImportFileWriter, OpenInAMissingDirectoryNamesThePath) {
  test_support::TempDir dir;
  const std::string missing = dir.File("no-such-dir");
  ImportFileWriter writer;
  const Status s = writer.Open(missing, "accounts.00001.csv", 0);
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(),
            "cannot create " + missing + "/accounts.00001.csv: No such file or directory");
  EXPECT_FALSE(writer.is_open());
}

}  // namespace
}  // namespace loader
