#include "cli/option_readers.h"

#include <glob.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "loader/base/redact.h"
#include "loader/emit/import_set.h"
#include "loader/generate/generated_tables.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"
#include "loader/read/input_stream.h"

namespace po = boost::program_options;

namespace loader {
namespace {

// One byte, for --delimiter and --quote; "\\t" and "tab" are a tab.
Status ParseByte(const po::variables_map& vm, const char* name, char* out) {
  if (!vm.count(name)) return Status::OK();
  const std::string text = vm[name].as<std::string>();
  if (text == "\\t" || text == "tab") {
    *out = '\t';
    return Status::OK();
  }
  if (text.size() != 1 || text[0] == '\n' || text[0] == '\r' || text[0] == '\0') {
    return Status::InvalidArgument(std::string("--") + name + ": '" + text +
                                   "' is not one character (use \\t for a tab)");
  }
  *out = text[0];
  return Status::OK();
}

// A pattern with * ? or [ names the files it matches, in name order.
Status ExpandInput(const std::string& pattern, std::vector<std::string>* paths) {
  if (pattern == "-" || pattern.find_first_of("*?[") == std::string::npos) {
    paths->push_back(pattern);
    return Status::OK();
  }
  glob_t matches{};
  const int rc = glob(pattern.c_str(), GLOB_ERR, nullptr, &matches);
  if (rc == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) paths->push_back(matches.gl_pathv[i]);
  }
  globfree(&matches);
  if (rc == GLOB_NOMATCH) {
    return Status::InvalidArgument("--input " + pattern + ": no file matches");
  }
  if (rc != 0) return Status::InvalidArgument("--input " + pattern + ": cannot read the directory");
  return Status::OK();
}

bool Given(const po::variables_map& vm, const char* name) {
  return vm.count(name) && !vm[name].defaulted();
}

// The variable's value, or "" when it is unset or empty.
std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

Status ReadConnection(const po::variables_map& vm, std::vector<std::string>* urls,
                      ConnectSettings* connect) {
  const char* source = "--url";
  if (vm.count("url")) *urls = vm["url"].as<std::vector<std::string>>();
  for (const char* variable : {"DATABASE_URL", "COCKROACH_URL"}) {
    if (!urls->empty()) break;
    if (std::string url = Environment(variable); !url.empty()) {
      urls->push_back(std::move(url));
      source = variable;
    }
  }
  for (const std::string& url : *urls) {
    Status s = ValidateConninfo(url);
    if (!s.ok()) return s.WithContext(source);
  }

  connect->insecure = vm["insecure"].as<bool>();
  if (vm.count("certs-dir")) {
    connect->certs_dir = vm["certs-dir"].as<std::string>();
    if (connect->certs_dir.empty()) {
      return Status::InvalidArgument("--certs-dir: an empty directory name");
    }
    if (connect->insecure) {
      return Status::InvalidArgument(
          "--insecure and --certs-dir: give one of them (--insecure turns TLS off; --certs-dir "
          "verifies the server with DIR/ca.crt)");
    }
  } else if (!connect->insecure) {
    // COCKROACH_CERTS_DIR is often set once in a shell profile; cockroach's
    // own --insecure overrides it without a word, and so does ours.
    connect->certs_dir = Environment("COCKROACH_CERTS_DIR");
  }
  uint64_t timeout = static_cast<uint64_t>(connect->statement_timeout.count());
  Status s = ParseCount(vm, "statement-timeout", 0, 86400, &timeout);
  if (!s.ok()) return s;
  connect->statement_timeout = std::chrono::seconds(timeout);
  return Status::OK();
}

// --map FIELD=COLUMN, --skip-field NAME[,NAME] and --skip-unknown-fields:
// how a header's fields go to columns by name.
Status ReadHeaderRules(const po::variables_map& vm, InputSpec* in) {
  HeaderRules& rules = in->header_rules;
  if (vm.count("map")) {
    for (const std::string& text : vm["map"].as<std::vector<std::string>>()) {
      const size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        return Status::InvalidArgument("--map " + text + ": expected FIELD=COLUMN");
      }
      rules.renames.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    }
  }
  if (vm.count("skip-field")) {
    for (const std::string& list : vm["skip-field"].as<std::vector<std::string>>()) {
      for (size_t begin = 0; begin <= list.size();) {
        const size_t comma = std::min(list.find(',', begin), list.size());
        if (comma == begin) return Status::InvalidArgument("--skip-field: an empty field name");
        rules.skipped.push_back(list.substr(begin, comma - begin));
        begin = comma + 1;
      }
    }
  }
  rules.skip_unknown = vm["skip-unknown-fields"].as<bool>();
  if (!rules.any()) return Status::OK();
  if (!in->header) {
    return Status::InvalidArgument(
        "--map, --skip-field and --skip-unknown-fields match a header's fields by name: add "
        "--header");
  }
  if (!in->columns.empty()) {
    return Status::InvalidArgument(
        "--map, --skip-field and --skip-unknown-fields match a header's fields by name; "
        "--columns names the fields by position instead: give one or the other");
  }
  return Status::OK();
}

Status ReadInputs(const po::variables_map& vm, LoadSpec* o) {
  if (vm.count("input")) {
    for (const std::string& pattern : vm["input"].as<std::vector<std::string>>()) {
      Status s = ExpandInput(pattern, &o->input.files);
      if (!s.ok()) return s;
    }
  }
  const bool files = !o->input.files.empty();
  for (const char* name :
       {"columns", "header", "delimiter", "quote", "null", "decompress", "max-rejects",
        "reject-file", "map", "skip-field", "skip-unknown-fields"}) {
    if (!files && vm.count(name) && !vm[name].defaulted()) {
      return Status::InvalidArgument(std::string("--") + name + " reads files: it needs --input");
    }
  }
  if (!files) return Status::OK();
  for (const char* name : {"rows", "seed"}) {
    if (!vm[name].defaulted()) {
      return Status::InvalidArgument(std::string("--") + name +
                                     " is for generated rows; with --input the files are the rows");
    }
  }
  if (std::count(o->input.files.begin(), o->input.files.end(), "-") > 1) {
    return Status::InvalidArgument("--input -: standard input can be read only once");
  }
  if (vm.count("columns")) {
    const std::string list = vm["columns"].as<std::string>();
    for (size_t begin = 0;;) {
      const size_t comma = std::min(list.find(',', begin), list.size());
      std::string name = list.substr(begin, comma - begin);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      if (name.empty()) return Status::InvalidArgument("--columns: an empty column name");
      o->input.columns.push_back(name);
      if (comma == list.size()) break;
      begin = comma + 1;
    }
  }
  o->input.header = vm["header"].as<bool>();
  Status s = ReadHeaderRules(vm, &o->input);
  if (s.ok()) s = ParseByte(vm, "delimiter", &o->input.csv.delimiter);
  if (s.ok()) s = ParseByte(vm, "quote", &o->input.csv.quote);
  if (!s.ok()) return s;
  if (o->input.csv.delimiter == o->input.csv.quote) {
    return Status::InvalidArgument("--delimiter and --quote must differ");
  }
  if (vm.count("null")) {
    o->input.csv.null_text = vm["null"].as<std::string>();
    if (o->input.csv.null_text.find_first_of("\r\n") != std::string::npos ||
        o->input.csv.null_text.find(o->input.csv.delimiter) != std::string::npos) {
      return Status::InvalidArgument("--null: it cannot hold a line break or the delimiter");
    }
  }
  s = ParseCount(vm, "max-rejects", 0, UINT64_MAX / 2, &o->faults.max_rejects);
  if (vm.count("reject-file")) o->faults.reject_file = vm["reject-file"].as<std::string>();
  if (s.ok() && vm.count("decompress")) {
    const std::string format = vm["decompress"].as<std::string>();
    Compression compression;
    if (format == "auto") {
      o->input.csv.decompress.reset();
    } else if (ParseCompression(format, &compression)) {
      o->input.csv.decompress = compression;
    } else {
      return Status::InvalidArgument("--decompress: '" + format +
                                     "' is not one of auto, gzip, zstd, bzip2, none");
    }
  }
  return s;
}

Status ReadImportOptions(const po::variables_map& vm, LoadSpec* o) {
  if (vm.count("emit-import")) o->import.emit_dir = vm["emit-import"].as<std::string>();
  if (vm.count("fallback-dir")) o->faults.fallback_dir = vm["fallback-dir"].as<std::string>();
  const bool emit = !o->import.emit_dir.empty();
  if (vm.count("emit-import") && !emit) {
    return Status::InvalidArgument("--emit-import: an empty directory name");
  }
  if (vm.count("fallback-dir") && o->faults.fallback_dir.empty()) {
    return Status::InvalidArgument("--fallback-dir: an empty directory name");
  }
  // Synthetic rows of a table are made from its catalog: the files need a
  // server to read it from.
  const bool catalog = o->input.files.empty() && FindGeneratedTable(o->input.table) == nullptr;
  const std::vector<std::string> connection = {"url", "certs-dir", "insecure", "statement-timeout"};
  if (emit) {
    for (const char* name : {"url", "certs-dir", "insecure", "statement-timeout", "method",
                             "in-flight", "job", "no-journal", "drop", "fallback-dir",
                             "max-retries", "reconnect-timeout", "server", "max-rate"}) {
      if (catalog && std::count(connection.begin(), connection.end(), name) > 0) continue;
      if (Given(vm, name)) {
        return Status::InvalidArgument(std::string("--") + name +
                                       " is for loading into a server; --emit-import writes files");
      }
    }
  }
  for (const char* name : {"import-files", "import-file-bytes", "compress"}) {
    if (Given(vm, name) && !emit) {
      return Status::InvalidArgument(std::string("--") + name +
                                     " shapes the files of --emit-import; it needs it");
    }
  }
  if (vm.count("import-url") && !emit && o->faults.fallback_dir.empty()) {
    return Status::InvalidArgument(
        "--import-url says where IMPORT reads the files of --emit-import or --fallback-dir; it "
        "needs one of them");
  }
  if (vm.count("import-files") && vm.count("import-file-bytes")) {
    return Status::InvalidArgument("--import-files and --import-file-bytes: give one of them");
  }
  if (vm.count("compress")) {
    const std::string format = vm["compress"].as<std::string>();
    if (format != "gzip" && format != "none") {
      return Status::InvalidArgument("--compress: '" + format + "' is not one of gzip, none");
    }
    o->import.gzip = format == "gzip";
  }
  Status s = ParseCount(vm, "import-files", 1, 1'000'000, &o->import.files);
  if (!s.ok()) return s;
  if (o->import.files > 0 && std::count(o->input.files.begin(), o->input.files.end(), "-") > 0) {
    return Status::InvalidArgument(
        "--import-files: standard input has no size to share out; use --import-file-bytes");
  }
  if (vm.count("import-file-bytes")) {
    s = ParseByteSize(vm["import-file-bytes"].as<std::string>(), &o->import.file_bytes);
    if (!s.ok()) return s.WithContext("--import-file-bytes");
    if (o->import.file_bytes == 0) {
      return Status::InvalidArgument("--import-file-bytes: must be at least 1 byte");
    }
  }
  if (vm.count("import-url")) {
    o->import.url = vm["import-url"].as<std::string>();
    for (std::string& secret : StorageUrlSecrets(o->import.url)) RegisterSecret(std::move(secret));
    s = ValidateImportUrl(o->import.url);
  }
  return s;
}

Status ParseCount(const po::variables_map& vm, const char* name, uint64_t min, uint64_t max,
                  uint64_t* out) {
  if (!vm.count(name)) return Status::OK();
  const std::string& text = vm[name].as<std::string>();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string("--") + name + ": '" + text +
                                   "' is not a whole number");
  }
  if (value < min || value > max) {
    return Status::InvalidArgument(std::string("--") + name + ": " + text + " is out of range (" +
                                   std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  *out = value;
  return Status::OK();
}

}  // namespace loader
