// Readers of groups of options, from the parsed command line and
// environment into LoadSpec, each with the rules that tie its options
// together and the messages that name them. ParseCommandLine (cli.h) calls
// them; every failure is an InvalidArgument naming the option.
#ifndef LOADER_OPTION_READERS_H_
#define LOADER_OPTION_READERS_H_

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/job/load_spec.h"
#include "loader/pg/connect_settings.h"

namespace loader {

// A whole number from option `name`, if given, in [min, max]. Boost's own
// conversion would accept "-1" for an unsigned value and wrap it around.
Status ParseCount(const boost::program_options::variables_map& vm, const char* name, uint64_t min,
                  uint64_t max, uint64_t* out);

// Where to connect, for a load and for `loader journal` alike: --url, else
// $DATABASE_URL, else $COCKROACH_URL (none of them: libpq's PG* variables),
// each checked, the error naming the one that is bad; --certs-dir, else
// $COCKROACH_CERTS_DIR unless --insecure is given (as `cockroach sql` reads
// it, the variable only supplies a default); --insecure, refused with
// --certs-dir (or LOADER_CERTS_DIR); --statement-timeout.
Status ReadConnection(const boost::program_options::variables_map& vm,
                      std::vector<std::string>* urls, ConnectSettings* connect);

// --input (patterns expanded), --columns, --header, the CSV dialect and the
// reject options, which need --input.
Status ReadInputs(const boost::program_options::variables_map& vm, LoadSpec* o);

// --rows (a count, or counts per table), --schema, --gen, --gen-file,
// --null-share and --ref-sample: which tables get synthetic rows, how many
// and how (seed_options.cc).
Status ReadSeedOptions(const boost::program_options::variables_map& vm, LoadSpec* o);

// --emit-import, --fallback-dir and the options that shape their files.
Status ReadImportOptions(const boost::program_options::variables_map& vm, LoadSpec* o);

// --set, --qos, --truncate, --analyze, --on-conflict and --conflict-key
// (target_options.cc). REQUIRES: the
// shard, --drop and --emit-import already read.
Status ReadTargetOptions(const boost::program_options::variables_map& vm, LoadSpec* o);

}  // namespace loader

#endif  // LOADER_OPTION_READERS_H_
