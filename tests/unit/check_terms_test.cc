#include "loader/generate/check_terms.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace loader {
namespace {

// "qty>=1 & qty<=100", "len(code)>0", "status in [new,paid]", "nn not null",
// or "not understood".
std::string Parse(std::string_view definition, std::string_view column) {
  std::vector<CheckTerm> terms;
  if (!ParseColumnCheck(definition, column, &terms)) return "not understood";
  const std::string name(column);
  std::string out;
  for (const CheckTerm& term : terms) {
    if (!out.empty()) out += " & ";
    switch (term.kind) {
      case CheckTerm::Kind::kCompare:
        out += name + term.op + term.literal;
        break;
      case CheckTerm::Kind::kLength:
        out += "len(" + name + ")" + term.op + term.literal;
        break;
      case CheckTerm::Kind::kIn:
        out += name + " in [";
        for (size_t i = 0; i < term.values.size(); ++i) {
          out += (i ? "," : "") + term.values[i];
        }
        out += "]";
        break;
      case CheckTerm::Kind::kNotNull:
        out += name + " not null";
        break;
    }
  }
  return out;
}

constexpr char kNo[] = "not understood";

TEST(CheckTerms, ComparisonsWithNumbers) {
  EXPECT_EQ(Parse("CHECK ((qty > 0))", "qty"), "qty>0");
  EXPECT_EQ(Parse("CHECK ((x = 5))", "x"), "x=5");
  EXPECT_EQ(Parse("CHECK ((x < 10))", "x"), "x<10");
  EXPECT_EQ(Parse("CHECK ((x <= -3))", "x"), "x<=-3");
  EXPECT_EQ(Parse("CHECK ((price >= 0.01))", "price"), "price>=0.01");
  EXPECT_EQ(Parse("CHECK ((f > 1.5e10))", "f"), "f>1.5e10");
  EXPECT_EQ(Parse("CHECK (((qty >= 1) AND (qty <= 100)))", "qty"), "qty>=1 & qty<=100");
}

TEST(CheckTerms, LiteralOnTheLeftIsTurnedAround) {
  EXPECT_EQ(Parse("CHECK ((0 < qty))", "qty"), "qty>0");
  EXPECT_EQ(Parse("CHECK ((0 <= qty))", "qty"), "qty>=0");
  EXPECT_EQ(Parse("CHECK ((100 > qty))", "qty"), "qty<100");
  EXPECT_EQ(Parse("CHECK ((100 >= qty))", "qty"), "qty<=100");
  EXPECT_EQ(Parse("CHECK ((5 = qty))", "qty"), "qty=5");
  EXPECT_EQ(Parse("CHECK ((2 <= length(code)))", "code"), "len(code)>=2");
}

TEST(CheckTerms, CastsOnLiteralsAreStripped) {
  EXPECT_EQ(Parse("CHECK ((price >= (0)::numeric))", "price"), "price>=0");
  EXPECT_EQ(Parse("CHECK ((price > ('-1.5'::numeric)))", "price"), "price>-1.5");
  EXPECT_EQ(Parse("CHECK ((p3 > '-1.5'::numeric))", "p3"), "p3>-1.5");
  EXPECT_EQ(Parse("CHECK ((bi > '-1'::integer))", "bi"), "bi>-1");
  EXPECT_EQ(Parse("CHECK (((p4 >= ('-100'::integer)::numeric) AND (p4 <= (5)::numeric)))", "p4"),
            "p4>=-100 & p4<=5");
  EXPECT_EQ(Parse("CHECK ((f > ('15000000000'::numeric)::double precision))", "f"),
            "f>15000000000");
  EXPECT_EQ(Parse("CHECK ((x > ((('7'::text)::integer)::bigint)))", "x"), "x>7");
  EXPECT_EQ(Parse("CHECK ((s5 = 'it''s'::text))", "s5"), "s5=it's");
}

TEST(CheckTerms, DatesAndTimestamps) {
  EXPECT_EQ(Parse("CHECK ((d >= '2020-01-01'::date))", "d"), "d>=2020-01-01");
  EXPECT_EQ(Parse("CHECK (((ts >= '2024-01-01 00:00:00'::timestamp without time zone) AND "
                  "(ts < '2025-01-01 00:00:00'::timestamp without time zone)))",
                  "ts"),
            "ts>=2024-01-01 00:00:00 & ts<2025-01-01 00:00:00");
  EXPECT_EQ(Parse("CHECK ((tz > '2024-01-01 00:00:00+00'::timestamp with time zone))", "tz"),
            "tz>2024-01-01 00:00:00+00");
  EXPECT_EQ(Parse("CHECK ((t3 < '12:00:00'::time without time zone))", "t3"), "t3<12:00:00");
}

TEST(CheckTerms, TypeNamesWithModifiersSchemasAndArrays) {
  EXPECT_EQ(Parse("CHECK ((p > (1)::numeric(10,2)))", "p"), "p>1");
  EXPECT_EQ(Parse("CHECK ((t > '2020-01-01'::timestamp(3) without time zone))", "t"),
            "t>2020-01-01");
  EXPECT_EQ(Parse("CHECK ((c = 'a'::character varying(20)))", "c"), "c=a");
  EXPECT_EQ(Parse("CHECK ((c = 'a'::\"char\"))", "c"), "c=a");
  EXPECT_EQ(Parse("CHECK ((m = 'a'::public.mood))", "m"), "m=a");
  EXPECT_EQ(Parse("CHECK ((s4 = 'abc'::bpchar))", "s4"), "s4=abc");
  EXPECT_EQ(Parse("CHECK ((n = ANY ((ARRAY[1, 2])::integer[3])))", "n"), "n in [1,2]");
}

TEST(CheckTerms, InLists) {
  EXPECT_EQ(Parse("CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text])))", "status"),
            "status in [new,paid]");
  EXPECT_EQ(Parse("CHECK (((status)::text = ANY ((ARRAY['new'::character varying, "
                  "'paid'::character varying])::text[])))",
                  "status"),
            "status in [new,paid]");
  EXPECT_EQ(Parse("CHECK ((n = ANY (ARRAY[1, 2, 3])))", "n"), "n in [1,2,3]");
  EXPECT_EQ(Parse("CHECK ((n = ANY (ARRAY[-1, 2.5])))", "n"), "n in [-1,2.5]");
  EXPECT_EQ(Parse("CHECK ((status IN ('a', 'b')))", "status"), "status in [a,b]");
  EXPECT_EQ(Parse("CHECK ((s IN ('it''s', '')))", "s"), "s in [it's,]");
  EXPECT_EQ(Parse("CHECK ((m = 'a'::mood))", "m"), "m=a");
}

TEST(CheckTerms, Lengths) {
  EXPECT_EQ(Parse("CHECK ((length(code) = 3))", "code"), "len(code)=3");
  EXPECT_EQ(Parse("CHECK ((char_length((name)::text) >= 2))", "name"), "len(name)>=2");
  EXPECT_EQ(Parse("CHECK ((length((code)::text) <= 10))", "code"), "len(code)<=10");
  EXPECT_EQ(Parse("CHECK ((octet_length(c4) <= 10))", "c4"), "len(c4)<=10");
  EXPECT_EQ(Parse("CHECK ((character_length(c) < 5))", "c"), "len(c)<5");
  EXPECT_EQ(Parse("CHECK (((length(c) >= 1) AND (length(c) <= 8)))", "c"), "len(c)>=1 & len(c)<=8");
}

TEST(CheckTerms, NotEmptyBecomesAPositiveLength) {
  EXPECT_EQ(Parse("CHECK (((code)::text <> ''::text))", "code"), "len(code)>0");
  EXPECT_EQ(Parse("CHECK ((code != ''))", "code"), "len(code)>0");
  EXPECT_EQ(Parse("CHECK (('' <> code))", "code"), "len(code)>0");
  EXPECT_EQ(Parse("CHECK ((code <> '':::STRING))", "code"), "len(code)>0");
  EXPECT_EQ(Parse("CHECK ((length(code) > 0))", "code"), "len(code)>0");
}

TEST(CheckTerms, BetweenNotNullAndMixedConjunctions) {
  EXPECT_EQ(Parse("CHECK ((x BETWEEN 1 AND 5))", "x"), "x>=1 & x<=5");
  EXPECT_EQ(Parse("CHECK ((x BETWEEN 1 AND 5) AND (x <> ''))", "x"), "x>=1 & x<=5 & len(x)>0");
  EXPECT_EQ(Parse("CHECK (x BETWEEN '2020-01-01'::date AND '2021-01-01'::date)", "x"),
            "x>=2020-01-01 & x<=2021-01-01");
  EXPECT_EQ(Parse("CHECK ((length(x) BETWEEN 2 AND 4))", "x"), "len(x)>=2 & len(x)<=4");
  EXPECT_EQ(Parse("CHECK ((x IS NOT NULL))", "x"), "x not null");
  EXPECT_EQ(
      Parse("CHECK (((x IS NOT NULL) AND (x = ANY (ARRAY['a'::text])) AND (length(x) < 3)))", "x"),
      "x not null & x in [a] & len(x)<3");
  EXPECT_EQ(Parse("CHECK ((((qty > 0)) AND (((qty < 5) AND (qty <> ''))))) NOT VALID", "qty"),
            "qty>0 & qty<5 & len(qty)>0");
  EXPECT_EQ(Parse("CHECK ((x > 0)) NO INHERIT", "x"), "x>0");
  EXPECT_EQ(Parse("  CHECK\n(\t(x > 0) )  ", "x"), "x>0");
  EXPECT_EQ(Parse("check ((x > 0) and (x is not null))", "x"), "x>0 & x not null");
}

TEST(CheckTerms, CockroachDbForms) {
  EXPECT_EQ(Parse("CHECK ((qty > 0:::INT8))", "qty"), "qty>0");
  EXPECT_EQ(Parse("CHECK ((qty > 0:::INT8) AND (qty < 10:::INT8))", "qty"), "qty>0 & qty<10");
  EXPECT_EQ(Parse("CHECK ((price >= 1.5:::DECIMAL))", "price"), "price>=1.5");
  EXPECT_EQ(Parse("CHECK ((price >= 0:::DECIMAL(10,2)))", "price"), "price>=0");
  EXPECT_EQ(Parse("CHECK ((x >= -1:::INT8))", "x"), "x>=-1");
  EXPECT_EQ(Parse("CHECK ((ts >= '2024-01-01 00:00:00':::TIMESTAMP))", "ts"),
            "ts>=2024-01-01 00:00:00");
  EXPECT_EQ(Parse("CHECK ((ts < '2025-01-01 00:00:00+00:00':::TIMESTAMPTZ))", "ts"),
            "ts<2025-01-01 00:00:00+00:00");
  EXPECT_EQ(Parse("CHECK ((status IN ('a':::STRING, 'b':::STRING)))", "status"), "status in [a,b]");
  EXPECT_EQ(Parse("CHECK ((n = ANY (ARRAY[1:::INT8, 2:::INT8]:::INT8[])))", "n"), "n in [1,2]");
  EXPECT_EQ(Parse("CHECK ((length(code) = 3:::INT8))", "code"), "len(code)=3");
  EXPECT_EQ(Parse("CHECK ((v IS NOT NULL) AND (v != '':::STRING))", "v"), "v not null & len(v)>0");
}

TEST(CheckTerms, DomainChecksUseValue) {
  EXPECT_EQ(Parse("CHECK ((VALUE > 0))", "VALUE"), "VALUE>0");
  EXPECT_EQ(Parse("CHECK ((VALUE = ANY (ARRAY['a'::text, 'b'::text])))", "VALUE"),
            "VALUE in [a,b]");
  EXPECT_EQ(Parse("CHECK ((length(VALUE) <= 5))", "VALUE"), "len(VALUE)<=5");
}

TEST(CheckTerms, QuotedIdentifiersAreUnquotedAndComparedExactly) {
  EXPECT_EQ(Parse("CHECK ((\"Order Qty\" > 0))", "Order Qty"), "Order Qty>0");
  EXPECT_EQ(Parse("CHECK ((\"a\"\"b\" > 0))", "a\"b"), "a\"b>0");
  EXPECT_EQ(Parse("CHECK ((\"select\" >= 1))", "select"), "select>=1");
  EXPECT_EQ(Parse("CHECK ((\"null\" >= 1))", "null"), "null>=1");
  EXPECT_EQ(Parse("CHECK ((\"Qty\" > 0))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK ((QTY > 0))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK ((null >= 1))", "null"), kNo);  // the keyword, not the column
}

TEST(CheckTerms, RejectsOtherColumnsAndConnectives) {
  EXPECT_EQ(Parse("CHECK ((other > 0))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK (((qty > 0) AND (other > 0)))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK ((qty > other))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK ((qty > qty))", "qty"), kNo);
  EXPECT_EQ(Parse("CHECK (((nb < 1) OR (nb > 2)))", "nb"), kNo);
  EXPECT_EQ(Parse("CHECK ((NOT (x > 0)))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x NOT IN ('a')))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x NOT BETWEEN 1 AND 2))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x <> ALL (ARRAY['a'::text])))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x IS NULL))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = NULL))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = true))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK (flag)", "flag"), kNo);
  EXPECT_EQ(Parse("CHECK ((1 < 2))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK (('a'::text = 'a'::text))", "x"), kNo);
}

TEST(CheckTerms, RejectsOperatorsAndFunctionsItCannotBound) {
  EXPECT_EQ(Parse("CHECK ((s3 <> 'x'::text))", "s3"), kNo);
  EXPECT_EQ(Parse("CHECK ((x <> 0))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((length(x) <> ''))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK (((x + 1) > 0))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK (((x - 1) > 0))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK (((x * 2) > 0))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x > (- 1)))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x ~ '^[a-z]+$'::text))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x ~~ 'a%'::text))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x LIKE 'a%'))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((lower(x) = 'a'::text))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((length(lower(x)) = 1))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((length(other) = 1))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((length('abc') = x))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((length(x) IS NOT NULL))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((pg_catalog.length(x) = 1))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = ANY ('{a,b}'::text[])))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = ANY (ARRAY[other])))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x IN (other, 'a')))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((5 = ANY (ARRAY[x])))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = ANY (ARRAY[])))", "x"), kNo);
  EXPECT_EQ(Parse("CHECK ((x = e'a\\'b'))", "x"), kNo);
}

TEST(CheckTerms, RejectsMalformedInput) {
  for (const char* definition : {"",
                                 " ",
                                 "CHECK",
                                 "CHECK ()",
                                 "CHECK (())",
                                 "((x > 0))",
                                 "x > 0",
                                 "CHECK ((x > 0)) AND (x < 1)",
                                 "CHECK ((x > 0)) NOT",
                                 "CHECK ((x > 0)) NOT INHERIT",
                                 "CHECK ((x > 0)) trailing",
                                 "CHECK ((x > 0)",
                                 "CHECK ((x > 0)))",
                                 "CHECK ((x > 'abc))",
                                 "CHECK ((\"x > 0))",
                                 "CHECK ((x > 0:INT8))",
                                 "CHECK ((x > 0::))",
                                 "CHECK ((x > 0::numeric(10,)))",
                                 "CHECK ((x > 0::numeric[))",
                                 "CHECK ((x >))",
                                 "CHECK ((> 0))",
                                 "CHECK ((x > 0 AND))",
                                 "CHECK ((x BETWEEN 1))",
                                 "CHECK ((x IN ()))",
                                 "CHECK ((x IN ('a',)))",
                                 "CHECK ((x IS NOT))",
                                 "CHECK ((x = ANY))",
                                 "CHECK ((x > 0)::boolean)",
                                 "CHECK ((x >> 0))",
                                 "CHECK ((x ! 0))",
                                 "CHECK ((x > 0));",
                                 "CHECK ((x\x01 > 0))"}) {
    EXPECT_EQ(Parse(definition, "x"), kNo) << definition;
  }
  EXPECT_EQ(Parse(std::string_view("CHECK ((x > 0))\0", 16), "x"), kNo);
}

TEST(CheckTerms, NestingIsBounded) {
  const auto nested = [](int depth) {
    return "CHECK " + std::string(depth, '(') + "x > 0" + std::string(depth, ')');
  };
  EXPECT_EQ(Parse(nested(30), "x"), "x>0");
  EXPECT_EQ(Parse(nested(100), "x"), kNo);
  EXPECT_EQ(Parse(nested(100000), "x"), kNo);
  EXPECT_EQ(
      Parse("CHECK ((x > " + std::string(100000, '(') + "0" + std::string(100000, ')') + "))", "x"),
      kNo);
  EXPECT_EQ(Parse("CHECK " + std::string(100000, '('), "x"), kNo);
}

TEST(CheckTerms, ReplacesEarlierTerms) {
  std::vector<CheckTerm> terms(3);
  ASSERT_TRUE(ParseColumnCheck("CHECK ((x > 0))", "x", &terms));
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].kind, CheckTerm::Kind::kCompare);
  EXPECT_EQ(terms[0].op, ">");
  EXPECT_EQ(terms[0].literal, "0");
  EXPECT_TRUE(terms[0].values.empty());
}

const std::vector<std::string> kValid = {
    "CHECK (((x >= 1) AND (x <= 100)))",
    "CHECK ((x > ('-1.5'::numeric)))",
    "CHECK (((x)::text = ANY ((ARRAY['new'::character varying, 'it''s'::character "
    "varying])::text[])))",
    "CHECK ((char_length((x)::text) >= 2))",
    "CHECK ((x IN ('a':::STRING, 'b':::STRING)))",
    "CHECK (((x IS NOT NULL) AND (x BETWEEN 1.5e3 AND 2) AND (\"x\" <> '')))",
    "CHECK ((x < '2025-01-01 00:00:00'::timestamp(3) without time zone))",
};

TEST(CheckTerms, EveryProperPrefixIsRefused) {
  for (const std::string& definition : kValid) {
    ASSERT_NE(Parse(definition, "x"), kNo) << definition;
    for (size_t n = 0; n < definition.size(); ++n) {
      EXPECT_EQ(Parse(std::string_view(definition).substr(0, n), "x"), kNo)
          << definition.substr(0, n);
    }
  }
}

TEST(CheckTerms, DamagedInputNeverCrashes) {
  // Sanitizer builds make an out-of-bounds read here fail loudly; the results do not matter.
  for (const std::string& definition : kValid) {
    for (size_t i = 0; i < definition.size(); ++i) {
      std::string dropped = definition;
      dropped.erase(i, 1);
      Parse(dropped, "x");
      for (char c : std::string_view("()'\":-[],.<>=! \0", 16)) {
        std::string replaced = definition;
        replaced[i] = c;
        Parse(replaced, "x");
      }
    }
  }
  const std::vector<std::string> pieces = {
      "CHECK", "(", ")",  "x",   "'a'",  "'",    "\"",      "\"x\"", "0",   "-1.5",   "::",
      ":::",   ">", "<>", "=",   "AND",  "OR",   "BETWEEN", "IN",    "ANY", "ARRAY",  "[",
      "]",     ",", "IS", "NOT", "NULL", "text", "length",  "e",     "1e",  "varying"};
  std::mt19937 rng(20240601);
  for (int round = 0; round < 20000; ++round) {
    std::string definition = round % 2 ? "CHECK (" : "";
    const int count = static_cast<int>(rng() % 24);
    for (int i = 0; i < count; ++i) {
      definition += pieces[rng() % pieces.size()];
      if (rng() % 2) definition += ' ';
    }
    Parse(definition, "x");
  }
}

}  // namespace
}  // namespace loader
