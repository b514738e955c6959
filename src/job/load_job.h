// A load into a server, as the steps of a Job (job.h): it connects, detects
// the server, plans chunks, prepares the table and the journal, runs the
// pipeline and reports. With the journal, rows of the job committed by an
// earlier run are skipped, and a job already complete loads nothing.
#ifndef LOADER_JOB_LOAD_JOB_H_
#define LOADER_JOB_LOAD_JOB_H_

#include <memory>

#include "loader/job/job.h"
#include "loader/job/load_spec.h"

namespace loader {

std::unique_ptr<Job> MakeServerLoad(const LoadSpec& spec);

}  // namespace loader

#endif  // LOADER_JOB_LOAD_JOB_H_
