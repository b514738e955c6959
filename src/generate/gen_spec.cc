#include "loader/generate/gen_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>

namespace loader {
namespace {

using Kind = GenSpec::Kind;
constexpr auto kNone = std::string_view::npos;

Status Invalid(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// Whole-text parses: "5x", "1e" and "" are errors, and so are inf and nan.
bool ParseNumber(std::string_view text, double* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end && std::isfinite(*out);
}

template <typename T>
bool ParseUnsigned(std::string_view text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

// At the first "..", so "-5.5..5.5" and "1...5" (1 to .5) split as a reader
// expects. The halves stay text: the column's type decides how they read.
bool SplitRange(std::string_view text, std::string* low, std::string* high) {
  const size_t dots = text.find("..");
  if (dots == kNone || dots == 0 || dots + 2 == text.size()) return false;
  *low = text.substr(0, dots);
  *high = text.substr(dots + 2);
  return high->find("..") == kNone;
}

// The generators whose arguments either fit a shape or do not; the usage is
// the whole error.
struct ShapedGenerator {
  std::string_view name;
  Kind kind;
  bool (*parse)(std::string_view args, GenSpec* spec);
  std::string_view usage;
};

constexpr ShapedGenerator kShapedGenerators[] = {
    {"seq", Kind::kSequence,
     [](std::string_view args, GenSpec* spec) {
       const size_t comma = args.find(',');
       spec->low = args.substr(0, comma);
       if (comma != kNone) spec->high = args.substr(comma + 1);
       return !spec->low.empty() && !spec->high.empty() && spec->high.find(',') == kNone;
     },
     "seq takes [:START[,STEP]], e.g. seq:1000,10"},
    {"uniform", Kind::kUniform,
     [](std::string_view args, GenSpec* spec) { return SplitRange(args, &spec->low, &spec->high); },
     "uniform takes LOW..HIGH, e.g. uniform:1..100"},
    {"normal", Kind::kNormal,
     [](std::string_view args, GenSpec* spec) {
       const size_t comma = args.find(',');
       return comma != kNone && ParseNumber(args.substr(0, comma), &spec->mean) &&
              ParseNumber(args.substr(comma + 1), &spec->stddev) && spec->stddev > 0;
     },
     "normal takes MEAN,STDDEV with STDDEV > 0, e.g. normal:50,10"},
    {"zipf", Kind::kZipf,
     [](std::string_view args, GenSpec* spec) {
       const size_t comma = args.find(',');
       return SplitRange(args.substr(0, comma), &spec->low, &spec->high) &&
              (comma == kNone || (ParseNumber(args.substr(comma + 1), &spec->zipf_exponent) &&
                                  spec->zipf_exponent > 0));
     },
     "zipf takes LOW..HIGH[,S] with S > 0, e.g. zipf:1..1000,1.2"},
    {"text", Kind::kText,
     [](std::string_view args, GenSpec* spec) {
       std::string min, max;
       return SplitRange(args, &min, &max) && ParseUnsigned(min, &spec->min_length) &&
              ParseUnsigned(max, &spec->max_length) && spec->min_length <= spec->max_length;
     },
     "text takes MIN..MAX lengths with 0 <= MIN <= MAX, e.g. text:10..200"},
    {"ref", Kind::kReference,
     [](std::string_view args, GenSpec* spec) {
       // The last dot, so that "ref:sales.customers.id" names sales.customers.
       const size_t dot = args.rfind('.');
       if (dot == kNone || dot == 0 || dot + 1 == args.size()) return false;
       spec->ref_table = args.substr(0, dot);
       spec->ref_column = args.substr(dot + 1);
       return true;
     },
     "ref takes TABLE.COLUMN, e.g. ref:customers.id"},
};

// Values are separated by ','; one with ',' '*' ';' or '"' in it is written
// "like ""this""", so that any text can be a choice.
Status ParseChoices(std::string_view args, GenSpec* spec) {
  if (args.empty()) {
    return Invalid(
        "choice takes one or more values, each with an optional *WEIGHT, e.g. "
        "choice:new*8,paid*2");
  }
  for (size_t i = 0;; ++i) {  // i is at the start of a value
    const std::string n = std::to_string(spec->choices.size() + 1);
    std::string value;
    if (i < args.size() && args[i] == '"') {
      for (++i;; ++i) {
        if (i == args.size()) return Invalid("value " + n + " has no closing '\"'");
        if (args[i] == '"' && (i + 1 == args.size() || args[i + 1] != '"')) break;
        if (args[i] == '"') ++i;  // a doubled quote stands for one
        value += args[i];
      }
      if (++i < args.size() && args[i] != ',' && args[i] != '*') {
        return Invalid("value " + n + ": expected ',' or '*' after the closing '\"'");
      }
    } else {
      const size_t end = std::min(args.find_first_of(",*\"", i), args.size());
      if (end < args.size() && args[end] == '"') {
        return Invalid("value " + n +
                       " has a '\"': quote the value and double the quote, e.g. "
                       "\"say \"\"hi\"\"\"");
      }
      value = args.substr(i, end - i);
      if (value.empty()) return Invalid("value " + n + " is empty (write \"\" for an empty text)");
      i = end;
    }
    uint32_t weight = 1;
    if (i < args.size() && args[i] == '*') {
      const size_t end = std::min(args.find(',', i), args.size());
      const std::string_view text = args.substr(i + 1, end - i - 1);
      if (!ParseUnsigned(text, &weight) || weight == 0) {
        return Invalid("weight '" + std::string(text) + "' of value " + n +
                       " is not an integer >= 1");
      }
      i = end;
    }
    spec->choices.push_back(std::move(value));
    spec->weights.push_back(weight);
    if (i == args.size()) return Status::OK();
  }
}

Status CheckPattern(std::string_view text) {
  for (size_t open = text.find('{'); open != kNone; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == kNone) return Invalid("'{' without a closing '}' (the only placeholder is {row})");
    const std::string_view placeholder = text.substr(open, close - open + 1);
    if (placeholder != "{row}") {
      return Invalid("unknown placeholder '" + std::string(placeholder) +
                     "' (the only placeholder is {row})");
    }
  }
  return Status::OK();
}

// ARGS is absent for "seq" and present, maybe empty, for "seq:".
Status ParseGenerator(std::string_view name, std::optional<std::string_view> args, GenSpec* spec) {
  for (const ShapedGenerator& generator : kShapedGenerators) {
    if (name != generator.name) continue;
    spec->kind = generator.kind;
    if (spec->kind == Kind::kSequence) spec->low = spec->high = "1";
    if (!args && spec->kind == Kind::kSequence) return Status::OK();
    if (!args || !generator.parse(*args, spec)) return Invalid(std::string(generator.usage));
    return Status::OK();
  }
  if (name == "null" || name == "default") {
    spec->kind = name == "null" ? Kind::kNull : Kind::kDefault;
    return args ? Invalid(std::string(name) + " takes no arguments") : Status::OK();
  }
  if (name == "choice") {
    spec->kind = Kind::kChoice;
    return ParseChoices(args.value_or(""), spec);
  }
  if (name == "const" || name == "pattern") {
    spec->kind = name == "const" ? Kind::kConstant : Kind::kPattern;
    if (!args && name == "const") return Invalid("const takes :VALUE, e.g. const:paid");
    if (!args) return Invalid("pattern takes :TEXT, e.g. pattern:user-{row}");
    spec->value = *args;
    return name == "pattern" ? CheckPattern(*args) : Status::OK();
  }
  return Invalid("'" + std::string(name) +
                 "' is not a generator (expected one of seq, uniform, normal, zipf, choice, "
                 "const, null, default, text, pattern, ref)");
}

Status ParseModifiers(std::string_view text, GenSpec* spec) {
  for (;;) {
    const size_t semicolon = text.find(';');
    const std::string_view modifier = text.substr(0, semicolon);
    if (modifier.substr(0, 5) != "null=") {
      return Invalid("unknown modifier '" + std::string(modifier) +
                     "' (expected null=SHARE, e.g. ;null=0.2)");
    }
    if (spec->null_share) return Invalid("null=SHARE given twice");
    double share = 0;
    if (!ParseNumber(modifier.substr(5), &share) || share < 0 || share > 1) {
      return Invalid("null=SHARE takes a number from 0 to 1, e.g. null=0.2");
    }
    spec->null_share = share;
    if (semicolon == kNone) return Status::OK();
    text = text.substr(semicolon + 1);
  }
}

// The first ';' outside a choice's quoted values. A const or pattern value
// cannot hold a ';': quoting there would make '"' mean two things.
size_t ModifiersStart(std::string_view text, bool quoted_values) {
  bool in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (quoted_values && text[i] == '"') in_quotes = !in_quotes;
    if (text[i] == ';' && !in_quotes) return i;
  }
  return kNone;
}

}  // namespace

Status ParseGenSpec(std::string_view text, GenSpec* out) {
  GenSpec spec;
  const std::string_view name = text.substr(0, text.find_first_of(":;"));
  Status status;
  if (name.find('=') != kNone) {
    status = ParseModifiers(text, &spec);  // modifiers alone: the usual generator stays
  } else {
    const size_t modifiers = ModifiersStart(text, name == "choice");
    const std::string_view head = text.substr(0, modifiers);
    std::optional<std::string_view> args;
    if (head.size() > name.size()) args = head.substr(name.size() + 1);
    status = ParseGenerator(name, args, &spec);
    if (status.ok() && modifiers != kNone) {
      status = ParseModifiers(text.substr(modifiers + 1), &spec);
    }
  }
  if (!status.ok()) return status.WithContext("spec '" + std::string(text) + "'");
  *out = std::move(spec);
  return Status::OK();
}

Status ParseGenOption(std::string_view text, GenRule* out) {
  const size_t equals = text.find('=');
  const std::string_view name = text.substr(0, equals);
  if (equals == kNone || name.empty() || name.front() == '.' || name.back() == '.' ||
      name.find("..") != kNone || std::count(name.begin(), name.end(), '.') > 2) {
    return Invalid("--gen '" + std::string(text) +
                   "': expected COLUMN=SPEC, TABLE.COLUMN=SPEC or SCHEMA.TABLE.COLUMN=SPEC, "
                   "e.g. --gen orders.status=choice:new,paid");
  }
  GenRule rule;
  if (Status s = ParseGenSpec(text.substr(equals + 1), &rule.spec); !s.ok()) {
    return Invalid("--gen " + s.message());
  }
  const size_t dot = name.rfind('.');
  if (dot != kNone) rule.table = name.substr(0, dot);
  rule.column = name.substr(dot == kNone ? 0 : dot + 1);
  rule.text = std::string(text.substr(equals + 1));
  rule.origin = "--gen " + std::string(text);
  *out = std::move(rule);
  return Status::OK();
}

namespace {

std::string Where(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string Describe(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a sequence";
  return node.IsMap() ? "a mapping" : "an empty value";
}

// Walks a parsed seed spec file. Every error starts with the position of the
// node at fault, so that an editor can jump to it.
class SeedSpecReader {
 public:
  SeedSpecReader(const std::string& path, SeedSpecFile* out) : path_(path), out_(out) {}

  Status Read(const YAML::Node& root) {
    return ForEachEntry(root, "", [&](const std::string& key, const Entry& entry) {
      const YAML::Node& value = entry.second;
      if (key == "seed") return ReadCount(value, "seed", &out_->seed);
      if (key == "null_share") {
        double share = 0;
        if (!value.IsScalar() || !ParseNumber(value.Scalar(), &share) || share < 0 || share > 1) {
          return Error(value, "null_share: " + Describe(value) + " is not a number from 0 to 1");
        }
        out_->null_share = share;
        return Status::OK();
      }
      if (key == "tables") return ReadTables(value);
      return Error(entry.first, "unknown key '" + key + "' (expected seed, null_share or tables)");
    });
  }

 private:
  using Entry = std::pair<YAML::Node, YAML::Node>;

  Status Error(const YAML::Node& node, const std::string& msg) const {
    return Invalid(Where(path_, node.Mark()) + ": " + msg);
  }

  // Calls VISIT(key, entry) for each entry of MAP, none when MAP is null (an
  // empty file, an empty table).
  // Keys are names: non-empty text, each at most once in its mapping, which
  // YAML requires but yaml-cpp does not check.
  Status ForEachEntry(const YAML::Node& map, const std::string& context,
                      const std::function<Status(const std::string&, const Entry&)>& visit) {
    const std::string prefix = context.empty() ? "" : context + ": ";
    if (!map.IsNull() && !map.IsMap())
      return Error(map, prefix + Describe(map) + " is not a mapping");
    std::map<std::string, YAML::Mark> seen;
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar() || key.Scalar().empty()) {
        return Error(key, prefix + Describe(key) + " is not a name");
      }
      auto [first, added] = seen.emplace(key.Scalar(), key.Mark());
      if (!added) {
        return Error(key, prefix + "'" + key.Scalar() + "' given twice (first at " +
                              Where(path_, first->second) + ")");
      }
      if (Status s = visit(key.Scalar(), entry); !s.ok()) return s;
    }
    return Status::OK();
  }

  Status ReadCount(const YAML::Node& value, const std::string& what,
                   std::optional<uint64_t>* out) const {
    uint64_t count = 0;
    if (!value.IsScalar() || !ParseUnsigned(value.Scalar(), &count)) {
      return Error(value, what + ": " + Describe(value) + " is not a non-negative integer");
    }
    *out = count;
    return Status::OK();
  }

  Status ReadTables(const YAML::Node& tables) {
    return ForEachEntry(tables, "tables", [&](const std::string& name, const Entry& entry) {
      const size_t dot = name.find('.');
      if (dot == 0 || name.back() == '.' || (dot != kNone && name.find('.', dot + 1) != kNone)) {
        return Error(entry.first,
                     "'" + name + "' is not a table name (expected TABLE or SCHEMA.TABLE)");
      }
      SeedSpecFile::Table table{name, std::nullopt, Where(path_, entry.first.Mark())};
      Status status = ForEachEntry(entry.second, name, [&](const std::string& key, const Entry& e) {
        if (key == "rows") return ReadCount(e.second, name + ".rows", &table.rows);
        if (key == "columns") return ReadColumns(name, e.second);
        return Error(e.first, name + ": unknown key '" + key + "' (expected rows or columns)");
      });
      if (status.ok()) out_->tables.push_back(std::move(table));
      return status;
    });
  }

  Status ReadColumns(const std::string& table, const YAML::Node& columns) {
    return ForEachEntry(
        columns, table + ".columns", [&](const std::string& column, const Entry& entry) {
          const std::string what = table + "." + column + ": ";
          const YAML::Node& value = entry.second;
          if (!value.IsScalar()) {
            // A bare null is YAML's null, not the text "null".
            return Error(value,
                         what + Describe(value) + " is not a spec string" +
                             (value.IsNull() ? " (write \"null\" for the null generator)" : ""));
          }
          GenRule rule;
          rule.table = table;
          rule.column = column;
          rule.origin = Where(path_, entry.first.Mark());
          rule.text = value.Scalar();
          if (Status s = ParseGenSpec(value.Scalar(), &rule.spec); !s.ok()) {
            return Error(value, what + s.message());
          }
          out_->rules.push_back(std::move(rule));
          return Status::OK();
        });
  }

  const std::string& path_;
  SeedSpecFile* out_;
};

Status ReadWholeFile(const std::string& path, std::string* text) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  char buffer[16384];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text->append(buffer, n);
  if (std::ferror(file.get())) {
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace

Status ReadSeedSpecFile(const std::string& path, SeedSpecFile* out) {
  std::string text;
  if (Status s = ReadWholeFile(path, &text); !s.ok()) return s;
  SeedSpecFile file;
  // yaml-cpp reports by exception; they end here, as a Status with the place.
  try {
    if (Status s = SeedSpecReader(path, &file).Read(YAML::Load(text)); !s.ok()) return s;
  } catch (const YAML::Exception& e) {
    return Invalid(Where(path, e.mark) + ": " + e.msg);
  }
  *out = std::move(file);
  return Status::OK();
}

}  // namespace loader
