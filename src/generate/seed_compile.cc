#include <algorithm>
#include <cmath>

#include "generate/seed_columns.h"
#include "loader/base/hash.h"
#include "loader/encode/encoder.h"
#include "loader/generate/synthetic_rows.h"

namespace loader {
namespace {

std::string_view Unqualified(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

// A number of the column's units as its type writes it.
std::string UnitsText(const ColumnGen& g, int64_t v) {
  char buf[64];
  char* end = buf;
  switch (g.form) {
    case ValueForm::kDecimal:
      end = FormatDecimal(v, g.scale, buf);
      break;
    case ValueForm::kDate:
      end = FormatDate(v, buf);
      break;
    case ValueForm::kTime:
      end = FormatTimeOfDay(v, buf);
      break;
    case ValueForm::kTimestamp:
    case ValueForm::kTimestampTz: {
      const int64_t days = v >= 0 ? v / 86400 : (v - 86399) / 86400;
      end = FormatDate(days, buf);
      *end++ = ' ';
      end = FormatTimeOfDay(v - days * 86400, end);
      break;
    }
    default:
      return std::to_string(v);
  }
  return std::string(buf, end);
}

std::string DomainText(const ColumnGen& g) {
  std::string out;
  const auto& intervals = g.domain.intervals();
  for (size_t i = 0; i < intervals.size() && i < 4; ++i) {
    out += (out.empty() ? "" : ", ") + UnitsText(g, intervals[i].first) + ".." +
           UnitsText(g, intervals[i].second);
  }
  if (intervals.size() > 4) out += ", ... (" + std::to_string(intervals.size()) + " ranges)";
  return out;
}

std::string Quoted(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size() && i < 5; ++i) out += (i ? ", '" : "'") + values[i] + "'";
  if (values.size() > 5) out += ", ... (" + std::to_string(values.size()) + ")";
  return out;
}

std::string What(const ColumnDraft& d) {
  const ColumnGen& g = d.gen;
  if (!d.loaded)
    return d.rule != nullptr ? "left to the server (--gen default)"
                             : "left to the server (its default)";
  std::string what;
  switch (g.form) {
    case ValueForm::kNull:
      return "always NULL" + (d.why.empty() ? std::string() : "; " + d.why.back());
    case ValueForm::kConstant:
      what = "always '" + g.values[0] + "'";
      break;
    case ValueForm::kChoice:
      what = (g.unique ? "distinct, of " : "one of ") + Quoted(g.values) +
             (g.cumulative_weights.empty() ? "" : ", weighted");
      break;
    case ValueForm::kPattern: {
      what = "'" + g.values[0];
      for (size_t i = 1; i < g.values.size(); ++i) what += "{row}" + g.values[i];
      what += "'";
      break;
    }
    case ValueForm::kReference:
      what = "values of " + g.ref_name;
      break;
    case ValueForm::kText:
      what = std::string(g.unique ? "distinct " : "") + "text of " + std::to_string(g.min_length) +
             " to " + std::to_string(g.max_length) + " characters";
      break;
    case ValueForm::kUuid:
      what = "random version-4 UUIDs, distinct";
      break;
    case ValueForm::kBytea:
      what = std::string(g.unique ? "distinct " : "") + std::to_string(g.min_length) + " to " +
             std::to_string(g.max_length) + " random bytes";
      break;
    case ValueForm::kJson:
      what = "small JSON objects";
      break;
    case ValueForm::kTsvector:
      what = "one to four random words";
      break;
    default:
      switch (g.draw) {
        case NumberDraw::kUniform:
          what = "uniform in " + DomainText(g);
          break;
        case NumberDraw::kUnique:
          what = "distinct, a permutation of the rows into " + DomainText(g);
          break;
        case NumberDraw::kSequence:
          what = "a sequence from " + UnitsText(g, g.seq_start) + ", step " +
                 std::to_string(g.seq_step);
          break;
        case NumberDraw::kNormal:
          what = "normal around " + UnitsText(g, static_cast<int64_t>(g.mean)) + " within " +
                 DomainText(g);
          break;
        case NumberDraw::kZipf:
          what = "Zipf over " + DomainText(g);
          break;
        case NumberDraw::kCombination:
          what = "in " + DomainText(g);
          break;
      }
  }
  if (g.array) what = "arrays of 0 to 3: " + what;
  if (d.null_share > 0) {
    char share[32];
    std::snprintf(share, sizeof share, "%g%% NULL", d.null_share * 100);
    what += ", " + std::string(share);
  }
  for (const std::string& why : d.why) what += "; " + why;
  if (d.rule != nullptr && d.rule->spec.kind != GenSpec::Kind::kAuto) what += "; " + d.rule->origin;
  return what;
}

// The most bytes the column's value takes as encoded text: escaped or quoted,
// it may double.
size_t MaxValueBytes(const ColumnGen& g) {
  size_t bytes = 0;
  switch (g.form) {
    case ValueForm::kInt:
      bytes = 20;
      break;
    case ValueForm::kDecimal:
      bytes = kMaxDecimalChars;
      break;
    case ValueForm::kDate:
      bytes = 10;
      break;
    case ValueForm::kTime:
      bytes = 8;
      break;
    case ValueForm::kTimestamp:
      bytes = 19;
      break;
    case ValueForm::kTimestampTz:
      bytes = 22;
      break;
    case ValueForm::kInterval:
      bytes = 28;
      break;
    case ValueForm::kInet:
      bytes = 15;
      break;
    case ValueForm::kText:
      bytes = g.max_length;
      break;
    case ValueForm::kUuid:
      bytes = 36;
      break;
    case ValueForm::kBytea:
      bytes = 2 + 2 * size_t{g.max_length};
      break;
    case ValueForm::kJson:
      bytes = 60;
      break;
    case ValueForm::kTsvector:
      bytes = 36;
      break;
    case ValueForm::kNull:
      bytes = 2;
      break;
    case ValueForm::kPattern:
      bytes = 20 * (g.values.size() - 1);
      [[fallthrough]];
    case ValueForm::kChoice:
    case ValueForm::kConstant:
    case ValueForm::kReference:
      for (const std::string& v : g.values) {
        bytes = g.form == ValueForm::kPattern ? bytes + v.size() : std::max(bytes, v.size());
      }
      break;
  }
  if (g.array) bytes = 2 + 3 * (2 * bytes + 3);
  return 2 * bytes + 2;
}

// Whether every value of the column is plain text (encoder.h), which the
// encoders copy without looking.
bool Plain(const ColumnGen& g) {
  if (g.array) return false;
  switch (g.form) {
    case ValueForm::kDate:
    case ValueForm::kTime:
    case ValueForm::kTimestamp:
    case ValueForm::kTimestampTz:
    case ValueForm::kInterval:
    case ValueForm::kInet:
    case ValueForm::kUuid:
      return true;
    case ValueForm::kText:
      return g.min_length > 0;
    case ValueForm::kPattern:  // not empty: a row number, or text of its own
      return (g.values.size() > 1 || !g.values[0].empty()) &&
             std::all_of(g.values.begin(), g.values.end(),
                         [](const std::string& v) { return v.empty() || IsPlainText(v); });
    case ValueForm::kChoice:
    case ValueForm::kConstant:
    case ValueForm::kReference:
      return std::all_of(g.values.begin(), g.values.end(),
                         [](const std::string& v) { return IsPlainText(v); });
    default:
      return false;
  }
}

BinaryForm BinaryOfType(const SeedColumn& c) {
  switch (c.type) {
    case SeedType::kInt2:
      return BinaryForm::kInt2;
    case SeedType::kInt4:
      return BinaryForm::kInt4;
    case SeedType::kInt8:
      return BinaryForm::kInt8;
    case SeedType::kNumeric:
      return BinaryForm::kNumeric;
    case SeedType::kFloat4:
      return BinaryForm::kFloat4;
    case SeedType::kFloat8:
      return BinaryForm::kFloat8;
    case SeedType::kBool:
      return BinaryForm::kBool;
    case SeedType::kText:
    case SeedType::kEnum:
      return BinaryForm::kText;  // an enum's binary form is its label
    case SeedType::kJson:
      return c.sql_type == "jsonb" ? BinaryForm::kJsonb : BinaryForm::kText;
    case SeedType::kUuid:
      return BinaryForm::kUuid;
    case SeedType::kDate:
      return BinaryForm::kDate;
    case SeedType::kTime:
      return BinaryForm::kTime;
    case SeedType::kTimestamp:
    case SeedType::kTimestampTz:
      return BinaryForm::kTimestamp;
    case SeedType::kInterval:
      return BinaryForm::kInterval;
    default:
      return BinaryForm::kNone;  // bytea, inet, tsvector: text only here
  }
}

// How the column's values go into COPY binary, with its values (choices,
// a constant, a reference's sample) in that form; kNone when any cannot.
BinaryForm BinaryOf(ColumnDraft* d) {
  ColumnGen& g = d->gen;
  if (d->column->array || g.array) return BinaryForm::kNone;
  const BinaryForm binary = BinaryOfType(*d->column);
  const bool number = binary != BinaryForm::kBool && binary != BinaryForm::kText &&
                      binary != BinaryForm::kJsonb && binary != BinaryForm::kUuid;
  switch (g.form) {
    case ValueForm::kNull:
      return binary == BinaryForm::kNone ? BinaryForm::kText : binary;  // writes no value
    case ValueForm::kChoice:
    case ValueForm::kConstant:
    case ValueForm::kReference:
      g.binary_values.assign(g.values.size(), {});
      for (size_t i = 0; i < g.values.size(); ++i) {
        if (!ToBinaryValue(binary, d->type_form, g.scale, g.values[i], &g.binary_values[i])) {
          g.binary_values.clear();
          return BinaryForm::kNone;
        }
      }
      return binary;
    case ValueForm::kText:
    case ValueForm::kPattern:
      return binary == BinaryForm::kText ? binary : BinaryForm::kNone;
    case ValueForm::kJson:
      return binary == BinaryForm::kText || binary == BinaryForm::kJsonb ? binary
                                                                         : BinaryForm::kNone;
    case ValueForm::kUuid:
      return binary == BinaryForm::kUuid ? binary : BinaryForm::kNone;
    default:
      return IsNumberForm(g.form) && binary != BinaryForm::kNone && number ? binary
                                                                           : BinaryForm::kNone;
  }
}

ColumnType LoaderType(const SeedColumn& c) {
  if (c.array) return ColumnType::kOther;
  switch (c.type) {
    case SeedType::kInt2:
      return ColumnType::kInt2;
    case SeedType::kInt4:
      return ColumnType::kInt4;
    case SeedType::kInt8:
      return ColumnType::kInt8;
    case SeedType::kFloat4:
      return ColumnType::kFloat4;
    case SeedType::kFloat8:
      return ColumnType::kFloat8;
    case SeedType::kNumeric:
      return ColumnType::kNumeric;
    case SeedType::kBool:
      return ColumnType::kBool;
    case SeedType::kUuid:
      return ColumnType::kUuid;
    case SeedType::kText:
      return ColumnType::kText;
    case SeedType::kDate:
      return ColumnType::kDate;
    case SeedType::kTime:
      return ColumnType::kTime;
    case SeedType::kTimestamp:
      return ColumnType::kTimestamp;
    case SeedType::kTimestampTz:
      return ColumnType::kTimestampTz;
    case SeedType::kInterval:
      return ColumnType::kInterval;
    case SeedType::kJson:
      return c.sql_type == "jsonb" ? ColumnType::kJsonb : ColumnType::kOther;
    default:
      return ColumnType::kOther;
  }
}

// The rules about `table`, each naming one of its columns at most once.
Status RulesOf(const SeedTable& table, const std::vector<GenRule>& rules,
               std::vector<const GenRule*>* by_column) {
  by_column->assign(table.columns.size(), nullptr);
  for (const GenRule& rule : rules) {
    if (!RuleIsFor(rule, table.name)) continue;
    auto it = std::find_if(table.columns.begin(), table.columns.end(),
                           [&](const SeedColumn& c) { return c.name == rule.column; });
    if (it == table.columns.end()) {
      std::string names;
      for (const SeedColumn& c : table.columns) names += (names.empty() ? "" : ", ") + c.name;
      return Status::InvalidArgument(rule.origin + ": table " + table.name + " has no column '" +
                                     rule.column + "' that a load can write (it has " + names +
                                     ")");
    }
    const GenRule*& slot = (*by_column)[static_cast<size_t>(it - table.columns.begin())];
    if (slot != nullptr) {
      return Status::InvalidArgument(rule.origin + ": column " + table.name + "." + rule.column +
                                     " already has a rule (" + slot->origin + ")");
    }
    slot = &rule;
  }
  return Status::OK();
}

}  // namespace

bool RuleIsFor(const GenRule& rule, const std::string& table) {
  if (rule.table.empty() || rule.table == table) return true;
  const bool qualified = rule.table.find('.') != std::string::npos;
  const bool table_qualified = table.find('.') != std::string::npos;
  return qualified != table_qualified && Unqualified(rule.table) == Unqualified(table);
}

Status CompileSeedTable(const SeedTable& table, const SeedOptions& options,
                        const std::vector<GenRule>& rules, const SampleReader& read_sample,
                        SeedPlan* out) {
  std::vector<const GenRule*> rule_of;
  Status s = RulesOf(table, rules, &rule_of);
  if (!s.ok()) return s;
  // "orders" and "public.orders" are one table: the same rows.
  const uint64_t table_key = Mix64(options.seed ^ HashText(Unqualified(table.name)));
  std::vector<ColumnDraft> drafts(table.columns.size());
  for (size_t i = 0; i < table.columns.size(); ++i) {
    s = DraftColumn(table, i, rule_of[i], options, table_key, read_sample, &drafts[i]);
    if (!s.ok()) return s;
  }
  out->warnings.clear();
  s = DraftKeysAndReferences(table, options, table_key, read_sample, &drafts, &out->warnings);
  if (!s.ok()) return s;

  std::vector<ColumnGen> gens;
  std::vector<Column> columns;
  size_t row_bytes = 1;
  out->column_notes.clear();
  for (ColumnDraft& d : drafts) {
    out->column_notes.push_back(d.column->name + " (" + d.column->sql_type + "): " + What(d));
    if (!d.loaded) continue;
    d.gen.null_below = d.null_share <= 0   ? 0
                       : d.null_share >= 1 ? UINT64_MAX
                                           : static_cast<uint64_t>(std::ldexp(d.null_share, 64));
    d.gen.plain = Plain(d.gen);
    d.gen.binary = BinaryOf(&d);
    row_bytes += MaxValueBytes(d.gen) + 1;
    columns.push_back({d.column->name, LoaderType(*d.column)});
    gens.push_back(std::move(d.gen));
  }
  if (columns.empty()) {
    return Status::InvalidArgument("table " + table.name +
                                   " has no column to generate: the server fills them all");
  }
  for (const SeedColumn::Check& check : table.other_checks) {
    out->warnings.push_back("CHECK " + check.name + " on " + table.name + " (" + check.definition +
                            ") involves several columns, which the generator does not read: the "
                            "server judges it");
  }
  out->rows = std::make_shared<const SyntheticRows>(std::move(gens));
  out->table = TableSpec{};
  out->table.name = table.name;
  out->table.columns = std::move(columns);
  out->table.max_row_bytes = row_bytes;
  return Status::OK();
}

}  // namespace loader
