// LoadHelp and JournalHelp (option_table.h): --help laid out from the option
// tables, with the usage, environment, journal and exit code notes around them.
#include <string>
#include <string_view>

#include "loader/cli/option_table.h"

namespace loader {
namespace {

// Where an option's description starts: after the longest synopsis,
// "--statement-timeout SECONDS", and two spaces.
constexpr size_t kTextColumn = 31;

// A space that does not break a line: "(default: 10)" stays together.
constexpr char kGlue = '\x01';

// Appends `text` wrapped at kHelpWidth, its first line starting at column
// `column` (where *out's last line ends) and the others indented to `indent`.
// A word is never cut: one longer than a line gets a line of its own.
void AppendWrapped(std::string_view text, size_t column, size_t indent, std::string* out) {
  bool line_empty = true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    if (!line_empty && column + 1 + word.size() > kHelpWidth) {
      *out += '\n';
      out->append(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      *out += ' ';
      ++column;
    }
    for (char c : word) *out += c == kGlue ? ' ' : c;
    column += word.size();
    line_empty = false;
  }
  *out += '\n';
}

// "  --chunk ROWS" padded to `column`, then `text` wrapped beside it; a
// synopsis too long for the column gets a line of its own.
void AppendEntry(const std::string& synopsis, std::string_view text, size_t column,
                 std::string* out) {
  *out += synopsis;
  if (synopsis.size() + 2 > column) {
    *out += '\n';
    out->append(column, ' ');
  } else {
    out->append(column - synopsis.size(), ' ');
  }
  AppendWrapped(text, column, column, out);
}

std::string Synopsis(const OptionSpec& spec) {
  const std::string_view name = spec.name;
  const size_t comma = name.find(',');
  std::string out = "  ";
  if (comma != std::string_view::npos) {
    out += "-" + std::string(name.substr(comma + 1)) + ", ";
  }
  out += "--" + std::string(name.substr(0, comma));
  if (spec.value_name != nullptr) out += std::string(" ") + spec.value_name;
  return out;
}

void AppendGroups(const std::vector<OptionGroup>& groups, std::string* out) {
  for (const OptionGroup& group : groups) {
    *out += '\n';
    *out += group.heading;
    *out += ":\n";
    for (const OptionSpec& spec : group.options) {
      if (spec.hidden) continue;
      std::string text = spec.help;
      const char* default_text =
          spec.default_words != nullptr ? spec.default_words : spec.default_value;
      if (default_text != nullptr) {
        text += std::string(" (default:") + kGlue + default_text + ")";
      }
      AppendEntry(Synopsis(spec), text, kTextColumn, out);
    }
  }
}

constexpr char kLoadIntro[] =
    "loader: bulk-load generated rows or CSV files into PostgreSQL or CockroachDB, one "
    "committed chunk at a time, retried on transient errors.";

constexpr char kLoadUsage[] = R"(
Usage: loader [options]
       loader journal [forget JOB] [options]       (see loader journal --help)

Examples:
  loader --rows 10000 --chunk 1000 --create
  loader --input accounts.csv --header --create
  loader --table orders --input 'exports/orders-*.csv' --max-rejects 100
  loader --table events --input big.csv.gz --columns id,at,payload
  loader --table points --rows 5000000 --workers 4 --method copy
  loader --url 'postgresql://root@localhost:26257/defaultdb' --insecure --dry-run
  loader --url 'postgresql://maxroach@localhost:26257/bank' --certs-dir certs \
      --table accounts --rows 10000
  loader --rows 100000000 --emit-import out/ --import-url userfile:///accounts
  loader --rows 1000000 --stats-json - > stats.json
)";

constexpr char kEnvironment[] =
    "Every option also reads from the environment as LOADER_<NAME> (dashes become underscores: "
    "LOADER_ROWS, LOADER_CHUNK_BYTES, LOADER_CREATE=1); the command line wins. Without --url: "
    "$DATABASE_URL, then $COCKROACH_URL, then libpq's PG* variables (PGHOST, PGPORT, PGUSER, "
    "PGPASSWORD, PGDATABASE, PGSSLMODE, PGSERVICE, ...). Without --certs-dir: "
    "$COCKROACH_CERTS_DIR. The ENVIRONMENT section of man loader lists every variable read.";

constexpr char kJournal[] =
    "Exactly once: every chunk's transaction also records it in the loader_journal table, so "
    "a load that was killed, interrupted or cut off resumes where it stopped when run again "
    "with the same options, and a finished one is not loaded twice. Jobs:";

constexpr char kJournalForms[] =
    R"(  loader journal [--url URL]              list jobs and their progress
  loader journal forget JOB [--url URL]   forget a job (its rows stay in the table)
)";

constexpr const char* kExitCodes[][2] = {
    {"0", "ok"},
    {"1", "internal or server error"},
    {"2", "bad option"},
    {"3", "server unreachable or not answering, past --reconnect-timeout (a re-run resumes)"},
    {"4", "authentication failed"},
    {"5", "table missing (use --create)"},
    {"6", "permission denied"},
    {"7", "retries exhausted, or one row too large for the server"},
    {"8",
     "bad data: a file's row that does not parse or fit its column, or a row the server "
     "refuses; the message names file:line:column"},
    {"9", "commit outcome unknown (--no-journal)"},
    {"10", "interrupted by SIGINT or SIGTERM (a re-run resumes)"},
    {"11",
     "the load went on, but some chunks could not be committed and wait as CSV files in "
     "--fallback-dir"},
};

constexpr char kJournalIntro[] =
    "Lists the jobs in the loader_journal table with their progress, or forgets one: its "
    "journal rows are deleted and its rows stay in the table, so a later load of the same job "
    "starts from the first row again.";

constexpr char kJournalUsage[] = R"(Usage: loader journal [options]
       loader journal forget JOB [options]
)";

}  // namespace

std::string LoadHelp() {
  std::string out;
  AppendWrapped(kLoadIntro, 0, 0, &out);
  out += kLoadUsage;
  AppendGroups(LoadOptionGroups(), &out);
  out += '\n';
  AppendWrapped(kEnvironment, 0, 0, &out);
  out += '\n';
  AppendWrapped(kJournal, 0, 0, &out);
  out += kJournalForms;
  out += "\nExit codes:\n";
  for (const auto& [code, meaning] : kExitCodes) {
    AppendEntry(std::string("  ") + code, meaning, 6, &out);
  }
  return out;
}

std::string JournalHelp() {
  std::string out = kJournalUsage;
  out += '\n';
  AppendWrapped(kJournalIntro, 0, 0, &out);
  AppendGroups(JournalOptionGroups(), &out);
  return out;
}

}  // namespace loader
