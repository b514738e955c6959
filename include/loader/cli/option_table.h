// The options of `loader` and `loader journal` as one table each: what
// Boost.Program_options parses and what --help prints are both made from it,
// so an option cannot be parsed without being listed, or listed twice.
// --help is laid out here, not by Boost: Boost writes switches as
// `--create [=arg(=1)] (=0)` and cuts long words (URLs) across lines.
// Thread safety: pure functions over constant tables.
#ifndef LOADER_OPTION_TABLE_H_
#define LOADER_OPTION_TABLE_H_

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace loader {

struct OptionSpec {
  const char* name;  // Boost's name: "chunk", or "help,h" with a short form
  // What --help calls the value, upper case (ROWS, URL, K/N); null: a switch
  // (false unless given; LOADER_NAME=1, true, yes or on sets it too).
  const char* value_name = nullptr;
  const char* default_value = nullptr;  // what Boost stores when it is not given
  const char* default_words = nullptr;  // --help's "(default: ...)"; null: default_value
  bool list = false;                    // repeatable: a std::vector<std::string>
  bool action = false;                  // --help, --version: no value, and no environment twin
  bool hidden = false;    // parsed but not listed (the journal's positional arguments)
  const char* help = "";  // one paragraph; --help wraps it
};

struct OptionGroup {
  const char* heading;
  std::vector<OptionSpec> options;
};

// The load's options, under their --help headings, and `loader journal`'s.
const std::vector<OptionGroup>& LoadOptionGroups();
const std::vector<OptionGroup>& JournalOptionGroups();

// The groups flattened into one description to parse with.
boost::program_options::options_description Describe(const std::vector<OptionGroup>& groups);

// The full text of `loader --help` and `loader journal --help`: the same
// whatever the terminal or the environment, no line over kHelpWidth columns,
// no word cut.
constexpr size_t kHelpWidth = 100;
std::string LoadHelp();
std::string JournalHelp();

}  // namespace loader

#endif  // LOADER_OPTION_TABLE_H_
