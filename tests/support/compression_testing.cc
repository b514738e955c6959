#include "support/compression_testing.h"

#include <bzlib.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <vector>

#include "support/csv_reader_testing.h"

namespace loader::test_support {

std::string Gzip(std::string_view text, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    ADD_FAILURE() << "deflateInit2";
    return {};
  }
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  EXPECT_EQ(rc, Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(std::string_view text, int level) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), text.data(), text.size());
  ZSTD_freeCCtx(cctx);
  if (ZSTD_isError(n)) {
    ADD_FAILURE() << ZSTD_getErrorName(n);
    return {};
  }
  out.resize(n);
  return out;
}

std::string Bzip2(std::string_view text) {
  std::string out(text.size() + text.size() / 100 + 600, '\0');
  auto size = static_cast<unsigned>(out.size());
  const int rc = BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(text.data()),
                                          static_cast<unsigned>(text.size()), 9, 0, 0);
  EXPECT_EQ(rc, BZ_OK);
  out.resize(size);
  return out;
}

std::string Compress(Compression compression, std::string_view text) {
  switch (compression) {
    case Compression::kGzip:
      return Gzip(text);
    case Compression::kZstd:
      return Zstd(text);
    case Compression::kBzip2:
      return Bzip2(text);
    case Compression::kNone:
      break;
  }
  return std::string(text);
}

StreamRead ReadStream(const std::string& bytes, const std::string& name,
                      std::optional<Compression> decompress, size_t chunk) {
  InputStream stream(FileWith(bytes), name, decompress);
  std::vector<char> buf(chunk);
  StreamRead out;
  for (;;) {
    size_t n = 0;
    out.status = stream.Read(buf.data(), buf.size(), &n);
    out.compression = stream.compression();
    if (!out.status.ok() || n == 0) return out;
    out.text.append(buf.data(), n);
  }
}

}  // namespace loader::test_support
