#include "loader/redact.h"

#include <libpq-fe.h>

#include <mutex>
#include <vector>

namespace loader {
namespace {

constexpr std::string_view kMask = "****";

std::mutex& SecretsMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<std::string>& Secrets() {
  static std::vector<std::string> secrets;
  return secrets;
}

bool IsUrl(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// Masks the value of every "password=" parameter: in a URL's query string it runs
// to the next '&'; in key=value form it is a word or a single-quoted string.
std::string MaskPasswordParams(std::string s, bool url) {
  static constexpr std::string_view kKey = "password";
  size_t pos = 0;
  while ((pos = s.find(kKey, pos)) != std::string::npos) {
    size_t eq = pos + kKey.size();
    const bool starts_word = pos == 0 || s[pos - 1] == '?' || s[pos - 1] == '&' ||
                             s[pos - 1] == ' ' || s[pos - 1] == '\t';
    while (!url && eq < s.size() && s[eq] == ' ') ++eq;
    if (!starts_word || eq >= s.size() || s[eq] != '=') {
      pos = eq;
      continue;
    }
    size_t begin = eq + 1;
    while (!url && begin < s.size() && s[begin] == ' ') ++begin;
    size_t end = begin;
    if (url) {
      while (end < s.size() && s[end] != '&' && s[end] != '#') ++end;
    } else if (begin < s.size() && s[begin] == '\'') {
      for (end = begin + 1; end < s.size() && s[end] != '\''; ++end) {
        if (s[end] == '\\') ++end;
      }
      end = std::min(end + 1, s.size());
    } else {
      while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
    }
    s.replace(begin, end - begin, kMask);
    pos = begin + kMask.size();
  }
  return s;
}

}  // namespace

std::string RedactConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  if (!IsUrl(s)) return MaskPasswordParams(std::move(s), false);
  // postgresql://user:password@host...: the userinfo ends at the last '@' before
  // the path, and the password is what follows its first ':'.
  const size_t scheme_end = s.find("://") + 3;
  const size_t path = s.find_first_of("/?#", scheme_end);
  const size_t at = s.rfind('@', path == std::string::npos ? s.size() : path);
  if (at != std::string::npos && at > scheme_end) {
    const size_t colon = s.find(':', scheme_end);
    if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, kMask);
  }
  return MaskPasswordParams(std::move(s), true);
}

std::string PasswordOf(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return {};
  std::string password;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(opts);
  return password;
}

void RegisterSecret(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(SecretsMutex());
  for (const std::string& s : Secrets()) {
    if (s == secret) return;
  }
  Secrets().push_back(std::move(secret));
}

std::string ScrubSecrets(std::string text) {
  std::lock_guard<std::mutex> lock(SecretsMutex());
  for (const std::string& secret : Secrets()) {
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kMask);
      pos += kMask.size();
    }
  }
  return text;
}

}  // namespace loader
