// Command-line and environment parsing: the only code that knows
// Boost.Program_options. Every option --name has an environment twin
// LOADER_NAME (dashes become underscores); the command line wins over it.
// --url falls back to $DATABASE_URL, then $COCKROACH_URL, then libpq's PG*
// variables; --certs-dir to $COCKROACH_CERTS_DIR (unless --insecure). The
// option table and --help are in option_table.h.
#ifndef LOADER_CLI_H_
#define LOADER_CLI_H_

#include <string>

#include "loader/base/status.h"
#include "loader/job/journal_command.h"
#include "loader/job/load_spec.h"

namespace loader {

struct CommandLine {
  Status status;          // kInvalidArgument with a message naming the option
  bool exit_now = false;  // --help or --version: print `output`, exit 0
  std::string output;
  LoadSpec spec;
  bool journal_command = false;  // `loader journal ...`: run `journal`, not a load
  JournalCommand journal;
  std::string log_level = "info";
  // Where to write the JSON summary, if anywhere; "-" is standard output,
  // and the text summary then goes to standard error.
  std::string stats_json;
};

// Reads argv and the process environment. `loader journal [forget JOB]` is
// the one subcommand; it takes --url, --certs-dir, --insecure,
// --statement-timeout (read as for a load) and --log-level.
CommandLine ParseCommandLine(int argc, const char* const argv[]);

}  // namespace loader

#endif  // LOADER_CLI_H_
