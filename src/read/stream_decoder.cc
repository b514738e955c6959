#include "read/stream_decoder.h"

#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

namespace loader {
namespace {

class GzipDecoder final : public StreamDecoder {
 public:
  // 16 + MAX_WBITS: gzip wrappers only, not zlib's nor raw deflate.
  bool Init() { return inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK; }
  ~GzipDecoder() override { inflateEnd(&z_); }

  DecodeStep Decode(const char* in, size_t in_size, char* out, size_t out_size) override {
    // zlib counts in uInt: hand it at most 1 GiB a call.
    constexpr size_t kMaxCall = 1u << 30;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(in_size < kMaxCall ? in_size : kMaxCall);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(out_size < kMaxCall ? out_size : kMaxCall);
    const uInt avail_in = z_.avail_in;
    const uInt avail_out = z_.avail_out;
    const int rc = inflate(&z_, Z_NO_FLUSH);
    DecodeStep step;
    step.consumed = avail_in - z_.avail_in;
    step.produced = avail_out - z_.avail_out;
    switch (rc) {
      case Z_STREAM_END:
        // The next member, if any, starts with a header of its own.
        step.ended = true;
        inflateReset(&z_);
        break;
      case Z_OK:
      case Z_BUF_ERROR:  // no progress possible without more input: not a fault
        break;
      case Z_NEED_DICT:
        step.error = "the data needs a preset dictionary";
        break;
      case Z_MEM_ERROR:
        step.error = "out of memory";
        break;
      default:
        step.error = z_.msg != nullptr ? z_.msg : "invalid data";
        break;
    }
    return step;
  }

 private:
  z_stream z_{};
};

class ZstdDecoder final : public StreamDecoder {
 public:
  bool Init() { return (dctx_ = ZSTD_createDCtx()) != nullptr; }
  ~ZstdDecoder() override { ZSTD_freeDCtx(dctx_); }

  DecodeStep Decode(const char* in, size_t in_size, char* out, size_t out_size) override {
    // A block at a time, as libzstd suggests: on an error it does not say
    // how far it read, so the slice it was given is where it got to.
    ZSTD_inBuffer input{in, in_size < slice_ ? in_size : slice_, 0};
    ZSTD_outBuffer output{out, out_size, 0};
    const size_t rc = ZSTD_decompressStream(dctx_, &output, &input);
    DecodeStep step;
    step.consumed = input.pos;
    step.produced = output.pos;
    if (ZSTD_isError(rc)) {
      step.consumed = input.size;
      step.error = ZSTD_getErrorName(rc);
    } else if (rc == 0 && input.pos > 0) {
      // 0: a frame is whole and flushed; the context then takes the next.
      step.ended = true;
    } else if (rc == 0) {
      step.ended = output.pos > 0;  // the last of a frame's output, flushed
    }
    return step;
  }

 private:
  ZSTD_DCtx* dctx_ = nullptr;
  const size_t slice_ = ZSTD_DStreamInSize();
};

class Bzip2Decoder final : public StreamDecoder {
 public:
  bool Init() {
    s_ = bz_stream{};
    started_ = BZ2_bzDecompressInit(&s_, 0, 0) == BZ_OK;
    return started_;
  }
  ~Bzip2Decoder() override {
    if (started_) BZ2_bzDecompressEnd(&s_);
  }

  DecodeStep Decode(const char* in, size_t in_size, char* out, size_t out_size) override {
    constexpr size_t kMaxCall = 1u << 30;
    s_.next_in = const_cast<char*>(in);  // libbz2 does not write to its input
    s_.avail_in = static_cast<unsigned>(in_size < kMaxCall ? in_size : kMaxCall);
    s_.next_out = out;
    s_.avail_out = static_cast<unsigned>(out_size < kMaxCall ? out_size : kMaxCall);
    const unsigned avail_in = s_.avail_in;
    const unsigned avail_out = s_.avail_out;
    const int rc = BZ2_bzDecompress(&s_);
    DecodeStep step;
    step.consumed = avail_in - s_.avail_in;
    step.produced = avail_out - s_.avail_out;
    switch (rc) {
      case BZ_OK:
        break;
      case BZ_STREAM_END:
        // libbz2 decodes one stream per state: start afresh for the next.
        step.ended = true;
        BZ2_bzDecompressEnd(&s_);
        if (!Init()) step.error = "out of memory";
        break;
      case BZ_DATA_ERROR_MAGIC:
        step.error = "not bzip2 data (bad magic number)";
        break;
      case BZ_DATA_ERROR:
        step.error = "data integrity error (a block's check failed)";
        break;
      case BZ_MEM_ERROR:
        step.error = "out of memory";
        break;
      default:
        step.error = "libbz2 error";
        break;
    }
    return step;
  }

 private:
  bz_stream s_{};
  bool started_ = false;
};

template <class Decoder>
std::unique_ptr<StreamDecoder> Started(std::string* error) {
  auto decoder = std::make_unique<Decoder>();
  if (decoder->Init()) return decoder;
  *error = "cannot start the decoder: out of memory";
  return nullptr;
}

}  // namespace

std::unique_ptr<StreamDecoder> MakeStreamDecoder(Compression compression, std::string* error) {
  switch (compression) {
    case Compression::kGzip:
      return Started<GzipDecoder>(error);
    case Compression::kZstd:
      return Started<ZstdDecoder>(error);
    case Compression::kBzip2:
      return Started<Bzip2Decoder>(error);
    case Compression::kNone:
      break;
  }
  *error = "no decoder for uncompressed input";
  return nullptr;
}

}  // namespace loader
