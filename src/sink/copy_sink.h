// CopySink: COPY table (columns) FROM STDIN, in text or binary format
// (kCopyText or kCopyBinary chunks). With --on-conflict skip or update, the
// rows go by COPY into a temporary staging table of the loaded columns (one
// per connection, emptied at each commit), then into the table by one
// INSERT ... SELECT ... ON CONFLICT in the same transaction: COPY itself
// has no ON CONFLICT. PostgreSQL only (CockroachDB's temporary tables are
// experimental; there the load goes by INSERT).
#ifndef LOADER_SINK_COPY_SINK_H_
#define LOADER_SINK_COPY_SINK_H_

#include <memory>

#include "loader/base/table.h"
#include "loader/sink/conflict.h"
#include "loader/sink/sink.h"

namespace loader {

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table, const ConflictPolicy& conflict);

}  // namespace loader

#endif  // LOADER_SINK_COPY_SINK_H_
