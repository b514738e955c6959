#include "loader/cli/cli.h"

#include <algorithm>
#include <boost/program_options.hpp>

#include "base/shell_word.h"
#include "cli/option_readers.h"
#include "loader/base/redact.h"
#include "loader/base/table.h"
#include "loader/base/version.h"
#include "loader/cli/option_table.h"
#include "loader/generate/generated_tables.h"
#include "loader/journal/journal.h"
#include "loader/pg/server_info.h"
#include "loader/plan/chunk_plan.h"
#include "loader/plan/in_flight.h"
#include "loader/plan/shard.h"

namespace po = boost::program_options;

namespace loader {
namespace {

constexpr uint64_t kMaxChunkRows = 10'000'000;
constexpr int kMaxWorkers = 256;

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

// One option's value as the manifest shows it. What is secret is decided by
// the option, never by what a value looks like (a bucket named
// acme-password-vault is not a conninfo): --url is a conninfo, whose secrets
// are also registered, as no connection may register them (--emit-import);
// --import-url a storage URL; any other value is shown as given, and the
// files it goes into are scrubbed of every registered secret.
std::string RedactedValue(const std::string& option, const std::string& value) {
  if (option == "url") {
    RegisterSecretsOf(value);
    return RedactConninfo(value);
  }
  if (option == "import-url") return RedactStorageUrl(value);
  return value;
}

// The option an argument names, as Boost reads it (a unique prefix, --imp,
// names --import-url); null when it names none.
const po::option_description* NamedOption(const po::options_description& desc,
                                          const std::string& arg) {
  if (!arg.starts_with("--") || arg.size() == 2) return nullptr;
  const std::string name = arg.substr(2, arg.find('=') - 2);
  try {
    return desc.find_nothrow(name, /*approx=*/true);
  } catch (const po::error&) {
    return nullptr;  // ambiguous: parsing refused the command already
  }
}

// The command line for a manifest, with passwords and credentials masked,
// in --name=VALUE and --name VALUE forms alike, each word quoted for sh
// where it needs it.
std::string RedactedCommand(int argc, const char* const argv[],
                            const po::options_description& desc) {
  std::string out = "loader";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const po::option_description* option = NamedOption(desc, arg);
    if (option == nullptr || option->semantic()->max_tokens() == 0) {
      out += " " + ShellWordIfNeeded(arg);
      continue;
    }
    const std::string& name = option->long_name();
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      out +=
          " " + ShellWordIfNeeded(arg.substr(0, eq + 1) + RedactedValue(name, arg.substr(eq + 1)));
    } else if (i + 1 < argc) {
      out += " " + ShellWordIfNeeded(arg) + " " + ShellWordIfNeeded(RedactedValue(name, argv[++i]));
    } else {
      out += " " + ShellWordIfNeeded(arg);
    }
  }
  return out;
}

// --chunk, --seed, --workers, --in-flight, --max-retries,
// --reconnect-timeout.
Status ReadCounts(const po::variables_map& vm, LoadSpec* o) {
  Status s = ParseCount(vm, "chunk", 1, kMaxChunkRows, &o->chunks.rows);
  if (s.ok()) s = ParseCount(vm, "seed", 0, UINT64_MAX, &o->input.seed);
  uint64_t workers = 0;  // auto
  if (s.ok() && vm.count("workers") && vm["workers"].as<std::string>() != "auto") {
    s = ParseCount(vm, "workers", 1, kMaxWorkers, &workers);
  }
  uint64_t in_flight = 0;
  if (s.ok()) s = ParseCount(vm, "in-flight", 1, kMaxInFlight, &in_flight);
  uint64_t max_retries = static_cast<uint64_t>(o->faults.max_retries);
  if (s.ok()) s = ParseCount(vm, "max-retries", 0, 1000, &max_retries);
  uint64_t reconnect_seconds = static_cast<uint64_t>(o->faults.reconnect_timeout.count());
  if (s.ok()) s = ParseCount(vm, "reconnect-timeout", 0, 86400, &reconnect_seconds);
  if (!s.ok()) return s;
  o->faults.reconnect_timeout = std::chrono::seconds(reconnect_seconds);
  if (workers > 0) o->target.workers = static_cast<int>(workers);
  o->target.in_flight = static_cast<int>(in_flight);
  o->faults.max_retries = static_cast<int>(max_retries);
  return Status::OK();
}

// --max-rate: each value one rate, or several joined by commas.
Status ReadMaxRate(const po::variables_map& vm, LoadSpec* o) {
  if (!vm.count("max-rate")) return Status::OK();
  return ParseRateBudget(vm["max-rate"].as<std::vector<std::string>>(), &o->target.max_rate)
      .WithContext("--max-rate");
}

// --chunk-bytes: at least one row of a generated table, at most kMaxChunkBytes.
Status ReadChunkBytes(const po::variables_map& vm, const TableSpec* table, LoadSpec* o) {
  if (!vm.count("chunk-bytes")) return Status::OK();
  const std::string& text = vm["chunk-bytes"].as<std::string>();
  Status s = ParseByteSize(text, &o->chunks.bytes);
  if (!s.ok()) return s.WithContext("--chunk-bytes");
  const uint64_t min_bytes = table != nullptr ? table->max_row_bytes : 1;
  if (o->chunks.bytes < min_bytes || o->chunks.bytes > kMaxChunkBytes) {
    return Status::InvalidArgument(
        "--chunk-bytes: " + text + " is out of range (" + std::to_string(min_bytes) + " bytes" +
        (table != nullptr ? ", one row of " + o->input.table : std::string()) +
        ", to 15 MiB, under the 16 MiB message limit)");
  }
  return Status::OK();
}

// --method, --server and --id-order: words from a fixed list.
Status ReadChoices(const po::variables_map& vm, LoadSpec* o) {
  const std::string method = vm["method"].as<std::string>();
  if (method == "copy") {
    o->target.method = Method::kCopy;
  } else if (method == "insert") {
    o->target.method = Method::kInsert;
  } else if (method != "auto") {
    return Status::InvalidArgument("--method: '" + method + "' is not one of auto, copy, insert");
  }
  if (vm.count("in-flight") && o->target.method == Method::kCopy) {
    return Status::InvalidArgument(
        "--in-flight is for --method insert: COPY cannot run in libpq's pipeline mode, so each "
        "connection waits for each COPY chunk");
  }
  const std::string id_order = vm["id-order"].as<std::string>();
  if (id_order != "sequential" && id_order != "scattered") {
    return Status::InvalidArgument("--id-order: '" + id_order +
                                   "' is not one of sequential, scattered");
  }
  o->input.scattered_ids = id_order == "scattered";
  if (o->input.scattered_ids && (o->input.table != "points" || !o->input.files.empty())) {
    return Status::InvalidArgument(
        "--id-order scattered orders the generated points' integer ids; accounts ids are "
        "random UUIDs already, and rows from --input keep their own");
  }
  return Status::OK();
}

Status ReadServer(const po::variables_map& vm, LoadSpec* o) {
  const std::string server = vm["server"].as<std::string>();
  if (server == "auto") {
    o->target.server.reset();
  } else if (server == "postgres") {
    o->target.server = ServerKind::kPostgres;
  } else if (server == "cockroach") {
    o->target.server = ServerKind::kCockroach;
  } else {
    return Status::InvalidArgument("--server: '" + server +
                                   "' is not one of auto, postgres, cockroach");
  }
  return Status::OK();
}

// --presplit and --shard, which only generated rows can have.
Status ReadSplits(const po::variables_map& vm, const TableSpec* table, LoadSpec* o) {
  if (vm.count("presplit")) {
    Status s = ParseCount(vm, "presplit", 2, 10000, &o->target.presplit);
    if (!s.ok()) return s;
    if (table == nullptr || !o->input.files.empty()) {
      return Status::InvalidArgument(
          "--presplit splits at even boundaries of the generated accounts' or points' keys; "
          "the keys of rows from --input are not known in advance");
    }
    if (!vm["create"].as<bool>() && !vm["drop"].as<bool>()) {
      return Status::InvalidArgument("--presplit splits the table --create makes: add --create");
    }
  }
  if (!vm.count("shard")) return Status::OK();
  Status s = ParseShard(vm["shard"].as<std::string>(), &o->chunks.shard);
  if (!s.ok()) return s;
  // A shard's blocks are --chunk rows, whatever the server's intent budget
  // makes of the chunks inside them: every process of the job cuts the
  // same blocks from the same options, whatever it can read of the cluster.
  o->chunks.shard.block_rows = o->chunks.rows;
  if (!o->input.files.empty()) {
    return Status::InvalidArgument(
        "--shard splits a job's generated rows between processes; rows from --input are read "
        "in order by one process: give each process its own files instead");
  }
  if (!o->import.emit_dir.empty()) {
    return Status::InvalidArgument(
        "--shard loads a share of the job; --emit-import writes the files for all of it: run "
        "it once, without --shard");
  }
  if (vm["drop"].as<bool>()) {
    return Status::InvalidArgument(
        "--shard cannot go with --drop: each shard would drop the rows the others committed; "
        "drop the table once (loader --table " +
        o->input.table + " --rows 0 --drop), then give every shard --create");
  }
  return Status::OK();
}

// The switches, --progress-every and --job.
Status ReadFlags(const po::variables_map& vm, LoadSpec* o) {
  o->target.create = vm["create"].as<bool>();
  o->target.drop = vm["drop"].as<bool>();
  o->report.dry_run = vm["dry-run"].as<bool>();
  o->report.quiet = vm["quiet"].as<bool>();
  uint64_t progress_every = static_cast<uint64_t>(o->report.progress_every.count());
  Status s = ParseCount(vm, "progress-every", 0, 86400, &progress_every);
  if (!s.ok()) return s;
  o->report.progress_every = std::chrono::seconds(progress_every);
  o->faults.journal = !vm["no-journal"].as<bool>();
  if (!vm.count("job")) return Status::OK();
  o->faults.job = vm["job"].as<std::string>();
  s = ValidateJobId(o->faults.job);
  if (!s.ok()) return s;
  if (!o->faults.journal) {
    return Status::InvalidArgument("--job names a journal job; it cannot go with --no-journal");
  }
  return Status::OK();
}

// Translates the options into the job's LoadSpec, in the order that decides
// which of several refusals is reported.
Status Validate(const po::variables_map& vm, CommandLine* cl) {
  LoadSpec& o = cl->spec;
  // First, so that a refused option is reported there too.
  if (vm.count("stats-json")) cl->stats_json = vm["stats-json"].as<std::string>();
  if (Status s = ReadConnection(vm, &o.target.urls, &o.target.connect); !s.ok()) return s;
  o.input.table = vm["table"].as<std::string>();
  Status s = ReadInputs(vm, &o);
  if (s.ok()) s = ReadImportOptions(vm, &o);
  if (!s.ok()) return s;
  const TableSpec* table = FindGeneratedTable(o.input.table);
  s = ReadCounts(vm, &o);
  if (s.ok()) s = ReadMaxRate(vm, &o);
  if (s.ok()) s = ReadSeedOptions(vm, &o);
  if (s.ok()) s = ReadChunkBytes(vm, table, &o);
  if (s.ok()) s = ReadChoices(vm, &o);
  if (s.ok()) s = ReadSplits(vm, table, &o);
  if (s.ok()) s = ReadServer(vm, &o);
  if (s.ok()) s = ReadFlags(vm, &o);
  if (s.ok()) s = ReadTargetOptions(vm, &o);
  if (!s.ok()) return s;
  cl->log_level = vm["log-level"].as<std::string>();
  return Status::OK();
}

// Parses argv and the LOADER_* environment against `desc`; false and
// cl->status set on a syntax error.
// `positional` options are arguments, never taken from the environment.
bool Store(int argc, const char* const argv[], const po::options_description& desc,
           const po::positional_options_description& positional, po::variables_map* vm,
           CommandLine* cl) {
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), *vm);
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
  const po::options_description desc = Describe(JournalOptionGroups());
  po::positional_options_description positional;
  positional.add("action", 1).add("job", 1);
  po::variables_map vm;
  if (!Store(argc, argv, desc, positional, &vm, &cl)) return cl;
  if (vm.count("help")) {
    cl.output = JournalHelp();
    cl.exit_now = true;
    return cl;
  }
  cl.log_level = vm["log-level"].as<std::string>();
  const std::string action = vm["action"].as<std::string>();
  if (action == "forget") {
    cl.journal.action = JournalCommand::Action::kForget;
    if (!vm.count("job")) {
      cl.status = Status::InvalidArgument(
          "loader journal forget: which job? (loader journal "
          "lists them)");
      return cl;
    }
    cl.journal.job = vm["job"].as<std::string>();
    cl.status = ValidateJobId(cl.journal.job);
    if (!cl.status.ok()) return cl;
  } else if (action != "list" || vm.count("job")) {
    // The argument is not echoed: it could be a connection string with a password.
    cl.status = Status::InvalidArgument(
        "loader journal: expected 'list' or 'forget JOB' (see "
        "loader journal --help)");
    return cl;
  }
  cl.status = ReadConnection(vm, &cl.journal.urls, &cl.journal.connect);
  return cl;
}

}  // namespace

CommandLine ParseCommandLine(int argc, const char* const argv[]) {
  if (argc >= 2 && std::string_view(argv[1]) == "journal") {
    return ParseJournalCommand(argc - 1, argv + 1);
  }
  CommandLine cl;
  const po::options_description desc = Describe(LoadOptionGroups());
  po::variables_map vm;
  if (!Store(argc, argv, desc, po::positional_options_description(), &vm, &cl)) return cl;
  if (vm.count("help")) {
    cl.output = LoadHelp();
    cl.exit_now = true;
    return cl;
  }
  if (vm.count("version")) {
    cl.output = std::string("loader ") + kLoaderVersion + "\n";
    cl.exit_now = true;
    return cl;
  }
  cl.status = Validate(vm, &cl);
  cl.spec.report.command = RedactedCommand(argc, argv, desc);
  return cl;
}

}  // namespace loader
