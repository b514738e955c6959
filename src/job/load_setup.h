// The steps of a load that happen on the first server it reaches, before any
// worker starts: what the server is, its intent budget, the table made ready
// (created, split, journalled), and a first look at the other hosts.
#ifndef LOADER_JOB_LOAD_SETUP_H_
#define LOADER_JOB_LOAD_SETUP_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "job/load_input.h"
#include "loader/base/status.h"
#include "loader/job/load_spec.h"
#include "loader/journal/journal.h"
#include "loader/pg/connection.h"
#include "loader/pg/host_set.h"
#include "loader/pg/server_info.h"
#include "loader/plan/chunk_plan.h"

namespace loader {

// The first server the load reaches, and what it is.
struct FirstServer {
  std::unique_ptr<Connection> conn;
  size_t host = 0;
  std::string where;  // how the log names it
  ServerKind kind = ServerKind::kPostgres;
  std::string version;
  // The quickest of a few queries: what every wait for the server costs.
  double round_trip_ms = 0;
};

// Connects to any host of `hosts`, asks what it is and times a round trip.
Status ConnectFirst(HostSet& hosts, FirstServer* first);

// The user's session settings (--qos, then every --set) applied to the first
// connection, where a refused one stops the load before any row, then given
// to `hosts` for every connection after it. --qos is refused on anything
// but CockroachDB.
Status StartSession(const TargetSpec& target, FirstServer* first, HostSet* hosts);

// ConnectFirst over the hosts of spec.target, with StartSession, for a step that only reads
// the catalog: the tables of a --schema, a table's for --emit-import.
Status ConnectForCatalog(const LoadSpec& spec, FirstServer* first);

// --on-conflict: the key (--conflict-key, else the table's primary key), the
// statement's form for the server `first` really is, and the statement
// tried with EXPLAIN, so a key no unique index backs is refused now (exit
// 2), not by the first chunk. COPY goes through a staging table, which
// CockroachDB does not enable: --method copy is refused there.
Status ResolveConflict(const LoadSpec& spec, FirstServer& first, const LoadInput& input,
                       Method method, ConflictPolicy* policy);

// CockroachDB's intent budget, logged; none on PostgreSQL.
IntentBudget ReadBudget(Connection& conn, ServerKind server);

// Makes the table ready, splits it (then calls table_ready) and sets up the
// journal of the job (whose committed rows go to *journal), before any worker
// starts.
Status PrepareServer(Connection& conn, ServerKind server, const LoadSpec& spec,
                     const LoadInput& input, const std::vector<std::string>& presplit,
                     const Shard& shard, const std::function<void()>& table_ready,
                     JournalState* journal);

// Every other host once, so a typo in the third --url fails now, plainly,
// instead of after each of its workers has retried for half a minute. A host
// that is merely down is marked so and left to the workers, which use the
// others.
Status CheckOtherHosts(HostSet& hosts, size_t first_host);

}  // namespace loader

#endif  // LOADER_JOB_LOAD_SETUP_H_
