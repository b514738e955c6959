// Import files: rows of any valid UTF-8 text values and NULLs (\., a leading
// U+FEFF, empty strings, quotes, commas, CR, LF), written as --emit-import
// writes them (CsvTextEncoder into ImportFileWriter, a chunk per Append) into
// one or more files, read back by CsvReader as the loader reads its own files
// (comma, '"', NULL an empty unquoted field), give back the same rows: the
// same values, NULL apart from the empty string, and each file the rows its
// ImportFile counts. Each ImportFile's bytes and sha256 are those of the file
// on disk. The scripts are written without a crash for any table, column,
// URL, job and reason text, and ManifestJson is one valid RFC 8259 document
// naming every file's bytes and sha256.
//
// Input: 3 bytes of settings (see the comment at Decode), then the names and
// the values, each decoded by NextText.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "json_validator.h"
#include "loader/base/byte_buffer.h"
#include "loader/base/sha256.h"
#include "loader/base/status.h"
#include "loader/emit/import_file_writer.h"
#include "loader/emit/import_set.h"
#include "loader/encode/encoder.h"
#include "loader/read/csv_reader.h"
#include "read_back.h"
#include "scratch_dir.h"

namespace {

using loader::CsvOptions;
using loader::CsvReader;
using loader::CsvRecord;
using loader::ImportFile;
using loader::ImportSet;
using loader::Status;
using loader::fuzz::AppendUtf8;
using loader::fuzz::Check;

using loader::fuzz::ReadFile;
using loader::fuzz::Row;
using loader::fuzz::Show;
using loader::fuzz::Value;

// The fuzz input, read front to back; past its end every byte is 0.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// One character: an ASCII byte as it is (a NUL, which no server text holds,
// becomes a quote), or from a byte >= 0x80 and the next ones, a code point of
// two, three or four UTF-8 bytes, never a surrogate.
void NextChar(Input& in, std::string* out) {
  const uint8_t b = in.Byte();
  if (b < 0x80) {
    *out += b == 0 ? '"' : static_cast<char>(b);
    return;
  }
  const uint32_t next = in.Byte();
  if (b < 0xC0) {
    AppendUtf8(0x80 + ((b & 0x3Fu) << 8 | next) % (0x800 - 0x80), out);
    return;
  }
  const uint32_t more = (b & 0x3Fu) << 16 | next << 8 | in.Byte();
  if (b < 0xF0) {
    uint32_t cp = 0x800 + more % (0x10000 - 0x800 - 0x800);
    if (cp >= 0xD800) cp += 0x800;  // past the surrogates
    AppendUtf8(cp, out);
    return;
  }
  AppendUtf8(0x10000 + (more << 8 | in.Byte()) % 0x100000, out);
}

std::string NextText(Input& in, size_t max_chars) {
  std::string out;
  for (size_t n = in.Byte() % (max_chars + 1); n > 0 && !in.empty(); --n) NextChar(in, &out);
  return out;
}

// A value: NULL, "", \., U+FEFF and text, or text.
Value NextValue(Input& in) {
  const uint8_t kind = in.Byte();
  switch (kind % 8) {
    case 0:
      return std::nullopt;
    case 1:
      return std::string();
    case 2:
      return std::string("\\.");
    case 3:
      return "\xEF\xBB\xBF" + NextText(in, 16);
    default:
      return NextText(in, 40);
  }
}

std::string FileName(const std::string& stem, size_t k) {
  std::string number = std::to_string(k + 1);
  number.insert(0, 5 - number.size(), '0');
  return stem + "." + number + ".csv";
}

constexpr std::string_view kUrlPrefixes[] = {
    "nodelocal://1/emit",  "userfile:///emit",       "s3://bucket/dir?AWS_SECRET_ACCESS_KEY=s",
    "gs://bucket/dir/",    "http://host:8080/d",     "https://host/d?sig=a'b",
    "azure://container/d", "ftp://not-one-we-upload"};

}  // namespace

// byte 0: columns (1..8), files (1..4), fallback, CREATE, job
// byte 1: the URL prefix, maybe-committed files, rows per Append (1..4)
// byte 2: the first file's first row
// then the table name, the command, the URL's tail, the job, each column's
// name, each file's reason, and the values, row after row.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  static const loader::fuzz::ScratchDir temp("import_set_fuzz");
  Input in(data, size);
  const uint8_t b0 = in.Byte();
  const uint8_t b1 = in.Byte();
  const size_t columns = 1 + b0 % 8;
  const size_t files = 1 + (b0 >> 3) % 4;
  const size_t rows_per_append = 1 + (b1 >> 4) % 4;

  ImportSet set;
  set.fallback = (b0 & 0x20) != 0;
  set.table = NextText(in, 24);
  set.command = NextText(in, 40);
  set.url_prefix = std::string(kUrlPrefixes[b1 % 8]) + NextText(in, 8);
  if ((b0 & 0x40) != 0) set.create_sql = "CREATE TABLE IF NOT EXISTS t (a TEXT)";
  if ((b0 & 0x80) != 0) set.job = NextText(in, 16);
  for (size_t c = 0; c < columns; ++c) set.columns.push_back(NextText(in, 12));
  std::vector<std::string> reasons;
  for (size_t k = 0; k < files; ++k) reasons.push_back(NextText(in, 24));
  const uint64_t first_row = in.Byte();

  std::vector<Row> rows;
  while (!in.empty()) {
    Row row;
    for (size_t c = 0; c < columns; ++c) row.push_back(NextValue(in));
    rows.push_back(std::move(row));
  }

  // File k holds rows [k * n / files, (k + 1) * n / files), as EmitGenerated cuts them.
  const std::string stem = loader::FileStem(set.table);
  for (size_t k = 0; k < files; ++k) {
    const size_t begin = k * rows.size() / files;
    const size_t end = (k + 1) * rows.size() / files;
    loader::ImportFileWriter writer;
    Status s = writer.Open(temp.path(), FileName(stem, k), first_row + begin);
    Check(s.ok(), "open: " + s.ToString());
    loader::ByteBuffer chunk;
    for (size_t at = begin; at < end; at += rows_per_append) {
      chunk.Clear();
      loader::CsvTextEncoder enc(&chunk);
      const size_t n = std::min(rows_per_append, end - at);
      for (size_t r = at; r < at + n; ++r) {
        for (const Value& v : rows[r]) {
          if (v) {
            enc.Text(*v);
          } else {
            enc.Null();
          }
        }
        enc.EndRow();
      }
      s = writer.Append(chunk.view(), n);
      Check(s.ok(), "append: " + s.ToString());
    }
    ImportFile& file = set.files.emplace_back();
    s = writer.Close(&file);
    Check(s.ok(), "close: " + s.ToString());
    if (set.fallback) {
      file.span = file.rows + (b1 & 1);
      file.content_digest = file.rows * 7919;
      file.maybe_committed = ((b1 >> 1) & 1) != 0 && k % 2 == 1;
      file.reason = reasons[k];
    }

    const std::string path = temp.path() + "/" + file.name;
    const std::string what = "file " + std::to_string(k) + " (" + file.name + ")";
    Check(file.name == FileName(stem, k), what + ": named " + file.name);
    Check(file.first_row == first_row + begin, what + ": another first_row");
    Check(file.rows == end - begin,
          what + ": rows " + std::to_string(file.rows) + ", wrote " + std::to_string(end - begin));
    const std::string bytes = ReadFile(path);
    Check(file.bytes == bytes.size(), what + ": bytes " + std::to_string(file.bytes) +
                                          ", on disk " + std::to_string(bytes.size()));
    loader::Sha256 sha;
    sha.Update(bytes);
    Check(file.sha256 == sha.HexDigest(), what + ": the sha256 is not the file's");
    const std::vector<Row> back = loader::fuzz::ReadBackFile(path);
    Check(back.size() == file.rows, what + ": " + std::to_string(back.size()) +
                                        " rows read back, " + std::to_string(file.rows) +
                                        " written");
    for (size_t r = 0; r < back.size(); ++r) {
      Check(back[r] == rows[begin + r], what + " row " + std::to_string(r) + " was" +
                                            Show(rows[begin + r]) + ", reads back as" +
                                            Show(back[r]));
    }
    unlink(path.c_str());
  }

  const std::string import_sql = loader::ImportSql(set);
  const std::string upload = loader::UploadScript(set);
  const std::string postgres = loader::PostgresScript(set);
  for (const ImportFile& f : set.files) {
    Check(postgres.find(" FROM '" + f.name) != std::string::npos,
          "load-postgres.sql does not load " + f.name);
  }
  const std::string manifest = loader::ManifestJson(set);
  Check(loader::fuzz::ValidJsonDocument(manifest), "the manifest is not valid JSON:\n" + manifest);
  const nlohmann::json listed = nlohmann::json::parse(manifest)["files"];
  Check(listed.size() == set.files.size(), "the manifest lists another number of files");
  for (size_t i = 0; i < listed.size(); ++i) {
    const ImportFile& f = set.files[i];
    Check(listed[i]["name"] == f.name && listed[i]["bytes"] == f.bytes &&
              listed[i]["sha256"] == f.sha256,
          "the manifest does not give " + f.name + "'s bytes and sha256:\n" + manifest);
  }
  return 0;
}
