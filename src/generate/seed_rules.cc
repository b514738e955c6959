// ApplyRule (seed_columns.h): a user's --gen rule over the column's usual
// generator.
#include <algorithm>
#include <cmath>

#include "generate/seed_columns.h"

namespace loader {
namespace {

Status RuleError(const GenRule& rule, const std::string& column, const std::string& what) {
  return Status::InvalidArgument(rule.origin + ": column " + column + " " + what);
}

// A number rule's bounds, read as the column's type.
Status RuleBounds(const GenRule& rule, const std::string& column, ColumnDraft* d) {
  const ColumnGen& g = d->gen;
  int64_t low = 0, high = 0;
  if (!ParseUnits(g.form, g.scale, rule.spec.low, true, &low) ||
      !ParseUnits(g.form, g.scale, rule.spec.high, false, &high)) {
    return RuleError(rule, column,
                     "is " + d->column->sql_type + ": '" + rule.spec.low + ".." + rule.spec.high +
                         "' does not read as two of its values");
  }
  d->allowed = low <= high ? d->allowed.Intersect(ValueDomain(low, high)) : ValueDomain();
  d->preferred = ValueDomain();  // the rule's range is the usual one
  if (d->allowed.empty()) {
    return RuleError(rule, column, "allows no value in " + rule.spec.low + ".." + rule.spec.high);
  }
  return Status::OK();
}

}  // namespace

Status ApplyRule(const GenRule& rule, const std::string& column, const SeedOptions& options,
                 const SampleReader& read_sample, ColumnDraft* d) {
  ColumnGen& g = d->gen;
  const GenSpec& spec = rule.spec;
  const bool numbers = IsNumberForm(g.form) && !d->column->array;
  using Kind = GenSpec::Kind;
  if ((spec.kind == Kind::kUniform || spec.kind == Kind::kZipf || spec.kind == Kind::kNormal ||
       spec.kind == Kind::kSequence) &&
      !numbers) {
    return RuleError(rule, column,
                     "is " + d->column->sql_type +
                         ": seq, uniform, normal and zipf need a number, date or time column");
  }
  switch (spec.kind) {
    case Kind::kAuto:
      break;
    case Kind::kDefault:
      d->loaded = false;
      break;
    case Kind::kUniform:
      return RuleBounds(rule, column, d);
    case Kind::kZipf: {
      Status s = RuleBounds(rule, column, d);
      if (!s.ok()) return s;
      g.draw = NumberDraw::kZipf;
      g.zipf = ZipfDraw(d->allowed.size(), spec.zipf_exponent);
      break;
    }
    case Kind::kNormal: {
      const double unit = std::pow(10.0, g.form == ValueForm::kDecimal ? g.scale : 0);
      g.draw = NumberDraw::kNormal;
      d->preferred = ValueDomain();
      g.mean = spec.mean * unit;
      g.stddev = spec.stddev * unit;
      break;
    }
    case Kind::kSequence:
      if (!ParseUnits(g.form, g.scale, spec.low, false, &g.seq_start) ||
          !ParseUnits(g.form == ValueForm::kDecimal ? g.form : ValueForm::kInt, g.scale, spec.high,
                      false, &g.seq_step)) {
        return RuleError(rule, column,
                         "is " + d->column->sql_type + ": seq:" + spec.low + "," + spec.high +
                             " does not read as a start and a step of it");
      }
      g.draw = NumberDraw::kSequence;
      break;
    case Kind::kChoice:
      g.form = ValueForm::kChoice;
      g.values = spec.choices;
      g.cumulative_weights.clear();
      if (std::any_of(spec.weights.begin(), spec.weights.end(),
                      [](uint32_t w) { return w != 1; })) {
        uint64_t total = 0;
        for (uint32_t w : spec.weights) g.cumulative_weights.push_back(total += w);
      }
      break;
    case Kind::kConstant:
      g.form = ValueForm::kConstant;
      g.values = {spec.value};
      break;
    case Kind::kNull:
      if (d->not_null) return RuleError(rule, column, "is NOT NULL: it cannot be always NULL");
      g.form = ValueForm::kNull;
      g.array = false;  // a NULL, not an array of empty texts
      break;
    case Kind::kText: {
      if (g.form != ValueForm::kText) {
        return RuleError(rule, column,
                         "is " + d->column->sql_type + ": text:MIN..MAX needs a text column");
      }
      // Format's buffers: an array's element holds kMaxElement.
      const uint32_t most =
          d->column->array ? static_cast<uint32_t>(ColumnGen::kMaxElement) : kMaxTextLength;
      g.min_length = spec.min_length;
      g.max_length = std::min(spec.max_length, most);
      if (d->column->length > 0 && g.max_length > static_cast<uint32_t>(d->column->length)) {
        return RuleError(rule, column,
                         "is " + d->column->sql_type + ": text longer than " +
                             std::to_string(d->column->length) + " does not fit");
      }
      if (g.min_length > most) {
        return RuleError(rule, column,
                         "is " + d->column->sql_type + ": text of " + std::to_string(g.min_length) +
                             " characters is more than the generator makes (at most " +
                             std::to_string(most) + ")");
      }
      break;
    }
    case Kind::kPattern: {
      g.form = ValueForm::kPattern;
      g.values.clear();
      std::string_view rest = spec.value;
      for (size_t at; (at = rest.find("{row}")) != std::string_view::npos;
           rest.remove_prefix(at + 5)) {
        g.values.emplace_back(rest.substr(0, at));
      }
      g.values.emplace_back(rest);
      break;
    }
    case Kind::kReference: {
      ReferenceSample sample;
      Status s =
          read_sample(spec.ref_table, {spec.ref_column}, options.ref_sample, options.seed, &sample);
      if (!s.ok()) return s.WithContext(rule.origin);
      if (sample.rows.empty()) {
        return RuleError(rule, column,
                         "refers to " + spec.ref_table + "." + spec.ref_column +
                             ", which has no rows (NULLs left out): seed it first");
      }
      g.form = ValueForm::kReference;
      g.values.clear();
      for (auto& row : sample.rows) g.values.push_back(std::move(row[0]));
      g.ref_name = spec.ref_table + "(" + spec.ref_column + ")";
      g.ref_key = g.key ^ 0x5e1fULL;
      break;
    }
  }
  // Format's buffers: a pattern's value fits kMaxFormatted, and any element
  // of an array kMaxElement (the rule's values; generated ones are short).
  if (g.form == ValueForm::kPattern ||
      (g.array && (g.form == ValueForm::kChoice || g.form == ValueForm::kConstant ||
                   g.form == ValueForm::kReference))) {
    const bool pattern = g.form == ValueForm::kPattern;
    size_t longest = pattern ? 20 * (g.values.size() - 1) : 0;  // a row number's digits
    for (const std::string& v : g.values) {
      longest = pattern ? longest + v.size() : std::max(longest, v.size());
    }
    const size_t most = g.array ? ColumnGen::kMaxElement : ColumnGen::kMaxFormatted;
    if (longest > most) {
      return RuleError(rule, column,
                       "is " + d->column->sql_type + ": values of " + std::to_string(longest) +
                           " characters are more than the generator makes (at most " +
                           std::to_string(most) + ")");
    }
  }
  if (spec.null_share) {
    if (d->not_null && *spec.null_share > 0) {
      return RuleError(rule, column, "is NOT NULL: it cannot be NULL in a share of rows");
    }
    d->null_share = *spec.null_share;
  }
  return Status::OK();
}

}  // namespace loader
