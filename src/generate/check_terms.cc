#include "loader/generate/check_terms.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <initializer_list>
#include <utility>

namespace loader {
namespace {

enum class Tok { kWord, kQuoted, kNumber, kString, kOp, kPunct, kCast, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // kQuoted and kString: without the quotes, doubled quotes undone
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c) || c == '$'; }

bool SameWord(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

bool IsOneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return SameWord(word, w); });
}

size_t SkipDigits(std::string_view in, size_t i) {
  while (i < in.size() && IsDigit(in[i])) ++i;
  return i;
}

// Reads the quoted run that starts at in[*pos]; on success *pos is just past it.
bool ReadQuoted(std::string_view in, size_t* pos, std::string* text) {
  const char quote = in[*pos];
  for (size_t i = *pos + 1; i < in.size(); ++i) {
    if (in[i] == quote && (i + 1 == in.size() || in[i + 1] != quote)) {
      *pos = i + 1;
      return true;
    }
    text->push_back(in[i]);
    if (in[i] == quote) ++i;  // the first of a doubled quote
  }
  return false;
}

// Any character outside the accepted grammar (+ - * / ~ % | ...) fails here, which is how
// arithmetic, regular expressions and unary minus on an expression are refused.
bool Tokenize(std::string_view in, std::vector<Token>* out) {
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    const char next = i + 1 < in.size() ? in[i + 1] : '\0';
    if (std::string_view(" \t\r\n").find(c) != std::string_view::npos) {
      ++i;
      continue;
    }
    Token token;
    size_t end = i + 1;
    if (IsWordStart(c)) {
      token.kind = Tok::kWord;
      while (end < in.size() && IsWordChar(in[end])) ++end;
    } else if (c == '"' || c == '\'') {
      token.kind = c == '"' ? Tok::kQuoted : Tok::kString;
      end = i;
      if (!ReadQuoted(in, &end, &token.text)) return false;
    } else if (IsDigit(c) || (c == '-' && IsDigit(next))) {
      token.kind = Tok::kNumber;
      end = SkipDigits(in, i + 1);
      if (end < in.size() && in[end] == '.') end = SkipDigits(in, end + 1);
      if (end < in.size() && (in[end] == 'e' || in[end] == 'E')) {
        size_t exponent = end + 1;
        if (exponent < in.size() && (in[exponent] == '+' || in[exponent] == '-')) ++exponent;
        if (exponent < in.size() && IsDigit(in[exponent])) end = SkipDigits(in, exponent);
      }
    } else if (c == ':' && next == ':') {
      token.kind = Tok::kCast;  // PostgreSQL's :: or CockroachDB's :::
      end = i + 2 < in.size() && in[i + 2] == ':' ? i + 3 : i + 2;
    } else if ((c == '<' && (next == '=' || next == '>')) ||
               ((c == '>' || c == '!') && next == '=')) {
      token.kind = Tok::kOp;
      end = i + 2;
    } else if (c == '<' || c == '>' || c == '=') {
      token.kind = Tok::kOp;
    } else if (std::string_view("()[],.").find(c) != std::string_view::npos) {
      token.kind = Tok::kPunct;
    } else {
      return false;
    }
    if (token.kind != Tok::kQuoted && token.kind != Tok::kString) {
      token.text = std::string(in.substr(i, end - i));
    }
    out->push_back(std::move(token));
    i = end;
  }
  out->push_back(Token{});
  return true;
}

// What a parsed piece of the expression turned out to be. A parenthesised group may be a
// value ("(0)::numeric") or a conjunction ("(x > 0)"), which is only known after reading it.
struct Operand {
  enum class Kind { kColumn, kLength, kLiteral, kList, kTerms };
  Kind kind = Kind::kTerms;
  std::string literal;              // kLiteral
  std::vector<std::string> values;  // kList
  std::vector<CheckTerm> terms;     // kTerms
};

// Bounds the recursion, so that a fuzzed "((((..." cannot exhaust the stack.
constexpr int kMaxDepth = 64;

class CheckParser {
 public:
  CheckParser(const std::vector<Token>* tokens, std::string_view column)
      : tokens_(tokens), column_(column) {}

  bool Parse(std::vector<CheckTerm>* terms) {
    Operand body;
    if (!AcceptWord("CHECK") || !Is(Tok::kPunct, "(") || !Value(&body) ||
        body.kind != Operand::Kind::kTerms) {
      return false;
    }
    // Suffixes pg_get_constraintdef may print; neither changes what a new row must satisfy.
    while (!AtEnd()) {
      const bool ok =
          AcceptWord("NOT") ? AcceptWord("VALID") : AcceptWord("NO") && AcceptWord("INHERIT");
      if (!ok) return false;
    }
    *terms = std::move(body.terms);
    return true;
  }

 private:
  using Kind = Operand::Kind;

  const Token& Peek(size_t ahead = 0) const {
    return (*tokens_)[std::min(pos_ + ahead, tokens_->size() - 1)];
  }
  bool AtEnd() const { return Peek().kind == Tok::kEnd; }
  bool Is(Tok kind, std::string_view text, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == kind &&
           (kind == Tok::kWord ? SameWord(token.text, text) : token.text == text);
  }
  bool Accept(Tok kind, std::string_view text) {
    if (!Is(kind, text)) return false;
    ++pos_;
    return true;
  }
  bool AcceptWord(std::string_view word) { return Accept(Tok::kWord, word); }

  // conjunction := predicate (AND predicate)*
  bool Conjunction(Operand* out) {
    if (!Predicate(out)) return false;
    if (!Is(Tok::kWord, "AND")) return true;
    if (out->kind != Kind::kTerms) return false;
    while (AcceptWord("AND")) {
      Operand next;
      if (!Predicate(&next) || next.kind != Kind::kTerms) return false;
      out->terms.insert(out->terms.end(), next.terms.begin(), next.terms.end());
    }
    return true;
  }

  // predicate := value [op value | = ANY value | IS NOT NULL | BETWEEN value AND value
  //                     | IN ( value, ... )]
  bool Predicate(Operand* out) {
    Operand lhs, rhs, high;
    if (!Value(&lhs)) return false;
    const bool column = lhs.kind == Kind::kColumn;
    out->kind = Kind::kTerms;
    std::vector<CheckTerm>& terms = out->terms;
    if (Peek().kind == Tok::kOp) {
      const std::string op = Peek().text;
      ++pos_;
      if (op == "=" && AcceptWord("ANY")) {
        if (!column || !Is(Tok::kPunct, "(") || !Value(&rhs) || rhs.kind != Kind::kList) {
          return false;
        }
        terms.emplace_back().kind = CheckTerm::Kind::kIn;
        terms.back().values = std::move(rhs.values);
        return true;
      }
      return Value(&rhs) && Compare(lhs, op, rhs, &terms);
    }
    if (AcceptWord("IS")) {
      terms.emplace_back().kind = CheckTerm::Kind::kNotNull;
      return column && AcceptWord("NOT") && AcceptWord("NULL");
    }
    if (AcceptWord("BETWEEN")) {
      return Value(&rhs) && AcceptWord("AND") && Value(&high) && Compare(lhs, ">=", rhs, &terms) &&
             Compare(lhs, "<=", high, &terms);
    }
    if (AcceptWord("IN")) {
      terms.emplace_back().kind = CheckTerm::Kind::kIn;
      return column && Accept(Tok::kPunct, "(") && Literals(")", &terms.back().values);
    }
    *out = std::move(lhs);
    return true;
  }

  // value := primary (cast type)*; casts change nothing the generator needs. Every
  // recursion passes here, so the depth is bounded here; the parser never backtracks, so
  // a failure need not restore it.
  bool Value(Operand* out) {
    if (++depth_ > kMaxDepth || !Primary(out)) return false;
    while (Peek().kind == Tok::kCast) {
      ++pos_;
      if (out->kind == Kind::kTerms || !TypeName()) return false;
    }
    --depth_;
    return true;
  }

  // primary := ( conjunction ) | number | string | column | length-fn ( value )
  //          | ARRAY [ value, ... ]
  bool Primary(Operand* out) {
    const Token& token = Peek();
    if (Accept(Tok::kPunct, "(")) return Conjunction(out) && Accept(Tok::kPunct, ")");
    if (token.kind == Tok::kNumber || token.kind == Tok::kString) {
      ++pos_;
      out->kind = Kind::kLiteral;
      out->literal = token.text;
      return true;
    }
    if (token.kind == Tok::kQuoted) {
      ++pos_;
      return Column(token.text, out);
    }
    if (token.kind != Tok::kWord) return false;
    if (Is(Tok::kPunct, "(", 1)) {
      if (!IsOneOf(token.text, {"length", "char_length", "character_length", "octet_length"})) {
        return false;
      }
      pos_ += 2;
      if (!Value(out) || out->kind != Kind::kColumn || !Accept(Tok::kPunct, ")")) return false;
      out->kind = Kind::kLength;
      return true;
    }
    if (SameWord(token.text, "ARRAY") && Is(Tok::kPunct, "[", 1)) {
      pos_ += 2;
      out->kind = Kind::kList;
      return Literals("]", &out->values);
    }
    // Unquoted, these are keywords, never a column: the server quotes a column so named.
    if (IsOneOf(token.text, {"AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "BETWEEN", "IN",
                             "ANY", "ALL", "SOME", "ARRAY", "CASE", "CHECK"})) {
      return false;
    }
    ++pos_;
    return Column(token.text, out);
  }

  // Another column makes the constraint a relation between columns, which is not a bound.
  bool Column(std::string_view name, Operand* out) const {
    if (name != column_) return false;
    out->kind = Kind::kColumn;
    return true;
  }

  // literals := value (, value)* close, every value a literal. An empty list is refused:
  // nothing could satisfy it.
  bool Literals(std::string_view close, std::vector<std::string>* values) {
    do {
      Operand item;
      if (!Value(&item) || item.kind != Kind::kLiteral) return false;
      values->push_back(std::move(item.literal));
    } while (Accept(Tok::kPunct, ","));
    return Accept(Tok::kPunct, close);
  }

  // Skips a type name after a cast: "date", "public.mood", "\"char\"", "numeric(10,2)",
  // "timestamp(3) without time zone", "character varying(20)[]", "DECIMAL(10,2)", "STRING[]".
  bool TypeName() {
    do {
      if (Peek().kind != Tok::kWord && Peek().kind != Tok::kQuoted) return false;
      ++pos_;
    } while (Accept(Tok::kPunct, "."));
    while (true) {
      if (Peek().kind == Tok::kWord &&
          IsOneOf(Peek().text, {"varying", "precision", "with", "without", "time", "zone"})) {
        ++pos_;
      } else if (Accept(Tok::kPunct, "(")) {
        do {
          if (Peek().kind != Tok::kNumber) return false;
          ++pos_;
        } while (Accept(Tok::kPunct, ","));
        if (!Accept(Tok::kPunct, ")")) return false;
      } else if (Accept(Tok::kPunct, "[")) {
        if (Peek().kind == Tok::kNumber) ++pos_;
        if (!Accept(Tok::kPunct, "]")) return false;
      } else {
        return true;
      }
    }
  }

  static std::string Flipped(std::string op) {
    if (op == "<>") return op;
    for (char& c : op) c = c == '<' ? '>' : (c == '>' ? '<' : c);
    return op;
  }

  // Reads "subject op literal" (or "literal op subject", turned around) as one term.
  static bool Compare(Operand lhs, std::string op, Operand rhs, std::vector<CheckTerm>* terms) {
    if (lhs.kind == Kind::kLiteral) {
      std::swap(lhs, rhs);
      op = Flipped(op);
    }
    const bool length = lhs.kind == Kind::kLength;
    if ((!length && lhs.kind != Kind::kColumn) || rhs.kind != Kind::kLiteral) return false;
    CheckTerm& term = terms->emplace_back();
    if (op == "<>" || op == "!=") {
      // Only "not empty" is a bound the generator can honour; any other <> is a hole.
      term = {CheckTerm::Kind::kLength, ">", "0", {}};
      return !length && rhs.literal.empty();
    }
    term = {length ? CheckTerm::Kind::kLength : CheckTerm::Kind::kCompare, op, rhs.literal, {}};
    return true;
  }

  const std::vector<Token>* tokens_;
  std::string_view column_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

bool ParseColumnCheck(std::string_view definition, std::string_view column,
                      std::vector<CheckTerm>* terms) {
  terms->clear();
  std::vector<Token> tokens;
  if (!Tokenize(definition, &tokens)) return false;
  return CheckParser(&tokens, column).Parse(terms);
}

}  // namespace loader
