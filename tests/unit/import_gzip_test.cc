// --emit-import --compress gzip: ImportFileWriter writes one gzip member that
// the gzip tool and the loader's own reader turn back into exactly the rows,
// and describes the compressed file on disk (bytes, SHA-256) apart from the
// CSV in it; the scripts and the manifest name the .csv.gz files and load
// them through gzip -dc.
#include <gtest/gtest.h>

#include <string>

#include "loader/base/sha256.h"
#include "loader/emit/import_file_writer.h"
#include "loader/emit/import_set.h"
#include "support/compression_testing.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

// What `gzip -dc FILE` prints, the way psql's \copy FROM PROGRAM runs it.
std::string Gunzip(const std::string& path) {
  return test_support::CommandOutput("gzip -dc '" + path + "'");
}

std::string Sha256Of(const std::string& bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

TEST(ImportFileWriterGzip, WritesOneGzipMemberOfExactlyTheRows) {
  test_support::TempDir dir;
  ImportFileWriter writer;
  ASSERT_TRUE(writer.Open(dir.path(), "t.00001.csv.gz", 500, true).ok());
  // Digits that do not shrink much, so the compressed output passes the
  // writer's 1 MiB buffer several times; appends of uneven sizes.
  std::string all;
  uint64_t x = 7;
  uint64_t rows = 0;
  while (all.size() < (5u << 20)) {
    std::string piece;
    for (int r = 0; r < 1 + static_cast<int>(rows % 37); ++r) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      piece += std::to_string(x) + ",\"a,b\"," + std::to_string(x >> 13) + "\n";
    }
    ASSERT_TRUE(writer.Append(piece, 1 + rows % 37).ok());
    all += piece;
    rows += 1 + rows % 37;
    EXPECT_EQ(writer.csv_bytes(), all.size());
  }
  EXPECT_LT(writer.bytes(), writer.csv_bytes());
  ImportFile file;
  ASSERT_TRUE(writer.Close(&file).ok());

  const std::string path = dir.File("t.00001.csv.gz");
  const std::string on_disk = test_support::Contents(path);
  EXPECT_GT(on_disk.size(), 2u << 20);
  EXPECT_EQ(file.name, "t.00001.csv.gz");
  EXPECT_EQ(file.first_row, 500u);
  EXPECT_EQ(file.rows, rows);
  EXPECT_EQ(file.bytes, on_disk.size());
  EXPECT_EQ(file.csv_bytes, all.size());
  EXPECT_EQ(file.sha256, Sha256Of(on_disk));
  EXPECT_TRUE(Gunzip(path) == all);
  const test_support::StreamRead read = test_support::ReadStream(on_disk, path);
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_TRUE(read.text == all);
}

TEST(ImportFileWriterGzip, NoRowsIsAnEmptyGzipMember) {
  test_support::TempDir dir;
  ImportFileWriter writer;
  ASSERT_TRUE(writer.Open(dir.path(), "e.csv.gz", 0, true).ok());
  ASSERT_TRUE(writer.Append("", 0).ok());
  ImportFile file;
  ASSERT_TRUE(writer.Close(&file).ok());
  EXPECT_EQ(file.rows, 0u);
  EXPECT_EQ(file.csv_bytes, 0u);
  // The 10-byte header, an empty final block and the 8-byte trailer.
  EXPECT_EQ(file.bytes, 20u);
  EXPECT_EQ(Gunzip(dir.File("e.csv.gz")), "");
}

TEST(ImportSetGzip, ScriptsAndManifestNameTheGzipFiles) {
  ImportSet set;
  set.table = "t";
  set.columns = {"a", "b"};
  set.url_prefix = "nodelocal://1/out";
  set.gzip = true;
  for (int k = 0; k < 2; ++k) {
    ImportFile f;
    f.name = "t.0000" + std::to_string(k + 1) + ".csv.gz";
    f.first_row = 10u * static_cast<uint64_t>(k);
    f.rows = 10;
    f.bytes = 60 + static_cast<uint64_t>(k);
    f.csv_bytes = 100;
    f.sha256 = std::string(64, k == 0 ? 'a' : 'b');
    set.files.push_back(f);
  }
  const std::string psql = PostgresScript(set);
  EXPECT_NE(psql.find("BEGIN;\n"
                      "\\copy \"t\" (\"a\", \"b\") FROM PROGRAM 'gzip -dc ./t.00001.csv.gz' WITH "
                      "(FORMAT csv)\n"
                      "\\copy \"t\" (\"a\", \"b\") FROM PROGRAM 'gzip -dc ./t.00002.csv.gz' WITH "
                      "(FORMAT csv)\n"
                      "COMMIT;\n"),
            std::string::npos)
      << psql;
  const std::string import = ImportSql(set);
  EXPECT_NE(
      import.find("-- The files are gzip: IMPORT decompresses them by their .gz extension.\n"),
      std::string::npos)
      << import;
  EXPECT_NE(import.find("    'nodelocal://1/out/t.00001.csv.gz',\n"
                        "    'nodelocal://1/out/t.00002.csv.gz'\n"),
            std::string::npos)
      << import;
  const std::string upload = UploadScript(set);
  EXPECT_NE(upload.find("nodelocal upload t.00002.csv.gz 'out/t.00002.csv.gz' $flags\n"),
            std::string::npos)
      << upload;
  const std::string manifest = ManifestJson(set);
  EXPECT_NE(manifest.find("\"header\": false,\n    \"compression\": \"gzip\"\n"), std::string::npos)
      << manifest;
  EXPECT_NE(manifest.find("\"bytes\": 121,\n  \"csv_bytes\": 200,"), std::string::npos) << manifest;
  EXPECT_NE(
      manifest.find("\"sha256\": \"" + std::string(64, 'b') + "\",\n      \"csv_bytes\": 100"),
      std::string::npos)
      << manifest;

  // Plain files say nothing of compression.
  set.gzip = false;
  EXPECT_EQ(ManifestJson(set).find("compression"), std::string::npos);
  EXPECT_EQ(ManifestJson(set).find("csv_bytes"), std::string::npos);
  EXPECT_EQ(PostgresScript(set).find("PROGRAM"), std::string::npos);
}

}  // namespace
}  // namespace loader
