// The JSON the loader writes (the --stats-json summary, the import manifest),
// built as nlohmann::ordered_json values and written here, so every document
// is valid RFC 8259 whatever bytes its strings carry.
#ifndef LOADER_JSON_H_
#define LOADER_JSON_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace loader {

// Keys stay in the order they were added: people read these files too.
using Json = nlohmann::ordered_json;

// `value` as JSON text, on one line (indent < 0) or indented, with a newline
// at the end. Well-formed UTF-8 goes as it is; a sequence of bytes that is not
// becomes U+FFFD, the replacement character a decoder would show (messages
// that must keep such a byte show it in hex themselves). Quotes, backslashes
// and control characters (below U+0020) are escaped.
std::string JsonText(const Json& value, int indent = -1);

// `s` as one JSON string literal, quotes included, by the rules above.
std::string JsonString(std::string_view s);

}  // namespace loader

#endif  // LOADER_JSON_H_
