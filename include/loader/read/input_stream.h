// InputStream: the bytes of an input file or of standard input, decompressed
// on the way when they are gzip, zstd or bzip2, so that the CSV reader above
// it sees the same lines whether a file was compressed or not.
//
// What the bytes are is said (--decompress gzip|zstd|bzip2|none) or found out
// (auto): by the name's extension (.gz, .zst, .bz2), and for any other name,
// stdin included, by the first bytes. Only gzip (1f 8b) and zstd (28 b5 2f fd)
// are recognised by their bytes: neither can start valid UTF-8 text, so a CSV
// file is never mistaken for them. bzip2's "BZh9" could start a CSV line, so
// it needs its extension or --decompress bzip2.
//
// Files of several members or frames (cat a.gz b.gz, pigz, zstd of several
// frames, pbzip2) read as their concatenation. Data that ends inside a member
// or frame is an error, never fewer rows.
//
// The file is read in blocks of 1 MiB (kInputBlock) into one buffer, and
// decompressed straight into the caller's buffer: nothing is allocated or
// read per row. Thread safety: one thread at a time.
#ifndef LOADER_INPUT_STREAM_H_
#define LOADER_INPUT_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loader/base/status.h"

namespace loader {

enum class Compression { kNone, kGzip, kZstd, kBzip2 };

// How much of the file one read(2) asks for.
inline constexpr size_t kInputBlock = 1 << 20;

// "none", "gzip", "zstd", "bzip2".
const char* CompressionName(Compression compression);
// The compression a name of CompressionName's spells; false for any other.
bool ParseCompression(std::string_view name, Compression* out);
// By the extension of `path` (.gz, .zst, .bz2); kNone for any other.
Compression CompressionOfName(std::string_view path);

class StreamDecoder;

class InputStream {
 public:
  // Reads `fd`, which it then owns (closes). `name` names the input in
  // errors. `decompress` is what the bytes are; empty: auto, as above.
  InputStream(int fd, std::string name, std::optional<Compression> decompress);
  ~InputStream();

  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Reads up to `size` bytes of decompressed input into `buf`; *n is 0 only
  // at the end of the input. Bytes decoded before a fault are returned
  // first, the fault on the next call. Errors: kDataError when compressed
  // data is corrupt, ends part way, or is not what --decompress or the
  // extension says ("NAME: corrupt gzip data at byte 81920: invalid block
  // type", the byte being how far into the file the decoder had got);
  // kIoError when reading fails.
  Status Read(char* buf, size_t size, size_t* n);

  // After Read returned kDataError: the same error, saying also where in the
  // decompressed text it was: `lines` lines had been read whole ("(after
  // line 1234)"; "(in line 1)" for none).
  Status Fault(uint64_t lines) const;

  // What the input turned out to be; for auto, known after the first Read.
  Compression compression() const { return compression_; }
  // How many bytes of the file the decoder has taken in.
  uint64_t compressed_offset() const { return consumed_; }

 private:
  // Reads the first bytes and settles compression_.
  Status Detect();
  // Reads the next block of the file into in_ once in_ is used up; sets
  // in_eof_ at the end of the file.
  Status Refill();
  Status ReadPlain(char* buf, size_t size, size_t* n);
  Status ReadDecoded(char* buf, size_t size, size_t* n);
  // Remembers a fault in the data and returns it; `in_text` when it has a
  // place, the current offset (and for Fault, a line).
  Status SetFault(const std::string& what, const std::string& detail, bool in_text);

  int fd_;
  const std::string name_;
  const std::optional<Compression> decompress_;
  Compression compression_ = Compression::kNone;
  bool detected_ = false;
  std::unique_ptr<char[]> in_;  // kInputBlock bytes, once detection needs them
  size_t in_pos_ = 0;           // first byte of in_ not yet decoded
  size_t in_end_ = 0;
  bool in_eof_ = false;
  bool done_ = false;       // the decoder has returned its last byte
  bool in_member_ = false;  // inside a member or frame: its end is still to come
  uint64_t consumed_ = 0;
  std::unique_ptr<StreamDecoder> decoder_;
  // A fault found while decoding: returned by the next Read, and by Fault.
  Status fault_;
  std::string fault_head_;    // "NAME: corrupt gzip data at byte N"
  std::string fault_detail_;  // "invalid block type"
  bool fault_in_text_ = false;
};

// The bytes `path` holds once decompressed, for sizing and advice, not for
// counting: its size when it is not compressed; else estimated from how its
// first MiB decompresses (exact for a smaller file). 0 when it cannot be read.
uint64_t EstimatedInputBytes(const std::string& path, std::optional<Compression> decompress);

}  // namespace loader

#endif  // LOADER_INPUT_STREAM_H_
