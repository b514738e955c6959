#include "pg/abandoned_sessions.h"

#include <string>

namespace loader {

Status EndAbandonedSessions(Connection& conn, std::chrono::seconds waited, int* ended) {
  *ended = 0;
  // state_change is when the COPY (or the idle wait) began: the backend has
  // heard nothing since, or it would have moved on.
  static constexpr char kSql[] =
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid)) FROM pg_stat_activity a "
      "WHERE a.usename = current_user AND a.pid <> pg_backend_pid() "
      "AND a.wait_event = 'ClientRead' AND a.state IN ('active', 'idle in transaction') "
      "AND a.state_change < now() - make_interval(secs => $1::float8) "
      "AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid "
      "AND l.relation = to_regclass('loader_journal'))";
  const std::string seconds = std::to_string(waited.count());
  const char* params[] = {seconds.c_str()};
  PgResult rows;
  Status s = conn.Query(kSql, &rows, 1, params);
  if (s.ok()) *ended = std::stoi(FirstValue(rows));
  return s;
}

}  // namespace loader
