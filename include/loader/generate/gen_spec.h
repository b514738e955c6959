// What a user says about how a column is filled: `--gen TABLE.COLUMN=SPEC`
// on the command line, or the same specs in a YAML file (--gen-file) kept
// beside the schema. A spec only says what; the column's type decides how its
// values read (numbers, dates, timestamps) when the table is known.
//
// SPEC is a generator and its arguments, then modifiers after ';':
//   seq[:START[,STEP]]        START + row * STEP (row from 0); default 1,1
//   uniform:LOW..HIGH         uniform in [LOW, HIGH]
//   normal:MEAN,STDDEV        normal, cut to the column's range
//   zipf:LOW..HIGH[,S]        Zipf over [LOW, HIGH], exponent S (default 1.1)
//   choice:A,B*3,C            one of the values, with weights (default 1);
//                             a value with ',' '*' or ';' is double-quoted,
//                             a '"' inside doubled
//   const:VALUE               always VALUE (any text up to a ';', may be empty)
//   null                      always NULL
//   default                   left to the server's default
//   text:MIN..MAX             random text of MIN to MAX characters
//   pattern:TEXT              TEXT with {row} replaced by the row number (from 1);
//                             {row} is the only placeholder
//   ref:TABLE.COLUMN          values of TABLE.COLUMN's existing rows (split at the
//                             last dot: ref:sales.customers.id)
//   null=SHARE (modifier)     NULL in SHARE of rows (0 to 1), e.g. ";null=0.2"
// A spec of modifiers alone ("null=0.3") keeps the column's usual generator.
#ifndef LOADER_GENERATE_GEN_SPEC_H_
#define LOADER_GENERATE_GEN_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"

namespace loader {

struct GenSpec {
  enum class Kind {
    kAuto,  // the column's usual generator (modifiers only)
    kDefault,
    kSequence,
    kUniform,
    kNormal,
    kZipf,
    kChoice,
    kConstant,
    kNull,
    kText,
    kPattern,
    kReference,
  };
  Kind kind = Kind::kAuto;
  std::string low;   // uniform, zipf: LOW; seq: START ("1" by default)
  std::string high;  // uniform, zipf: HIGH; seq: STEP ("1" by default)
  double mean = 0;
  double stddev = 0;
  double zipf_exponent = 1.1;
  std::vector<std::string> choices;  // choice
  std::vector<uint32_t> weights;     // choice: one per value, each >= 1
  std::string value;                 // const: the value; pattern: the text with {row}
  uint32_t min_length = 0;           // text
  uint32_t max_length = 0;
  std::string ref_table;  // ref
  std::string ref_column;
  std::optional<double> null_share;  // null=SHARE
};

// Parses SPEC (above). LOW, HIGH, START and STEP stay text: the column's type
// decides how they read. kInvalidArgument with a message that quotes the spec,
// says what is wrong and what was expected, e.g. "spec 'uniform:5': uniform
// takes LOW..HIGH, e.g. uniform:1..100". *out is set only on success.
Status ParseGenSpec(std::string_view text, GenSpec* out);

// One column's spec and where it was given, to name in errors.
struct GenRule {
  std::string table;  // empty: the table being loaded (--gen COLUMN=SPEC)
  std::string column;
  GenSpec spec;
  std::string text;    // SPEC as given: what the job id remembers of the rule
  std::string origin;  // "--gen status=choice:a,b" or "seed.yaml:12:5"
};

// Parses the value of --gen: "TABLE.COLUMN=SPEC" or "COLUMN=SPEC" (a
// schema-qualified table: "SCHEMA.TABLE.COLUMN=SPEC"; quoting of names is not
// supported). The name ends at the first '=', so the spec may hold '='.
// kInvalidArgument naming the option: "--gen 'TEXT': expected COLUMN=SPEC, ..."
// for the name, "--gen spec 'SPEC': ..." for the spec.
Status ParseGenOption(std::string_view text, GenRule* out);

// A seed spec file:
//   seed: 7                 # optional
//   null_share: 0.05        # optional
//   tables:
//     orders:               # or public.orders
//       rows: 100000        # optional
//       columns:
//         status: "choice:new*8,paid*2"
//         note: "text:0..200;null=0.3"
struct SeedSpecFile {
  std::optional<uint64_t> seed;
  std::optional<double> null_share;
  struct Table {
    std::string name;
    std::optional<uint64_t> rows;
    std::string origin;  // where the table's entry starts: "seed.yaml:4:3"
  };
  std::vector<Table> tables;   // in file order
  std::vector<GenRule> rules;  // in file order, table always set
};

// Reads a seed spec file. An empty file, or an empty tables, table or columns
// entry, says nothing. kInvalidArgument for YAML that does not parse or an
// entry of the wrong shape, as "PATH:LINE:COLUMN: what is wrong" (1-based),
// e.g. "seed.yaml:7:15: orders.status: spec 'choise': 'choise' is not a
// generator (...)"; a key given twice in one mapping is an error too. kIoError
// when the file cannot be read. *out is set only on success.
Status ReadSeedSpecFile(const std::string& path, SeedSpecFile* out);

}  // namespace loader

#endif  // LOADER_GENERATE_GEN_SPEC_H_
