// JSON text for the summary and the import manifest: only what they need.
#ifndef LOADER_JSON_H_
#define LOADER_JSON_H_

#include <string>
#include <string_view>

namespace loader {

// `s` as a JSON string literal, quotes included: always valid RFC 8259 JSON,
// whatever the bytes. Well-formed UTF-8 goes as it is; each byte that is not
// part of a well-formed UTF-8 sequence becomes \ufffd (U+FFFD, the
// replacement character, as a decoder would show it; messages that must keep
// such a byte show it in hex themselves). Quotes, backslashes and control
// characters (below U+0020) are escaped.
std::string JsonString(std::string_view s);

}  // namespace loader

#endif  // LOADER_JSON_H_
