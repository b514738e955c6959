#include "loader/read/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "read/stream_decoder.h"

namespace loader {
namespace {

// The first bytes that tell the formats apart.
constexpr size_t kMagicBytes = 4;

bool StartsWith(const char* p, size_t n, std::string_view magic) {
  return n >= magic.size() && std::memcmp(p, magic.data(), magic.size()) == 0;
}

// Whether the first bytes fit `compression`. zstd files may also start with
// a skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian).
bool HasMagic(Compression compression, const char* p, size_t n) {
  switch (compression) {
    case Compression::kGzip:
      return StartsWith(p, n, "\x1f\x8b");
    case Compression::kZstd:
      return StartsWith(p, n, "\x28\xb5\x2f\xfd") ||
             (n >= 4 && (static_cast<unsigned char>(p[0]) & 0xF0) == 0x50 &&
              StartsWith(p + 1, n - 1, "\x2a\x4d\x18"));
    case Compression::kBzip2:
      return StartsWith(p, n, "BZh") && n >= 4 && p[3] >= '1' && p[3] <= '9';
    case Compression::kNone:
      return true;
  }
  return false;
}

// "it starts with bytes 61 2c 62 0a", or that it is empty.
std::string Opening(const char* p, size_t n) {
  if (n == 0) return "the input is empty";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "it starts with bytes";
  for (size_t i = 0; i < n && i < kMagicBytes; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    out += ' ';
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

// What a format calls one of the pieces a file may be a concatenation of.
const char* Unit(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip member";
    case Compression::kZstd:
      return "zstd frame";
    case Compression::kBzip2:
      return "bzip2 stream";
    case Compression::kNone:
      break;
  }
  return "stream";
}

}  // namespace

const char* CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "none";
}

bool ParseCompression(std::string_view name, Compression* out) {
  for (Compression c :
       {Compression::kNone, Compression::kGzip, Compression::kZstd, Compression::kBzip2}) {
    if (name == CompressionName(c)) {
      *out = c;
      return true;
    }
  }
  return false;
}

Compression CompressionOfName(std::string_view path) {
  if (path.ends_with(".gz")) return Compression::kGzip;
  if (path.ends_with(".zst")) return Compression::kZstd;
  if (path.ends_with(".bz2")) return Compression::kBzip2;
  return Compression::kNone;
}

InputStream::InputStream(int fd, std::string name, std::optional<Compression> decompress)
    : fd_(fd), name_(std::move(name)), decompress_(decompress) {
  // Said to be plain: read as before, with nothing looked at first.
  if (decompress_ == Compression::kNone) detected_ = true;
}

InputStream::~InputStream() {
  if (fd_ >= 0) ::close(fd_);
}

Status InputStream::SetFault(const std::string& what, const std::string& detail, bool in_text) {
  fault_head_ = name_ + ": " + what;
  if (in_text) fault_head_ += " at byte " + std::to_string(consumed_);
  fault_detail_ = detail;
  fault_in_text_ = in_text;
  fault_ = Status::Error(Status::Code::kDataError, fault_head_ + ": " + fault_detail_);
  return fault_;
}

Status InputStream::Fault(uint64_t lines) const {
  if (fault_.ok() || !fault_in_text_) return fault_;
  const std::string where =
      lines == 0 ? " (in line 1)" : " (after line " + std::to_string(lines) + ")";
  return Status::Error(Status::Code::kDataError, fault_head_ + where + ": " + fault_detail_);
}

Status InputStream::Refill() {
  in_pos_ = in_end_ = 0;
  for (;;) {
    const ssize_t n = ::read(fd_, in_.get(), kInputBlock);
    if (n > 0) {
      in_end_ = static_cast<size_t>(n);
      return Status::OK();
    }
    if (n == 0) {
      in_eof_ = true;
      return Status::OK();
    }
    if (errno != EINTR) return Status::IoError(name_ + ": read failed: " + std::strerror(errno));
  }
}

Status InputStream::Detect() {
  in_.reset(new char[kInputBlock]);
  // A pipe may hand over the first bytes one at a time.
  while (in_end_ < kMagicBytes && !in_eof_) {
    const ssize_t n = ::read(fd_, in_.get() + in_end_, kInputBlock - in_end_);
    if (n > 0) {
      in_end_ += static_cast<size_t>(n);
    } else if (n == 0) {
      in_eof_ = true;
    } else if (errno != EINTR) {
      return Status::IoError(name_ + ": read failed: " + std::strerror(errno));
    }
  }
  detected_ = true;
  const char* head = in_.get();
  if (decompress_.has_value()) {
    compression_ = *decompress_;
  } else {
    compression_ = CompressionOfName(name_);
    if (compression_ == Compression::kNone) {
      for (Compression c : {Compression::kGzip, Compression::kZstd}) {
        if (HasMagic(c, head, in_end_)) compression_ = c;
      }
    }
  }
  if (compression_ == Compression::kNone) return Status::OK();
  if (!HasMagic(compression_, head, in_end_)) {
    return SetFault(std::string("not ") + CompressionName(compression_) + " data",
                    Opening(head, in_end_) + "; --decompress none reads it as it is", false);
  }
  std::string error;
  decoder_ = MakeStreamDecoder(compression_, &error);
  if (decoder_ == nullptr) return Status::Internal(name_ + ": " + error);
  return Status::OK();
}

Status InputStream::Read(char* buf, size_t size, size_t* n) {
  *n = 0;
  if (!fault_.ok()) return fault_;
  if (!detected_) {
    Status s = Detect();
    if (!s.ok()) return s;
  }
  if (compression_ == Compression::kNone) return ReadPlain(buf, size, n);
  return ReadDecoded(buf, size, n);
}

Status InputStream::ReadPlain(char* buf, size_t size, size_t* n) {
  // What detection read comes first.
  if (in_pos_ < in_end_) {
    *n = std::min(size, in_end_ - in_pos_);
    std::memcpy(buf, in_.get() + in_pos_, *n);
    in_pos_ += *n;
    consumed_ += *n;
    return Status::OK();
  }
  if (in_eof_) return Status::OK();
  for (;;) {
    const ssize_t got = ::read(fd_, buf, size);
    if (got >= 0) {
      *n = static_cast<size_t>(got);
      consumed_ += *n;
      in_eof_ = got == 0;
      return Status::OK();
    }
    if (errno != EINTR) return Status::IoError(name_ + ": read failed: " + std::strerror(errno));
  }
}

Status InputStream::ReadDecoded(char* buf, size_t size, size_t* n) {
  while (*n < size && !done_) {
    if (in_pos_ == in_end_ && !in_eof_) {
      Status s = Refill();
      if (!s.ok()) {
        if (*n > 0) break;  // the bytes first; the read fails again next time
        return s;
      }
      continue;
    }
    const DecodeStep step =
        decoder_->Decode(in_.get() + in_pos_, in_end_ - in_pos_, buf + *n, size - *n);
    in_pos_ += step.consumed;
    consumed_ += step.consumed;
    *n += step.produced;
    if (step.consumed > 0) in_member_ = true;
    if (step.error != nullptr) {
      const std::string what = std::string("corrupt ") + CompressionName(compression_) + " data";
      SetFault(what, step.error, true);
      break;
    }
    if (step.ended) in_member_ = false;
    if (step.consumed == 0 && step.produced == 0 && in_pos_ < in_end_) {
      // The libraries always move with input and room to write; never spin.
      SetFault(std::string("corrupt ") + CompressionName(compression_) + " data",
               "the decoder makes no progress", true);
      break;
    }
    if (step.consumed == 0 && step.produced == 0 && in_eof_) {
      // Nothing more comes out: the end, unless a member is cut short.
      done_ = true;
      if (in_member_) {
        SetFault(std::string("truncated ") + CompressionName(compression_) + " data",
                 std::string("the input ends inside a ") + Unit(compression_) +
                     " (is the file cut short?)",
                 true);
      }
    }
  }
  return *n > 0 ? Status::OK() : fault_;
}

uint64_t EstimatedInputBytes(const std::string& path, std::optional<Compression> decompress) {
  struct stat st {};
  if (decompress == Compression::kNone) {
    return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return 0;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  InputStream stream(fd, path, decompress);
  std::vector<char> scratch(256 << 10);
  uint64_t decoded = 0;
  for (;;) {
    size_t n = 0;
    if (!stream.Read(scratch.data(), scratch.size(), &n).ok()) return size;
    if (stream.compression() == Compression::kNone) return size;
    if (n == 0) return decoded;  // read whole: exact
    decoded += n;
    if (stream.compressed_offset() >= kInputBlock) break;
  }
  return static_cast<uint64_t>(static_cast<double>(decoded) * static_cast<double>(size) /
                               static_cast<double>(stream.compressed_offset()));
}

}  // namespace loader
