// --schema: every table of a schema seeded with synthetic rows, each after
// the tables it references, each as a job of its own (RunLoad with --table),
// so a run stopped part way resumes table by table from the journal.
#ifndef LOADER_JOB_SEED_SCHEMA_H_
#define LOADER_JOB_SEED_SCHEMA_H_

#include "loader/job/job.h"
#include "loader/job/load_spec.h"

namespace loader {

// Stops at the first table that fails; its outcome says which and why, and
// the summary adds up the tables loaded before it and that one.
LoadOutcome SeedSchema(const LoadSpec& spec);

}  // namespace loader

#endif  // LOADER_JOB_SEED_SCHEMA_H_
