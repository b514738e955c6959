#include "generate/seed_columns.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "loader/base/hash.h"
#include "loader/encode/date_text.h"
#include "loader/generate/check_terms.h"

namespace loader {
namespace {

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
// Dates and timestamps stay within years 1 to 9999, which every server and
// client reads the same way; generated ones fall in 2000 to 2030.
constexpr int64_t kFirstDay = -719162;  // 0001-01-01
constexpr int64_t kLastDay = 2932896;   // 9999-12-31
constexpr int64_t kDay2000 = 10957;
constexpr int64_t kDay2031 = 22280;
// Random text: at most this long, and in arrays shorter still.
constexpr uint32_t kMaxArrayTextLength = 32;

int64_t PowerOfTen(int exponent) {
  int64_t v = 1;
  for (int i = 0; i < exponent; ++i) v *= 10;
  return v;
}

std::string ColumnName(const SeedTable& table, const SeedColumn& c) {
  return table.name + "." + c.name;
}

// The form, the domain the type allows and where values usually fall.
bool SetUpType(const SeedColumn& c, ColumnDraft* d) {
  ColumnGen& g = d->gen;
  auto numbers = [&](ValueForm form, int64_t low, int64_t high, int64_t usual_low,
                     int64_t usual_high) {
    g.form = form;
    d->allowed = ValueDomain(low, high);
    d->preferred = ValueDomain(usual_low, usual_high);
  };
  switch (c.type) {
    case SeedType::kInt2:
      numbers(ValueForm::kInt, -32768, 32767, 0, 10000);
      return true;
    case SeedType::kInt4:
      numbers(ValueForm::kInt, std::numeric_limits<int32_t>::min(),
              std::numeric_limits<int32_t>::max(), 0, 1000000);
      return true;
    case SeedType::kInt8:
      numbers(ValueForm::kInt, kInt64Min, kInt64Max, 0, 1000000000);
      return true;
    case SeedType::kNumeric: {
      // Unconstrained numeric: two decimals. Precision past 18 digits is
      // more than int64 units hold; values stay within 18.
      g.scale = static_cast<unsigned>(c.scale >= 0 ? std::min(c.scale, 18) : 2);
      const int digits = c.precision > 0 ? std::min(c.precision, 18) : 18;
      const int64_t most = PowerOfTen(digits) - 1;
      // 10^18 is the most an int64 holds: a scale past 12 would overflow it.
      const int64_t usual =
          std::min(most, PowerOfTen(std::min(18, 6 + static_cast<int>(g.scale))) - 1);
      numbers(ValueForm::kDecimal, -most, most, 0, usual);
      return true;
    }
    case SeedType::kFloat4:
      g.scale = 2;  // float4 keeps about 7 digits: 100000.00 fits
      numbers(ValueForm::kDecimal, -PowerOfTen(15), PowerOfTen(15), 0, 9999999);
      return true;
    case SeedType::kFloat8:
      g.scale = 4;
      numbers(ValueForm::kDecimal, -PowerOfTen(17), PowerOfTen(17), 0, PowerOfTen(10) - 1);
      return true;
    case SeedType::kDate:
      numbers(ValueForm::kDate, kFirstDay, kLastDay, kDay2000, kDay2031 - 1);
      return true;
    case SeedType::kTime:
      numbers(ValueForm::kTime, 0, kSecondsPerDay - 1, 0, kSecondsPerDay - 1);
      return true;
    case SeedType::kTimestamp:
    case SeedType::kTimestampTz:
      numbers(c.type == SeedType::kTimestamp ? ValueForm::kTimestamp : ValueForm::kTimestampTz,
              kFirstDay * kSecondsPerDay, (kLastDay + 1) * kSecondsPerDay - 1,
              kDay2000 * kSecondsPerDay, kDay2031 * kSecondsPerDay - 1);
      return true;
    case SeedType::kInterval:
      numbers(ValueForm::kInterval, -PowerOfTen(11), PowerOfTen(11), 0, 30 * kSecondsPerDay);
      return true;
    case SeedType::kInet:
      numbers(ValueForm::kInet, 0, 0xFFFFFFFFLL, 0x0A000000LL, 0x0AFFFFFFLL);  // 10.0.0.0/8
      return true;
    case SeedType::kBool:
      g.form = ValueForm::kChoice;
      g.values = {"f", "t"};
      return true;
    case SeedType::kEnum:
      g.form = ValueForm::kChoice;
      g.values = c.labels;
      return !g.values.empty();
    case SeedType::kText: {
      g.form = ValueForm::kText;
      const uint32_t cap = c.array ? kMaxArrayTextLength : kMaxTextLength;
      const uint32_t limit = c.length > 0 ? std::min<uint32_t>(c.length, cap) : cap;
      g.min_length = c.fixed_length ? limit : std::min<uint32_t>(5, limit);
      g.max_length = c.fixed_length ? limit : std::min<uint32_t>(20, limit);
      return true;
    }
    case SeedType::kUuid:
      g.form = ValueForm::kUuid;
      return true;
    case SeedType::kBytea:
      g.form = ValueForm::kBytea;
      g.min_length = 4;
      g.max_length = 16;
      return true;
    case SeedType::kJson:
      g.form = ValueForm::kJson;
      return true;
    case SeedType::kTsvector:
      g.form = ValueForm::kTsvector;
      return true;
    case SeedType::kUnsupported:
      break;
  }
  return false;
}

// Narrows a number column to `op literal`; false when the literal does not
// read as the column's type.
bool Narrow(ColumnDraft* d, const std::string& op, const std::string& literal) {
  const ColumnGen& g = d->gen;
  int64_t floor = 0, ceil = 0;
  if (!ParseUnits(g.form, g.scale, literal, false, &floor) ||
      !ParseUnits(g.form, g.scale, literal, true, &ceil)) {
    return false;
  }
  int64_t low = kInt64Min, high = kInt64Max;
  if (op == ">=") low = ceil;
  if (op == ">") low = floor == kInt64Max ? kInt64Max : floor + 1;
  if (op == "<=") high = floor;
  if (op == "<") high = ceil == kInt64Min ? kInt64Min : ceil - 1;
  if (op == "=") low = ceil, high = floor;
  d->allowed = low <= high ? d->allowed.Intersect(ValueDomain(low, high)) : ValueDomain();
  return true;
}

// Length bounds on a text column. The CHECKs' bounds are kept apart from the
// usual lengths (5 to 20), which move only as far as the bounds make them:
// length(x) <= 3 gives 3, length(x) >= 30 gives 30.
void NarrowLength(ColumnDraft* d, const std::string& op, int64_t n) {
  if (op == ">=" || op == "=") d->shortest = std::max(d->shortest, n);
  if (op == ">") d->shortest = std::max(d->shortest, n == INT64_MAX ? n : n + 1);
  if (op == "<=" || op == "=") d->longest = std::min(d->longest, n);
  if (op == "<") d->longest = std::min(d->longest, n - 1);
  const int64_t limit =
      d->column->length > 0 ? std::min<int64_t>(d->column->length, kMaxTextLength) : kMaxTextLength;
  const int64_t shortest = std::max<int64_t>(d->shortest, 0);
  const int64_t longest = std::min(d->longest, limit);
  ColumnGen& g = d->gen;
  if (shortest > longest) {  // none: DraftColumn refuses it
    g.min_length = 1;
    g.max_length = 0;
    return;
  }
  g.min_length = static_cast<uint32_t>(std::clamp<int64_t>(g.min_length, shortest, longest));
  g.max_length = static_cast<uint32_t>(std::clamp<int64_t>(g.max_length, shortest, longest));
}

// Applies one CHECK; false when a part of it is beyond the generator.
bool ApplyCheck(const SeedColumn::Check& check, const SeedColumn& c, ColumnDraft* d) {
  std::vector<CheckTerm> terms;
  if (!ParseColumnCheck(check.definition, check.domain ? "VALUE" : c.name, &terms)) return false;
  ColumnGen& g = d->gen;
  for (const CheckTerm& t : terms) {
    switch (t.kind) {
      case CheckTerm::Kind::kNotNull:
        d->not_null = true;
        break;
      case CheckTerm::Kind::kIn:
        if (g.form == ValueForm::kChoice) {
          std::vector<std::string> kept;
          for (const std::string& v : t.values) {
            if (std::find(g.values.begin(), g.values.end(), v) != g.values.end()) kept.push_back(v);
          }
          g.values = kept;
        } else {
          g.form = ValueForm::kChoice;
          g.values = t.values;
        }
        if (g.values.empty()) d->allowed = ValueDomain();
        break;
      case CheckTerm::Kind::kCompare:
        // A number stays one, its domain empty once no value is left: "x = 7"
        // after "x > 10 AND x < 5" must not become a choice of '7'.
        if (IsNumberForm(g.form)) {
          if (!Narrow(d, t.op, t.literal)) return false;
        } else if (t.op == "=" && g.form != ValueForm::kChoice) {
          g.form = ValueForm::kChoice;
          g.values = {t.literal};
        } else {
          return false;
        }
        break;
      case CheckTerm::Kind::kLength: {
        int64_t n = 0;
        if (g.form != ValueForm::kText || !ParseUnits(ValueForm::kInt, 0, t.literal, false, &n)) {
          return false;
        }
        NarrowLength(d, t.op, n);
        break;
      }
    }
  }
  return true;
}

// The values of a partition bound's parentheses: "('a', 'b')" -> a, b. An
// unquoted NULL is no value; *null says whether one was there.
std::vector<std::string> BoundValues(std::string_view inside, bool* null = nullptr) {
  std::vector<std::string> values(1);
  bool quoted = false;
  bool literal = false;  // the value being read was quoted: 'NULL' is a text
  auto finish = [&] {
    if (literal || values.back() != "NULL") return;
    values.pop_back();
    if (null != nullptr) *null = true;
  };
  for (size_t i = 0; i < inside.size(); ++i) {
    const char ch = inside[i];
    if (ch == '\'') {
      if (quoted && i + 1 < inside.size() && inside[i + 1] == '\'') {
        values.back() += '\'';
        ++i;
      } else {
        quoted = !quoted;
        literal = true;
      }
    } else if (ch == ',' && !quoted) {
      finish();
      values.emplace_back();
      literal = false;
    } else if (quoted || ch != ' ') {
      values.back() += ch;
    }
  }
  finish();
  return values;
}

// The text between the parentheses after `word` in a bound.
std::string_view Parenthesized(std::string_view bound, std::string_view word) {
  const size_t at = bound.find(word);
  if (at == std::string_view::npos) return {};
  const size_t open = bound.find('(', at);
  const size_t close = bound.find(')', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return bound.substr(open + 1, close - open - 1);
}

// Whether the column's other limits (type, CHECKs) let it take `v`, a value
// a list partition names; one that does not read is the server's to judge.
bool Allows(const ColumnDraft& d, const std::string& v) {
  const ColumnGen& g = d.gen;
  if (g.form == ValueForm::kChoice) {
    return std::find(g.values.begin(), g.values.end(), v) != g.values.end();
  }
  if (g.form == ValueForm::kText) {
    return static_cast<int64_t>(v.size()) >= d.shortest &&
           static_cast<int64_t>(v.size()) <= d.longest;
  }
  int64_t floor = 0, ceil = 0;
  if (!IsNumberForm(g.form) || !ParseUnits(g.form, g.scale, v, false, &floor) ||
      !ParseUnits(g.form, g.scale, v, true, &ceil)) {
    return true;
  }
  return floor == ceil && !d.allowed.Intersect(ValueDomain(floor, floor)).empty();
}

// Values of the partition key fall in some partition: a union of ranges, or
// the listed values the column's CHECKs allow too. A default partition takes
// anything. *takes_null says whether a row whose key is NULL has a partition:
// the default one, or one that lists NULL.
bool ApplyPartitions(const SeedPartitions& parts, ColumnDraft* d, bool* takes_null) {
  *takes_null = true;
  if (std::find(parts.bounds.begin(), parts.bounds.end(), "DEFAULT") != parts.bounds.end()) {
    return true;
  }
  *takes_null = false;
  ColumnGen& g = d->gen;
  if (parts.by_list) {
    std::vector<std::string> listed;
    for (const std::string& b : parts.bounds) {
      for (std::string& v : BoundValues(Parenthesized(b, " IN "), takes_null)) {
        if (Allows(*d, v)) listed.push_back(std::move(v));
      }
    }
    g.form = ValueForm::kChoice;
    g.values = listed;  // empty: DraftColumn refuses it
    return true;
  }
  if (!IsNumberForm(g.form)) return false;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (const std::string& b : parts.bounds) {
    const std::vector<std::string> from = BoundValues(Parenthesized(b, "FROM"));
    const std::vector<std::string> to = BoundValues(Parenthesized(b, " TO "));
    if (from.size() != 1 || to.size() != 1) return false;
    int64_t low = d->allowed.empty() ? 0 : d->allowed.low();
    int64_t high = d->allowed.empty() ? 0 : d->allowed.high();
    if (from[0] != "MINVALUE" && !ParseUnits(g.form, g.scale, from[0], true, &low)) return false;
    if (to[0] != "MAXVALUE") {
      if (!ParseUnits(g.form, g.scale, to[0], true, &high)) return false;
      --high;  // TO is exclusive
    }
    if (low <= high) ranges.emplace_back(low, high);
  }
  std::sort(ranges.begin(), ranges.end());
  ValueDomain partitions;
  for (const auto& [low, high] : ranges) partitions.Add(low, high);
  d->allowed = d->allowed.Intersect(partitions);
  return true;
}

}  // namespace

uint64_t HashText(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then mixed
  for (char c : text) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return Mix64(h);
}

Status DraftColumn(const SeedTable& table, size_t index, const GenRule* rule,
                   const SeedOptions& options, uint64_t table_key, const SampleReader& read_sample,
                   ColumnDraft* out) {
  const SeedColumn& c = table.columns[index];
  ColumnDraft& d = *out;
  d.column = &c;
  d.rule = rule;
  d.not_null = c.not_null;
  d.gen.name = c.name;
  d.gen.key = Mix64(table_key ^ HashText(c.name));
  d.gen.array = c.array;
  const std::string name = ColumnName(table, c);
  if (c.has_default && rule == nullptr) {
    d.loaded = false;
    return Status::OK();
  }
  const bool typed = SetUpType(c, &d);
  d.type_form = d.gen.form;
  const bool rule_says_what =
      rule != nullptr && rule->spec.kind != GenSpec::Kind::kAuto &&
      rule->spec.kind != GenSpec::Kind::kUniform && rule->spec.kind != GenSpec::Kind::kZipf &&
      rule->spec.kind != GenSpec::Kind::kNormal && rule->spec.kind != GenSpec::Kind::kSequence;
  if (!typed && !rule_says_what) {
    return Status::InvalidArgument(
        "column " + name + " has type " + c.sql_type +
        ", which the generator cannot make: give it values with --gen " + name +
        "=const:VALUE (or choice:A,B or pattern:TEXT{row}), leave it to a default with --gen " +
        name + "=default, or load the table from a file with --input");
  }
  if (typed) {
    for (const SeedColumn::Check& check : c.checks) {
      if (!ApplyCheck(check, c, &d)) {
        d.why.push_back("CHECK " + check.name + " left to the server");
        continue;
      }
      d.why.push_back("CHECK " + check.name);
      const bool empty = IsNumberForm(d.gen.form)           ? d.allowed.empty()
                         : d.gen.form == ValueForm::kChoice ? d.gen.values.empty()
                                                            : d.gen.min_length > d.gen.max_length;
      if (empty) {
        return Status::InvalidArgument("CHECK constraint " + check.name + " on " + name + " (" +
                                       check.definition + "): no value of " + c.sql_type +
                                       " satisfies it together with the column's other limits");
      }
    }
    if (table.partitions.column == static_cast<int>(index)) {
      bool takes_null = true;
      const bool applied = ApplyPartitions(table.partitions, &d, &takes_null);
      d.not_null |= !takes_null;  // else the server finds no partition for the row
      if (!applied) {
        d.why.push_back("partition bounds left to the server");
      } else if (IsNumberForm(d.gen.form)
                     ? d.allowed.empty()
                     : d.gen.form == ValueForm::kChoice && d.gen.values.empty()) {
        return Status::InvalidArgument("the partitions of " + table.name + " take no value of " +
                                       name + " that its CHECKs allow");
      } else {
        d.why.push_back("partition bounds");
      }
    }
  }
  d.null_share = d.not_null ? 0 : options.null_share;
  if (rule != nullptr) {
    Status s = ApplyRule(*rule, name, options, read_sample, &d);
    if (!s.ok()) return s;
  }
  if (IsNumberForm(d.gen.form)) {
    if (d.allowed.empty()) {
      return Status::InvalidArgument("column " + name + ": no value of " + c.sql_type +
                                     " satisfies its CHECKs");
    }
    // Usual values where the limits allow, else the allowed ones nearest.
    ValueDomain usual = d.preferred.empty() ? d.allowed : d.allowed.Intersect(d.preferred);
    if (usual.empty()) usual = d.allowed;
    d.gen.domain = usual;
  }
  return Status::OK();
}

}  // namespace loader
