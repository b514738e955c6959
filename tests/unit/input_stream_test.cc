// InputStream: gzip, zstd and bzip2 read back exactly, also as several
// members or frames and whatever the read sizes or the pieces the bytes come
// in; auto finds gzip and zstd by their bytes and every format by its
// extension; corrupt, cut short or mislabelled data is an error naming the
// byte reached (and through CsvReader, the line).
#include "loader/read/input_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/read/csv_reader.h"
#include "support/compression_testing.h"
#include "support/csv_reader_testing.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

using namespace test_support;  // NOLINT: the test vocabulary (Gzip, ReadStream, FileWith...)

constexpr Compression kAll[] = {Compression::kGzip, Compression::kZstd, Compression::kBzip2};

// A name that says what the bytes are: the test of reading does not depend
// on finding out.
std::string NameFor(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "in.csv.gz";
    case Compression::kZstd:
      return "in.csv.zst";
    case Compression::kBzip2:
      return "in.csv.bz2";
    case Compression::kNone:
      break;
  }
  return "in.csv";
}

// A zstd skippable frame holding `payload`, which decoders pass over.
std::string SkippableFrame(const std::string& payload) {
  std::string frame = "\x50\x2a\x4d\x18";
  for (int i = 0; i < 4; ++i) frame += static_cast<char>((payload.size() >> (8 * i)) & 0xFF);
  return frame + payload;
}

TEST(InputStream, SeveralMebibytesOfEachFormatReadBackExactly) {
  const std::string text = GenerateInput(1, 60000, true);
  for (Compression c : kAll) {
    SCOPED_TRACE(CompressionName(c));
    const std::string packed = Compress(c, text);
    ASSERT_GT(packed.size(), kInputBlock);  // read in several blocks
    const StreamRead got = ReadStream(packed, NameFor(c));
    ASSERT_TRUE(got.status.ok()) << got.status.ToString();
    EXPECT_EQ(got.compression, c);
    EXPECT_EQ(got.text.size(), text.size());
    EXPECT_TRUE(got.text == text);
    // And through the CSV reader, record by record, found by its bytes
    // (input.csv), which bzip2 cannot be.
    if (c != Compression::kBzip2) {
      EXPECT_EQ(MatchGenerated(FileWith(packed), 1, 60000), "");
    }
  }
}

TEST(InputStream, ConcatenatedMembersAndFramesReadAsOneText) {
  const std::string a = "id,name\n1,one\n";
  const std::string b = "2,two\n3,th";
  const std::string c = "ree\n";
  EXPECT_EQ(ReadStream(Gzip(a) + Gzip("") + Gzip(b, 1) + Gzip(c, 9), "x.csv.gz").text, a + b + c);
  EXPECT_EQ(ReadStream(Zstd(a) + SkippableFrame("ignored") + Zstd(b, 19) + Zstd("") + Zstd(c),
                       "x.csv.zst")
                .text,
            a + b + c);
  EXPECT_EQ(ReadStream(Bzip2(a) + Bzip2(b) + Bzip2(c), "x.csv.bz2").text, a + b + c);
  // Through the stream's 1 MiB blocks: members that straddle them.
  std::string big;
  std::string packed;
  for (int k = 0; k < 40; ++k) {
    const std::string part = GenerateInput(static_cast<uint64_t>(k), 2000, true);
    big += part;
    packed += (k % 2 == 0 ? Gzip(part, 1) : Gzip(part, 9));
  }
  ASSERT_GT(packed.size(), 2 * kInputBlock);
  const StreamRead got = ReadStream(packed, "big.gz");
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_TRUE(got.text == big);
}

TEST(InputStream, AnyReadSizeGivesTheSameBytes) {
  const std::string text = GenerateInput(3, 3000, false);
  for (Compression c : kAll) {
    const std::string packed = Compress(c, text.substr(0, 1000)) + Compress(c, text.substr(1000));
    for (size_t chunk : {1, 2, 3, 7, 4096, 65537}) {
      SCOPED_TRACE(std::string(CompressionName(c)) + " read " + std::to_string(chunk) +
                   " bytes at a time");
      const StreamRead got = ReadStream(packed, NameFor(c), std::nullopt, chunk);
      ASSERT_TRUE(got.status.ok()) << got.status.ToString();
      EXPECT_TRUE(got.text == text);
    }
  }
}

TEST(InputStream, BytesArrivingInTinyPiecesReadTheSame) {
  const std::string text = GenerateInput(4, 5000, true);
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    const std::string packed = Compress(c, text.substr(0, 777)) + Compress(c, text.substr(777));
    // One byte at a time first, so even the magic bytes come apart; then
    // pieces of every size up to 97.
    std::vector<size_t> pieces(8, 1);
    for (size_t sent = 8, n = 1; sent < packed.size(); sent += n, n = n % 97 + 1) {
      pieces.push_back(n);
    }
    SCOPED_TRACE(CompressionName(c));
    PipeWriter writer(packed, pieces, true);
    InputStream stream(writer.TakeReadEnd(), "stdin", std::nullopt);
    std::string got;
    char buf[1000];
    for (;;) {
      size_t n = 0;
      const Status s = stream.Read(buf, sizeof buf, &n);
      ASSERT_TRUE(s.ok()) << s.ToString();
      if (n == 0) break;
      got.append(buf, n);
    }
    EXPECT_EQ(stream.compression(), c);
    EXPECT_TRUE(got == text);
  }
}

TEST(InputStream, AutoFindsGzipAndZstdByTheirBytesAndBzip2ByItsName) {
  const std::string text = "a,b\n1,2\n";
  for (const char* name : {"stdin", "data.csv", "data"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ReadStream(Gzip(text), name).compression, Compression::kGzip);
    EXPECT_EQ(ReadStream(Gzip(text), name).text, text);
    EXPECT_EQ(ReadStream(Zstd(text), name).compression, Compression::kZstd);
    EXPECT_EQ(ReadStream(Zstd(text), name).text, text);
    // "BZh91AY&SY" could start a CSV file: read as it is.
    const std::string bzip2 = Bzip2(text);
    EXPECT_EQ(ReadStream(bzip2, name).compression, Compression::kNone);
    EXPECT_EQ(ReadStream(bzip2, name).text, bzip2);
    EXPECT_EQ(ReadStream(text, name).compression, Compression::kNone);
    EXPECT_EQ(ReadStream(text, name).text, text);
    // Shorter than any magic number.
    EXPECT_EQ(ReadStream("1\n", name).text, "1\n");
    EXPECT_EQ(ReadStream("", name).text, "");
  }
  EXPECT_EQ(ReadStream(Bzip2(text), "data.bz2").text, text);
  EXPECT_EQ(CompressionOfName("a.csv.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionOfName("a.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionOfName("a.csv.bz2"), Compression::kBzip2);
  EXPECT_EQ(CompressionOfName("a.gz.csv"), Compression::kNone);
}

TEST(InputStream, DataThatIsNotWhatTheNameOrTheOptionSaysIsRefused) {
  const StreamRead named = ReadStream(Zstd("x\n"), "data.gz");
  EXPECT_EQ(named.status.code(), Status::Code::kDataError);
  EXPECT_EQ(named.status.message(),
            "data.gz: not gzip data: it starts with bytes 28 b5 2f fd; --decompress none reads "
            "it as it is");
  const StreamRead plain = ReadStream("a,b\nc,d\n", "data.csv", Compression::kGzip);
  EXPECT_EQ(plain.status.code(), Status::Code::kDataError);
  EXPECT_EQ(plain.status.message(),
            "data.csv: not gzip data: it starts with bytes 61 2c 62 0a; --decompress none reads "
            "it as it is");
  EXPECT_EQ(ReadStream("", "stdin", Compression::kZstd).status.message(),
            "stdin: not zstd data: the input is empty; --decompress none reads it as it is");
  EXPECT_EQ(ReadStream("BZ", "x.bz2").status.message(),
            "x.bz2: not bzip2 data: it starts with bytes 42 5a; --decompress none reads it as it "
            "is");
  EXPECT_TRUE(plain.text.empty());
}

TEST(InputStream, DecompressNoneReadsCompressedBytesAsTheyAre) {
  const std::string packed = Gzip("a,b\n");
  const StreamRead raw = ReadStream(packed, "x.csv.gz", Compression::kNone);
  ASSERT_TRUE(raw.status.ok()) << raw.status.ToString();
  EXPECT_EQ(raw.text, packed);
  // Which the CSV reader then refuses as text: 1f is a character, 8b not.
  CsvOptions options;
  options.decompress = Compression::kNone;
  const ReadResult read = ReadAll(FileWith(packed), options, "x.csv.gz");
  EXPECT_EQ(read.status.message(),
            "x.csv.gz:1:2: invalid UTF-8 (the loader reads UTF-8 text only)");
}

TEST(InputStream, CorruptGzipNamesTheByteReachedAndZlibsReason) {
  // A gzip header, then a deflate block of the reserved type 3.
  const std::string header("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  const StreamRead bad_block = ReadStream(header + "\x07" + std::string(20, 'x'), "bad.csv.gz");
  EXPECT_EQ(bad_block.status.code(), Status::Code::kDataError);
  EXPECT_EQ(bad_block.status.message(),
            "bad.csv.gz: corrupt gzip data at byte 11: invalid block type");

  // A wrong CRC is found at the member's end, after all its text.
  const std::string text = GenerateInput(5, 2000, true);
  std::string packed = Gzip(text);
  packed[packed.size() - 6] ^= 0x55;
  const StreamRead bad_crc = ReadStream(packed, "x.gz");
  EXPECT_TRUE(bad_crc.text == text);
  EXPECT_EQ(bad_crc.status.message(), "x.gz: corrupt gzip data at byte " +
                                          std::to_string(packed.size() - 4) +
                                          ": incorrect data check");

  // Bytes after a member that do not start another.
  const std::string first = Gzip("a\n");
  EXPECT_EQ(ReadStream(first + std::string(4, '\0'), "x.gz").status.message(),
            "x.gz: corrupt gzip data at byte " + std::to_string(first.size() + 2) +
                ": incorrect header check");
}

TEST(InputStream, CorruptZstdAndBzip2NameTheirLibrariesReasons) {
  const std::string text = GenerateInput(6, 500, true);
  std::string zstd = Zstd(text);
  zstd[zstd.size() - 2] ^= 0x55;  // in the content checksum
  const StreamRead bad_zstd = ReadStream(zstd, "x.zst");
  EXPECT_EQ(bad_zstd.status.code(), Status::Code::kDataError);
  EXPECT_TRUE(text.starts_with(bad_zstd.text));
  EXPECT_EQ(bad_zstd.status.message(), "x.zst: corrupt zstd data at byte " +
                                           std::to_string(zstd.size()) +
                                           ": Restored data doesn't match checksum");
  std::string bzip2 = Bzip2(text);
  bzip2[bzip2.size() / 2] ^= 0x55;
  const StreamRead bad_bzip2 = ReadStream(bzip2, "x.bz2");
  EXPECT_EQ(bad_bzip2.status.code(), Status::Code::kDataError);
  EXPECT_TRUE(bad_bzip2.status.message().starts_with("x.bz2: corrupt bzip2 data at byte "))
      << bad_bzip2.status.message();
  EXPECT_TRUE(
      bad_bzip2.status.message().ends_with(": data integrity error (a block's check failed)"))
      << bad_bzip2.status.message();
}

TEST(InputStream, DataCutShortIsAnErrorNotLessText) {
  const std::string text = GenerateInput(7, 3000, true);
  for (Compression c : kAll) {
    SCOPED_TRACE(CompressionName(c));
    const std::string whole = Compress(c, "first\n") + Compress(c, text);
    for (size_t cut : {size_t{1}, size_t{10}, whole.size() / 2}) {
      const std::string packed = whole.substr(0, whole.size() - cut);
      const StreamRead got = ReadStream(packed, NameFor(c), std::nullopt, 4096);
      const std::string unit = c == Compression::kGzip   ? "gzip member"
                               : c == Compression::kZstd ? "zstd frame"
                                                         : "bzip2 stream";
      EXPECT_EQ(got.status.message(), NameFor(c) + ": truncated " + CompressionName(c) +
                                          " data at byte " + std::to_string(packed.size()) +
                                          ": the input ends inside a " + unit +
                                          " (is the file cut short?)");
      EXPECT_TRUE(("first\n" + text).starts_with(got.text));
    }
  }
}

TEST(CsvReaderCompressed, LinesAndErrorsAreThoseOfTheDecompressedText) {
  const std::string first = Gzip("a,b\nc,d\n\"e");
  const std::string input = first + Gzip("\",f\ng\"h,i\n");
  const ReadResult read = ReadAll(FileWith(input), {}, "in.csv.gz");
  EXPECT_EQ(read.records, (std::vector<Record>{{{Plain("a"), Plain("b")}, 1, 0, "a,b"},
                                               {{Plain("c"), Plain("d")}, 2, 1, "c,d"},
                                               {{Quoted("e"), Plain("f")}, 3, 2, "\"e\",f"}}));
  EXPECT_EQ(read.status.message(),
            "in.csv.gz:4:2: a quote inside an unquoted field (quote the whole field and double the "
            "quotes in it)");

  // Damage after the second line: the records before it, then the error
  // with the line the text had reached.
  const ReadResult damaged = ReadAll(FileWith(Gzip("a,b\nc,d\ne,") + "junk"), {}, "in.csv.gz");
  EXPECT_EQ(damaged.records, (std::vector<Record>{{{Plain("a"), Plain("b")}, 1, 0, "a,b"},
                                                  {{Plain("c"), Plain("d")}, 2, 1, "c,d"}}));
  EXPECT_EQ(damaged.status.code(), Status::Code::kDataError);
  EXPECT_EQ(damaged.status.message(), "in.csv.gz: corrupt gzip data at byte " +
                                          std::to_string(Gzip("a,b\nc,d\ne,").size() + 2) +
                                          " (after line 2): incorrect header check");
  // Cut in its checksum: the text is whole, the frame is not.
  const std::string zstd = Zstd("x,y\n");
  const ReadResult short_zstd = ReadAll(FileWith(zstd.substr(0, zstd.size() - 1)), {}, "stdin");
  EXPECT_EQ(short_zstd.records, (std::vector<Record>{{{Plain("x"), Plain("y")}, 1, 0, "x,y"}}));
  EXPECT_EQ(short_zstd.status.message(),
            "stdin: truncated zstd data at byte " + std::to_string(zstd.size() - 1) +
                " (after line 1): the input ends inside a zstd frame (is the file cut short?)");
  // Cut after the header: no text at all.
  const ReadResult header_only = ReadAll(FileWith(Gzip("x,y\n").substr(0, 10)), {}, "stdin");
  EXPECT_TRUE(header_only.records.empty());
  EXPECT_EQ(header_only.status.message(),
            "stdin: truncated gzip data at byte 10 (in line 1): the input ends inside a gzip "
            "member (is the file cut short?)");
}

TEST(EstimatedInputBytes, PlainSizeExactSmallFilesAndAnEstimateOfBigOnes) {
  TempDir dir;
  const std::string text = GenerateInput(8, 1000, true);
  EXPECT_EQ(EstimatedInputBytes(dir.Write("a.csv", text), std::nullopt), text.size());
  EXPECT_EQ(EstimatedInputBytes(dir.Write("a.csv.gz", Gzip(text)), std::nullopt), text.size());
  EXPECT_EQ(EstimatedInputBytes(dir.Write("a.zst", Zstd(text)), std::nullopt), text.size());
  // --decompress none: the file's own size.
  EXPECT_EQ(EstimatedInputBytes(dir.File("a.csv.gz"), Compression::kNone), Gzip(text).size());
  // Hex digits: they shrink to about half, so 8 MiB make several blocks.
  std::string big;
  uint64_t x = 1;
  while (big.size() < (8u << 20)) {
    for (int i = 0; i < 64; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      big += "0123456789abcdef"[x >> 60];
    }
    big += '\n';
  }
  const std::string packed = Gzip(big, 1);
  ASSERT_GT(packed.size(), 2 * kInputBlock);
  const auto estimate =
      static_cast<double>(EstimatedInputBytes(dir.Write("big.gz", packed), std::nullopt));
  EXPECT_NEAR(estimate / static_cast<double>(big.size()), 1.0, 0.1);
  EXPECT_EQ(EstimatedInputBytes(dir.File("missing.gz"), std::nullopt), 0u);
}

}  // namespace
}  // namespace loader
