// Sink: sends one chunk's rows over a connection, inside a transaction the
// TxnRunner has opened. Sinks know the wire format, never the retry policy.
// Thread safety: one Sink per worker.
#ifndef LOADER_SINK_H_
#define LOADER_SINK_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"
#include "loader/sink/conflict.h"

namespace loader {

enum class Method { kCopy, kInsert };

class Sink {
 public:
  virtual ~Sink() = default;

  virtual Method method() const = 0;
  // Sets up per-connection state (prepared statements); called on every new
  // connection, outside any transaction.
  virtual Status Prepare(Connection& conn) = 0;
  // Sends every row of `chunk`. REQUIRES: Prepare succeeded on `conn`, a
  // transaction is open, chunk.encoding is one its method sends.
  virtual Status Send(Connection& conn, const Chunk& chunk) = 0;

  // Whether Queue works: INSERT, whose statements take their rows as
  // parameters; COPY cannot run in libpq's pipeline mode.
  virtual bool Pipelines() const { return false; }
  // Queues the statements that send every row of `chunk` into the
  // connection's pipeline, waiting for none of their answers.
  // REQUIRES: Pipelines(), Prepare succeeded, conn.pipelined().
  virtual Status Queue(Connection& conn, const Chunk& chunk);

  // Whether SendTransaction works: PostgreSQL's COPY (CockroachDB refuses a
  // COPY with other statements in one query string; INSERT goes through
  // prepared statements, which take one statement each).
  virtual bool SendsTransactions() const { return false; }
  // A whole transaction in one query string: `begin` (BEGIN and the journal
  // row), the chunk's rows, then COMMIT as the rows end, for two waits for
  // the server where one statement at a time takes four. *progress says
  // whether the rows began (else `begin` failed) and whether the COMMIT went
  // out. REQUIRES: SendsTransactions(), Prepare succeeded, no transaction open.
  virtual Status SendTransaction(Connection& conn, const Chunk& chunk, const std::string& begin,
                                 Connection::CopyProgress* progress);
};

// What --method auto (the default) picks: on CockroachDB, INSERT, whose
// transactions a connection pipelines (COPY cannot share a query string
// there, so it waits five times a chunk); on PostgreSQL, COPY while the
// server is nearer than kPipelineRoundTripMs, where COPY's two waits a
// chunk cost less than INSERT's heavier statements, else pipelined INSERT.
// `requested`: --method; empty is auto. The reason is for the plan.
struct MethodChoice {
  Method method = Method::kCopy;
  std::string reason;
};
// Where pipelined INSERT overtakes COPY on PostgreSQL: scripts/bench-latency.sh
// on this project's machine (2 workers, 1000 points a chunk): COPY loads 1.1x
// as fast with no delay, pipelined INSERT 2.8x as fast 2 ms away.
constexpr double kPipelineRoundTripMs = 1.0;
MethodChoice ChooseMethod(std::optional<Method> requested, ServerKind server, double round_trip_ms);
std::string_view MethodName(Method method);

// The sink of `method` for `table`: COPY (copy_sink.h) or multi-row INSERT
// statements prepared for chunks of up to max_chunk_rows (insert_sink.h),
// with rows already in the table handled as `conflict` says.
std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows,
                               const ConflictPolicy& conflict);

}  // namespace loader

#endif  // LOADER_SINK_H_
