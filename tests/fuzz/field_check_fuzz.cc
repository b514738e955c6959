// CheckField against the server whose rules it follows: for any text, each
// type's check and the type's input function on a real PostgreSQL server
// (LOADER_FUZZ_DATABASE_URL; scripts/fuzz.sh starts one) agree, except where
// field_check.h says the check leaves a value to the server:
//   - the check never refuses a value the server accepts (that would refuse
//     a row `psql \copy` loads);
//   - the check accepts a value the server refuses only when it is out of
//     range for a float or numeric (SQLSTATE 22003), a float's unsigned NaN
//     with a payload (whose overflow the server refuses), or, on a server
//     before PostgreSQL 16, written in a form 16 reads (0x1F, 0o17, 0b101,
//     1_000) for an integer or numeric column.
// Input: the text, as one field's value (valid UTF-8 without NUL, as the CSV
// reader hands it over).
#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "loader/base/utf8.h"
#include "loader/read/field_check.h"

namespace {

using loader::ColumnType;
using loader::fuzz::Check;
using loader::fuzz::Fail;

struct Checked {
  ColumnType type;
  const char* sql;
};
constexpr Checked kTypes[] = {
    {ColumnType::kInt2, "int2"},     {ColumnType::kInt4, "int4"},
    {ColumnType::kInt8, "int8"},     {ColumnType::kFloat4, "float4"},
    {ColumnType::kFloat8, "float8"}, {ColumnType::kNumeric, "numeric"},
    {ColumnType::kBool, "bool"},     {ColumnType::kUuid, "uuid"},
};
constexpr size_t kMaxText = 200;

// For each type, the SQLSTATE of its input function's refusal, or "ok"; one
// round trip per input. Each cast gets a subtransaction of its own, so one
// refusal does not hide the others.
constexpr const char* kSetup = R"sql(
CREATE FUNCTION pg_temp.refusals(v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text[] := '{}';
BEGIN
  BEGIN PERFORM v::int2; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::int4; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::int8; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::float4; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::float8; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::numeric; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::bool; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  BEGIN PERFORM v::uuid; r := r || 'ok'::text; EXCEPTION WHEN others THEN r := r || SQLSTATE::text; END;
  RETURN array_to_string(r, ' ');
END
$$)sql";

PGconn* Server() {
  static PGconn* const conn = [] {
    const char* url = std::getenv("LOADER_FUZZ_DATABASE_URL");
    if (url == nullptr || *url == '\0') {
      Fail(
          "LOADER_FUZZ_DATABASE_URL is not set: run this target with scripts/fuzz.sh, which "
          "starts a server, or point it at a PostgreSQL server");
    }
    PGconn* c = PQconnectdb(url);
    Check(PQstatus(c) == CONNECTION_OK, std::string("connect: ") + PQerrorMessage(c));
    PGresult* r = PQexec(c, kSetup);
    Check(PQresultStatus(r) == PGRES_COMMAND_OK, std::string("setup: ") + PQerrorMessage(c));
    PQclear(r);
    return c;
  }();
  return conn;
}

// What PostgreSQL 16 added to integer and numeric input: underscores between
// digits and 0x, 0o, 0b prefixes.
bool HasVersion16Form(std::string_view text) {
  if (text.find('_') != std::string_view::npos) return true;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const char p = static_cast<char>(text[i + 1] | 0x20);
    if (text[i] == '0' && (p == 'x' || p == 'o' || p == 'b')) return true;
  }
  return false;
}

// "nan(" after white space, in any case.
bool StartsWithNanPayload(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\n\r\v\f");
  if (start == std::string_view::npos || text.size() - start < 4) return false;
  std::string word(text.substr(start, 4));
  for (char& c : word) c = static_cast<char>(c | 0x20);
  return word == "nan(";
}

bool IsInteger(ColumnType t) {
  return t == ColumnType::kInt2 || t == ColumnType::kInt4 || t == ColumnType::kInt8;
}
bool IsFloat(ColumnType t) { return t == ColumnType::kFloat4 || t == ColumnType::kFloat8; }

// Why the check may pass what the server refused, or nullptr.
const char* LeftToServer(ColumnType type, std::string_view sqlstate, std::string_view text,
                         int server_version) {
  if ((IsFloat(type) || type == ColumnType::kNumeric) && sqlstate == "22003") {
    return "out of range";
  }
  if (IsFloat(type) && sqlstate == "22P02" && StartsWithNanPayload(text)) return "a NaN payload";
  if ((IsInteger(type) || type == ColumnType::kNumeric) && sqlstate == "22P02" &&
      server_version < 160000 && HasVersion16Form(text)) {
    return "a PostgreSQL 16 form";
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size < kMaxText ? size : kMaxText);
  if (text.find('\0') != std::string::npos ||
      loader::ValidUtf8Prefix(reinterpret_cast<const unsigned char*>(text.data()), text.size()) !=
          text.size()) {
    return 0;  // the CSV reader refuses these before any check
  }
  PGconn* conn = Server();
  const char* values[] = {text.c_str()};
  PGresult* r =
      PQexecParams(conn, "SELECT pg_temp.refusals($1)", 1, nullptr, values, nullptr, nullptr, 0);
  Check(PQresultStatus(r) == PGRES_TUPLES_OK, std::string("query: ") + PQerrorMessage(conn));
  const std::string verdicts = PQgetvalue(r, 0, 0);
  PQclear(r);

  const int version = PQserverVersion(conn);
  size_t at = 0;
  for (const Checked& t : kTypes) {
    const size_t space = verdicts.find(' ', at);
    const std::string sqlstate =
        verdicts.substr(at, space == std::string::npos ? std::string::npos : space - at);
    at = space + 1;
    const char* refused = loader::CheckField(t.type, text);
    const std::string what =
        std::string(t.sql) + " [" + text + "] on server version " + std::to_string(version) + ": ";
    if (sqlstate == "ok") {
      Check(refused == nullptr,
            what + "the server accepts it, the check expected " + (refused ? refused : ""));
    } else if (refused == nullptr) {
      Check(LeftToServer(t.type, sqlstate, text, version) != nullptr,
            what + "the check accepts it, the server refused it with SQLSTATE " + sqlstate);
    }
  }
  return 0;
}
