// loader: the command-line shell around RunLoad. It parses options, sets up
// logging, runs the job, prints the summary and maps the outcome to an exit code.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>

#include "loader/base/exit_code.h"
#include "loader/base/interrupt.h"
#include "loader/base/logging.h"
#include "loader/cli/cli.h"
#include "loader/job/job.h"
#include "loader/report/stats.h"

namespace {

// Writes the JSON summary to `where` (--stats-json; "-" is standard output).
// False, having logged why, when it could not.
bool WriteStatsJson(const std::string& where, const loader::Summary& summary) {
  bool written;
  if (where == "-") {
    std::fputs(summary.ToJson().c_str(), stdout);
    written = std::fflush(stdout) == 0 && !std::ferror(stdout);
  } else {
    std::ofstream json(where);
    json << summary.ToJson();
    written = static_cast<bool>(json);
  }
  if (!written) {
    spdlog::error("could not write --stats-json {}",
                  where == "-" ? std::string("to standard output") : "file " + where);
  }
  return written;
}

}  // namespace

int main(int argc, char** argv) {
  using loader::ExitCode;
  const loader::CommandLine cl = loader::ParseCommandLine(argc, argv);
  if (cl.exit_now) {
    std::fputs(cl.output.c_str(), stdout);
    return 0;
  }
  loader::Status s = cl.status;
  if (s.ok()) s = loader::SetupLogging(cl.log_level);
  if (!s.ok()) {
    std::fprintf(stderr, "loader: %s\n", s.ToString().c_str());
    // Automation reading the file must not take a refused command for a
    // success, nor find the file of an earlier run.
    if (!cl.stats_json.empty()) {
      loader::Summary refused;
      refused.status = std::string(loader::CodeName(s.code()));
      refused.error = s.ToString();
      WriteStatsJson(cl.stats_json, refused);
    }
    return static_cast<int>(ExitCode::kUsage);
  }

  if (cl.journal_command) {
    std::string output;
    s = loader::RunJournalCommand(cl.journal, &output);
    if (!s.ok()) spdlog::error("{}", s.ToString());
    std::fputs(output.c_str(), stdout);
    return static_cast<int>(loader::ExitCodeFor(s));
  }

  loader::InstallInterruptHandlers();
  const loader::LoadOutcome outcome = loader::RunLoad(cl.spec);
  // With --stats-json - standard output carries the JSON alone, for a pipe
  // into jq or a file; whatever a person reads goes to standard error.
  const bool json_on_stdout = cl.stats_json == "-";
  std::FILE* text_out = json_on_stdout ? stderr : stdout;
  if (cl.spec.report.dry_run && outcome.status.ok()) {
    std::fputs(outcome.plan.c_str(), text_out);
    std::fputs("dry run: nothing was written\n", text_out);
    return 0;
  }
  if (!outcome.status.ok()) spdlog::error("{}", outcome.status.ToString());
  // A summary once the load began: it says what was committed.
  if (outcome.status.ok() || outcome.summary.chunks > 0 || outcome.summary.skipped_chunks > 0 ||
      outcome.summary.files > 0 || outcome.status.code() == loader::Status::Code::kInterrupted) {
    std::fputs(outcome.summary.ToText().c_str(), text_out);
  }
  if (!cl.stats_json.empty() && !WriteStatsJson(cl.stats_json, outcome.summary) &&
      outcome.status.ok()) {
    return static_cast<int>(ExitCode::kInternal);
  }
  return static_cast<int>(loader::ExitCodeFor(outcome.status));
}
