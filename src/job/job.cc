#include "loader/job/job.h"

#include <chrono>

namespace loader {

LoadOutcome RunJob(Job& job, bool dry_run) {
  LoadOutcome out;
  out.status = job.Plan(&out.plan);
  if (out.status.ok() && !dry_run) out.status = job.Prepare();
  if (out.status.ok() && !dry_run) {
    const auto start = std::chrono::steady_clock::now();
    const Status run = job.Run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    out.status = job.Finish(run, elapsed.count());
    out.summary = job.summary();
    return out;
  }
  out.summary = job.summary();
  if (!out.status.ok()) out.summary.SetOutcome(out.status, 0, {});
  return out;
}

}  // namespace loader
