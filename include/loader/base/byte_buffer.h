// ByteBuffer: a growable byte array that keeps its capacity across Clear(), so a
// buffer reused for every chunk stops allocating once it has seen the largest one.
// Unlike std::string it never zero-fills the space it hands out.
// Thread safety: none; one owner at a time.
#ifndef LOADER_BYTE_BUFFER_H_
#define LOADER_BYTE_BUFFER_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace loader {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  const char* data() const { return data_.get(); }
  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }

  void Clear() { size_ = 0; }
  // REQUIRES: size <= this->size().
  void Truncate(size_t size) { size_ = size; }

  // Returns space for at least n more bytes; Commit(k) then makes k of them part of
  // the buffer. Lets encoders format straight into the buffer (std::to_chars).
  char* Reserve(size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    return data_.get() + size_;
  }
  void Commit(size_t n) { size_ += n; }

  void Append(const char* bytes, size_t n) {
    if (n == 0) return;  // `bytes` may be null then, which memcpy must never see
    std::memcpy(Reserve(n), bytes, n);
    size_ += n;
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }
  void Append(char c) {
    *Reserve(1) = c;
    ++size_;
  }

 private:
  void Grow(size_t min_capacity) {
    size_t capacity = capacity_ < 4096 ? 4096 : capacity_ * 2;
    while (capacity < min_capacity) capacity *= 2;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace loader

#endif  // LOADER_BYTE_BUFFER_H_
