#include "loader/read/csv_source.h"

#include <algorithm>
#include <cstring>

#include "loader/encode/encoder.h"
#include "loader/read/field_check.h"

namespace loader {
namespace {

// A value quoted in an error message: short, and on one line. It is cut at
// most kMax bytes in, before a character whose bytes would not all fit: a
// cut UTF-8 sequence would make the message (and the JSON it goes into)
// invalid. The text is valid UTF-8, which the reader checked.
std::string Shown(std::string_view text) {
  constexpr size_t kMax = 40;
  size_t cut = std::min(text.size(), kMax);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;  // text[cut] continues the character before it
  }
  std::string out;
  for (char c : text.substr(0, cut)) out += (c == '\n' || c == '\r') ? ' ' : c;
  return "'" + out + (cut < text.size() ? "...'" : "'");
}

Status DataError(std::string message) {
  return Status::Error(Status::Code::kDataError, std::move(message));
}

class CsvSource final : public RowSource {
 public:
  CsvSource(CsvInput input, ChunkLimits limits, Encoding encoding, std::vector<RowRange> todo)
      : RowSource(limits), input_(std::move(input)), encoding_(encoding), todo_(std::move(todo)) {
    for (const RowRange& r : todo_) total_rows_ += r.count;
    for (const std::string& path : input_.paths) names_.push_back(path == "-" ? "stdin" : path);
    keep_raw_ = input_.rejects != nullptr && input_.rejects->enabled();
    field_count_ =
        input_.fields.header.empty() ? input_.columns.size() : input_.fields.header.size();
  }

  Status NextChunk(Chunk* chunk, bool* done) override {
    chunk->Reset(encoding_);
    *done = false;
    if (!stopped_.ok()) return stopped_;
    Status s = Fill(chunk);
    if (!s.ok() && !chunk->origins.empty()) {
      // Every row before the one that stops the load is loaded: this chunk
      // first, the error on the next call.
      stopped_ = s;
      s = Status::OK();
    }
    if (!s.ok()) return s;
    if (chunk->origins.empty()) {
      *done = true;
      return Status::OK();
    }
    ++next_index_;
    return Status::OK();
  }

  uint64_t total_rows() const override { return total_rows_; }
  uint64_t rows_read() const override { return row_; }

 private:
  // Adds rows to the chunk until it is full, its range or file ends, or the
  // input does.
  Status Fill(Chunk* chunk) {
    const uint64_t max_rows = chunker_.max_rows();
    for (;;) {
      if (!pending_) {
        bool eof = false;
        bool new_file = false;
        Status s = NextDataRecord(&eof, &new_file);
        if (!s.ok()) return s;
        if (eof) return CheckNothingCommittedPastTheEnd();
        pending_ = true;
        if (new_file && !chunk->origins.empty()) return Status::OK();  // one file per chunk
      }
      Status s = CheckCommitted();
      if (!s.ok()) return s;
      // Rows the journal has are read (the numbering needs them) but not sent.
      while (range_ < todo_.size() && row_ >= todo_[range_].end()) ++range_;
      const bool wanted = range_ < todo_.size() && row_ >= todo_[range_].first;
      if (!wanted) {
        pending_ = false;
        ++row_;
        // A chunk is one unbroken run of rows; past the last range, stop.
        if (!chunk->origins.empty() || range_ >= todo_.size()) return Status::OK();
        continue;
      }
      if (chunk->origins.empty()) {
        chunk->index = next_index_;
        chunk->first_row = row_;
        chunk->file = &names_[file_ - 1];
      }
      bool full = false;
      s = Add(chunk, &full);
      if (!s.ok() || full) return s;  // full: record_ opens the next chunk
      pending_ = false;
      ++row_;
      if (chunk->origins.size() >= max_rows || row_ >= todo_[range_].end()) {
        return Status::OK();
      }
    }
  }

  // Reads the next data record into record_, moving on to the next file at
  // the end of one (*new_file) and checking each file's header. A record the
  // reader could not parse but could move past is kept in record_ with its
  // error in record_error_; other errors are returned.
  Status NextDataRecord(bool* eof, bool* new_file) {
    for (;;) {
      if (!reader_) {
        if (file_ >= input_.paths.size()) {
          *eof = true;
          return Status::OK();
        }
        if (file_ == 0 && input_.opened != nullptr) {
          reader_ = input_.opened;  // its header is read and mapped
          header_pending_ = false;
          ++file_;
        } else {
          std::unique_ptr<CsvReader> reader;
          Status s = CsvReader::Open(input_.paths[file_++], input_.csv, &reader);
          if (!s.ok()) return s;
          reader_ = std::move(reader);
          header_pending_ = input_.header;
        }
        *new_file = true;
      }
      bool end = false;
      record_error_ = reader_->Next(&record_, &end);
      if (!record_error_.ok() && !reader_->can_continue()) return record_error_;
      if (end) {
        reader_.reset();
        continue;
      }
      if (header_pending_) {
        header_pending_ = false;
        if (!record_error_.ok()) return record_error_;
        Status s = CheckHeader();
        if (!s.ok()) return s;
        continue;
      }
      if (record_error_.ok()) record_error_ = CheckFields();
      return Status::OK();
    }
  }

  // Folds record_ into the digest of the committed chunk it is in, if any,
  // and at that chunk's last row checks it against the journal's.
  Status CheckCommitted() {
    const std::vector<CommittedChunk>& committed = input_.committed;
    while (committed_at_ < committed.size() &&
           committed[committed_at_].first_row + committed[committed_at_].rows <= row_) {
      ++committed_at_;
    }
    if (committed_at_ == committed.size() || row_ < committed[committed_at_].first_row) {
      return Status::OK();
    }
    const CommittedChunk& chunk = committed[committed_at_];
    if (row_ == chunk.first_row) {
      committed_digest_ = 0;
      committed_line_ = record_.line;
    }
    committed_digest_ = CombineDigest(committed_digest_, RowDigest(record_.raw));
    if (row_ + 1 < chunk.first_row + chunk.rows || chunk.digest == 0 ||
        committed_digest_ == chunk.digest) {
      return Status::OK();
    }
    return DataError(reader_->name() + ":" + std::to_string(committed_line_) + ": lines " +
                     std::to_string(committed_line_) + ".." + std::to_string(record_.line) +
                     " are not what job " + input_.job + " committed as rows " +
                     std::to_string(chunk.first_row) + ".." + std::to_string(row_) +
                     ": the input changed where it was already loaded. Fix a bad line in place "
                     "(every record before it must stay), or start over with --drop, or load "
                     "it as a new job with --job NAME");
  }

  // At the end of the input: a committed chunk that reaches past it means
  // the files lost rows that were already loaded.
  Status CheckNothingCommittedPastTheEnd() const {
    const std::vector<CommittedChunk>& committed = input_.committed;
    if (committed.empty() || committed.back().first_row + committed.back().rows <= row_) {
      return Status::OK();
    }
    const CommittedChunk& chunk = committed.back();
    return DataError(names_.back() + ": the input ends after " + std::to_string(row_) +
                     " rows, but job " + input_.job + " committed rows " +
                     std::to_string(chunk.first_row) + ".." +
                     std::to_string(chunk.first_row + chunk.rows - 1) +
                     ": the input changed where it was already loaded. Start over with --drop, "
                     "or load it as a new job with --job NAME");
  }

  std::string Where(uint64_t line, uint64_t column) const {
    return reader_->name() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  }

  // The fields a record must have: the header's when mapped by name.
  std::string FieldNames() const {
    if (input_.fields.header.empty()) return ColumnNames();
    std::string names;
    for (const std::string& f : input_.fields.header) names += (names.empty() ? "" : ", ") + f;
    return names;
  }

  std::string ColumnNames() const {
    std::string names;
    for (const Column& c : input_.columns) names += (names.empty() ? "" : ", ") + c.name;
    return names;
  }

  Status CheckHeader() const {
    const std::vector<std::string>& mapped = input_.fields.header;
    const size_t expected = mapped.empty() ? input_.columns.size() : mapped.size();
    bool same = record_.fields.size() == expected;
    for (size_t i = 0; same && i < record_.fields.size(); ++i) {
      same = record_.fields[i].text == (mapped.empty() ? input_.columns[i].name : mapped[i]);
    }
    if (same) return Status::OK();
    std::string found;
    for (const CsvField& f : record_.fields)
      found += (found.empty() ? "" : ", ") + std::string(f.text);
    if (!mapped.empty()) {
      return DataError(Where(record_.line, 1) + "the header names (" + found +
                       ") but the first file's names (" + FieldNames() +
                       "); the files of one load must have the same header");
    }
    return DataError(Where(record_.line, 1) + "the header names (" + found +
                     ") but the columns are (" + ColumnNames() + ")");
  }

  // The field count, and each value against its column's type.
  Status CheckFields() const {
    const std::vector<int>& field_column = input_.fields.column;
    if (record_.fields.size() != field_count_) {
      return DataError(Where(record_.line, 1) + "expected " + std::to_string(field_count_) +
                       " fields (" + FieldNames() + "), found " +
                       std::to_string(record_.fields.size()));
    }
    for (size_t i = 0; i < record_.fields.size(); ++i) {
      const CsvField& f = record_.fields[i];
      const int at = field_column.empty() ? static_cast<int>(i) : field_column[i];
      if (f.null || at < 0) continue;
      const Column& column = input_.columns[static_cast<size_t>(at)];
      if (const char* expected = CheckField(column.type, f.text)) {
        return DataError(Where(f.line, f.column) + "column " + column.name + ": expected " +
                         expected + ", found " + Shown(f.text));
      }
      if (std::memchr(f.text.data(), '\0', f.text.size()) != nullptr) {
        return DataError(Where(f.line, f.column) + "column " + column.name +
                         ": a NUL byte, which the server's text cannot hold");
      }
    }
    return Status::OK();
  }

  // Adds record_ to the chunk: encoded, or rejected when it is bad. Sets
  // *full, adding nothing, when it would take the chunk past its byte limit.
  Status Add(Chunk* chunk, bool* full) {
    RowOrigin origin;
    origin.line = record_.line;
    origin.digest = RowDigest(record_.raw);
    origin.raw_offset = static_cast<uint32_t>(chunk->raw.size());
    if (!record_error_.ok()) {
      if (input_.rejects == nullptr) return record_error_;
      Status s = input_.rejects->Reject(record_.raw, record_error_);
      if (!s.ok()) return s;
      origin.sent = false;
      chunk->origins.push_back(origin);
      return Status::OK();
    }
    EncodeInto(chunk, [&](auto& enc) {
      *full = !chunker_.AddRow(chunk, chunk->rows > 0, enc, [&](auto& e) { Emit(e); });
    });
    if (*full) return Status::OK();
    if (keep_raw_) {
      chunk->raw.Append(record_.raw);
      origin.raw_size = static_cast<uint32_t>(record_.raw.size());
    }
    chunk->origins.push_back(origin);
    ++chunk->rows;
    return Status::OK();
  }

  template <class Encoder>
  void Emit(Encoder& enc) const {
    const std::vector<int>& field_column = input_.fields.column;
    for (size_t i = 0; i < record_.fields.size(); ++i) {
      // Mapped fields are in column order already; left-out ones are skipped.
      if (!field_column.empty() && field_column[i] < 0) continue;
      const CsvField& f = record_.fields[i];
      if (f.null) {
        enc.Null();
      } else {
        enc.Text(f.text);
      }
    }
    enc.EndRow();
  }

  const CsvInput input_;
  std::vector<std::string> names_;  // of the inputs, as errors and chunks name them
  const Encoding encoding_;
  const std::vector<RowRange> todo_;
  bool keep_raw_ = false;
  size_t field_count_ = 0;  // in every record
  uint64_t total_rows_ = 0;
  size_t file_ = 0;  // files opened so far
  std::shared_ptr<CsvReader> reader_;
  bool header_pending_ = false;
  CsvRecord record_;
  Status record_error_;   // why record_ cannot be loaded, if it cannot
  Status stopped_;        // what stopped the input, once its last chunk is out
  bool pending_ = false;  // record_ is read but not yet in a chunk
  uint64_t row_ = 0;      // the row number of record_
  size_t range_ = 0;
  uint64_t next_index_ = 0;
  size_t committed_at_ = 0;  // the committed chunk at or after row_
  uint64_t committed_digest_ = 0;
  uint64_t committed_line_ = 0;
};

}  // namespace

Status ReadHeader(const std::string& path, const CsvOptions& csv, std::vector<std::string>* fields,
                  std::unique_ptr<CsvReader>* reader) {
  Status s = CsvReader::Open(path, csv, reader);
  if (!s.ok()) return s;
  CsvRecord record;
  bool end = false;
  s = (*reader)->Next(&record, &end);
  if (!s.ok()) return s;
  if (end) return DataError((*reader)->name() + ": empty, where --header expects a header line");
  fields->clear();
  for (const CsvField& f : record.fields) fields->emplace_back(f.text);
  return Status::OK();
}

Status MakeCsvSource(const CsvInput& input, ChunkLimits limits, Encoding encoding,
                     std::vector<RowRange> todo, std::unique_ptr<RowSource>* out) {
  if (input.paths.empty()) return Status::InvalidArgument("--input: no files to read");
  if (input.columns.empty()) return Status::InvalidArgument("no columns to load");
  *out = std::make_unique<CsvSource>(input, limits, encoding, std::move(todo));
  return Status::OK();
}

}  // namespace loader
