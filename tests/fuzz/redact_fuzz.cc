// RedactConninfo: for every secret setting that libpq itself reads from a
// connection string (PQconninfoParse; the options PQconndefaults marks with
// dispchar '*'), the value does not survive redaction: libpq reads the
// output's setting as something else, or, when the output does not parse,
// the value's text is gone from it.
#include <libpq-fe.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "loader/base/redact.h"

namespace {

using loader::fuzz::Check;

size_t Occurrences(std::string_view text, std::string_view part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The settings libpq reads from `conninfo`, secret ones and the others;
// false when it does not parse.
bool SettingsOf(const std::string& conninfo, std::map<std::string, std::string>* secrets,
                std::string* others = nullptr) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) return false;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (o->dispchar != nullptr && std::strcmp(o->dispchar, "*") == 0) {
      (*secrets)[o->keyword] = o->val;
    } else if (others != nullptr) {
      *others += std::string(o->val) + '\n';
    }
  }
  PQconninfoFree(options);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A C string, as libpq takes it.
  const std::string input(reinterpret_cast<const char*>(data),
                          strnlen(reinterpret_cast<const char*>(data), size));
  std::map<std::string, std::string> secrets;
  std::string others;  // the values of every other setting
  if (!SettingsOf(input, &secrets, &others)) return 0;
  const std::string output = loader::RedactConninfo(input);
  std::map<std::string, std::string> after;
  const bool parses = SettingsOf(output, &after);
  for (const auto& [key, value] : secrets) {
    // Short values are not masked in free text (redact.h); "****" is the mask.
    if (value.size() < 4 || value.find('*') != std::string::npos) continue;
    if (parses) {
      // The setting itself is masked wherever libpq finds it; the same text
      // may still stand in another setting (a host named like the password).
      Check(after.count(key) == 0 || after[key] != value,
            key + " still reads as its value: in [" + input + "] out [" + output + "]");
    } else if (others.find(value) == std::string::npos) {
      // Nothing to read back: the text itself must be gone, once at least
      // (unless another setting, a user named like the password, holds it).
      const size_t before = Occurrences(input, value);
      Check(Occurrences(output, value) < std::max<size_t>(before, 1),
            key + " value survives: in [" + input + "] out [" + output + "]");
    }
  }
  return 0;
}
