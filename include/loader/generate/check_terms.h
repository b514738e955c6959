// Reads a CHECK constraint on one column, as the server prints it
// (pg_get_constraintdef on PostgreSQL, its CockroachDB equivalent), into the
// bounds the generator can honour: comparisons with a literal, IN lists and
// bounds on the length of a text value, joined by AND. Anything else is not
// understood, and the server stays the judge of it.
#ifndef LOADER_GENERATE_CHECK_TERMS_H_
#define LOADER_GENERATE_CHECK_TERMS_H_

#include <string>
#include <string_view>
#include <vector>

namespace loader {

struct CheckTerm {
  enum class Kind {
    kCompare,  // column OP literal
    kIn,       // column IN (values...), or = ANY (ARRAY[...])
    kLength,   // length(column) OP literal (also char_length, character_length,
               // octet_length); column <> '' reads as length(column) > 0
    kNotNull,  // column IS NOT NULL
  };
  Kind kind = Kind::kCompare;
  // kCompare and kLength: one of "=", "<", "<=", ">", ">=" (the column on the
  // left: "0 < x" reads as x > 0).
  std::string op;
  // kCompare and kLength: the literal without quotes or casts: "0", "-1.5",
  // "2024-01-01", "it's" (a doubled quote undone).
  std::string literal;
  std::vector<std::string> values;  // kIn: the literals, as above, in order
};

// Parses `definition` ("CHECK ((qty > 0))", "CHECK (((qty >= 1) AND (qty <=
// 100)))", "CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))",
// CockroachDB's "CHECK ((qty > 0:::INT8))") as a conjunction of terms on
// `column` (for a domain's checks: "VALUE"). `column` is compared exactly
// with the name as printed, after removing double quotes. x BETWEEN a AND b
// gives two terms; a trailing NOT VALID or NO INHERIT is ignored. On success
// `*terms` is replaced. Returns false, with `terms` unspecified, when any
// part of it is another form (OR, NOT, <> other than '', arithmetic, other
// functions...), names another column, or is malformed; never reads outside
// `definition`, and refuses nesting deeper than 64 levels.
// REQUIRES: terms != nullptr.
bool ParseColumnCheck(std::string_view definition, std::string_view column,
                      std::vector<CheckTerm>* terms);

}  // namespace loader

#endif  // LOADER_GENERATE_CHECK_TERMS_H_
