#include "loader/job/job.h"

#include <chrono>
#include <memory>

#include "job/emit_import.h"
#include "job/load_job.h"
#include "job/seed_schema.h"

namespace loader {

LoadOutcome RunLoad(const LoadSpec& spec) {
  if (!spec.input.schema.empty()) return SeedSchema(spec);
  const std::unique_ptr<Job> job =
      spec.import.emit_dir.empty() ? MakeServerLoad(spec) : MakeImportFilesJob(spec);
  LoadOutcome out;
  out.status = job->Plan(&out.plan);
  if (out.status.ok() && !spec.report.dry_run) out.status = job->Prepare();
  if (!out.status.ok() || spec.report.dry_run) {
    out.summary = job->summary();
    if (!out.status.ok()) out.summary.SetOutcome(out.status, 0, {});
    return out;
  }
  const auto start = std::chrono::steady_clock::now();
  const Status run = job->Run();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  out.status = job->Finish(run, elapsed.count());
  out.summary = job->summary();
  return out;
}

}  // namespace loader
