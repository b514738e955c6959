// `loader journal`: lists the journal's jobs with their progress, or forgets
// one (its journal rows go; the table's rows stay).
#ifndef LOADER_JOURNAL_COMMAND_H_
#define LOADER_JOURNAL_COMMAND_H_

#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/pg/connect_settings.h"

namespace loader {

struct JournalCommand {
  enum class Action { kList, kForget };
  Action action = Action::kList;
  std::string job;                // kForget: the job to forget
  std::vector<std::string> urls;  // the first is used; empty: libpq's PG* variables
  ConnectSettings connect;
};

// Runs the command; what to print on stdout goes to *output.
Status RunJournalCommand(const JournalCommand& command, std::string* output);

}  // namespace loader

#endif  // LOADER_JOURNAL_COMMAND_H_
