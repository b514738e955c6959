// CsvSource: whatever the bytes, dialect, columns and limits, no crash or
// sanitizer report, and the chunks say what an independent CsvReader read of
// the same files says:
//   - chunk k has index k, starts where chunk k-1 ended (row 0 first), covers
//     1..max_rows input rows of one file (max_rows as the Chunker lowers
//     it part way), and its payload stays within max_bytes unless it holds a
//     single row; rows_read() is where it ends;
//   - an input row is sent when its record parsed, has one field per column
//     and every non-NULL value passes CheckField without a NUL byte, else it
//     is rejected (RejectLog under its limit) or stops the source;
//   - every sent row, as CSV (the kCsvText payload, or AppendChunkAsCsv of a
//     kCopyText or kInsertParams chunk) read back by CsvReader, has the
//     input record's values and NULLs; each origin has its record's line and
//     digest, and with a RejectLog its text;
//   - the rejected rows' text, in order, is the reject file;
//   - the source ends done with rows_read() the data record count, or with
//     the error of the row (or header) that stopped it, a kDataError whose
//     message starts "FILE:LINE:" on one of that record's lines, after
//     every row before it.
//
// Input: 7 bytes of settings (see Decode), then the CSV text; in the
// two-file case it is cut in two where byte 6 says.
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/encode/chunk_csv.h"
#include "loader/plan/row_source.h"
#include "loader/read/content_digest.h"
#include "loader/read/csv_reader.h"
#include "loader/read/csv_source.h"
#include "loader/read/field_check.h"
#include "loader/read/reject_log.h"
#include "read_back.h"
#include "scratch_dir.h"

namespace {

using loader::Chunk;
using loader::ChunkLimits;
using loader::Column;
using loader::ColumnType;
using loader::CsvField;
using loader::CsvInput;
using loader::CsvOptions;
using loader::CsvReader;
using loader::CsvRecord;
using loader::Encoding;
using loader::RejectLog;
using loader::RowSource;
using loader::Status;
using loader::fuzz::Check;
using loader::fuzz::ReadFile;
using loader::fuzz::Show;

constexpr ColumnType kTypes[] = {ColumnType::kInt2,   ColumnType::kInt4,   ColumnType::kInt8,
                                 ColumnType::kFloat4, ColumnType::kFloat8, ColumnType::kNumeric,
                                 ColumnType::kBool,   ColumnType::kUuid,   ColumnType::kText,
                                 ColumnType::kOther};
constexpr size_t kTypeCount = std::size(kTypes);

struct Settings {
  CsvOptions csv;
  bool header = false;
  bool write_header = false;  // put the right header line in front of each file
  bool two_files = false;
  size_t cut = 0;  // of byte 6, out of 256: where the second file starts
  Encoding encoding = Encoding::kCsvText;
  std::vector<Column> columns;
  ChunkLimits limits;
  bool reject_log = false;
  uint64_t max_rejects = 0;
  // After chunk lower_after, the Chunker lowered to lowered_rows, as when the server
  // found a chunk too large; lowered_rows 0: never.
  uint64_t lower_after = 0;
  uint64_t lowered_rows = 0;
};

// byte 0: delimiter, quote, null text, max record bytes, header, header line
// byte 1: encoding, two files, reject log, max rejects
// byte 2: column count (1..10) and the type of the first (the rest follow)
// byte 3: max_rows; byte 4: max_bytes; byte 5: the lowered row limit; byte 6: the cut
Settings Decode(const uint8_t* data) {
  Settings s;
  s.csv.delimiter = ",;\t|"[data[0] & 3];
  s.csv.quote = (data[0] & 4) != 0 ? '\'' : '"';
  s.csv.null_text = (data[0] & 8) != 0 ? "\\N" : "";
  static constexpr uint64_t kRecordLimits[] = {8u << 20, 4096, 64, 7};
  s.csv.max_record_bytes = kRecordLimits[(data[0] >> 4) & 3];
  // The model reads the bytes as CSV: none may be taken for gzip or zstd.
  s.csv.decompress = loader::Compression::kNone;
  s.header = (data[0] & 0x40) != 0;
  s.write_header = (data[0] & 0x80) != 0;
  static constexpr Encoding kEncodings[] = {Encoding::kCsvText, Encoding::kCopyText,
                                            Encoding::kInsertParams, Encoding::kCsvText};
  s.encoding = kEncodings[data[1] & 3];
  s.two_files = (data[1] & 4) != 0;
  s.reject_log = (data[1] & 8) != 0;
  static constexpr uint64_t kMaxRejects[] = {UINT64_MAX, 0, 1, 2, 3, 5, 10, 100};
  s.max_rejects = kMaxRejects[(data[1] >> 4) & 7];
  const size_t count = 1 + data[2] % kTypeCount;
  const size_t first = data[2] / kTypeCount % kTypeCount;
  for (size_t i = 0; i < count; ++i) {
    s.columns.push_back(
        {std::string(1, static_cast<char>('a' + i)), kTypes[(first + i) % kTypeCount]});
  }
  s.limits.max_rows = (data[3] & 0x80) != 0 ? 1000 : 1 + data[3] % 8;
  static constexpr uint64_t kMaxBytes[] = {0, 1, 10, 40, 100, 300, 4096, 8u << 20};
  s.limits.max_bytes = kMaxBytes[data[4] & 7];
  s.lower_after = data[5] & 7;
  s.lowered_rows = (data[5] >> 3) & 3;
  s.cut = data[6];
  return s;
}

// A data record as the independent read has it.
struct Record {
  size_t file = 0;
  uint64_t line = 0;
  std::string raw;
  std::vector<std::optional<std::string>> values;  // nullopt: NULL
  Status reader_error;                             // the reader's, when it went on past the record
  bool bad = false;                                // the source must not send it
};

// What the source must give: the data records up to where it stops, and
// what stops it.
struct Expected {
  enum class Stop {
    kEnd,     // the end of the input
    kReader,  // the reader's error: one it cannot go on from, or a header's
    kHeader,  // a header naming other columns (`file`, `line`)
    kRecord,  // records.back(), a bad row no RejectLog takes
  };
  std::vector<Record> records;
  Stop stop = Stop::kEnd;
  Status reader_error;  // kReader's
  size_t file = 0;
  uint64_t line = 0;
};

bool FieldsPass(const CsvRecord& record, const std::vector<Column>& columns) {
  if (record.fields.size() != columns.size()) return false;
  for (size_t i = 0; i < columns.size(); ++i) {
    const CsvField& f = record.fields[i];
    if (f.null) continue;
    if (loader::CheckField(columns[i].type, f.text) != nullptr) return false;
    if (f.text.find('\0') != std::string_view::npos) return false;
  }
  return true;
}

Expected ReadIndependently(const std::vector<std::string>& paths, const Settings& s) {
  Expected out;
  for (size_t file = 0; file < paths.size(); ++file) {
    std::unique_ptr<CsvReader> reader;
    Check(CsvReader::Open(paths[file], s.csv, &reader).ok(), "open " + paths[file]);
    bool header_pending = s.header;
    CsvRecord record;
    for (;;) {
      bool eof = false;
      const Status status = reader->Next(&record, &eof);
      if (!status.ok() && (!reader->can_continue() || header_pending)) {
        out.stop = Expected::Stop::kReader;
        out.reader_error = status;
        return out;
      }
      if (eof) break;
      if (header_pending) {
        header_pending = false;
        bool same = record.fields.size() == s.columns.size();
        for (size_t i = 0; same && i < record.fields.size(); ++i) {
          same = record.fields[i].text == s.columns[i].name;
        }
        if (same) continue;
        out.stop = Expected::Stop::kHeader;
        out.file = file;
        out.line = record.line;
        return out;
      }
      Record r;
      r.file = file;
      r.line = record.line;
      r.raw = std::string(record.raw);
      r.reader_error = status;
      for (const CsvField& f : record.fields) {
        r.values.push_back(f.null ? std::nullopt : std::optional<std::string>(f.text));
      }
      r.bad = !status.ok() || !FieldsPass(record, s.columns);
      out.records.push_back(std::move(r));
    }
  }
  return out;
}

// The records a source with these settings sends or rejects, cut at the one
// that stops it.
void ApplyRejects(const Settings& s, Expected* e) {
  uint64_t rejected = 0;
  const uint64_t limit = s.reject_log ? s.max_rejects : 0;
  for (size_t k = 0; k < e->records.size(); ++k) {
    if (!e->records[k].bad) continue;
    if (rejected < limit) {
      ++rejected;
      continue;
    }
    e->records.resize(k + 1);
    e->stop = Expected::Stop::kRecord;
    return;
  }
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  Check(out.good(), "write " + path);
}

// "NAME:LINE:..." with LINE one of the lines [first, last].
bool NamesLine(const std::string& message, const std::string& name, uint64_t first, uint64_t last) {
  if (!message.starts_with(name + ":")) return false;
  const size_t at = name.size() + 1;
  const size_t colon = message.find(':', at);
  if (colon == std::string::npos || colon == at) return false;
  uint64_t line = 0;
  for (size_t i = at; i < colon; ++i) {
    if (message[i] < '0' || message[i] > '9') return false;
    line = line * 10 + static_cast<uint64_t>(message[i] - '0');
  }
  return line >= first && line <= last;
}

void CheckEnd(const Status& got, const Expected& e, const std::vector<std::string>& paths) {
  Check(got.code() == Status::Code::kDataError,
        "the source stopped with " + got.ToString() + ", not a kDataError");
  switch (e.stop) {
    case Expected::Stop::kEnd:
      return;
    case Expected::Stop::kReader:
      Check(got.message() == e.reader_error.message(),
            "stopped with " + got.ToString() + " instead of " + e.reader_error.ToString());
      return;
    case Expected::Stop::kHeader:
      Check(got.message().find(": the header names (") != std::string::npos &&
                NamesLine(got.message(), paths[e.file], e.line, e.line),
            "a wrong header on line " + std::to_string(e.line) + " gave " + got.ToString());
      return;
    case Expected::Stop::kRecord:
      break;
  }
  const Record& r = e.records.back();
  if (!r.reader_error.ok() && got.message() == r.reader_error.message()) return;
  const uint64_t last =
      r.line + static_cast<uint64_t>(std::count(r.raw.begin(), r.raw.end(), '\n'));
  Check(NamesLine(got.message(), paths[r.file], r.line, last),
        "the error does not name " + paths[r.file] + " at lines " + std::to_string(r.line) + ".." +
            std::to_string(last) + ": " + got.ToString());
}

// What the source has sent so far, for the checks at its end.
struct Tally {
  loader::ByteBuffer sent_csv;  // the sent rows, as CSV
  std::vector<const Record*> sent;
  std::string rejected_text;
  size_t rejected_rows = 0;
  uint64_t next_row = 0;
};

// Chunk `index` against the independent read, and adds it to *t.
void CheckChunk(const Chunk& chunk, uint64_t index, uint64_t max_rows, const Settings& s,
                const Expected& e, const std::vector<std::string>& paths,
                const std::vector<ColumnType>& types, const RejectLog* rejects, RowSource* source,
                Tally* t) {
  const uint64_t span = chunk.origins.size();
  Check(chunk.index == index,
        "chunk " + std::to_string(index) + " has index " + std::to_string(chunk.index));
  Check(chunk.first_row == t->next_row, "chunk " + std::to_string(index) + " starts at row " +
                                            std::to_string(chunk.first_row) + ", not " +
                                            std::to_string(t->next_row));
  Check(span >= 1 && span <= max_rows,
        "chunk of " + std::to_string(span) + " rows, max_rows " + std::to_string(max_rows));
  Check(t->next_row + span <= e.records.size(),
        "the source sent rows past " + std::to_string(e.records.size()));
  Check(chunk.payload.size() <= s.limits.max_bytes || chunk.rows <= 1,
        "a payload of " + std::to_string(chunk.payload.size()) + " bytes and " +
            std::to_string(chunk.rows) + " rows, max_bytes " + std::to_string(s.limits.max_bytes));
  const size_t file = e.records[t->next_row].file;
  Check(chunk.file != nullptr && *chunk.file == paths[file], "the chunk names another file");
  uint32_t rows = 0;
  for (uint64_t j = 0; j < span; ++j) {
    const loader::RowOrigin& o = chunk.origins[j];
    const Record& r = e.records[t->next_row + j];
    const std::string where =
        "row " + std::to_string(t->next_row + j) + " (line " + std::to_string(r.line) + ")";
    Check(r.file == file, "a chunk spans two files at " + where);
    Check(o.line == r.line, where + ": the origin says line " + std::to_string(o.line));
    Check(o.digest == loader::RowDigest(r.raw), where + ": another digest");
    Check(o.sent == !r.bad, where + (o.sent ? " is bad but was sent" : " was rejected"));
    if (!o.sent) {
      t->rejected_text += r.raw + "\n";
      ++t->rejected_rows;
      continue;
    }
    ++rows;
    t->sent.push_back(&r);
    if (rejects != nullptr && rejects->enabled()) {
      Check(chunk.raw.view().substr(o.raw_offset, o.raw_size) == r.raw,
            where + ": the kept text differs");
    }
  }
  Check(chunk.rows == rows, "the chunk has " + std::to_string(chunk.rows) + " rows, but " +
                                std::to_string(rows) + " sent origins");
  if (s.encoding == Encoding::kCsvText) {
    t->sent_csv.Append(chunk.payload.view());
  } else {
    loader::AppendChunkAsCsv(chunk, types, &t->sent_csv);
  }
  t->next_row += span;
  Check(source->rows_read() == t->next_row, "rows_read " + std::to_string(source->rows_read()) +
                                                " after a chunk ending at " +
                                                std::to_string(t->next_row));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kSettingsBytes = 7;
  if (size < kSettingsBytes) return 0;
  static const loader::fuzz::ScratchDir temp("csv_source_fuzz");
  const Settings s = Decode(data);
  std::string_view csv(reinterpret_cast<const char*>(data) + kSettingsBytes, size - kSettingsBytes);

  std::string header_line;
  if (s.header && s.write_header) {
    for (const Column& c : s.columns) {
      if (!header_line.empty()) header_line += s.csv.delimiter;
      header_line += c.name;
    }
    header_line += '\n';
  }
  std::vector<std::string> paths = {temp.path() + "/in.csv"};
  if (s.two_files) paths.push_back(temp.path() + "/in2.csv");
  const size_t cut = s.two_files ? csv.size() * s.cut / 256 : csv.size();
  WriteFile(paths[0], header_line + std::string(csv.substr(0, cut)));
  if (s.two_files) WriteFile(paths[1], header_line + std::string(csv.substr(cut)));
  const std::string reject_path = temp.path() + "/rejects.csv";
  std::remove(reject_path.c_str());
  std::remove(RejectLog::LogPathFor(reject_path).c_str());

  Expected e = ReadIndependently(paths, s);
  ApplyRejects(s, &e);

  std::unique_ptr<RejectLog> rejects;
  if (s.reject_log) rejects = std::make_unique<RejectLog>(reject_path, s.max_rejects);
  CsvInput input;
  input.paths = paths;
  input.csv = s.csv;
  input.header = s.header;
  input.columns = s.columns;
  input.rejects = rejects.get();
  std::unique_ptr<RowSource> source;
  Check(
      loader::MakeCsvSource(input, s.limits, s.encoding, {loader::RowRange{0, UINT64_MAX}}, &source)
          .ok(),
      "MakeCsvSource");
  std::vector<ColumnType> types;
  for (const Column& c : s.columns) types.push_back(c.type);

  Tally t;
  Status end;
  Chunk chunk;
  uint64_t max_rows = s.limits.max_rows;
  for (uint64_t index = 0;; ++index) {
    if (s.lowered_rows > 0 && index == s.lower_after + 1) {
      source->chunker().LowerMaxRows(s.lowered_rows);
      max_rows = std::min(max_rows, s.lowered_rows);
    }
    bool done = false;
    end = source->NextChunk(&chunk, &done);
    if (!end.ok() || done) break;
    CheckChunk(chunk, index, max_rows, s, e, paths, types, rejects.get(), source.get(), &t);
  }

  if (e.stop == Expected::Stop::kEnd) {
    Check(end.ok(), "the source failed: " + end.ToString());
    Check(t.next_row == e.records.size(), "the source covered " + std::to_string(t.next_row) +
                                              " rows of " + std::to_string(e.records.size()));
    Check(source->rows_read() == e.records.size(),
          "rows_read " + std::to_string(source->rows_read()) + " at the end");
  } else {
    Check(!end.ok(), "the source ended without an error");
    const size_t before =
        e.stop == Expected::Stop::kRecord ? e.records.size() - 1 : e.records.size();
    Check(t.next_row == before, "the source covered " + std::to_string(t.next_row) +
                                    " rows before its error, not " + std::to_string(before));
    CheckEnd(end, e, paths);
  }

  const auto back = loader::fuzz::ReadBackBytes(t.sent_csv.view());
  Check(back.size() == t.sent.size(), std::to_string(t.sent.size()) + " rows sent, " +
                                          std::to_string(back.size()) + " read back");
  for (size_t i = 0; i < back.size(); ++i) {
    Check(back[i] == t.sent[i]->values, "line " + std::to_string(t.sent[i]->line) + " was" +
                                            Show(t.sent[i]->values) + ", reads back as" +
                                            Show(back[i]));
  }
  if (rejects != nullptr) {
    Check(ReadFile(reject_path) == t.rejected_text,
          "the reject file differs from the rows rejected");
    const std::string log = ReadFile(RejectLog::LogPathFor(reject_path));
    Check(static_cast<size_t>(std::count(log.begin(), log.end(), '\n')) == t.rejected_rows,
          "the reject log has another line count than the " + std::to_string(t.rejected_rows) +
              " rows rejected");
  }
  return 0;
}
