// Encoders turn typed field values into the bytes a Sink sends. Formatting and
// escaping only: no I/O, and no allocation once the target buffers have grown to
// the largest chunk. A RowSource drives an encoder field by field:
//   enc.Int8(..); enc.Uuid(..); enc.EndRow();
// Thread safety: none; an encoder belongs to the chunk it is filling.
#ifndef LOADER_ENCODER_H_
#define LOADER_ENCODER_H_

#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include "loader/byte_buffer.h"

namespace loader {

// What a chunk's payload holds; it decides which Sink can send it.
enum class Encoding {
  kCopyText,     // PostgreSQL COPY text format: tab-separated, backslash escapes, \N
  kInsertParams, // NUL-terminated text values, one per bound INSERT parameter
  kCsvText,      // RFC 4180 CSV, for files that IMPORT INTO and \copy read
};

using UuidBytes = uint8_t[16];

// Writes the canonical 36-character form (8-4-4-4-12, lower-case hex) to `out`.
void FormatUuid(const UuidBytes& uuid, char* out);

// The most characters FormatDecimal writes.
constexpr size_t kMaxDecimalChars = 22;

// Writes units * 10^-scale as plain decimal text ("-12.5", "0.000001", "3"),
// without trailing fractional zeros, and returns the end. Integer arithmetic
// only: several times faster than shortest round-trip double formatting, which
// is what lets generated FLOAT8 columns keep up with the encoder's targets.
// REQUIRES: scale <= 18.
char* FormatDecimal(int64_t units, unsigned scale, char* out);

// What COPY text and CSV share: typed values written as text, one separator
// character between them, a newline after each row. Text and NULL differ, and
// are the derived encoders' own.
class SeparatedTextEncoder {
 public:
  void Int8(int64_t v) {
    Separate();
    char* p = out_->Reserve(20);
    out_->Commit(std::to_chars(p, p + 20, v).ptr - p);
  }
  // Shortest text that reads back as the same double, so every method stores
  // bit-identical values.
  void Float8(double v) {
    Separate();
    char* p = out_->Reserve(32);
    out_->Commit(std::to_chars(p, p + 32, v).ptr - p);
  }
  // A number given as units * 10^-scale, for any numeric column (FLOAT8 too).
  void Decimal(int64_t units, unsigned scale) {
    Separate();
    char* p = out_->Reserve(kMaxDecimalChars);
    out_->Commit(FormatDecimal(units, scale, p) - p);
  }
  void Uuid(const UuidBytes& v) {
    Separate();
    FormatUuid(v, out_->Reserve(36));
    out_->Commit(36);
  }
  void EndRow() {
    out_->Append('\n');
    row_start_ = true;
  }

 protected:
  SeparatedTextEncoder(ByteBuffer* out, char separator) : out_(out), separator_(separator) {}

  void Separate() {
    if (!row_start_) out_->Append(separator_);
    row_start_ = false;
  }

  ByteBuffer* out_;
  const char separator_;
  bool row_start_ = true;
};

// COPY ... FROM STDIN text format, as PostgreSQL and CockroachDB read it.
class CopyTextEncoder : public SeparatedTextEncoder {
 public:
  explicit CopyTextEncoder(ByteBuffer* out) : SeparatedTextEncoder(out, '\t') {}

  // Escapes backslash, tab, newline and carriage return, which COPY text would
  // otherwise read as syntax.
  void Text(std::string_view v);
  void Null() {
    Separate();
    out_->Append("\\N", 2);
  }
};

// Values for a multi-row INSERT with bound text parameters: each value is written
// NUL-terminated into `values`, and its start offset is appended to `offsets`
// (kNullOffset for SQL NULL). Values never pass through SQL text, so no escaping.
class InsertParamEncoder {
 public:
  static constexpr uint32_t kNullOffset = UINT32_MAX;

  InsertParamEncoder(ByteBuffer* values, std::vector<uint32_t>* offsets)
      : out_(values), offsets_(offsets) {}

  void Int8(int64_t v) {
    char* p = Begin(21);
    Finish(std::to_chars(p, p + 20, v).ptr - p);
  }
  void Float8(double v) {
    char* p = Begin(33);
    Finish(std::to_chars(p, p + 32, v).ptr - p);
  }
  void Decimal(int64_t units, unsigned scale) {
    char* p = Begin(kMaxDecimalChars + 1);
    Finish(FormatDecimal(units, scale, p) - p);
  }
  void Uuid(const UuidBytes& v) {
    FormatUuid(v, Begin(37));
    Finish(36);
  }
  void Text(std::string_view v) {
    char* p = Begin(v.size() + 1);
    // An empty view may carry a null pointer, which memcpy must never see.
    if (!v.empty()) std::memcpy(p, v.data(), v.size());
    Finish(v.size());
  }
  void Null() { offsets_->push_back(kNullOffset); }
  void EndRow() {}

 private:
  char* Begin(size_t max_len) {
    offsets_->push_back(static_cast<uint32_t>(out_->size()));
    return out_->Reserve(max_len);
  }
  void Finish(size_t len) {
    out_->Reserve(len + 1)[len] = '\0';
    out_->Commit(len + 1);
  }

  ByteBuffer* out_;
  std::vector<uint32_t>* offsets_;
};

// RFC 4180 CSV, for the files that IMPORT INTO and psql's \copy read. NULL
// is an empty unquoted field: PostgreSQL's COPY ... CSV reads it so by
// default, and so does CockroachDB's IMPORT since v22.2, where nullif matches
// unquoted fields only (cockroach#84487). So an empty string is written quoted
// (""), and so is any text holding the delimiter, a quote, CR or LF, with its
// quotes doubled.
class CsvTextEncoder : public SeparatedTextEncoder {
 public:
  explicit CsvTextEncoder(ByteBuffer* out, char delimiter = ',')
      : SeparatedTextEncoder(out, delimiter) {}

  void Text(std::string_view v);
  void Null() { Separate(); }
};

}  // namespace loader

#endif  // LOADER_ENCODER_H_
