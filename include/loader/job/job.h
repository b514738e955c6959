// Job: the shape of every job. Loading into a server (load_job.h) and
// writing import files (emit_import.h) are two implementations of it, as
// `cockroach workload`'s INSERT and IMPORT loaders are: they share their
// steps, their order and their outcome, and differ where rows go.
#ifndef LOADER_JOB_JOB_H_
#define LOADER_JOB_JOB_H_

#include <string>

#include "loader/base/status.h"
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

// Takes the job through its steps in order, stopping at the first failure,
// and after Plan with `dry_run`. Never throws. A job that failed before
// moving rows has a summary that says how, and nothing more.
LoadOutcome RunJob(Job& job, bool dry_run);

}  // namespace loader

#endif  // LOADER_JOB_JOB_H_
