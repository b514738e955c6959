// The steps of a load after its rows are in: statistics for the planner
// (--analyze), on the connection that planned the load or a new one.
#ifndef LOADER_JOB_AFTER_LOAD_H_
#define LOADER_JOB_AFTER_LOAD_H_

#include <string>

#include "job/load_setup.h"
#include "loader/base/status.h"
#include "loader/pg/host_set.h"

namespace loader {

// The connection that planned the load when it is still good, else a new
// one to any host, kept in `first` for the next step.
Status UsableConnection(HostSet& hosts, FirstServer* first, Connection** conn);

// ANALYZE of `table`, as pgbench -i and pgcopydb run after their loads, so
// the first queries on the new rows get plans made for them rather than for
// an empty table. Sets *seconds to how long it took.
Status AnalyzeTable(HostSet& hosts, FirstServer* first, const std::string& table, double* seconds);

}  // namespace loader

#endif  // LOADER_JOB_AFTER_LOAD_H_
