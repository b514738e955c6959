#include "loader/read/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "loader/base/utf8.h"

namespace loader {
namespace {

constexpr size_t kReadBlock = 1 << 20;

// The character at p in an error message: 'X' when it is one printable
// character (a whole UTF-8 sequence too); otherwise its first byte in hex,
// which a message (and the JSON it may end up in) can always carry.
std::string Shown(const char* p, size_t available) {
  const auto c = static_cast<unsigned char>(*p);
  const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  const bool printable =
      c >= 0x80 ? len <= available &&
                      ValidUtf8Prefix(reinterpret_cast<const unsigned char*>(p), len) == len
                : c >= 0x20 && c != 0x7F;
  if (printable) return "'" + std::string(p, len) + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xF];
}

std::string TooLong(uint64_t max_bytes) {
  return "a record longer than " + std::to_string(max_bytes) +
         " bytes, the most one chunk may carry";
}

}  // namespace

Status CsvReader::Open(const std::string& path, const CsvOptions& options,
                       std::unique_ptr<CsvReader>* out) {
  if (path == "-") {
    *out = FromDescriptor(dup(STDIN_FILENO), "stdin", options);
    return Status::OK();
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::InvalidArgument("--input " + path + ": " + std::strerror(errno));
  *out = FromDescriptor(fd, path, options);
  return Status::OK();
}

std::unique_ptr<CsvReader> CsvReader::FromDescriptor(int fd, std::string name,
                                                     const CsvOptions& options) {
  return std::unique_ptr<CsvReader>(new CsvReader(fd, std::move(name), options));
}

CsvReader::CsvReader(int fd, std::string name, const CsvOptions& options)
    : stream_(fd, name, options.decompress), name_(std::move(name)), options_(options) {}

CsvReader::~CsvReader() = default;

Status CsvReader::ErrorAt(uint64_t line, uint64_t column, const std::string& what) const {
  return Status::Error(Status::Code::kDataError, name_ + ":" + std::to_string(line) + ":" +
                                                     std::to_string(column) + ": " + what);
}

void CsvReader::Consume(size_t record_start, size_t raw_end, size_t next, uint64_t next_line,
                        CsvRecord* record) {
  record->raw = std::string_view(buffer_.get() + record_start, raw_end - record_start);
  record->line = line_;
  record->index = index_++;
  line_ = next_line;
  begin_ = next;
  at_start_ = false;
}

bool CsvReader::SkipLine(size_t record_start, size_t from, bool at_eof, CsvRecord* record) {
  const char* const buf = buffer_.get();
  const void* nl = std::memchr(buf + from, '\n', end_ - from);
  if (nl == nullptr && !at_eof) return false;
  const size_t line_end = nl == nullptr ? end_ : static_cast<const char*>(nl) - buf;
  uint64_t next_line = line_;
  for (size_t k = record_start; k < line_end; ++k) next_line += buf[k] == '\n';
  size_t raw_end = line_end;
  if (raw_end > record_start && buf[raw_end - 1] == '\r') --raw_end;
  Consume(record_start, raw_end, nl == nullptr ? end_ : line_end + 1,
          next_line + (nl == nullptr ? 0 : 1), record);
  return true;
}

Status CsvReader::Fill(bool* more) {
  *more = false;
  if (eof_) return Status::OK();
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (capacity_ - end_ < kReadBlock / 2) {
    // Grows only for a record longer than what the buffer holds, up to the cap.
    const size_t capacity = capacity_ == 0 ? kReadBlock : capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = capacity;
  }
  size_t n = 0;
  Status s = stream_.Read(buffer_.get() + end_, capacity_ - end_, &n);
  if (s.code() == Status::Code::kDataError) return stream_.Fault(LinesRead());
  if (!s.ok()) return s;
  end_ += n;
  *more = n > 0;
  eof_ = n == 0;
  return Status::OK();
}

uint64_t CsvReader::LinesRead() const {
  const char* const buf = buffer_.get();
  return line_ - 1 + static_cast<uint64_t>(std::count(buf + begin_, buf + end_, '\n'));
}

Status CsvReader::Next(CsvRecord* record, bool* eof) {
  *eof = false;
  can_continue_ = false;
  // Parse looks at no more of a record than this (the limit, a BOM, a CRLF
  // and a byte to spare), however much more is buffered, so what it says
  // about a record never depends on where a read happened to end.
  const size_t view =
      options_.max_record_bytes < SIZE_MAX / 2 ? options_.max_record_bytes + 8 : SIZE_MAX / 2;
  for (;;) {
    bool complete = false;
    if (end_ > begin_ || eof_) {
      const size_t buffered_end = end_;
      const bool capped = end_ - begin_ > view;
      if (capped) end_ = begin_ + view;
      Status s = Parse(record, eof_ && !capped, &complete);
      end_ = buffered_end;
      if (!s.ok() || complete) return s;
      if (eof_ && !capped) {
        *eof = true;
        return Status::OK();
      }
    }
    // The exact check is on the complete record, in Parse.
    if (end_ - begin_ >= view) {
      return ErrorAt(
          line_, 1,
          TooLong(options_.max_record_bytes) + (in_open_quote_ ? " (is a quote left open?)" : ""));
    }
    bool more = false;
    Status s = Fill(&more);
    if (!s.ok()) return s;
  }
}

Status CsvReader::ReadQuoted(Cursor* at, size_t record_start, bool at_eof, CsvField* field,
                             size_t* field_end, bool* closed) {
  *closed = false;
  const char* const buf = buffer_.get();
  const char quote = options_.quote;
  const size_t field_start = at->pos;
  const uint64_t open_line = at->line;
  const size_t open_column = at->pos - at->line_start + 1;
  size_t pos = at->pos + 1;
  size_t run = pos;  // start of the text not yet copied to unescaped_
  bool escaped = false;
  const size_t unescaped_begin = unescaped_.size();
  for (;;) {
    const void* q = std::memchr(buf + pos, quote, end_ - pos);
    const size_t stop = q == nullptr ? end_ : static_cast<const char*>(q) - buf;
    for (const char* nl = buf + pos;
         (nl = static_cast<const char*>(std::memchr(nl, '\n', buf + stop - nl))) != nullptr; ++nl) {
      ++at->line;
      at->line_start = nl - buf + 1;
    }
    if (q == nullptr || stop + 1 >= end_) {
      if (!at_eof) {
        in_open_quote_ = true;
        return Status::OK();
      }
      if (q == nullptr) {
        // Past the limit this is the record that is too long, however the
        // reads fell (Next finds it so when it has more than the limit).
        if (end_ - record_start > options_.max_record_bytes) {
          return ErrorAt(line_, 1, TooLong(options_.max_record_bytes) + " (is a quote left open?)");
        }
        return ErrorAt(open_line, open_column,
                       "a quoted field is not closed before the end of the input");
      }
    }
    if (stop + 1 < end_ && buf[stop + 1] == quote) {  // a doubled quote
      unescaped_.append(buf + run, stop + 1 - run);
      escaped = true;
      pos = run = stop + 2;
      continue;
    }
    *field_end = stop;
    if (escaped) {
      unescaped_.append(buf + run, stop - run);
      field->text = std::string_view(unescaped_.data() + unescaped_begin,
                                     unescaped_.size() - unescaped_begin);
    } else {
      field->text = std::string_view(buf + field_start + 1, stop - field_start - 1);
    }
    at->pos = stop + 1;
    *closed = true;
    return Status::OK();
  }
}

Status CsvReader::InvalidUtf8(const CsvField& field, size_t field_start, size_t bad) const {
  const char* const buf = buffer_.get();
  uint64_t line = field.line;
  uint64_t column = field.column + (bad - field_start);
  for (size_t k = field_start; k < bad; ++k) {
    if (buf[k] == '\n') ++line, column = bad - k;
  }
  return ErrorAt(line, column, "invalid UTF-8 (the loader reads UTF-8 text only)");
}

Status CsvReader::EndRecord(Cursor at, size_t record_start, CsvRecord* record) {
  const char* const buf = buffer_.get();
  size_t pos = at.pos;
  size_t raw_end = pos;
  if (pos < end_ && buf[pos] == '\r') ++pos;
  if (raw_end > record_start && buf[raw_end - 1] == '\r' && pos < end_ && buf[pos] == '\n') {
    --raw_end;
  } else if (raw_end > record_start && pos == end_ && buf[raw_end - 1] == '\r') {
    --raw_end;
  }
  if (pos < end_ && buf[pos] == '\n') {
    ++pos;
    ++at.line;
  }
  if (raw_end - record_start > options_.max_record_bytes) {
    return ErrorAt(line_, 1, TooLong(options_.max_record_bytes));
  }
  Consume(record_start, raw_end, pos, at.line, record);
  return Status::OK();
}

Status CsvReader::Parse(CsvRecord* record, bool at_eof, bool* complete) {
  *complete = false;
  in_open_quote_ = false;
  const char* const buf = buffer_.get();
  size_t pos = begin_;
  if (at_start_) {
    if (end_ - pos < 3 && !at_eof) return Status::OK();
    if (end_ - pos >= 3 && std::memcmp(buf + pos, "\xEF\xBB\xBF", 3) == 0) pos += 3;
  }
  if (pos == end_) return Status::OK();  // only at end of input: no record

  const char delimiter = options_.delimiter;
  const char quote = options_.quote;
  // Plain locals, not a Cursor, on the hot path: their addresses never
  // escape, so they stay in registers. Only a quoted field hands them over.
  uint64_t line = line_;
  size_t line_start = pos;  // columns count from after a BOM
  const size_t record_start = pos;
  record->fields.clear();
  unescaped_.clear();
  Status utf8_error;  // the record's first invalid UTF-8, reported at its end
  // Views into unescaped_ must survive the record: it never holds more than the
  // bytes in the buffer, so reserving that much up front means no reallocation.
  if (unescaped_.capacity() < end_ - pos) unescaped_.reserve(end_ - pos);

  for (;;) {  // one field per turn
    CsvField field;
    const size_t field_start = pos;
    field.line = line;
    field.column = pos - line_start + 1;
    size_t field_end;
    if (pos < end_ && buf[pos] == quote) {
      field.quoted = true;
      Cursor at{pos, line, line_start};
      bool closed = false;
      Status s = ReadQuoted(&at, record_start, at_eof, &field, &field_end, &closed);
      if (!s.ok() || !closed) return s;
      pos = at.pos;
      line = at.line;
      line_start = at.line_start;
      const bool ends_field = pos == end_ || buf[pos] == delimiter || buf[pos] == '\n' ||
                              (buf[pos] == '\r' && (pos + 1 == end_ || buf[pos + 1] == '\n'));
      if (!ends_field) {
        const Status error = ErrorAt(line, pos - line_start + 1,
                                     "expected a delimiter or the end of the line after the "
                                     "closing quote, found " +
                                         Shown(buf + pos, end_ - pos));
        return SkipBadLine(record_start, pos, at_eof, record, complete, error);
      }
      if (pos + 1 == end_ && buf[pos] == '\r' && !at_eof) return Status::OK();
    } else {
      while (pos < end_ && buf[pos] != delimiter && buf[pos] != '\n') {
        if (buf[pos] == quote) {
          const Status error = ErrorAt(line, pos - line_start + 1,
                                       "a quote inside an unquoted field (quote the whole field "
                                       "and double the quotes in it)");
          return SkipBadLine(record_start, pos, at_eof, record, complete, error);
        }
        ++pos;
      }
      if (pos == end_ && !at_eof) return Status::OK();
      field_end = pos;
      if (field_end > field_start && pos < end_ && buf[pos] == '\n' && buf[field_end - 1] == '\r') {
        --field_end;  // CRLF
      } else if (pos == end_ && field_end > field_start && buf[field_end - 1] == '\r') {
        --field_end;  // CRLF cut by the end of the input
      }
      field.text = std::string_view(buf + field_start, field_end - field_start);
      field.null = field.text == options_.null_text;
    }

    // Checked on the input bytes, where a doubled quote is still two quotes:
    // the same verdict as on the value, and the position is in the file. The
    // record's shape is sound: it is read to its end, so the reader can move
    // past it.
    const size_t raw_begin = field.quoted ? field_start + 1 : field_start;
    const size_t valid = ValidUtf8Prefix(reinterpret_cast<const unsigned char*>(buf + raw_begin),
                                         field_end - raw_begin);
    if (raw_begin + valid != field_end && utf8_error.ok()) {
      utf8_error = InvalidUtf8(field, field_start, raw_begin + valid);
    }
    record->fields.push_back(field);

    if (pos < end_ && buf[pos] == delimiter) {
      ++pos;
      continue;
    }
    Status s = EndRecord({pos, line, line_start}, record_start, record);
    if (!s.ok()) return s;
    *complete = true;
    can_continue_ = !utf8_error.ok();
    return utf8_error;
  }
}

Status CsvReader::SkipBadLine(size_t record_start, size_t from, bool at_eof, CsvRecord* record,
                              bool* complete, const Status& error) {
  const uint64_t line = line_;
  if (!SkipLine(record_start, from, at_eof, record)) return Status::OK();  // more input first
  *complete = true;
  // Too long to set aside whole, as it would be too long to read whole.
  if (record->raw.size() > options_.max_record_bytes) {
    return ErrorAt(line, 1, TooLong(options_.max_record_bytes));
  }
  can_continue_ = true;
  return error;
}

}  // namespace loader
