// ReadSeedOptions (option_readers.h): which tables get synthetic rows, how
// many, and how their columns are filled.
#include <charconv>

#include "cli/option_readers.h"
#include "loader/generate/gen_spec.h"
#include "loader/generate/generated_tables.h"

namespace po = boost::program_options;

namespace loader {
namespace {

constexpr uint64_t kMaxRows = UINT64_MAX / 2;

bool Given(const po::variables_map& vm, const char* name) {
  return vm.count(name) && !vm[name].defaulted();
}

Status ParseRowCount(std::string_view text, uint64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("--rows: '" + std::string(text) + "' is not a whole number");
  }
  if (*out > kMaxRows) {
    return Status::InvalidArgument("--rows: " + std::string(text) + " is out of range (0 to " +
                                   std::to_string(kMaxRows) + ")");
  }
  return Status::OK();
}

// "N", or "TABLE=N,TABLE=N" with at most one plain N for the tables not named.
Status ParseRows(const std::string& text, InputSpec* in) {
  bool plain = false;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t comma = std::min(text.find(',', begin), text.size());
    const std::string_view item(text.data() + begin, comma - begin);
    const size_t eq = item.find('=');
    uint64_t rows = 0;
    Status s = ParseRowCount(eq == std::string_view::npos ? item : item.substr(eq + 1), &rows);
    if (!s.ok()) return s;
    if (eq == std::string_view::npos) {
      if (plain) return Status::InvalidArgument("--rows: '" + text + "' has two plain counts");
      plain = true;
      in->rows = rows;
    } else if (eq == 0) {
      return Status::InvalidArgument("--rows: '" + std::string(item) + "' names no table");
    } else {
      in->table_rows[std::string(item.substr(0, eq))] = rows;
    }
    begin = comma + 1;
  }
  return Status::OK();
}

double ParseShare(const std::string& text, bool* ok) {
  double share = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), share);
  *ok = ec == std::errc() && end == text.data() + text.size() && share >= 0 && share <= 1;
  return share;
}

// --gen-file: its rules, and its seed, NULL share and rows where the command
// line does not say.
Status ReadGenFile(const po::variables_map& vm, LoadSpec* o) {
  SeedSpecFile file;
  Status s = ReadSeedSpecFile(vm["gen-file"].as<std::string>(), &file);
  if (!s.ok()) return s.WithContext("--gen-file");
  InputSpec& in = o->input;
  if (file.seed && !Given(vm, "seed")) in.seed = *file.seed;
  if (file.null_share && !Given(vm, "null-share")) in.null_share = *file.null_share;
  for (const SeedSpecFile::Table& t : file.tables) {
    if (t.rows && !in.table_rows.count(t.name)) in.table_rows[t.name] = *t.rows;
  }
  in.gen_rules.insert(in.gen_rules.begin(), file.rules.begin(), file.rules.end());
  return Status::OK();
}

}  // namespace

Status ReadSeedOptions(const po::variables_map& vm, LoadSpec* o) {
  InputSpec& in = o->input;
  Status s = ParseRows(vm["rows"].as<std::string>(), &in);
  if (!s.ok()) return s;
  bool ok = true;
  in.null_share = ParseShare(vm["null-share"].as<std::string>(), &ok);
  if (!ok) {
    return Status::InvalidArgument("--null-share: '" + vm["null-share"].as<std::string>() +
                                   "' is not a share from 0 to 1");
  }
  s = ParseCount(vm, "ref-sample", 1, 100000000, &in.ref_sample);
  if (!s.ok()) return s;
  if (vm.count("gen")) {
    for (const std::string& text : vm["gen"].as<std::vector<std::string>>()) {
      GenRule rule;
      s = ParseGenOption(text, &rule);
      if (!s.ok()) return s;
      in.gen_rules.push_back(std::move(rule));
    }
  }
  if (vm.count("gen-file")) s = ReadGenFile(vm, o);
  if (!s.ok()) return s;
  if (vm.count("schema")) in.schema = vm["schema"].as<std::string>();

  const bool synthetic =
      in.files.empty() && (!in.schema.empty() || FindGeneratedTable(in.table) == nullptr);
  for (const char* name : {"gen", "gen-file", "null-share", "ref-sample"}) {
    if (Given(vm, name) && !synthetic) {
      return Status::InvalidArgument(std::string("--") + name +
                                     " shapes synthetic rows: it needs --schema, or --table "
                                     "naming a table other than accounts and points, without "
                                     "--input");
    }
  }
  if (!in.table_rows.empty() && in.schema.empty()) {
    in.rows = in.RowsFor(in.table);  // --table orders --rows orders=1000
  }
  if (in.schema.empty()) return Status::OK();
  if (!in.files.empty())
    return Status::InvalidArgument(
        "--schema seeds synthetic rows; --input loads files into one --table");
  if (Given(vm, "table"))
    return Status::InvalidArgument(
        "--schema seeds every table of the schema; --table names one: give one or the other");
  for (const char* name :
       {"job", "create", "drop", "emit-import", "shard", "columns", "presplit"}) {
    if (Given(vm, name)) {
      return Status::InvalidArgument(std::string("--") + name +
                                     " is for one table: run it with --table, not --schema");
    }
  }
  return Status::OK();
}

}  // namespace loader
