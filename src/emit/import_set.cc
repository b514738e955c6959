#include "loader/emit/import_set.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/shell_word.h"
#include "loader/base/json.h"
#include "loader/base/redact.h"
#include "loader/base/table.h"
#include "loader/journal/journal.h"

namespace loader {
namespace {

constexpr std::string_view kSchemes[] = {"nodelocal://", "userfile://",   "s3://",   "gs://",
                                         "azure://",     "azure-blob://", "http://", "https://"};

// The prefix split at its query: "s3://b/dir" and "?AWS_...=..." (or "").
std::pair<std::string_view, std::string_view> SplitQuery(std::string_view url) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return {url, {}};
  return {url.substr(0, q), url.substr(q)};
}

std::string Joined(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  return out + std::string(name);
}

// 'text' for SQL, quotes doubled.
std::string SqlLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// One line, for a comment.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string Rows(const ImportFile& f) {
  const uint64_t span = f.span > 0 ? f.span : f.rows;
  return std::to_string(f.first_row) + ".." + std::to_string(f.first_row + span - 1);
}

std::string ColumnList(const ImportSet& set) {
  std::string out;
  for (const std::string& c : set.columns) {
    if (!out.empty()) out += ", ";
    out += QuoteIdent(c);
  }
  return out;
}

// `comment` is "--" for SQL and "#" for sh. Scrubbed of every registered
// secret: import.sql, which must keep the storage credentials its
// statements pass to the server, is scrubbed only here.
std::string Header(const ImportSet& set, std::string_view comment, std::string_view what) {
  const std::string lead = std::string(comment) + " ";
  std::string out = lead + std::string(what) + "\n";
  if (!set.command.empty()) out += lead + "Written by: " + OneLine(set.command) + "\n";
  return ScrubSecrets(std::move(out));
}

// SQL counting the journal rows of `job` that share a row with `f`: 0 when
// none of its rows were committed by any run, whatever its --chunk.
std::string JournalOverlapCount(const std::string& job, const ImportFile& f) {
  return "SELECT count(*) FROM loader_journal WHERE job = " + SqlLiteral(job) +
         " AND first_row < " + std::to_string(f.first_row + f.span) +
         " AND first_row + row_count > " + std::to_string(f.first_row);
}

bool HasCredentials(std::string_view prefix) { return RedactStorageUrl(prefix) != prefix; }

Status WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  // The mode of a file that was already there is not changed by open.
  if (::fchmod(fd, mode) != 0) {
    ::close(fd);
    return Status::IoError("cannot set the mode of " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return Status::IoError("cannot write " + path + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0)
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  return Status::OK();
}

}  // namespace

std::string FileUrl(std::string_view prefix, std::string_view name) {
  const auto [path, query] = SplitQuery(prefix);
  return Joined(path, name) + std::string(query);
}

std::string DefaultImportUrl(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path path =
      std::filesystem::weakly_canonical(std::filesystem::absolute(dir), ec);
  std::string name = path.filename().string();
  if (name.empty()) name = path.parent_path().filename().string();
  return "nodelocal://1/" + name;
}

Status ValidateImportUrl(std::string_view prefix) {
  for (std::string_view scheme : kSchemes) {
    if (prefix.starts_with(scheme) && prefix.size() > scheme.size()) return Status::OK();
  }
  return Status::InvalidArgument(
      "--import-url: '" + RedactStorageUrl(prefix) +
      "' is not a URL IMPORT INTO reads from; use nodelocal://NODE/dir, userfile:///dir, "
      "s3://bucket/dir, gs://bucket/dir, azure://container/dir or http(s)://host/dir");
}

std::string FileStem(std::string_view table) {
  std::string out(table);
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

std::string ImportSql(const ImportSet& set) {
  std::string out = Header(set, "--",
                           "Loads the CSV files of this directory into " + set.table +
                               " on CockroachDB with IMPORT INTO.");
  out +=
      "-- First put the files where these statements read them (sh upload.sh), then:\n"
      "--   cockroach sql --url \"$DATABASE_URL\" < import.sql\n"
      "-- IMPORT INTO takes the table offline while it runs, and only inserts: a row\n"
      "-- whose key is already in the table fails the whole import.\n";
  if (set.gzip) out += "-- The files are gzip: IMPORT decompresses them by their .gz extension.\n";
  std::vector<const ImportFile*> sure;
  std::vector<const ImportFile*> unsure;
  for (const ImportFile& f : set.files) (f.maybe_committed ? unsure : sure).push_back(&f);
  if (!set.job.empty()) {
    out += "-- These rows of job " + set.job +
           " could not be committed. Check first that the loader has not\n"
           "-- loaded them since (loader journal); the journal rows after the IMPORT record\n"
           "-- them, so a re-run of the loader does not load them again. IMPORT cannot run in\n"
           "-- a transaction: run the INSERT only once the IMPORT has succeeded.\n";
  }
  if (!set.create_sql.empty()) out += "\n" + set.create_sql + ";\n";
  auto import = [&](const std::vector<const ImportFile*>& files, const std::string& lead) {
    std::string text = lead + "IMPORT INTO " + QuoteIdent(set.table) + " (" + ColumnList(set) +
                       ")\n" + lead + "  CSV DATA (\n";
    for (size_t i = 0; i < files.size(); ++i) {
      text += lead + "    " + SqlLiteral(FileUrl(set.url_prefix, files[i]->name)) +
              (i + 1 < files.size() ? ",\n" : "\n");
    }
    text += lead + "  )\n" + lead + "  WITH nullif = '';\n";
    if (set.job.empty()) return text;
    for (const ImportFile* f : files) {
      std::string insert;
      AppendJournalInsert(set.job, f->first_row, f->span, f->content_digest, &insert);
      text += lead + insert + ";\n";
    }
    return text;
  };
  if (!sure.empty()) out += "\n" + import(sure, "");
  if (!unsure.empty()) {
    out +=
        "\n-- The connection was lost while these files' rows were being committed, so they\n"
        "-- may be in the table already. Import them only if this says 0 for each:\n";
    for (const ImportFile* f : unsure) out += "--   " + JournalOverlapCount(set.job, *f) + ";\n";
    out += import(unsure, "-- ");
  }
  return out;
}

std::string UploadScript(const ImportSet& set) {
  const std::string_view path = SplitQuery(set.url_prefix).first;
  std::string out = "#!/bin/sh\n" + Header(set, "#",
                                           "Puts the files of this directory where import.sql "
                                           "reads them: " +
                                               RedactStorageUrl(set.url_prefix));
  out += "set -eu\ncd \"$(dirname \"$0\")\"\n";
  // One command per file: `command` FILE DEST `flags`, DEST being where under
  // `dest_dir` the statements read it.
  const auto each = [&](std::string_view command, std::string_view dest_dir,
                        std::string_view flags) {
    std::string text;
    for (const ImportFile& f : set.files) {
      text += std::string(command) + " " + f.name + " " + ShellWord(Joined(dest_dir, f.name)) +
              std::string(flags) + "\n";
    }
    return text;
  };
  constexpr std::string_view kCockroachFlags =
      "cockroach=\"${COCKROACH:-cockroach}\"\nflags=\"${COCKROACH_FLAGS:---insecure}\"\n";
  if (path.starts_with("nodelocal://")) {
    // nodelocal://1/dir/name is dir/name under node 1's external IO directory.
    const std::string_view rest = path.substr(std::string_view("nodelocal://").size());
    const size_t slash = rest.find('/');
    const std::string_view node = rest.substr(0, slash);
    const std::string_view dir =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    out +=
        "# cockroach nodelocal upload writes to the node it connects to, and the statements\n"
        "# read from node " +
        std::string(node) +
        ": connect to that node. COCKROACH_FLAGS holds the\n"
        "# connection flags (default --insecure), e.g.\n"
        "#   COCKROACH_FLAGS=\"--host=node" +
        std::string(node) + ":26257 --certs-dir=certs\" sh upload.sh\n" +
        std::string(kCockroachFlags);
    out += each("\"$cockroach\" nodelocal upload", dir, " $flags");
  } else if (path.starts_with("userfile://")) {
    out +=
        "# userfile storage lives in the cluster and is meant for files of about 15 MB or\n"
        "# less. COCKROACH_FLAGS holds the connection flags (default --insecure), e.g.\n"
        "#   COCKROACH_FLAGS=\"--url=postgresql://...\" sh upload.sh\n" +
        std::string(kCockroachFlags);
    // userfile:///dir is the user's default storage, which upload names by
    // path; a qualified userfile://db.schema.table/dir is passed whole.
    const bool default_storage = path.starts_with("userfile:///");
    out += each("\"$cockroach\" userfile upload",
                default_storage ? path.substr(std::string_view("userfile://").size()) : path,
                " $flags");
  } else if (path.starts_with("s3://")) {
    out += "# The AWS CLI reads its own credentials (aws configure, AWS_* variables).\n";
    out += each("aws s3 cp", path, "");
  } else if (path.starts_with("gs://")) {
    out += "# The gcloud CLI reads its own credentials (gcloud auth login).\n";
    out += each("gcloud storage cp", path, "");
  } else if (path.starts_with("http://") || path.starts_with("https://")) {
    out += "# For a server that takes PUT; CURL_FLAGS adds curl options (auth, certificates).\n";
    out += each("curl -fsS ${CURL_FLAGS:-} -T", path, "");
  } else {
    out +=
        "echo " +
        ShellWord("copy the files of this directory to " + RedactStorageUrl(path) + " yourself") +
        " >&2\nexit 1\n";
  }
  return out;
}

std::string PostgresScript(const ImportSet& set) {
  std::string out = Header(
      set, "--",
      "Loads the CSV files of this directory into " + set.table + " on PostgreSQL with psql.");
  out += "-- Run it from this directory: psql \"$DATABASE_URL\" -f load-postgres.sql\n";
  const bool staged = !set.stage_table.empty();
  const std::string copy_head = "\\copy " + (staged ? set.stage_table : QuoteIdent(set.table)) +
                                " (" + ColumnList(set) + ") FROM ";
  // With --on-conflict, each file's rows go on from the staging table as the
  // load's did (their counts printed as a row).
  const std::string copy_tail =
      " WITH (FORMAT csv)\n" +
      (staged ? set.from_stage_sql + ";\nDELETE FROM " + set.stage_table + ";\n" : std::string());
  if (staged) {
    out +=
        "-- Rows whose key is in the table already are handled as the load's --on-conflict\n"
        "-- said: each file goes into a temporary table first, then into " +
        set.table + ".\n" + set.stage_sql + ";\n";
  }
  // psql runs the program on this machine, in the directory it was started
  // in. The names hold only letters, digits and . _ - (FileStem), so they
  // need no quoting; ./ keeps a name starting with - from being an option.
  const auto source = [&](const ImportFile& f) {
    return set.gzip ? "PROGRAM " + SqlLiteral("gzip -dc ./" + f.name) : SqlLiteral(f.name);
  };
  if (set.job.empty()) {
    out +=
        "-- One transaction: the table gets every row or none.\n\\set ON_ERROR_STOP on\nBEGIN;\n";
    if (!set.create_sql.empty()) out += set.create_sql + ";\n";
    for (const ImportFile& f : set.files) out += copy_head + source(f) + copy_tail;
    return out + "COMMIT;\n";
  }
  out +=
      "-- Each file loads in a transaction with its loader_journal row, and only when\n"
      "-- the journal has none of its rows: a re-run of the loader then skips them, and\n"
      "-- running this script again loads nothing twice.\n\\set ON_ERROR_STOP on\n";
  for (const ImportFile& f : set.files) {
    std::string insert;
    AppendJournalInsert(set.job, f.first_row, f.span, f.content_digest, &insert);
    out += "\n-- rows " + Rows(f) + ": " + OneLine(f.reason) + "\nBEGIN;\n";
    out += "SELECT (" + JournalOverlapCount(set.job, f) + ") = 0 AS load_file \\gset\n";
    out += "\\if :load_file\n" + insert + ";\n" + copy_head + source(f) + copy_tail;
    out += "\\else\n\\echo 'rows " + Rows(f) +
           " are in loader_journal already: skipped (a re-run of the loader loads any of "
           "them still missing)'\n\\endif\nCOMMIT;\n";
  }
  return out;
}

std::string ManifestJson(const ImportSet& set) {
  uint64_t rows = 0;
  uint64_t bytes = 0;
  uint64_t csv_bytes = 0;
  for (const ImportFile& f : set.files) {
    rows += f.rows;
    bytes += f.bytes;
    csv_bytes += f.csv_bytes;
  }
  Json out;
  out["version"] = 1;
  out["kind"] = set.fallback ? "fallback" : "emit-import";
  out["command"] = set.command;
  out["table"] = set.table;
  out["columns"] = set.columns;
  out["format"] = {{"type", "csv"},
                   {"delimiter", ","},
                   {"quote", "\""},
                   {"null", "empty unquoted field"},
                   {"header", false}};
  if (set.gzip) out["format"]["compression"] = "gzip";
  out["import_url"] = RedactStorageUrl(set.url_prefix);
  if (!set.job.empty()) out["job"] = set.job;
  out["rows"] = rows;
  out["bytes"] = bytes;
  if (set.gzip) out["csv_bytes"] = csv_bytes;
  Json& files = out["files"] = Json::array();
  for (const ImportFile& f : set.files) {
    Json file = {{"name", f.name},
                 {"first_row", f.first_row},
                 {"rows", f.rows},
                 {"bytes", f.bytes},
                 {"sha256", f.sha256}};
    if (set.gzip) file["csv_bytes"] = f.csv_bytes;
    if (set.fallback) {
      file["journal_rows"] = f.span;
      file["maybe_committed"] = f.maybe_committed;
      file["reason"] = f.reason;
    }
    files.push_back(std::move(file));
  }
  return JsonText(out, 2);
}

Status WriteImportScripts(const std::string& dir, const ImportSet& set) {
  const bool secret = HasCredentials(set.url_prefix);
  const std::string base = Joined(dir, "");
  // The other files need no secret, so none of the loader's (the import
  // URL's credentials, the connection's passwords, see redact.h) goes in
  // them, however it got into their text.
  Status s = WriteFile(base + "import.sql", ImportSql(set), secret ? 0600 : 0644);
  if (s.ok()) {
    s = WriteFile(base + "upload.sh", ScrubSecrets(UploadScript(set)), secret ? 0700 : 0755);
  }
  if (s.ok()) s = WriteFile(base + "load-postgres.sql", ScrubSecrets(PostgresScript(set)), 0644);
  if (s.ok()) s = WriteFile(base + "manifest.json", ScrubSecrets(ManifestJson(set)), 0644);
  return s;
}

}  // namespace loader
