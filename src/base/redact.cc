#include "loader/base/redact.h"

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

// Where the hosts of a URL whose host list starts at `from` end: at the
// first '/' or '?' that is not inside a host in brackets ([::1]), as libpq
// reads them; npos when neither follows.
size_t HostsEnd(const std::string& s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '[' && (i == from || s[i - 1] == ',')) {
      i = s.find(']', i);
      if (i == std::string::npos) return i;
    } else if (s[i] == '/' || s[i] == '?') {
      return i;
    }
  }
  return std::string::npos;
}

// Where a URL's query begins, as libpq reads it: user credentials end at the
// first '@' met before any '/', and a '?' inside them, or inside a host in
// brackets, is not the query's.
size_t QueryStart(const std::string& s) {
  size_t start = s.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const size_t at = s.find_first_of("@/", start);
  if (at != std::string::npos && s[at] == '@') start = at + 1;
  const size_t hosts_end = HostsEnd(s, start);
  return hosts_end == std::string::npos ? hosts_end : s.find('?', hosts_end);
}

// Masks the value of every query parameter of a URL whose (decoded) name
// `is_secret` picks, and collects the values it masks into `values`.
template <class IsSecret>
std::string MaskUrlQuery(std::string s, IsSecret is_secret,
                         std::vector<std::string>* values = nullptr) {
  size_t pos = QueryStart(s);
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

// libpq's keywords (PQconndefaults()), and its secret settings among them:
// those shown with dispchar '*' (password and sslpassword in libpq 15;
// whatever a newer one adds).
struct Keywords {
  std::vector<std::string> all;
  std::vector<std::string> secret;
};

const Keywords& LibpqKeywords() {
  static const Keywords keywords = [] {
    Keywords out;
    if (PQconninfoOption* opts = PQconndefaults()) {
      for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
        out.all.push_back(o->keyword);
        if (o->dispchar != nullptr && std::string_view(o->dispchar) == "*") {
          out.secret.push_back(o->keyword);
        }
      }
      PQconninfoFree(opts);
    }
    // Should libpq fail to say (out of memory), these are the ones known.
    if (out.secret.empty()) out.secret = {"password", "sslpassword"};
    return out;
  }();
  return keywords;
}

const std::vector<std::string>& SecretKeywords() { return LibpqKeywords().secret; }

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

// Where the password of scheme://user:password@host/... is in `s`: its
// offset and length, or length 0. As libpq reads a URL, the user part ends
// at the first '@' met before any '/', so a password may hold '?' or '#'.
// One that holds a raw '@' as well ("u:p@ss@h") is masked up to the last '@'
// before the host's end (a '/' or the query's '?'), not only as far as
// libpq reads it.
std::pair<size_t, size_t> UserInfoPassword(const std::string& s) {
  const size_t scheme = s.find("://");
  if (scheme == std::string::npos) return {0, 0};
  const size_t scheme_end = scheme + 3;
  const size_t first_at = s.find_first_of("@/", scheme_end);
  if (first_at == std::string::npos || s[first_at] != '@') return {0, 0};
  const size_t colon = s.find(':', scheme_end);
  if (colon == std::string::npos || colon > first_at) return {0, 0};
  const size_t at = s.rfind('@', HostsEnd(s, first_at + 1));
  return {colon + 1, at - colon - 1};
}

std::string MaskUserInfo(std::string s) {
  const auto [begin, size] = UserInfoPassword(s);
  if (size > 0) s.replace(begin, size, kMask);
  return s;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IsLibpqKeyword(std::string_view name) {
  const std::vector<std::string>& all = LibpqKeywords().all;
  // Without libpq's list (out of memory) every keyword is taken as known.
  return all.empty() || std::find(all.begin(), all.end(), name) != all.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSecretKeywordAnyCase(const std::string& name) { return IsSecretKeyword(Lower(name)); }

// One "keyword = value" of key=value conninfo, as offsets into the text; a
// quoted value's span holds its quotes.
struct Setting {
  std::string_view keyword;
  size_t value_begin = 0;
  size_t value_end = 0;
};

// Reads `s` as libpq's conninfo_parse does: blanks (isspace) separate
// settings; a keyword runs up to '=' or a blank, and blanks may surround the
// '='; a value is a single-quoted string or a run of non-blanks, and a
// backslash takes the next character literally in either; the next keyword
// may follow a closing quote at once. False where libpq refuses the text: a
// keyword without '=', a quote left open, a keyword it does not know.
bool ReadSettings(std::string_view s, std::vector<Setting>* settings) {
  size_t pos = 0;
  while (pos < s.size()) {
    if (IsSpace(s[pos])) {
      ++pos;
      continue;
    }
    const size_t start = pos;
    while (pos < s.size() && s[pos] != '=' && !IsSpace(s[pos])) ++pos;
    Setting setting;
    setting.keyword = s.substr(start, pos - start);
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    if (pos == s.size() || s[pos] != '=' || !IsLibpqKeyword(setting.keyword)) return false;
    ++pos;
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    setting.value_begin = pos;
    if (pos < s.size() && s[pos] == '\'') {
      for (++pos; pos < s.size() && s[pos] != '\''; ++pos) {
        if (s[pos] == '\\') ++pos;
      }
      if (pos >= s.size()) return false;
      ++pos;
    } else {
      while (pos < s.size() && !IsSpace(s[pos])) pos += s[pos] == '\\' ? 2 : 1;
      pos = std::min(pos, s.size());
    }
    setting.value_end = pos;
    settings->push_back(setting);
  }
  return true;
}

// A conninfo libpq would refuse, masked without knowing where its values
// are: a URL's passwords (libpq takes no URL after a blank, but a user may
// have meant one), then everything after the first secret keyword's name,
// in any case, wherever it is. Such a conninfo reaches no server; it is
// shown only in the error that says so.
std::string MaskUnreadable(std::string_view s) {
  std::string out = MaskUserInfo(MaskUrlQuery(std::string(s), IsSecretKeywordAnyCase));
  const std::string lower = Lower(out);
  size_t cut = std::string::npos;
  for (const std::string& key : SecretKeywords()) {
    const size_t at = lower.find(key);
    if (at != std::string::npos) cut = std::min(cut, at + key.size());
  }
  if (cut == std::string::npos) return out;
  if (cut < out.size() && out[cut] == '=') ++cut;
  return out.substr(0, cut) + std::string(kMask);
}

// key=value conninfo with the value of every secret setting replaced by the
// mask, and the rest spelled as given. A mask replacing a quoted value that
// the next keyword followed at once gets a blank after it, so the result
// still reads as the same settings.
std::string MaskKeywordValues(std::string_view s) {
  std::vector<Setting> settings;
  if (!ReadSettings(s, &settings)) return MaskUnreadable(s);
  std::string out;
  size_t pos = 0;
  for (const Setting& setting : settings) {
    if (!IsSecretKeyword(std::string(setting.keyword))) continue;
    if (setting.value_begin == setting.value_end) continue;  // nothing to hide
    out.append(s.substr(pos, setting.value_begin - pos));
    out += kMask;
    pos = setting.value_end;
    if (pos < s.size() && !IsSpace(s[pos])) out += ' ';
  }
  out.append(s.substr(pos));
  return out;
}

// The values libpq reads for the secret settings of `conninfo`; none when
// it does not parse.
std::vector<std::string> SecretValuesOf(const std::string& conninfo) {
  std::vector<std::string> values;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return values;
  for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && IsSecretKeyword(o->keyword)) values.emplace_back(o->val);
  }
  PQconninfoFree(opts);
  return values;
}

void MaskEvery(std::string_view secret, std::string* text) {
  for (size_t at = text->find(secret); at != std::string::npos;
       at = text->find(secret, at + kMask.size())) {
    text->replace(at, secret.size(), kMask);
  }
}

}  // namespace

std::string RedactConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  std::string out =
      IsUrl(s) ? MaskUserInfo(MaskUrlQuery(s, IsSecretKeyword)) : MaskKeywordValues(s);
  // The text of a secret may stand elsewhere too, spelled out where the
  // setting itself was percent-encoded (an earlier value of a setting given
  // twice, a host that masking the password's span made unreadable). Masked
  // there as well, as ScrubSecrets would mask it in a log line.
  for (const std::string& value : SecretValuesOf(s)) {
    if (value.size() >= 4) MaskEvery(value, &out);
  }
  return out;
}

void RegisterSecretsOf(const std::string& conninfo) {
  for (std::string& value : SecretValuesOf(conninfo)) RegisterSecret(std::move(value));
}

void RegisterSecretsOf(const PQconninfoOption* options) {
  for (const PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (o->val != nullptr && o->dispchar != nullptr && std::string_view(o->dispchar) == "*") {
      RegisterSecret(o->val);
    }
  }
}

std::string RedactStorageUrl(std::string_view url) {
  return MaskUserInfo(MaskUrlQuery(std::string(url), IsCredentialParameter));
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
