#include <algorithm>
#include <boost/program_options.hpp>

#include <cstdlib>
#include <sstream>
#include <thread>

#include "loader/chunk_plan.h"
#include "loader/cli.h"
#include "loader/connection.h"
#include "loader/redact.h"
#include "loader/journal.h"
#include "loader/option_readers.h"
#include "loader/server_info.h"
#include "loader/shard.h"
#include "loader/table.h"
#include "loader/version.h"

namespace po = boost::program_options;

namespace loader {
namespace {

constexpr uint64_t kMaxChunkRows = 10'000'000;
constexpr int kMaxWorkers = 256;

constexpr char kUsage[] = R"(loader: bulk-load generated rows or CSV files into PostgreSQL or
CockroachDB, one committed chunk at a time, retried on transient errors.

Usage: loader [options]

Examples:
  loader --rows 10000 --chunk 1000 --create
  loader --input accounts.csv --header --create
  loader --table orders --input 'exports/orders-*.csv' --max-rejects 100
  gunzip -c big.csv.gz | loader --table events --input - --columns id,at,payload
  loader --table points --rows 5000000 --workers 4 --method copy
  loader --url 'postgresql://root@localhost:26257/defaultdb?sslmode=disable' --dry-run
  loader --rows 100000000 --emit-import out/ --import-url userfile:///accounts

)";

constexpr char kEpilog[] = R"(
Every option also reads from the environment as LOADER_<NAME> (e.g. LOADER_ROWS,
LOADER_CHUNK_BYTES); the command line wins. Without --url: $DATABASE_URL, then libpq's
PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).

Exactly once: every chunk's transaction also records it in the loader_journal table,
so a load that was killed, interrupted or cut off resumes where it stopped when run
again with the same options, and a finished one is not loaded twice. Jobs:
  loader journal [--url URL]              list jobs and their progress
  loader journal forget JOB [--url URL]   forget a job (its rows stay in the table)

Exit codes: 0 ok, 1 internal or server error, 2 bad option, 3 server unreachable
(past --reconnect-timeout), 4 authentication failed, 5 table missing (use --create),
6 permission denied, 7 retries exhausted (or one row too large for the server),
8 bad data (a file's row that does not parse or fit its column, or a row the server
refuses; the message names file:line:column), 9 commit outcome unknown (--no-journal),
10 interrupted by SIGINT/SIGTERM (a re-run resumes), 11 the load went on but some
chunks could not be committed and wait as CSV files in --fallback-dir.
)";

// Maps LOADER_CHUNK_BYTES to "chunk-bytes" when that option exists.
std::string EnvToOption(const po::options_description& desc, const std::string& var) {
  static constexpr std::string_view kPrefix = "LOADER_";
  if (var.rfind(kPrefix, 0) != 0) return {};
  std::string name;
  for (char c : var.substr(kPrefix.size())) {
    name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // --help and --version are actions, not settings: a LOADER_VERSION=1.2 in a
  // CI environment must not turn a load into a version print.
  if (name == "help" || name == "version") return {};
  return desc.find_nothrow(name, false) != nullptr ? name : std::string();
}

// --url, else $DATABASE_URL, else none (libpq's PG* variables).
Status ReadUrls(const po::variables_map& vm, std::vector<std::string>* urls) {
  if (vm.count("url")) *urls = vm["url"].as<std::vector<std::string>>();
  if (urls->empty()) {
    if (const char* env = std::getenv("DATABASE_URL"); env != nullptr && *env != '\0') {
      urls->push_back(env);
    }
  }
  for (const std::string& url : *urls) {
    Status s = ValidateConninfo(url);
    if (!s.ok()) return s.WithContext(vm.count("url") ? "--url" : "DATABASE_URL");
  }
  return Status::OK();
}

// The command line for a manifest, with passwords and credentials masked.
std::string RedactedCommand(int argc, const char* const argv[]) {
  std::string out = "loader";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.starts_with("--") ? arg.find('=') : std::string::npos;
    const std::string head = eq == std::string::npos ? "" : arg.substr(0, eq + 1);
    const std::string value = arg.substr(head.size());
    const bool conninfo =
        value.starts_with("postgres") || value.find("password") != std::string::npos;
    out += " " + head + (conninfo ? RedactConninfo(value) : RedactStorageUrl(value));
  }
  return out;
}

Status Validate(const po::variables_map& vm, CommandLine* cl) {
  LoadOptions& o = cl->options;
  if (Status s = ReadUrls(vm, &o.urls); !s.ok()) return s;
  o.table = vm["table"].as<std::string>();
  Status s = ReadInputs(vm, &o);
  if (s.ok()) s = ReadImportOptions(vm, &o);
  if (!s.ok()) return s;
  const TableSpec* table = FindGeneratedTable(o.table);
  if (table == nullptr && o.inputs.empty()) {
    return Status::InvalidArgument("--table: the loader generates rows for accounts and points "
                                   "only; load '" + o.table + "' from files with --input");
  }
  s = ParseCount(vm, "rows", 0, UINT64_MAX / 2, &o.rows);
  if (s.ok()) s = ParseCount(vm, "chunk", 1, kMaxChunkRows, &o.chunk_rows);
  if (s.ok()) s = ParseCount(vm, "seed", 0, UINT64_MAX, &o.seed);
  uint64_t workers = std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, kMaxWorkers);
  if (s.ok()) s = ParseCount(vm, "workers", 1, kMaxWorkers, &workers);
  uint64_t max_retries = static_cast<uint64_t>(o.max_retries);
  if (s.ok()) s = ParseCount(vm, "max-retries", 0, 1000, &max_retries);
  uint64_t reconnect_seconds = static_cast<uint64_t>(o.reconnect_timeout.count());
  if (s.ok()) s = ParseCount(vm, "reconnect-timeout", 0, 86400, &reconnect_seconds);
  if (!s.ok()) return s;
  o.reconnect_timeout = std::chrono::seconds(reconnect_seconds);
  o.workers = static_cast<int>(workers);
  o.max_retries = static_cast<int>(max_retries);

  if (vm.count("chunk-bytes")) {
    const std::string& text = vm["chunk-bytes"].as<std::string>();
    s = ParseByteSize(text, &o.chunk_bytes);
    if (!s.ok()) return s.WithContext("--chunk-bytes");
    const uint64_t min_bytes = table != nullptr ? table->max_row_bytes : 1;
    if (o.chunk_bytes < min_bytes || o.chunk_bytes > kMaxChunkBytes) {
      return Status::InvalidArgument(
          "--chunk-bytes: " + text + " is out of range (" + std::to_string(min_bytes) +
          " bytes" + (table != nullptr ? ", one row of " + o.table : std::string()) +
          ", to 15 MiB, under the 16 MiB message limit)");
    }
  }

  const std::string method = vm["method"].as<std::string>();
  if (method == "copy") {
    o.method = Method::kCopy;
  } else if (method == "insert") {
    o.method = Method::kInsert;
  } else {
    return Status::InvalidArgument("--method: '" + method + "' is not one of copy, insert");
  }
  const std::string id_order = vm["id-order"].as<std::string>();
  if (id_order != "sequential" && id_order != "scattered") {
    return Status::InvalidArgument("--id-order: '" + id_order +
                                   "' is not one of sequential, scattered");
  }
  o.scattered_ids = id_order == "scattered";
  if (o.scattered_ids && (o.table != "points" || !o.inputs.empty())) {
    return Status::InvalidArgument(
        "--id-order scattered orders the generated points' integer ids; accounts ids are "
        "random UUIDs already, and rows from --input keep their own");
  }
  if (vm.count("presplit")) {
    s = ParseCount(vm, "presplit", 2, 10000, &o.presplit);
    if (!s.ok()) return s;
    if (table == nullptr || !o.inputs.empty()) {
      return Status::InvalidArgument(
          "--presplit splits at even boundaries of the generated accounts' or points' keys; "
          "the keys of rows from --input are not known in advance");
    }
    if (!vm["create"].as<bool>() && !vm["drop"].as<bool>()) {
      return Status::InvalidArgument("--presplit splits the table --create makes: add --create");
    }
  }
  if (vm.count("shard")) {
    s = ParseShard(vm["shard"].as<std::string>(), &o.shard);
    if (!s.ok()) return s;
    if (!o.inputs.empty()) {
      return Status::InvalidArgument(
          "--shard splits a job's generated rows between processes; rows from --input are read "
          "in order by one process: give each process its own files instead");
    }
    if (!o.emit_dir.empty()) {
      return Status::InvalidArgument(
          "--shard loads a share of the job; --emit-import writes the files for all of it: run "
          "it once, without --shard");
    }
    if (vm["drop"].as<bool>()) {
      return Status::InvalidArgument(
          "--shard cannot go with --drop: each shard would drop the rows the others committed; "
          "drop the table once (loader --table " + o.table +
          " --rows 0 --drop), then give every shard --create");
    }
  }
  const std::string server = vm["server"].as<std::string>();
  if (server == "auto") {
    o.dialect = Dialect::kAuto;
  } else if (server == "postgres") {
    o.dialect = Dialect::kPostgres;
  } else if (server == "cockroach") {
    o.dialect = Dialect::kCockroach;
  } else {
    return Status::InvalidArgument("--server: '" + server +
                                   "' is not one of auto, postgres, cockroach");
  }
  o.create = vm["create"].as<bool>();
  o.drop = vm["drop"].as<bool>();
  o.dry_run = vm["dry-run"].as<bool>();
  o.quiet = vm["quiet"].as<bool>();
  uint64_t progress_every = static_cast<uint64_t>(o.progress_every.count());
  s = ParseCount(vm, "progress-every", 0, 86400, &progress_every);
  if (!s.ok()) return s;
  o.progress_every = std::chrono::seconds(progress_every);
  o.journal = !vm["no-journal"].as<bool>();
  if (vm.count("job")) {
    o.job = vm["job"].as<std::string>();
    s = ValidateJobId(o.job);
    if (!s.ok()) return s;
    if (!o.journal) return Status::InvalidArgument("--job names a journal job; it cannot go with --no-journal");
  }
  cl->log_level = vm["log-level"].as<std::string>();
  if (vm.count("stats-json")) cl->stats_json = vm["stats-json"].as<std::string>();
  return Status::OK();
}

po::options_description Describe() {
  po::options_description desc("Options", 100, 40);
  auto flag = [] { return po::value<bool>()->implicit_value(true)->default_value(false); };
  // Numbers are read as text and checked by ParseCount: Boost's own conversion
  // accepts "-1" for an unsigned value and wraps it around.
  desc.add_options()
      ("help,h", "show this help and exit")
      ("version", "print the version and exit")
      // Not composing: repeats on one command line accumulate, but a --url given
      // there replaces LOADER_URL instead of adding to it.
      ("url", po::value<std::vector<std::string>>(),
       "server to load into: postgresql://user:password@host:port/db?sslmode=... or "
       "key=value conninfo. Repeat it, or list hosts in one URL (postgresql://u@h1:26257,h2:26257/db), "
       "to spread workers round-robin over them; a host that is down leaves its workers to the others. "
       "Default: $DATABASE_URL, else libpq's PG* variables")
      ("table", po::value<std::string>()->default_value("accounts"),
       "table to load: accounts (id UUID, balance INT8) or points (id INT8, x, y, z FLOAT8); "
       "with --input, any existing table")
      ("rows", po::value<std::string>()->default_value("10000"), "rows to generate and load")
      ("input", po::value<std::vector<std::string>>(),
       "load rows from this CSV file instead of generating them; repeat it or give a glob "
       "('data/*.csv') for several files, read in order; - reads standard input")
      ("columns", po::value<std::string>(),
       "the files' fields, as table columns: a,b,c (default: all of the table's, in order)")
      ("header", flag(), "each file starts with a header line; it must name the columns")
      ("delimiter", po::value<std::string>(), "field delimiter (default ,; \\t for a tab)")
      ("quote", po::value<std::string>(), "quote character (default \")")
      ("null", po::value<std::string>(),
       "an unquoted field equal to this is NULL (default: an empty unquoted field); a quoted "
       "field is never NULL")
      ("max-rejects", po::value<std::string>()->default_value("0"),
       "set aside up to this many bad rows (a field that does not fit its column, or a row "
       "the server refuses) and load the rest; one more stops the load. 0: the first bad "
       "row stops it")
      ("reject-file", po::value<std::string>(),
       "where rejected rows go, as they were in the input (default: <job>.reject.csv); the "
       "reason for each goes to the same name with .log")
      ("chunk", po::value<std::string>()->default_value("1000"),
       "rows per chunk; each chunk is committed in its own transaction")
      ("chunk-bytes", po::value<std::string>()->default_value("8MiB"),
       "payload cap per chunk (e.g. 512KiB, 8MiB; at most 15MiB); a chunk closes at "
       "whichever of --chunk and --chunk-bytes comes first")
      ("workers", po::value<std::string>(),
       "parallel connections (default: the number of cores)")
      ("method", po::value<std::string>()->default_value("copy"),
       "copy (COPY FROM STDIN, fastest) or insert (multi-row INSERT with bound parameters)")
      ("presplit", po::value<std::string>(),
       "CockroachDB: split the new table into N ranges at even key boundaries (ALTER TABLE ... "
       "SPLIT AT), then SCATTER them, so the load writes to every node from the start")
      ("id-order", po::value<std::string>()->default_value("sequential"),
       "sequential or scattered: points' ids as a keyed permutation of 0..rows-1, so "
       "consecutive rows do not all go to the last range of a CockroachDB table")
      ("shard", po::value<std::string>(),
       "K/N: of the job's blocks of --chunk rows, numbered from 0, load only those whose number "
       "mod N is K, so N processes (one for each K, same other options) load the job together, "
       "each resumable on its own")
      ("seed", po::value<std::string>()->default_value("1"),
       "generator seed; the same seed and --rows give the same rows whatever --chunk, "
       "--workers and --method are")
      ("create", flag(), "create the table if it is missing")
      ("drop", flag(), "drop the table and create it again before loading (starts over)")
      ("max-retries", po::value<std::string>()->default_value("10"),
       "retries per chunk of serialization failures (40001, 40P01), with exponential "
       "backoff and jitter")
      ("reconnect-timeout", po::value<std::string>()->default_value("60"),
       "seconds a chunk keeps reconnecting (with backoff) while the server is unreachable or "
       "restarting, before the load stops")
      ("job", po::value<std::string>(),
       "the journal's name for this load (default: a digest of table, seed and rows); a "
       "re-run with the same job loads only what is not committed yet")
      ("no-journal", flag(),
       "do not record committed chunks in loader_journal: slightly faster, but a re-run "
       "loads every row again and an unknown commit outcome stops the load (exit 9)")
      ("emit-import", po::value<std::string>(),
       "do not load: write the rows (generated, or read from --input) as CSV files in this "
       "directory, with import.sql (IMPORT INTO, CockroachDB), upload.sh, load-postgres.sql "
       "(psql) and manifest.json; needs no server")
      ("import-url", po::value<std::string>(),
       "where the server reads the files import.sql names: nodelocal://1/dir (default: "
       "nodelocal://1/<directory name>), userfile:///dir, s3://bucket/dir?AUTH=..., gs://, "
       "azure://, http(s)://")
      ("import-files", po::value<std::string>(),
       "--emit-import: spread the rows over this many files (default: files of about 256MiB, "
       "at least one per worker)")
      ("import-file-bytes", po::value<std::string>(),
       "--emit-import: start a new file after this many bytes (e.g. 64MiB)")
      ("fallback-dir", po::value<std::string>(),
       "write a chunk that cannot be committed (retries exhausted, too large, server gone past "
       "--reconnect-timeout) to this directory as CSV with its import scripts, and go on; the "
       "load then ends with exit 11")
      ("stats-json", po::value<std::string>(), "also write the summary as JSON to this file")
      ("progress-every", po::value<std::string>()->default_value("10"),
       "when stderr is not a terminal, log progress every this many seconds (0: never); on a "
       "terminal a status line shows it live")
      ("quiet", flag(), "no progress line or progress log lines")
      ("log-level", po::value<std::string>()->default_value("info"),
       "trace, debug, info, warn, error or off (logs go to stderr)")
      ("dry-run", flag(),
       "print the plan (server kind, chunk rows and bytes, intent budget) and write nothing")
      ("server", po::value<std::string>()->default_value("auto"),
       "transaction protocol: auto (ask the server), postgres, or cockroach (the "
       "SAVEPOINT cockroach_restart protocol)");
  return desc;
}

constexpr char kJournalUsage[] = R"(Usage: loader journal [--url URL]
       loader journal forget JOB [--url URL]

Lists the jobs in the loader_journal table with their progress, or forgets one:
its journal rows are deleted and its rows stay in the table, so a later load of
the same job starts from the first row again.

)";

po::options_description DescribeJournal() {
  po::options_description desc("Options", 100, 40);
  desc.add_options()
      ("help,h", "show this help and exit")
      ("url", po::value<std::vector<std::string>>(),
       "server whose journal to read (default: $DATABASE_URL, else libpq's PG* variables)")
      ("log-level", po::value<std::string>()->default_value("info"),
       "trace, debug, info, warn, error or off")
      ("action", po::value<std::string>()->default_value("list"), "list or forget")
      ("job", po::value<std::string>(), "the job to forget");
  return desc;
}

// Parses argv and the LOADER_* environment against `desc`; false and
// cl->status set on a syntax error.
// `positional` options are arguments, never taken from the environment.
bool Store(int argc, const char* const argv[], const po::options_description& desc,
           const po::positional_options_description& positional, po::variables_map* vm,
           CommandLine* cl) {
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(),
              *vm);
    auto env_name = [&](const std::string& var) {
      std::string name = EnvToOption(desc, var);
      for (unsigned i = 0; i < positional.max_total_count(); ++i) {
        if (positional.name_for_position(i) == name) return std::string();
      }
      return name;
    };
    po::store(po::parse_environment(desc, env_name), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    cl->status = Status::InvalidArgument(std::string(e.what()) + " (see loader --help)");
    return false;
  }
  return true;
}

CommandLine ParseJournalCommand(int argc, const char* const argv[]) {
  CommandLine cl;
  cl.journal_command = true;
  const po::options_description desc = DescribeJournal();
  po::positional_options_description positional;
  positional.add("action", 1).add("job", 1);
  po::variables_map vm;
  if (!Store(argc, argv, desc, positional, &vm, &cl)) return cl;
  if (vm.count("help")) {
    std::ostringstream text;
    text << kJournalUsage << desc;
    cl.output = text.str();
    cl.exit_now = true;
    return cl;
  }
  cl.log_level = vm["log-level"].as<std::string>();
  const std::string action = vm["action"].as<std::string>();
  if (action == "forget") {
    cl.journal.action = JournalCommand::Action::kForget;
    if (!vm.count("job")) {
      cl.status = Status::InvalidArgument("loader journal forget: which job? (loader journal "
                                          "lists them)");
      return cl;
    }
    cl.journal.job = vm["job"].as<std::string>();
    cl.status = ValidateJobId(cl.journal.job);
    if (!cl.status.ok()) return cl;
  } else if (action != "list" || vm.count("job")) {
    // The argument is not echoed: it could be a connection string with a password.
    cl.status = Status::InvalidArgument("loader journal: expected 'list' or 'forget JOB' (see "
                                        "loader journal --help)");
    return cl;
  }
  cl.status = ReadUrls(vm, &cl.journal.urls);
  return cl;
}

}  // namespace

CommandLine ParseCommandLine(int argc, const char* const argv[]) {
  if (argc >= 2 && std::string_view(argv[1]) == "journal") {
    return ParseJournalCommand(argc - 1, argv + 1);
  }
  CommandLine cl;
  const po::options_description desc = Describe();
  po::variables_map vm;
  if (!Store(argc, argv, desc, po::positional_options_description(), &vm, &cl)) return cl;
  if (vm.count("help")) {
    std::ostringstream text;
    text << kUsage << desc << kEpilog;
    cl.output = text.str();
    cl.exit_now = true;
    return cl;
  }
  if (vm.count("version")) {
    cl.output = std::string("loader ") + kLoaderVersion + "\n";
    cl.exit_now = true;
    return cl;
  }
  cl.status = Validate(vm, &cl);
  cl.options.command = RedactedCommand(argc, argv);
  return cl;
}

}  // namespace loader
