// --emit-import DIR: instead of loading, write the rows the load would send
// (generated, or read from --input) as CSV files under DIR, with the scripts
// that load them (import_set.h). No server is needed, except for synthetic
// rows of a table, whose catalog it reads. Generated rows are
// written by `workers` threads, one file at a time each; files read from
// --input are parsed by one thread, as a load reads them.
#ifndef LOADER_EMIT_IMPORT_H_
#define LOADER_EMIT_IMPORT_H_

#include <cstdint>
#include <memory>

#include "loader/job/job.h"
#include "loader/job/load_spec.h"

namespace loader {

// Where a file closes when neither --import-files nor --import-file-bytes
// says: big enough that IMPORT's per-file cost does not matter, small enough
// that a cluster's nodes share the work.
constexpr uint64_t kDefaultImportFileBytes = 256ull << 20;

// Writes DIR. The summary counts the rows and files written; its plan says
// what would be written.
std::unique_ptr<Job> MakeImportFilesJob(const LoadSpec& spec);

}  // namespace loader

#endif  // LOADER_EMIT_IMPORT_H_
