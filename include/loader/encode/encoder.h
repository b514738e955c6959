// Encoders turn typed field values into the bytes a Sink sends. Formatting and
// escaping only: no I/O, and no allocation once the target buffers have grown to
// the largest chunk. A RowSource drives an encoder field by field:
//   enc.Int8(..); enc.Uuid(..); enc.EndRow();
// Thread safety: none; an encoder belongs to the chunk it is filling.
#ifndef LOADER_ENCODER_H_
#define LOADER_ENCODER_H_

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "loader/base/byte_buffer.h"

namespace loader {

// What a chunk's payload holds; it decides which Sink can send it.
enum class Encoding {
  kCopyText,      // PostgreSQL COPY text format: tab-separated, backslash escapes, \N
  kInsertParams,  // NUL-terminated text values, one per bound INSERT parameter
  kCsvText,       // RFC 4180 CSV, for files that IMPORT INTO and \copy read
  kCopyBinary,    // COPY binary format tuples, without the stream's header and trailer
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

// Text no format escapes or quotes, which encoders may copy without looking:
// not empty, and printable ASCII but for a backslash, a comma and a double
// quote (so no tab, line break, byte order mark or "\."). Generated dates,
// times, numbers and letters are.
constexpr bool IsPlainText(std::string_view v) {
  for (char c : v) {
    if (c < 0x20 || c > 0x7e || c == '\\' || c == ',' || c == '"') return false;
  }
  return !v.empty();
}

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
  // Plain text (IsPlainText) goes as it is: nothing to escape or quote.
  void Plain(std::string_view v) {
    Separate();
    std::memcpy(out_->Reserve(v.size()), v.data(), v.size());
    out_->Commit(v.size());
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

// COPY ... FROM STDIN WITH BINARY tuples, as PostgreSQL and CockroachDB read
// them: per row a 16-bit field count, per field a 32-bit length (-1: NULL)
// and the value in the type's binary send format, all big-endian. The server
// then parses no text, which for the generated tables is about a seventh of
// its work per row. The stream's header and trailer are the Sink's
// (kCopyBinaryHeader, kCopyBinaryTrailer). Values must match their columns'
// types exactly (no text to cast from): Int8 for INT8, Float8 and Decimal for
// FLOAT8, Uuid for UUID, Text for TEXT.
class CopyBinaryEncoder {
 public:
  explicit CopyBinaryEncoder(ByteBuffer* out) : out_(out) {}

  void Int8(int64_t v) { Fixed8(static_cast<uint64_t>(v)); }
  void Int4(int64_t v) {
    char* p = Field(4 + 4);
    PutBig32(p, 4);
    PutBig32(p + 4, static_cast<uint32_t>(v));
  }
  void Int2(int64_t v) {
    char* p = Field(4 + 2);
    PutBig32(p, 2);
    p[4] = static_cast<char>(v >> 8);
    p[5] = static_cast<char>(v);
  }
  void Bool(bool v) {
    char* p = Field(4 + 1);
    PutBig32(p, 1);
    p[4] = v ? 1 : 0;
  }
  void Float8(double v) { Fixed8(std::bit_cast<uint64_t>(v)); }
  // As Decimal, for FLOAT4: units / 10^scale rounded once to a double, then
  // to a float, which for scales up to 18 and |units| < 2^53 is the float
  // nearest the decimal, as the server's parse of its text gives.
  void Float4(int64_t units, unsigned scale) {
    const float f = static_cast<float>(static_cast<double>(units) / kPowersOfTen[scale]);
    Int4(static_cast<int64_t>(std::bit_cast<uint32_t>(f)));
  }
  // units * 10^-scale as NUMERIC's binary form: base-10000 digits around the
  // decimal point, their count, the weight of the first, the sign and the
  // display scale. REQUIRES: scale <= 18.
  void Numeric(int64_t units, unsigned scale);
  // An INTERVAL of `micros` microseconds, no days or months.
  void Interval(int64_t micros) {
    char* p = Field(4 + 16);
    PutBig32(p, 16);
    for (int i = 0; i < 8; ++i)
      p[4 + i] = static_cast<char>(static_cast<uint64_t>(micros) >> (56 - 8 * i));
    std::memset(p + 12, 0, 8);
  }
  // JSONB: its format version (1), then the JSON text.
  void Jsonb(std::string_view v) {
    char* p = Field(4 + 1 + v.size());
    PutBig32(p, static_cast<uint32_t>(v.size() + 1));
    p[4] = 1;
    if (!v.empty()) std::memcpy(p + 5, v.data(), v.size());
  }
  // units / 10^scale is correctly rounded, as the server's parse of the same
  // decimal text is, so both formats store the same double.
  // REQUIRES: scale <= 18, |units| < 2^53.
  void Decimal(int64_t units, unsigned scale) {
    Float8(static_cast<double>(units) / kPowersOfTen[scale]);
  }
  void Uuid(const UuidBytes& v) {
    char* p = Field(4 + 16);
    PutBig32(p, 16);
    std::memcpy(p + 4, v, 16);
  }
  void Text(std::string_view v) {
    char* p = Field(4 + v.size());
    PutBig32(p, static_cast<uint32_t>(v.size()));
    if (!v.empty()) std::memcpy(p + 4, v.data(), v.size());
  }
  void Plain(std::string_view v) { Text(v); }
  void Null() { PutBig32(Field(4), UINT32_MAX); }
  void EndRow() {
    char* count = out_->data() + row_start_;
    count[0] = static_cast<char>(fields_ >> 8);
    count[1] = static_cast<char>(fields_);
    fields_ = 0;
  }

 private:
  static constexpr double kPowersOfTen[19] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                              1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                              1e14, 1e15, 1e16, 1e17, 1e18};

  static void PutBig32(char* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (24 - 8 * i));
  }
  // Space for the next field, `bytes` long; a row's first field also makes
  // room for the field count, which EndRow fills in.
  char* Field(size_t bytes) {
    if (fields_++ == 0) {
      row_start_ = out_->size();
      out_->Reserve(2);
      out_->Commit(2);
    }
    char* p = out_->Reserve(bytes);
    out_->Commit(bytes);
    return p;
  }
  void Fixed8(uint64_t v) {
    char* p = Field(4 + 8);
    PutBig32(p, 8);
    for (int i = 0; i < 8; ++i) p[4 + i] = static_cast<char>(v >> (56 - 8 * i));
  }

  ByteBuffer* out_;
  size_t row_start_ = 0;
  uint16_t fields_ = 0;
};

// What a COPY binary stream starts and ends with.
inline constexpr std::string_view kCopyBinaryHeader("PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
inline constexpr std::string_view kCopyBinaryTrailer("\377\377", 2);

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
  void Plain(std::string_view v) { Text(v); }
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
// quotes doubled. So is the text \. (psql's end-of-data marker when alone on a
// line, quoted by PostgreSQL's CSV output too) and any text starting with
// U+FEFF (a byte order mark to a reader when it opens a file).
class CsvTextEncoder : public SeparatedTextEncoder {
 public:
  explicit CsvTextEncoder(ByteBuffer* out, char delimiter = ',')
      : SeparatedTextEncoder(out, delimiter) {}

  void Text(std::string_view v);
  // Plain text holds no comma, but may hold another delimiter.
  void Plain(std::string_view v) {
    if (separator_ == ',') {
      SeparatedTextEncoder::Plain(v);
    } else {
      Text(v);
    }
  }
  void Null() { Separate(); }
};

}  // namespace loader

#endif  // LOADER_ENCODER_H_
