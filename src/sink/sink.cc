#include "loader/sink/sink.h"

#include "sink/copy_sink.h"
#include "sink/insert_sink.h"

namespace loader {

Status Sink::SendTransaction(Connection&, const Chunk&, const std::string&,
                             Connection::CopyProgress*) {
  return Status::Internal("this sink sends no whole transactions");
}

std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows) {
  return method == Method::kCopy ? MakeCopySink(table) : MakeInsertSink(table, max_chunk_rows);
}

}  // namespace loader
