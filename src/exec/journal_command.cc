#include "loader/journal_command.h"

#include "loader/connection.h"
#include "loader/journal.h"
#include "loader/redact.h"

namespace loader {

Status RunJournalCommand(const JournalCommand& command, std::string* output) {
  const std::string url = command.urls.empty() ? std::string() : command.urls[0];
  RegisterSecret(PasswordOf(url));
  std::unique_ptr<Connection> conn;
  Status s = Connection::Open(url, &conn);
  if (!s.ok()) {
    return s.WithContext("connecting to " + (url.empty() ? std::string("the server named by PG* "
                                                                       "variables")
                                                         : RedactConninfo(url)));
  }
  if (command.action == JournalCommand::Action::kForget) {
    uint64_t chunks = 0;
    s = ForgetJob(*conn, command.job, &chunks);
    if (s.ok()) {
      *output = "forgot job " + command.job + " (" + std::to_string(chunks) +
                " journal rows); its rows stay in the table\n";
    }
    return s;
  }
  std::vector<JobProgress> jobs;
  s = ListJobs(*conn, &jobs);
  if (s.ok()) *output = FormatJobs(jobs);
  return s;
}

}  // namespace loader
