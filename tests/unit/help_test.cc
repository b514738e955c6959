// `loader --help` and `loader journal --help`: the whole text against a
// golden file, and the layout rules it must keep: every option listed once
// under a heading, every value named in upper case, no line over 100 columns,
// no word cut, the same text whatever the terminal or the environment.
//
// The golden files are tests/golden/help/*.txt. After a deliberate change to
// the help, rewrite them with
//   LOADER_UPDATE_GOLDEN=1 build/tests/loader_unit_tests --gtest_filter='Help*'
// and read the diff before committing it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "loader/cli/cli.h"
#include "loader/cli/option_table.h"
#include "loader/pg/connect_settings.h"
#include "support/cli_testing.h"
#include "support/golden.h"

namespace loader {
namespace {

using test_support::Parse;
using test_support::ScopedLoaderEnv;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  test_support::Expect("help/" + name, actual);
}

std::string LoadHelpText() {
  const CommandLine cl = Parse({"--help"});
  EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.exit_now);
  return cl.output;
}

std::string JournalHelpText() {
  const CommandLine cl = Parse({"journal", "--help"});
  EXPECT_TRUE(cl.status.ok()) << cl.status.ToString();
  EXPECT_TRUE(cl.exit_now);
  return cl.output;
}

TEST(HelpGolden, Load) {
  ScopedLoaderEnv env;
  ExpectGolden("loader.txt", LoadHelpText());
}

TEST(HelpGolden, Journal) {
  ScopedLoaderEnv env;
  ExpectGolden("journal.txt", JournalHelpText());
}

// The option lines of `help`: "  --name VALUE  text" or "  -h, --help  text".
const std::regex kOptionLine(R"(^  (-[a-z], )?--([a-z][a-z-]*)( (\S+))?( .*)?$)");

// Every option the parser knows, but the `unlisted` ones, appears on exactly
// one line of its own, and one that takes a value names it in upper case.
void ExpectEveryOptionOnce(const std::vector<OptionGroup>& groups, const std::string& help,
                           const std::vector<std::string>& unlisted = {}) {
  const boost::program_options::options_description desc = Describe(groups);
  size_t listed = 0;
  for (const auto& option : desc.options()) {
    const std::string name = option->long_name();
    if (std::find(unlisted.begin(), unlisted.end(), name) != unlisted.end()) continue;
    int lines = 0;
    for (const std::string& line : Lines(help)) {
      std::smatch m;
      if (!std::regex_match(line, m, kOptionLine) || m[2] != name) continue;
      ++lines;
      if (option->semantic()->max_tokens() > 0) {
        EXPECT_TRUE(std::regex_match(m[4].str(), std::regex("[A-Z][A-Z/]*")))
            << "--" << name << " names its value '" << m[4] << "': " << line;
      } else {
        EXPECT_FALSE(m[4].matched && std::regex_match(m[4].str(), std::regex("[A-Z].*")))
            << "--" << name << " is a switch: " << line;
      }
    }
    EXPECT_EQ(lines, 1) << "--" << name;
    ++listed;
  }
  // No line lists an option the parser does not know.
  size_t option_lines = 0;
  for (const std::string& line : Lines(help)) option_lines += std::regex_match(line, kOptionLine);
  EXPECT_EQ(option_lines, listed);
}

TEST(Help, EveryOptionOnceWithAnUpperCaseValueName) {
  ScopedLoaderEnv env;
  ExpectEveryOptionOnce(LoadOptionGroups(), LoadHelpText());
  // `loader journal forget JOB`: arguments, shown in the usage lines.
  ExpectEveryOptionOnce(JournalOptionGroups(), JournalHelpText(), {"action", "job"});
}

TEST(Help, SwitchesAndValuesAreShownPlainly) {
  ScopedLoaderEnv env;
  const std::string help = LoadHelpText();
  for (const char* line :
       {"\n  --create                     create the table if it is missing\n",
        "\n  --insecure                   connect without TLS",
        "\n  --chunk ROWS                 rows per chunk;", "\n  --url URL                    ",
        "\n  --certs-dir DIR              ", "\n  --statement-timeout SECONDS  ",
        "\n  --shard K/N                  ", "\n  -h, --help                   "}) {
    EXPECT_NE(help.find(line), std::string::npos) << line;
  }
  // What Boost would print for a switch, a value or a default.
  for (const char* boost : {"[=arg(=1)]", " arg ", "(=0)", "(=", "[ --help ]"}) {
    EXPECT_EQ(help.find(boost), std::string::npos) << boost;
  }
}

TEST(Help, HeadingsInOrder) {
  ScopedLoaderEnv env;
  const std::string help = LoadHelpText();
  size_t at = 0;
  for (const char* heading :
       {"\nUsage: loader [options]\n", "\nExamples:\n", "\nConnection:\n", "\nRows and input:\n",
        "\nChunking and workers:\n", "\nFaults and journal:\n", "\nImport files:\n", "\nOutput:\n",
        "\nExit codes:\n"}) {
    const size_t found = help.find(heading, at);
    EXPECT_NE(found, std::string::npos) << heading;
    if (found != std::string::npos) at = found;
  }
}

TEST(Help, NoLineOver100ColumnsNoTab) {
  ScopedLoaderEnv env;
  for (const std::string& help : {LoadHelpText(), JournalHelpText()}) {
    for (const std::string& line : Lines(help)) {
      EXPECT_LE(line.size(), kHelpWidth) << line;
      EXPECT_EQ(line.find('\t'), std::string::npos) << line;
      EXPECT_FALSE(line.ends_with(" ")) << "'" << line << "'";
    }
    EXPECT_TRUE(help.ends_with("\n"));
  }
}

// An option's description, its wrapped lines joined again, is its text
// word for word: no word cut, none lost, whatever its length (URLs).
TEST(Help, WrappingCutsNoWord) {
  ScopedLoaderEnv env;
  const std::vector<std::string> lines = Lines(LoadHelpText());
  for (const OptionGroup& group : LoadOptionGroups()) {
    for (const OptionSpec& spec : group.options) {
      std::string expected = spec.help;
      const char* default_text = spec.default_words ? spec.default_words : spec.default_value;
      if (default_text != nullptr) expected += std::string(" (default: ") + default_text + ")";
      const std::string long_name =
          std::string(spec.name).substr(0, std::string(spec.name).find(','));
      std::string joined;
      for (size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (!std::regex_match(lines[i], m, kOptionLine) || m[2] != long_name) continue;
        joined = lines[i].size() > 31 ? lines[i].substr(31) : "";
        for (size_t j = i + 1; j < lines.size() && lines[j].starts_with(std::string(31, ' '));
             ++j) {
          joined += (joined.empty() ? "" : " ") + lines[j].substr(31);
        }
      }
      EXPECT_EQ(joined, expected) << "--" << long_name;
    }
  }
}

TEST(Help, SameWhateverTheTerminalOrEnvironment) {
  ScopedLoaderEnv env;
  const std::string load = LoadHelpText();
  const std::string journal = JournalHelpText();
  EXPECT_EQ(load, LoadHelp());
  EXPECT_EQ(journal, JournalHelp());
  const char* columns = std::getenv("COLUMNS");
  const std::string saved_columns = columns != nullptr ? columns : "";
  env.Set("COLUMNS", "40");
  env.Set("LOADER_ROWS", "5");
  env.Set("LOADER_CHUNK", "7");
  env.Set("DATABASE_URL", "postgresql://root@db/defaultdb");
  env.Set("COCKROACH_CERTS_DIR", "certs");
  EXPECT_EQ(LoadHelpText(), load);
  EXPECT_EQ(JournalHelpText(), journal);
  if (columns != nullptr) {
    setenv("COLUMNS", saved_columns.c_str(), 1);
  } else {
    unsetenv("COLUMNS");
  }
}

TEST(Help, ShowsTheStatementTimeoutTheParserUses) {
  ScopedLoaderEnv env;
  EXPECT_NE(LoadHelpText().find("(default: " + std::to_string(kDefaultStatementTimeout.count()) +
                                ", two minutes)"),
            std::string::npos);
}

TEST(Help, KeepsTheExamples) {
  ScopedLoaderEnv env;
  const std::string help = LoadHelpText();
  for (const char* example :
       {"\n  loader --rows 10000 --chunk 1000 --create\n",
        "\n  loader --url 'postgresql://maxroach@localhost:26257/bank' --certs-dir certs \\\n"
        "      --table accounts --rows 10000\n",
        "\n  loader --rows 1000000 --stats-json - > stats.json\n",
        "\n  loader journal forget JOB [--url URL]   forget a job (its rows stay in the "
        "table)\n"}) {
    EXPECT_NE(help.find(example), std::string::npos) << example;
  }
}

}  // namespace
}  // namespace loader
