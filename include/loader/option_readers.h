// Readers of groups of options, from the parsed command line and
// environment into LoadOptions, each with the rules that tie its options
// together and the messages that name them. ParseCommandLine (cli.h) calls
// them; every failure is an InvalidArgument naming the option.
#ifndef LOADER_OPTION_READERS_H_
#define LOADER_OPTION_READERS_H_

#include <boost/program_options.hpp>
#include <cstdint>

#include "loader/load_job.h"
#include "loader/status.h"

namespace loader {

// A whole number from option `name`, if given, in [min, max]. Boost's own
// conversion would accept "-1" for an unsigned value and wrap it around.
Status ParseCount(const boost::program_options::variables_map& vm, const char* name,
                  uint64_t min, uint64_t max, uint64_t* out);

// --input (patterns expanded), --columns, --header, the CSV dialect and the
// reject options, which need --input.
Status ReadInputs(const boost::program_options::variables_map& vm, LoadOptions* o);

// --emit-import, --fallback-dir and the options that shape their files.
Status ReadImportOptions(const boost::program_options::variables_map& vm, LoadOptions* o);

}  // namespace loader

#endif  // LOADER_OPTION_READERS_H_
