// ParseCommandLine for --decompress (of --input) and --compress (of
// --emit-import): the values each takes into the LoadSpec, their
// environment twins, and the refusals.
#include <gtest/gtest.h>

#include <string>

#include "loader/cli/cli.h"
#include "support/cli_testing.h"

namespace loader {
namespace {

using test_support::ErrorOf;
using test_support::Parse;
using test_support::ScopedLoaderEnv;

TEST(CliCompress, DecompressIsAutoUnlessSaid) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--input", "a.csv.gz"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.input.csv.decompress.has_value());
  const std::pair<const char*, Compression> said[] = {{"gzip", Compression::kGzip},
                                                      {"zstd", Compression::kZstd},
                                                      {"bzip2", Compression::kBzip2},
                                                      {"none", Compression::kNone}};
  for (const auto& [word, compression] : said) {
    cl = Parse({"--input", "-", "--decompress", word});
    ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
    EXPECT_EQ(cl.spec.input.csv.decompress, compression) << word;
  }
  cl = Parse({"--input", "a.csv", "--decompress", "auto"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.input.csv.decompress.has_value());
  env.Set("LOADER_DECOMPRESS", "zstd");
  cl = Parse({"--input", "a.csv"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_EQ(cl.spec.input.csv.decompress, Compression::kZstd);
}

TEST(CliCompress, DecompressRefusesOtherFormatsAndNeedsInput) {
  ScopedLoaderEnv env;
  EXPECT_EQ(ErrorOf({"--input", "a.csv.xz", "--decompress", "xz"}),
            "--decompress: 'xz' is not one of auto, gzip, zstd, bzip2, none");
  EXPECT_EQ(ErrorOf({"--decompress", "gzip"}), "--decompress reads files: it needs --input");
}

TEST(CliCompress, CompressGzipShapesTheEmittedFilesOnly) {
  ScopedLoaderEnv env;
  CommandLine cl = Parse({"--emit-import", "out"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.import.gzip);
  cl = Parse({"--emit-import", "out", "--compress", "gzip"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.spec.import.gzip);
  cl = Parse({"--emit-import", "out", "--compress", "none"});
  ASSERT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_FALSE(cl.spec.import.gzip);

  EXPECT_EQ(ErrorOf({"--emit-import", "out", "--compress", "zstd"}),
            "--compress: 'zstd' is not one of gzip, none");
  EXPECT_EQ(ErrorOf({"--compress", "gzip"}),
            "--compress shapes the files of --emit-import; it needs it");
  EXPECT_EQ(ErrorOf({"--fallback-dir", "spill", "--compress", "gzip"}),
            "--compress shapes the files of --emit-import; it needs it");
  env.Set("LOADER_COMPRESS", "gzip");
  EXPECT_EQ(ErrorOf({"--rows", "10"}), "--compress shapes the files of --emit-import; it needs it");
}

}  // namespace
}  // namespace loader
