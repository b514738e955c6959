#include "loader/redact.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libpq percent-decodes URL parameter names, so "pass%77ord" is "password".
std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Masks the value of every query parameter of a URL whose (decoded) name
// `is_secret` picks, and collects the values it masks into `values`.
template <class IsSecret>
std::string MaskUrlQuery(std::string s, IsSecret is_secret,
                         std::vector<std::string>* values = nullptr) {
  size_t pos = s.find('?');
  while (pos != std::string::npos && pos + 1 < s.size()) {
    const size_t begin = pos + 1;
    size_t end = s.find('&', begin);
    if (end == std::string::npos) end = s.size();
    const size_t eq = s.find('=', begin);
    if (eq != std::string::npos && eq < end &&
        is_secret(PercentDecode(s.substr(begin, eq - begin)))) {
      if (values != nullptr) values->push_back(PercentDecode(s.substr(eq + 1, end - eq - 1)));
      s.replace(eq + 1, end - eq - 1, kMask);
      end = eq + 1 + kMask.size();
    }
    pos = end < s.size() ? end : std::string::npos;
  }
  return s;
}

// libpq's own list of its secret settings: those PQconndefaults() shows with
// dispchar '*' (password and sslpassword in libpq 15; whatever a newer one adds).
const std::vector<std::string>& SecretKeywords() {
  static const std::vector<std::string> keywords = [] {
    std::vector<std::string> out;
    if (PQconninfoOption* opts = PQconndefaults()) {
      for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
        if (o->dispchar != nullptr && std::string_view(o->dispchar) == "*") out.push_back(o->keyword);
      }
      PQconninfoFree(opts);
    }
    // Should libpq fail to say (out of memory), these are the ones known.
    if (out.empty()) out = {"password", "sslpassword"};
    return out;
  }();
  return keywords;
}

bool IsSecretKeyword(const std::string& name) {
  const std::vector<std::string>& keys = SecretKeywords();
  return std::find(keys.begin(), keys.end(), name) != keys.end();
}

// Cloud storage credentials: AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// CREDENTIALS, AZURE_ACCOUNT_KEY, AZURE_CLIENT_SECRET, ...
bool IsCredentialParameter(const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view word : {"KEY", "SECRET", "TOKEN", "CREDENTIALS", "PASSWORD"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Masks the value of "key = value" in key=value conninfo. As in libpq, a
// value is a single-quoted string or a run of non-space characters, and a
// backslash escapes the next character in either.
std::string MaskKeywordValue(std::string s, std::string_view kKey) {
  size_t pos = 0;
  while ((pos = s.find(kKey, pos)) != std::string::npos) {
    const bool starts_word = pos == 0 || IsSpace(s[pos - 1]);
    size_t eq = pos + kKey.size();
    while (eq < s.size() && IsSpace(s[eq])) ++eq;
    if (!starts_word || eq >= s.size() || s[eq] != '=') {
      pos += kKey.size();
      continue;
    }
    size_t begin = eq + 1;
    while (begin < s.size() && IsSpace(s[begin])) ++begin;
    const bool quoted = begin < s.size() && s[begin] == '\'';
    size_t end = quoted ? begin + 1 : begin;
    for (; end < s.size(); ++end) {
      if (s[end] == '\\') {
        ++end;
      } else if (quoted ? s[end] == '\'' : IsSpace(s[end])) {
        break;
      }
    }
    end = std::min(quoted ? end + 1 : end, s.size());
    s.replace(begin, end - begin, kMask);
    pos = begin + kMask.size();
  }
  return s;
}

// Where the password of scheme://user:password@host/... is in `s`: its
// offset and length, or length 0. The userinfo ends only at a '/', so a
// password may hold '?' or '#'; taking the last '@' before the path also
// covers an unencoded '@' in the password.
std::pair<size_t, size_t> UserInfoPassword(const std::string& s) {
  const size_t scheme = s.find("://");
  if (scheme == std::string::npos) return {0, 0};
  const size_t scheme_end = scheme + 3;
  const size_t path = s.find('/', scheme_end);
  const size_t at = s.rfind('@', path == std::string::npos ? s.size() : path);
  if (at == std::string::npos || at <= scheme_end) return {0, 0};
  const size_t colon = s.find(':', scheme_end);
  if (colon == std::string::npos || colon > at) return {0, 0};
  return {colon + 1, at - colon - 1};
}

std::string MaskUserInfo(std::string s) {
  const auto [begin, size] = UserInfoPassword(s);
  if (size > 0) s.replace(begin, size, kMask);
  return s;
}

}  // namespace

std::string RedactConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  if (IsUrl(s)) return MaskUrlQuery(MaskUserInfo(std::move(s)), IsSecretKeyword);
  for (const std::string& key : SecretKeywords()) s = MaskKeywordValue(std::move(s), key);
  return s;
}

void RegisterSecretsOf(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return;
  for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && IsSecretKeyword(o->keyword)) RegisterSecret(o->val);
  }
  PQconninfoFree(opts);
}

void RegisterSecretsOf(const PQconninfoOption* options) {
  for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (o->val != nullptr && o->dispchar != nullptr && std::string_view(o->dispchar) == "*") {
      RegisterSecret(o->val);
    }
  }
}

std::string RedactStorageUrl(std::string_view url) {
  return MaskUrlQuery(MaskUserInfo(std::string(url)), IsCredentialParameter);
}

std::vector<std::string> StorageUrlSecrets(std::string_view url) {
  std::vector<std::string> values;
  const std::string s(url);
  if (const auto [begin, size] = UserInfoPassword(s); size > 0) {
    values.push_back(PercentDecode(s.substr(begin, size)));
  }
  MaskUrlQuery(s, IsCredentialParameter, &values);
  return values;
}

void RegisterSecret(std::string secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(SecretsMutex());
  for (const std::string& s : Secrets()) {
    if (s == secret) return;
  }
  Secrets().push_back(std::move(secret));
  // Longest first, so a secret that contains a shorter one is masked whole.
  std::sort(Secrets().begin(), Secrets().end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
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
