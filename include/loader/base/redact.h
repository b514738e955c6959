// Keeping passwords out of every line the loader prints and every file it
// writes. Two layers: URLs are redacted before they are formatted into a
// message or a file (which redactor is chosen by what the text is, a --url or
// an --import-url, never by what it looks like), and every log line and
// every script, manifest and header comment is scrubbed of the secrets
// registered here, in case a library echoes one. import.sql's statements
// alone keep the storage credentials the server needs (its mode is 0600).
#ifndef LOADER_REDACT_H_
#define LOADER_REDACT_H_

#include <string>
#include <string_view>
#include <vector>

struct _PQconninfoOption;
typedef struct _PQconninfoOption PQconninfoOption;

namespace loader {

// The conninfo (URL or key=value) with every secret replaced by "****": the
// user:password@ part of a URL, and the value of every setting libpq marks
// secret (password, sslpassword, and any a newer libpq adds) as a URL query
// parameter or a key=value pair. key=value text is read with libpq's own
// rules (quotes, backslash escapes, no blank needed after a closing quote,
// keywords only where a keyword starts) and keeps its spelling but for the
// masked values. From where libpq would refuse it (no '=', a quote left
// open, an unknown keyword) everything after the first secret keyword's name,
// in any case, is masked, and so is a URL's password.
std::string RedactConninfo(std::string_view conninfo);

// Registers every secret setting of a conninfo (see RedactConninfo); nothing
// when it does not parse.
void RegisterSecretsOf(const std::string& conninfo);
// Registers the values of the secret settings in a libpq option list (as
// PQconninfo returns for a connection: what the service file, the
// environment or ~/.pgpass supplied too). Null is an empty list.
void RegisterSecretsOf(const PQconninfoOption* options);

// A storage URL (--import-url, e.g. s3://bucket/dir?AWS_SECRET_ACCESS_KEY=...)
// with the values of its credential parameters (names holding KEY, SECRET,
// TOKEN, CREDENTIALS or PASSWORD, in any case) and the password of a
// user:password@ part replaced by "****".
std::string RedactStorageUrl(std::string_view url);
// Those values, percent-decoded as the server reads them, to register.
std::vector<std::string> StorageUrlSecrets(std::string_view url);

// Registers a secret to be scrubbed from log lines and error messages.
// Thread safe. Secrets shorter than 4 characters are not registered: replacing
// them would garble ordinary words, and no message of ours contains one.
void RegisterSecret(std::string secret);

// `text` with every registered secret replaced by "****". Thread safe.
std::string ScrubSecrets(std::string text);

}  // namespace loader

#endif  // LOADER_REDACT_H_
