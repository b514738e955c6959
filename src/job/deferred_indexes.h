// --build-indexes-after: a table that is empty when the load starts loses
// its indexes (on PostgreSQL its primary key and unique constraints too,
// unless a foreign key elsewhere needs them; on CockroachDB its secondary
// indexes only, as it cannot drop its primary index) while the rows go in,
// and gets them back after, built once over all the rows instead of row by
// row. Their definitions are kept in loader_deferred_indexes, saved in the
// transaction that drops them and deleted in the one that rebuilds each, so
// a load killed anywhere between rebuilds them on the re-run.
#ifndef LOADER_JOB_DEFERRED_INDEXES_H_
#define LOADER_JOB_DEFERRED_INDEXES_H_

#include <chrono>
#include <string>
#include <vector>

#include "job/load_setup.h"
#include "loader/base/status.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"

namespace loader {

inline constexpr char kDeferredIndexTable[] = "loader_deferred_indexes";

struct DeferredIndex {
  std::string name;
  bool constraint = false;  // a primary key or unique constraint, else an index
  std::string create_sql;   // what builds it again

  // A partial index's condition, the rows it covers; else empty.
  std::string Condition() const;
};

// The indexes of `table` an earlier run dropped and has not rebuilt; else,
// when the table is empty, its indexes, saved and dropped in one
// transaction. A table with rows and nothing saved keeps its indexes:
// *deferred is empty and the log says why.
Status DeferIndexes(Connection& conn, ServerKind server, const std::string& table,
                    std::vector<DeferredIndex>* deferred);

// Builds `deferred` again: constraints first, one at a time (they lock the
// table), then the indexes, up to `parallel` at once over connections of
// their own. Each build and the deletion of its saved definition commit
// together. A build is bounded by `timeout` (building over many rows sends
// nothing for a long time). A duplicate key stops it with the key the server
// names and what to do; the definition stays saved for the re-run. *failed
// is the index whose build failed, else null.
Status RebuildIndexes(HostSet& hosts, FirstServer* first, const std::string& table,
                      const std::vector<DeferredIndex>& deferred, int parallel,
                      std::chrono::seconds timeout, double* seconds, const DeferredIndex** failed);

}  // namespace loader

#endif  // LOADER_JOB_DEFERRED_INDEXES_H_
