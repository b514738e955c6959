// Job: the shape of every job. Loading into a server (src/job/load_job.h)
// and writing import files (src/job/emit_import.h) are two implementations
// of it, as `cockroach workload`'s INSERT and IMPORT loaders are: they share
// their steps, their order and their outcome, and differ where rows go.
// RunLoad is the one entry: the CLI is a thin shell around it, and tests call
// it the same way.
#ifndef LOADER_JOB_JOB_H_
#define LOADER_JOB_JOB_H_

#include <string>

#include "loader/base/status.h"
#include "loader/job/load_spec.h"
#include "loader/report/stats.h"

namespace loader {

struct LoadOutcome {
  Status status;
  Summary summary;
  std::string plan;  // the plan, as --dry-run prints it
};

class Job {
 public:
  virtual ~Job() = default;

  // Reads and checks all the job needs and decides how it goes; writes
  // nothing anywhere. *plan is what --dry-run prints.
  virtual Status Plan(std::string* plan) = 0;
  // Makes the target ready: the table and the journal, or the directory.
  virtual Status Prepare() = 0;
  // Moves the rows.
  virtual Status Run() = 0;
  // After Run: the job's final status from Run's, with its summary filled in.
  virtual Status Finish(const Status& run, double seconds) = 0;

  // What is known of the job so far; whole after Finish.
  const Summary& summary() const { return summary_; }

 protected:
  Summary summary_;
};

// Runs what `spec` asks for: a load into a server, or with --emit-import the
// import files. Takes the job through its steps in order, stopping at the
// first failure, and after Plan with --dry-run. Never throws; every failure
// is in outcome.status, already redacted, and logged once where it was
// decided. A job that failed before moving rows has a summary that says how,
// and nothing more.
LoadOutcome RunLoad(const LoadSpec& spec);

}  // namespace loader

#endif  // LOADER_JOB_JOB_H_
