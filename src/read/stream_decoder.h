// StreamDecoder: one compression library's streaming decoder (zlib for gzip,
// libzstd, libbz2) behind the one call InputStream needs. Each starts the
// next member or frame by itself after one ends, so concatenated files read
// whole. Thread safety: one thread at a time.
#ifndef LOADER_READ_STREAM_DECODER_H_
#define LOADER_READ_STREAM_DECODER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "loader/read/input_stream.h"

namespace loader {

// What one call to Decode did.
struct DecodeStep {
  size_t consumed = 0;  // input bytes taken
  size_t produced = 0;  // output bytes written
  bool ended = false;   // a member or frame ended, its output all written
  // The library's words when the data is bad (static text); null when not.
  const char* error = nullptr;
};

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Decodes from in[0, in_size) into out[0, out_size) as far as either
  // goes, or to the end of a member or frame. An empty `in` flushes output
  // the decoder still holds. REQUIRES: out_size > 0.
  virtual DecodeStep Decode(const char* in, size_t in_size, char* out, size_t out_size) = 0;
};

// The decoder of `compression`, which is not kNone; null, with *error set,
// when the library cannot start one (out of memory).
std::unique_ptr<StreamDecoder> MakeStreamDecoder(Compression compression, std::string* error);

}  // namespace loader

#endif  // LOADER_READ_STREAM_DECODER_H_
