// PayloadReader: reads a chunk's payload back, row by row and value by value,
// in each encoding a Sink sends (COPY text, COPY binary, INSERT parameters).
// Cutting a chunk into parts and rewriting it as CSV for a fallback file both
// read payloads through it, so each format is decoded in one place. Rare
// paths (a split, a spilled chunk) use it: it favours plainness over speed.
#ifndef LOADER_ENCODE_PAYLOAD_READER_H_
#define LOADER_ENCODE_PAYLOAD_READER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loader/encode/chunk.h"

namespace loader {

class PayloadReader {
 public:
  // One value of a row: NULL, or its bytes as the payload holds them (COPY
  // text still escaped, COPY binary in network byte order, INSERT text).
  struct Value {
    bool null = false;
    std::string_view bytes;
  };

  // REQUIRES: chunk.encoding is not kCsvText; the chunk outlives the reader.
  explicit PayloadReader(const Chunk& chunk);

  bool done() const { return row_ == chunk_.rows; }
  // Where the next row starts: its first payload byte, and for INSERT
  // parameters the index of its first value (else 0). At the end: the
  // payload's size and the value count.
  size_t byte() const;
  size_t value_index() const { return value_; }

  // Moves past the next row. REQUIRES: !done().
  void SkipRow();
  // Calls visit(column, value) for each value of the next row, in order, and
  // moves past it. REQUIRES: !done().
  template <class Visit>
  void ReadRow(Visit&& visit) {
    if (chunk_.encoding == Encoding::kInsertParams) {
      for (size_t c = 0; c < columns_; ++c) visit(c, InsertValue(value_++));
    } else if (chunk_.encoding == Encoding::kCopyBinary) {
      const size_t fields = Big(2);
      for (size_t c = 0; c < fields; ++c) visit(c, BinaryValue());
    } else {
      const std::string_view line = TextLine();
      size_t c = 0;
      for (size_t from = 0;; ++c) {
        const size_t tab = line.find('\t', from);
        const std::string_view field = line.substr(from, tab - from);
        visit(c, field == "\\N" ? Value{true, {}} : Value{false, field});
        if (tab == std::string_view::npos) break;
        from = tab + 1;
      }
    }
    ++row_;
  }

 private:
  Value InsertValue(size_t index) const;
  Value BinaryValue();
  std::string_view TextLine();  // the next COPY text row, without its newline
  size_t Big(int bytes);        // a big-endian integer at byte_, passed

  const Chunk& chunk_;
  const size_t columns_;  // INSERT parameters: values per row
  uint32_t row_ = 0;
  size_t byte_ = 0;   // COPY: where the next row starts
  size_t value_ = 0;  // INSERT: the next row's first value
};

}  // namespace loader

#endif  // LOADER_ENCODE_PAYLOAD_READER_H_
