// CopySink: COPY table (columns) FROM STDIN, in text or binary format
// (kCopyText or kCopyBinary chunks).
#ifndef LOADER_SINK_COPY_SINK_H_
#define LOADER_SINK_COPY_SINK_H_

#include <memory>

#include "loader/base/table.h"
#include "loader/sink/sink.h"

namespace loader {

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table);

}  // namespace loader

#endif  // LOADER_SINK_COPY_SINK_H_
