// A load job: everything between a LoadSpec and a summary. It connects,
// detects the server, plans chunks, prepares the table, runs the pipeline and
// reports, as the steps of a Job (job.h). The CLI is a thin shell around
// RunLoad; tests call it the same way.
#ifndef LOADER_LOAD_JOB_H_
#define LOADER_LOAD_JOB_H_

#include "loader/job/job.h"
#include "loader/job/load_spec.h"

namespace loader {

// Runs the whole job. Never throws; every failure is in outcome.status, already
// redacted, and logged once where it was decided. With the journal, rows of the
// job committed by an earlier run are skipped, and a job already complete
// loads nothing.
LoadOutcome RunLoad(const LoadSpec& spec);

}  // namespace loader

#endif  // LOADER_LOAD_JOB_H_
