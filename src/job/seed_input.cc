// ResolveSynthetic (load_input.h): a table the loader does not make, filled
// with synthetic rows compiled from its catalog.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "job/load_input.h"
#include "loader/base/hash.h"
#include "loader/pg/seed_catalog.h"
#include "loader/pg/table_catalog.h"

namespace loader {
namespace {

// What makes the rows what they are besides the seed and the row count: the
// table's definition, the rules about it and the options that shape values.
std::string SyntheticIdentity(const SeedTable& table, const InputSpec& spec) {
  std::string identity =
      "synthetic:seed=" + std::to_string(spec.seed) + ",table=" + SeedTableFingerprint(table);
  std::string rules;
  for (const GenRule& rule : spec.gen_rules) {
    if (RuleIsFor(rule, table.name)) rules += rule.column + "=" + rule.text + "\n";
  }
  char options[64];
  std::snprintf(options, sizeof options, ",nulls=%g,sample=%llu", spec.null_share,
                static_cast<unsigned long long>(spec.ref_sample));
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(Mix64(std::hash<std::string>{}(rules))));
  return identity + options + (rules.empty() ? "" : ",rules=" + std::string(hash));
}

}  // namespace

uint64_t InputSpec::RowsFor(const std::string& name) const {
  auto it = table_rows.find(name);
  if (it == table_rows.end()) {
    const size_t dot = name.rfind('.');
    if (dot != std::string::npos) it = table_rows.find(name.substr(dot + 1));
  }
  return it != table_rows.end() ? it->second : rows;
}

std::string DescribeSyntheticColumns(const LoadInput& input) {
  if (input.synthetic == nullptr) return {};
  std::string out = "  columns:\n";
  for (const std::string& note : input.column_notes) out += "    " + note + "\n";
  std::string text_only;
  for (const ColumnGen& c : input.synthetic->columns()) {
    if (c.binary == BinaryForm::kNone) text_only += (text_only.empty() ? "" : ", ") + c.name;
  }
  out += "  copy format:    " +
         (text_only.empty() ? std::string("binary: every column has a binary form")
                            : "text: no binary form here for " + text_only) +
         "\n";
  for (const std::string& warning : input.warnings) out += "  note:           " + warning + "\n";
  return out;
}

Status ExplainRefusedSyntheticRow(const Status& status, const LoadInput& input) {
  if (status.code() != Status::Code::kDataError || input.synthetic == nullptr) return status;
  std::string hint = status.message() + "; these rows are synthetic: ";
  if (!input.warnings.empty()) {
    for (size_t i = 0; i < input.warnings.size(); ++i) {
      hint += (i > 0 ? "; " : "") + input.warnings[i];
    }
    hint += ". ";
  }
  hint += "Shape the columns with --gen " + input.table.name +
          ".COLUMN=SPEC so that every row passes (--dry-run shows what each column gets), or "
          "leave a column to its default with =default";
  return Status::Error(status.code(), hint, status.sqlstate());
}

Status ResolveSynthetic(Connection& conn, ServerKind server, const LoadSpec& spec,
                        LoadInput* input) {
  const InputSpec& in = spec.input;
  if (!in.columns.empty()) {
    return Status::InvalidArgument(
        "--columns picks the fields of --input files; for synthetic rows leave a column to the "
        "server with --gen " +
        in.table + ".COLUMN=default");
  }
  SeedTable table;
  Status s = ReadSeedTable(conn, server, in.table, &table);
  if (!s.ok()) return s;
  SeedOptions options;
  options.seed = in.seed;
  options.rows = in.rows;
  options.null_share = in.null_share;
  options.ref_sample = in.ref_sample;
  options.planning = spec.report.dry_run;
  const SampleReader read_sample = [&conn](const std::string& ref_table,
                                           const std::vector<std::string>& columns, uint64_t limit,
                                           uint64_t seed, ReferenceSample* out) {
    return ReadReferenceSample(conn, ref_table, columns, limit, seed, out);
  };
  SeedPlan plan;
  s = CompileSeedTable(table, options, in.gen_rules, read_sample, &plan);
  if (!s.ok()) return s;
  input->table = CatalogTable(in.table, plan.table.columns);
  input->table.max_row_bytes = plan.table.max_row_bytes;
  input->synthetic = plan.rows;
  input->column_notes = std::move(plan.column_notes);
  input->warnings = std::move(plan.warnings);
  for (const std::string& warning : input->warnings) spdlog::warn("{}", warning);

  JobSpec& job = input->job;
  job.table = input->table.name;
  job.total_rows = in.rows;
  job.source = "synthetic " + job.table + ", seed " + std::to_string(in.seed);
  job.id = !spec.faults.job.empty()
               ? spec.faults.job
               : DefaultJobId(job.table, SyntheticIdentity(table, in), in.rows);
  input->description = std::to_string(in.rows) + " synthetic rows, seed " + std::to_string(in.seed);
  return Status::OK();
}

}  // namespace loader
