#include <algorithm>
#include <memory>

#include "generate/seed_columns.h"
#include "loader/base/hash.h"

namespace loader {
namespace {

bool HasRule(const ColumnDraft& d) {
  return d.rule != nullptr && d.rule->spec.kind != GenSpec::Kind::kAuto;
}

// Distinct per row already: a permutation, a UUID (a bijection of the row),
// a sequence, or a pattern with the row number in it.
bool AlreadyUnique(const ColumnDraft& d) {
  const ColumnGen& g = d.gen;
  if (g.array) return false;
  if (g.form == ValueForm::kUuid || g.unique || g.draw == NumberDraw::kUnique) return true;
  if (IsNumberForm(g.form) && g.draw == NumberDraw::kSequence && g.seq_step != 0) return true;
  return g.form == ValueForm::kPattern && g.values.size() > 1;
}

std::string ColumnList(const SeedTable& table, const std::vector<int>& columns) {
  std::string out;
  for (int c : columns) out += (out.empty() ? "" : ", ") + table.columns[c].name;
  return out;
}

uint64_t SaturatingProduct(uint64_t a, uint64_t b) {
  return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

// A foreign key's columns take whole rows of a sample of the referenced key.
Status DraftReference(const SeedTable& table, const SeedReference& ref, const SeedOptions& options,
                      uint64_t table_key, const SampleReader& read_sample,
                      std::vector<ColumnDraft>* drafts, std::vector<std::string>* warnings) {
  bool nullable = true;
  for (int c : ref.columns) {
    const ColumnDraft& d = (*drafts)[c];
    if (!d.loaded || HasRule(d)) return Status::OK();  // the server's, or the user's
    nullable &= !d.not_null;
  }
  const std::string where =
      "foreign key " + ref.name + " on " + table.name + " (" + ColumnList(table, ref.columns) + ")";
  auto all_null = [&](const std::string& why) {
    for (int c : ref.columns) {
      (*drafts)[c].gen.form = ValueForm::kNull;
      (*drafts)[c].gen.array = false;
      (*drafts)[c].why.push_back(why);
    }
    warnings->push_back(where + ": " + why);
  };
  if (ref.ref_table == table.name) {
    if (nullable) {
      all_null("NULL: it references its own table, whose rows are not there yet");
      return Status::OK();
    }
    return Status::InvalidArgument(
        where +
        " references the table itself and is NOT NULL: generated rows cannot point at "
        "rows of their own load (they commit in any order). Make the columns nullable "
        "(they are then left NULL), or give them values with --gen");
  }
  ReferenceSample sample;
  Status s = read_sample(ref.ref_table, ref.ref_columns, options.ref_sample, options.seed, &sample);
  if (!s.ok()) return s.WithContext(where);
  if (sample.rows.empty() && options.planning) {
    sample.rows.assign(1, std::vector<std::string>(ref.ref_columns.size(), "?"));
    warnings->push_back(where + ": " + ref.ref_table + " has no rows yet; it must have some " +
                        "before this table is seeded (--schema seeds it first)");
  } else if (sample.rows.empty()) {
    if (nullable) {
      all_null("NULL: " + ref.ref_table + " has no rows to reference");
      return Status::OK();
    }
    return Status::InvalidArgument(where + " references " + ref.ref_table +
                                   ", which has no rows: seed it first (--schema seeds a "
                                   "schema's tables in order, referenced ones first)");
  }
  const uint64_t ref_key = Mix64(table_key ^ HashText(ref.name));
  for (size_t j = 0; j < ref.columns.size(); ++j) {
    ColumnDraft& d = (*drafts)[ref.columns[j]];
    d.in_reference = true;
    d.gen.form = ValueForm::kReference;
    d.gen.array = false;
    d.gen.values.clear();
    for (const auto& row : sample.rows) d.gen.values.push_back(row[j]);
    d.gen.ref_name = ref.ref_table + "(" + ref.ref_columns[j] + ")";
    d.gen.ref_key = ref_key;
    d.why.push_back("foreign key " + ref.name + ": " + std::to_string(sample.rows.size()) +
                    " rows of " + ref.ref_table + " sampled");
  }
  return Status::OK();
}

// Whether a column can be one digit of a key's combinations, and how many
// values that digit has: a foreign key's sample rows, a number's domain, a
// choice's values. 0: it cannot.
uint64_t DigitSize(const ColumnDraft& d) {
  if (HasRule(d) || d.gen.array) return 0;
  if (d.in_reference || d.gen.form == ValueForm::kChoice) return d.gen.values.size();
  return IsNumberForm(d.gen.form) ? d.allowed.size() : 0;
}

// A key no column of which has enough values alone (an association table's,
// or (order_id, line)): row i takes combination number i of a permutation of
// all the combinations of its columns' values, the columns of one foreign
// key moving together as one digit.
Status Combine(const SeedTable& table, const SeedKey& key, const SeedOptions& options,
               uint64_t table_key, std::vector<ColumnDraft>* drafts,
               std::vector<std::string>* warnings) {
  std::vector<int> digits;       // a column of each digit
  std::vector<uint64_t> groups;  // the foreign keys already a digit
  uint64_t combinations = 1;
  const SeedKey* shared = nullptr;  // an earlier key whose combinations a column follows
  for (int c : key.columns) {
    const ColumnDraft& d = (*drafts)[c];
    if (d.combined_for != nullptr) {  // a digit of its own: changing it would break that key
      shared = d.combined_for;
      continue;
    }
    const uint64_t size = DigitSize(d);
    if (size == 0) continue;
    if (d.in_reference) {
      if (std::find(groups.begin(), groups.end(), d.gen.ref_key) != groups.end()) continue;
      groups.push_back(d.gen.ref_key);
    }
    digits.push_back(c);
    combinations = SaturatingProduct(combinations, size);
  }
  const std::string where =
      "key " + key.name + " on " + table.name + " (" + ColumnList(table, key.columns) + ")";
  // The other columns alone may still be enough; else the server judges.
  if (shared != nullptr && combinations < options.rows) {
    warnings->push_back(where + " shares columns with key " + shared->name +
                        ", whose combinations they follow: its values may repeat, and the "
                        "server refuses a duplicate");
    return Status::OK();
  }
  if (digits.empty()) {
    warnings->push_back(where +
                        ": its columns follow --gen rules, which may repeat values; the server "
                        "refuses a duplicate");
    return Status::OK();
  }
  if (combinations < options.rows && !options.planning) {
    return Status::InvalidArgument(
        where + " needs " + std::to_string(options.rows) +
        " distinct values, but its columns give only " + std::to_string(combinations) +
        " together: load fewer rows, widen the columns, or seed more rows into the referenced "
        "tables (or raise --ref-sample)");
  }
  // Planning (an empty referenced table's placeholder) may have fewer
  // combinations than rows: a permutation of the rows then, whose digits
  // repeat, as ScatteredIds maps only indexes below its size.
  auto permutation = std::make_shared<const ScatteredIds>(std::max(combinations, options.rows),
                                                          Mix64(table_key ^ HashText(key.name)));
  uint64_t stride = 1;
  for (int c : digits) {
    ColumnDraft& digit = (*drafts)[c];
    const uint64_t size = DigitSize(digit);
    for (ColumnDraft& d : *drafts) {
      const bool same_reference =
          digit.in_reference && d.in_reference && d.gen.ref_key == digit.gen.ref_key;
      if (&d != &digit && !same_reference) continue;
      d.gen.combination = permutation;
      d.gen.combination_stride = stride;
      d.combined_for = &key;
      if (IsNumberForm(d.gen.form) && !d.in_reference) {
        d.gen.draw = NumberDraw::kCombination;
        d.gen.domain = d.allowed;
      }
    }
    stride = SaturatingProduct(stride, size);
  }
  for (int c : key.columns) (*drafts)[c].why.push_back("distinct combinations for key " + key.name);
  return Status::OK();
}

Status DraftKey(const SeedTable& table, const SeedKey& key, const SeedOptions& options,
                uint64_t table_key, std::vector<ColumnDraft>* drafts,
                std::vector<std::string>* warnings) {
  // Holding all the columns of an earlier key's combinations, it is distinct.
  auto in_key = [&](int c) {
    return std::find(key.columns.begin(), key.columns.end(), c) != key.columns.end();
  };
  for (int c : key.columns) {
    const SeedKey* earlier = (*drafts)[c].combined_for;
    if (earlier != nullptr &&
        std::all_of(earlier->columns.begin(), earlier->columns.end(), in_key)) {
      return Status::OK();
    }
  }
  int best = -1;
  uint64_t best_values = 0;
  for (int c : key.columns) {
    const ColumnDraft& d = (*drafts)[c];
    if (!d.loaded || AlreadyUnique(d)) return Status::OK();  // a serial's, or distinct already
    if (HasRule(d) || d.in_reference || d.gen.array || d.combined_for != nullptr) continue;
    const uint64_t values = DistinctValues(d);
    if (best < 0 || values > best_values) best = c, best_values = values;
  }
  // One column distinct alone, when one can be; else combinations of all.
  if (best >= 0 && (best_values >= options.rows || key.columns.size() == 1)) {
    ColumnDraft& d = (*drafts)[best];
    std::string why;
    if (!MakeUnique(options, Mix64(table_key ^ HashText(key.name) ^ HashText(d.column->name)), &d,
                    &why)) {
      return Status::InvalidArgument("key " + key.name + " on " + table.name + " (" +
                                     ColumnList(table, key.columns) + ") needs " +
                                     std::to_string(options.rows) + " distinct values, but " + why +
                                     ": load fewer rows, or widen the column");
    }
    d.why.push_back(std::string("distinct for ") + (key.primary ? "primary key " : "key ") +
                    key.name);
    return Status::OK();
  }
  return Combine(table, key, options, table_key, drafts, warnings);
}

}  // namespace

uint64_t DistinctValues(const ColumnDraft& d) {
  const ColumnGen& g = d.gen;
  if (g.array) return 0;
  auto power = [](uint64_t base, uint32_t exponent) {
    uint64_t v = 1;
    for (uint32_t i = 0; i < exponent; ++i) v = SaturatingProduct(v, base);
    return v;
  };
  if (IsNumberForm(g.form)) return d.allowed.size();
  switch (g.form) {
    case ValueForm::kText:
      return power(32, g.max_length);
    case ValueForm::kBytea:
      return power(256, g.max_length);
    case ValueForm::kUuid:
    case ValueForm::kJson:
      return UINT64_MAX;
    case ValueForm::kChoice:
      return g.values.size();
    default:
      return 0;
  }
}

bool MakeUnique(const SeedOptions& options, uint64_t key, ColumnDraft* d, std::string* why) {
  const uint64_t rows = options.rows;
  if (rows == 0) return true;
  ColumnGen& g = d->gen;
  const uint64_t values = DistinctValues(*d);
  if (values < rows) {
    *why = "column " + d->column->name + " (" + d->column->sql_type + ") can take only " +
           std::to_string(values) + (d->why.empty() ? "" : " (with its " + d->why.front() + ")");
    return false;
  }
  g.unique.emplace(rows, key);
  g.cumulative_weights.clear();
  switch (g.form) {
    case ValueForm::kText: {
      uint32_t digits = 1;
      for (uint64_t n = (rows - 1) >> 5; n > 0; n >>= 5) ++digits;
      g.unique_digits = digits;
      g.min_length = std::max(g.min_length, digits);
      g.max_length = std::max(g.max_length, g.min_length);
      break;
    }
    case ValueForm::kBytea:
      g.min_length = std::max<uint32_t>(g.min_length, 8);
      g.max_length = std::max(g.max_length, g.min_length);
      break;
    case ValueForm::kChoice:
    case ValueForm::kJson:
    case ValueForm::kUuid:
      break;
    default: {
      // Numbers: from the usual start (1 for integers, 2000-01-01 for dates)
      // when the domain holds enough from there, else from its low end.
      const int64_t start = g.form == ValueForm::kInt || g.form == ValueForm::kDecimal
                                ? 1
                                : (d->preferred.empty() ? d->allowed.low() : d->preferred.low());
      ValueDomain from_start = d->allowed.Intersect(ValueDomain(start, d->allowed.high()));
      g.domain = from_start.size() >= rows ? from_start : d->allowed;
      // Only the first `rows` values are ever drawn: say so in the plan.
      const auto& [low, high] = g.domain.intervals().front();
      if (static_cast<uint64_t>(high) - static_cast<uint64_t>(low) >= rows - 1) {
        g.domain = ValueDomain(low, static_cast<int64_t>(static_cast<uint64_t>(low) + rows - 1));
      }
      g.draw = NumberDraw::kUnique;
      break;
    }
  }
  return true;
}

Status DraftKeysAndReferences(const SeedTable& table, const SeedOptions& options,
                              uint64_t table_key, const SampleReader& read_sample,
                              std::vector<ColumnDraft>* drafts,
                              std::vector<std::string>* warnings) {
  for (const SeedReference& ref : table.references) {
    Status s = DraftReference(table, ref, options, table_key, read_sample, drafts, warnings);
    if (!s.ok()) return s;
  }
  // The primary key first: its columns are the ones to make distinct.
  std::vector<const SeedKey*> keys;
  for (const SeedKey& k : table.keys) keys.insert(k.primary ? keys.begin() : keys.end(), &k);
  for (const SeedKey* key : keys) {
    Status s = DraftKey(table, *key, options, table_key, drafts, warnings);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace loader
