#include "loader/sink/sink.h"

#include <cstdio>

#include "sink/copy_sink.h"
#include "sink/insert_sink.h"

namespace loader {

Status Sink::SendTransaction(Connection&, const Chunk&, const std::string&,
                             Connection::CopyProgress*) {
  return Status::Internal("this sink sends no whole transactions");
}

Status Sink::Queue(Connection&, const Chunk&) {
  return Status::Internal("this sink sends nothing in pipeline mode");
}

MethodChoice ChooseMethod(std::optional<Method> requested, ServerKind server,
                          double round_trip_ms) {
  if (requested) return {*requested, "--method"};
  if (server == ServerKind::kCockroach) {
    return {Method::kInsert,
            "auto: on CockroachDB COPY waits five times a chunk, pipelined INSERT at most once"};
  }
  char reason[160];
  const bool near = round_trip_ms < kPipelineRoundTripMs;
  std::snprintf(reason, sizeof reason,
                near ? "auto: a round trip of %.2f ms, under %.0f ms: COPY is fastest this near"
                     : "auto: a round trip of %.2f ms, %.0f ms or more: pipelined INSERT hides "
                       "it, where COPY waits twice a chunk",
                round_trip_ms, kPipelineRoundTripMs);
  return {near ? Method::kCopy : Method::kInsert, reason};
}

std::string_view MethodName(Method method) { return method == Method::kCopy ? "copy" : "insert"; }

std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows,
                               const ConflictPolicy& conflict) {
  return method == Method::kCopy ? MakeCopySink(table, conflict)
                                 : MakeInsertSink(table, max_chunk_rows, conflict);
}

}  // namespace loader
