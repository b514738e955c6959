#include "loader/csv_source.h"

#include <algorithm>
#include <cstring>

#include "loader/encoder.h"
#include "loader/field_check.h"

namespace loader {
namespace {

// A value quoted in an error message: short, and on one line.
std::string Shown(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out;
  for (char c : text.substr(0, kMax)) out += (c == '\n' || c == '\r') ? ' ' : c;
  return "'" + out + (text.size() > kMax ? "...'" : "'");
}

class CsvSource final : public RowSource {
 public:
  CsvSource(CsvInput input, ChunkLimits limits, Encoding encoding, std::vector<RowRange> todo)
      : input_(std::move(input)), limits_(limits), encoding_(encoding), todo_(std::move(todo)) {
    for (const RowRange& r : todo_) total_rows_ += r.count;
  }

  Status NextChunk(Chunk* chunk, bool* done) override {
    chunk->Reset(encoding_);
    *done = false;
    uint32_t rows = 0;
    for (;;) {
      if (!pending_) {
        bool eof = false;
        Status s = NextDataRecord(&eof);
        if (!s.ok()) return s;
        if (eof) break;
      }
      // Rows the journal has are read (the numbering needs them) but not sent.
      while (range_ < todo_.size() && row_ >= todo_[range_].end()) ++range_;
      const bool wanted = range_ < todo_.size() && row_ >= todo_[range_].first;
      if (!wanted) {
        pending_ = false;
        ++row_;
        // A chunk is one unbroken run of rows; past the last range, stop.
        if (rows > 0 || range_ >= todo_.size()) break;
        continue;
      }
      if (rows == 0) {
        chunk->index = next_index_;
        chunk->first_row = row_;
      }
      const size_t bytes_before = chunk->payload.size();
      const size_t values_before = chunk->value_offsets.size();
      Status s = Encode(chunk);
      if (!s.ok()) return s;
      if (chunk->payload.size() > limits_.max_bytes && rows > 0) {
        chunk->payload.Truncate(bytes_before);
        chunk->value_offsets.resize(values_before);
        pending_ = true;  // opens the next chunk; its views stay valid until then
        break;
      }
      pending_ = false;
      ++rows;
      ++row_;
      if (rows >= limits_.max_rows || row_ >= todo_[range_].end()) break;
    }
    chunk->rows = rows;
    if (rows == 0) {
      *done = true;
      return Status::OK();
    }
    ++next_index_;
    return Status::OK();
  }

  uint64_t total_rows() const override { return total_rows_; }

  void LimitChunkRows(uint64_t max_rows) override {
    limits_.max_rows = std::min(limits_.max_rows, std::max<uint64_t>(1, max_rows));
  }

 private:
  // Reads the next data record into record_, moving on to the next file at
  // the end of one and checking each file's header.
  Status NextDataRecord(bool* eof) {
    for (;;) {
      if (!reader_) {
        if (file_ >= input_.paths.size()) {
          *eof = true;
          return Status::OK();
        }
        Status s = CsvReader::Open(input_.paths[file_++], input_.csv, &reader_);
        if (!s.ok()) return s;
        header_pending_ = input_.header;
      }
      bool end = false;
      Status s = reader_->Next(&record_, &end);
      if (!s.ok()) return s;
      if (end) {
        reader_.reset();
        continue;
      }
      if (header_pending_) {
        header_pending_ = false;
        s = CheckHeader();
        if (!s.ok()) return s;
        continue;
      }
      return CheckFieldCount();
    }
  }

  std::string Where(uint64_t line, uint64_t column) const {
    return reader_->name() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  }

  std::string ColumnNames() const {
    std::string names;
    for (const Column& c : input_.columns) names += (names.empty() ? "" : ", ") + c.name;
    return names;
  }

  Status CheckHeader() const {
    bool same = record_.fields.size() == input_.columns.size();
    for (size_t i = 0; same && i < record_.fields.size(); ++i) {
      same = record_.fields[i].text == input_.columns[i].name;
    }
    if (same) return Status::OK();
    std::string found;
    for (const CsvField& f : record_.fields) found += (found.empty() ? "" : ", ") + std::string(f.text);
    return Status::InvalidArgument(Where(record_.line, 1) + "the header names (" + found +
                                   ") but the columns are (" + ColumnNames() + ")");
  }

  Status CheckFieldCount() const {
    if (record_.fields.size() == input_.columns.size()) return Status::OK();
    return Status::InvalidArgument(Where(record_.line, 1) + "expected " +
                                   std::to_string(input_.columns.size()) + " fields (" +
                                   ColumnNames() + "), found " +
                                   std::to_string(record_.fields.size()));
  }

  Status Encode(Chunk* chunk) {
    for (size_t i = 0; i < record_.fields.size(); ++i) {
      const CsvField& f = record_.fields[i];
      if (f.null) continue;
      const Column& column = input_.columns[i];
      if (const char* expected = CheckField(column.type, f.text)) {
        return Status::InvalidArgument(Where(f.line, f.column) + "column " + column.name +
                                       ": expected " + expected + ", found " + Shown(f.text));
      }
      if (std::memchr(f.text.data(), '\0', f.text.size()) != nullptr) {
        return Status::InvalidArgument(Where(f.line, f.column) + "column " + column.name +
                                       ": a NUL byte, which the server's text cannot hold");
      }
    }
    if (encoding_ == Encoding::kCopyText) {
      CopyTextEncoder enc(&chunk->payload);
      Emit(enc);
    } else {
      InsertParamEncoder enc(&chunk->payload, &chunk->value_offsets);
      Emit(enc);
    }
    return Status::OK();
  }

  template <class Encoder>
  void Emit(Encoder& enc) const {
    for (const CsvField& f : record_.fields) {
      if (f.null) {
        enc.Null();
      } else {
        enc.Text(f.text);
      }
    }
    enc.EndRow();
  }

  const CsvInput input_;
  ChunkLimits limits_;
  const Encoding encoding_;
  const std::vector<RowRange> todo_;
  uint64_t total_rows_ = 0;
  size_t file_ = 0;
  std::unique_ptr<CsvReader> reader_;
  bool header_pending_ = false;
  CsvRecord record_;
  bool pending_ = false;  // record_ is read but not yet in a chunk
  uint64_t row_ = 0;      // the row number of record_
  size_t range_ = 0;
  uint64_t next_index_ = 0;
};

}  // namespace

Status MakeCsvSource(const CsvInput& input, ChunkLimits limits, Encoding encoding,
                     std::vector<RowRange> todo, std::unique_ptr<RowSource>* out) {
  if (input.paths.empty()) return Status::InvalidArgument("--input: no files to read");
  if (input.columns.empty()) return Status::InvalidArgument("no columns to load");
  *out = std::make_unique<CsvSource>(input, limits, encoding, std::move(todo));
  return Status::OK();
}

}  // namespace loader
