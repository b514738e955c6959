// ReadTargetOptions (option_readers.h): what the load does to the server's
// sessions, to the table around its rows, and with rows already there.
#include <algorithm>

#include "cli/option_readers.h"
#include "loader/pg/session_settings.h"
#include "loader/sink/conflict.h"

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
  const std::string on_conflict = vm["on-conflict"].as<std::string>();
  if (!ParseOnConflict(on_conflict, &o->target.on_conflict)) {
    return Status::InvalidArgument("--on-conflict: '" + on_conflict +
                                   "' is not one of error, skip, update");
  }
  if (vm.count("conflict-key")) {
    if (o->target.on_conflict == OnConflict::kError) {
      return Status::InvalidArgument(
          "--conflict-key names the key --on-conflict skip or update goes by: add one of them");
    }
    const std::string list = vm["conflict-key"].as<std::string>();
    for (size_t begin = 0; begin <= list.size();) {
      const size_t comma = std::min(list.find(',', begin), list.size());
      if (comma == begin) return Status::InvalidArgument("--conflict-key: an empty column name");
      o->target.conflict_key.push_back(list.substr(begin, comma - begin));
      begin = comma + 1;
    }
  }
  o->target.truncate = vm["truncate"].as<bool>();
  o->target.build_indexes_after = vm["build-indexes-after"].as<bool>();
  if (o->target.build_indexes_after) {
    if (o->target.on_conflict != OnConflict::kError) {
      return Status::InvalidArgument(
          "--build-indexes-after drops the unique indexes --on-conflict needs to find a row's "
          "twin: give one or the other");
    }
    if (!o->chunks.shard.whole()) {
      return Status::InvalidArgument(
          "--shard cannot go with --build-indexes-after: each shard would build the indexes "
          "while the others still load; build them in a run of their own, or load without it");
    }
    if (!o->import.emit_dir.empty()) {
      return Status::InvalidArgument(
          "--build-indexes-after is for loading into a server; --emit-import writes files");
    }
  }
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
  if (o->target.on_conflict != OnConflict::kError && emit) {
    return Status::InvalidArgument(
        "--on-conflict is for loading into a server; the files of --emit-import go to IMPORT "
        "INTO, which only inserts (load them with this loader's --input and --on-conflict "
        "instead)");
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
