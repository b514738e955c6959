// ReadTargetOptions (option_readers.h): what the load does to the server's
// sessions and to the table around its rows.
#include "cli/option_readers.h"
#include "loader/pg/session_settings.h"

namespace po = boost::program_options;

namespace loader {

Status ReadTargetOptions(const po::variables_map& vm, LoadSpec* o) {
  if (vm.count("set")) {
    for (const std::string& text : vm["set"].as<std::vector<std::string>>()) {
      SessionSetting setting;
      Status s = ParseSessionSetting(text, &setting);
      if (!s.ok()) return s;
      o->target.connect.session.push_back(std::move(setting));
    }
  }
  if (vm.count("qos")) {
    o->target.qos = vm["qos"].as<std::string>();
    if (o->target.qos != "background" && o->target.qos != "regular" &&
        o->target.qos != "critical") {
      return Status::InvalidArgument("--qos: '" + o->target.qos +
                                     "' is not one of background, regular, critical");
    }
  }
  o->target.truncate = vm["truncate"].as<bool>();
  o->target.analyze = vm["analyze"].as<bool>();
  const bool emit = !o->import.emit_dir.empty();
  if (o->target.truncate && emit) {
    return Status::InvalidArgument(
        "--truncate empties the table on the server; --emit-import loads nothing there (empty "
        "it before running the files' import)");
  }
  if (o->target.analyze && emit) {
    return Status::InvalidArgument(
        "--analyze runs after a load into the server; --emit-import loads nothing there (run "
        "ANALYZE after the files' import)");
  }
  if (o->target.truncate && o->target.drop) {
    return Status::InvalidArgument(
        "--truncate and --drop: give one (--drop makes the table anew, --truncate empties it)");
  }
  if (o->target.truncate && !o->chunks.shard.whole()) {
    return Status::InvalidArgument(
        "--shard cannot go with --truncate: the shards start together, and each would empty "
        "what the others loaded; truncate in a run of its own first (loader --table " +
        o->input.table + " --rows 0 --truncate), then start the shards without it");
  }
  return Status::OK();
}

}  // namespace loader
