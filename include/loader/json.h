// JSON text for the summary and the import manifest: only what they need.
#ifndef LOADER_JSON_H_
#define LOADER_JSON_H_

#include <string>
#include <string_view>

namespace loader {

// `s` as a JSON string literal, quotes included.
std::string JsonString(std::string_view s);

}  // namespace loader

#endif  // LOADER_JSON_H_
