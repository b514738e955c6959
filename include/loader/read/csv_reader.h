// CsvReader: reads CSV records (RFC 4180) from a file or stdin, streaming, one
// record at a time, with the file, line and column of every error.
//
// What it accepts: fields separated by a one-byte delimiter; fields quoted with
// a one-byte quote character may hold delimiters, line breaks and doubled
// quotes (""); records end in LF or CRLF, and the last one may have no line
// end; a UTF-8 byte order mark at the start is skipped. Every field must be
// valid UTF-8.
//
// NULL versus empty, as PostgreSQL's COPY ... CSV: an unquoted field equal to
// CsvOptions::null_text (by default the empty string) is NULL; a quoted field
// is never NULL, so "" is an empty string.
//
// Compressed input (gzip, zstd, bzip2) is decompressed underneath, by an
// InputStream (input_stream.h): lines, columns and records are those of the
// decompressed text.
//
// Memory is flat: the reader holds one read block plus the longest record seen,
// and refuses a record longer than CsvOptions::max_record_bytes. Records and
// fields are views into its buffers, valid until the next call to Next.
// Thread safety: one thread at a time.
#ifndef LOADER_CSV_READER_H_
#define LOADER_CSV_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"
#include "loader/read/input_stream.h"

namespace loader {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  std::string null_text;                 // an unquoted field equal to this is NULL
  uint64_t max_record_bytes = 8u << 20;  // a longer record is an error
  // What the input's bytes are (--decompress); empty: auto (input_stream.h).
  std::optional<Compression> decompress;
};

struct CsvField {
  std::string_view text;  // unquoted, with doubled quotes made single
  bool quoted = false;
  bool null = false;
  uint64_t line = 0;    // where the field starts, for error messages
  uint64_t column = 0;  // 1-based byte column of its first byte (or opening quote)
};

struct CsvRecord {
  std::vector<CsvField> fields;
  uint64_t line = 0;     // 1-based line where the record starts
  uint64_t index = 0;    // 0-based record number in the input
  std::string_view raw;  // the record's bytes as read, without its line end
};

class CsvReader {
 public:
  // Reads `path`, or standard input when `path` is "-". `name` is how errors
  // name the input ("-" reads as "stdin").
  static Status Open(const std::string& path, const CsvOptions& options,
                     std::unique_ptr<CsvReader>* out);
  // Reads from an open descriptor it then owns (closes), e.g. a pipe in tests.
  static std::unique_ptr<CsvReader> FromDescriptor(int fd, std::string name,
                                                   const CsvOptions& options);
  ~CsvReader();

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Fills *record with the next record, or sets *eof at the end of the input.
  // Errors are kDataError with "NAME:LINE:COLUMN: what was expected" (an
  // unterminated quote, a stray quote inside a field, invalid UTF-8, a record
  // over max_record_bytes) or, for compressed data that is corrupt or cut
  // short, "NAME: corrupt gzip data at byte N (after line L): why"; kIoError
  // when reading fails. A byte shown in a message is shown as 'X' when it
  // starts a whole printable character, else in hex ("found byte 0xC3"), so
  // messages are valid UTF-8; a record over the limit asks "(is a quote left
  // open?)" only when it is inside a quoted field.
  Status Next(CsvRecord* record, bool* eof);

  // After an error from Next: true when the reader has moved past the bad
  // record, whose text and line are in record->raw and record->line, and Next
  // may go on. A stray quote ends the record at the end of its line; invalid
  // UTF-8 at the record's end. An unterminated quote or an oversized record
  // leaves no place to go on from.
  bool can_continue() const { return can_continue_; }

  const std::string& name() const { return name_; }

 private:
  CsvReader(int fd, std::string name, const CsvOptions& options);

  // Reads more input after the unparsed bytes; false at end of input.
  Status Fill(bool* more);
  // Parses one record starting at pos_, if the buffer holds all of it.
  // *complete is false when more input is needed.
  Status Parse(CsvRecord* record, bool at_eof, bool* complete);
  // Where Parse is: the next byte, its line, and where that line starts.
  struct Cursor {
    size_t pos;
    uint64_t line;
    size_t line_start;
  };
  // Reads the quoted field whose opening quote is at at->pos, moving past its
  // closing quote. *closed is false, with OK, when the input read so far ends
  // inside the quotes; an error when the whole input does.
  Status ReadQuoted(Cursor* at, size_t record_start, bool at_eof, CsvField* field,
                    size_t* field_end, bool* closed);
  // Ends the record at `at` (a line end, which it consumes, or the end of
  // the input), unless it is longer than max_record_bytes.
  Status EndRecord(Cursor at, size_t record_start, CsvRecord* record);
  // The error for a field's first invalid UTF-8 byte, at buffer offset `bad`.
  Status InvalidUtf8(const CsvField& field, size_t field_start, size_t bad) const;
  Status ErrorAt(uint64_t line, uint64_t column, const std::string& what) const;
  // Ends the record at [record_start, raw_end) and moves to `next`.
  void Consume(size_t record_start, size_t raw_end, size_t next, uint64_t next_line,
               CsvRecord* record);
  // Consumes from record_start to the end of the line holding `from`; false
  // when that line end is not read yet.
  bool SkipLine(size_t record_start, size_t from, bool at_eof, CsvRecord* record);
  // Returns `error` once the bad record's line is consumed (or OK with
  // *complete false to read more first).
  Status SkipBadLine(size_t record_start, size_t from, bool at_eof, CsvRecord* record,
                     bool* complete, const Status& error);

  // The number of lines read whole so far, for an error in the input stream.
  uint64_t LinesRead() const;

  InputStream stream_;
  const std::string name_;
  const CsvOptions options_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0;      // first unparsed byte
  size_t end_ = 0;        // one past the last byte read
  bool at_start_ = true;  // a BOM may follow
  bool eof_ = false;
  bool can_continue_ = false;
  bool in_open_quote_ = false;  // Parse wants more input to close a quoted field
  uint64_t line_ = 1;
  uint64_t index_ = 0;
  std::string unescaped_;  // fields with doubled quotes, made single
};

}  // namespace loader

#endif  // LOADER_CSV_READER_H_
