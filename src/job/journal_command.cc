#include "loader/job/journal_command.h"

#include "loader/base/redact.h"
#include "loader/journal/journal.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"

namespace loader {

Status RunJournalCommand(const JournalCommand& command, std::string* output) {
  std::vector<std::string> conninfos;
  Status s = ResolveHosts(command.urls, command.connect, &conninfos);
  if (!s.ok()) return s;
  // The first host that answers: every gateway of a cluster has the journal.
  HostSet hosts(std::move(conninfos), Backoff(std::chrono::seconds(1), std::chrono::seconds(1)),
                command.connect.statement_timeout);
  std::unique_ptr<Connection> conn;
  size_t host = 0;
  s = hosts.ConnectAny(&conn, &host);
  if (!s.ok()) return s;
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
