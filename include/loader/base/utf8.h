// UTF-8 as the loader checks it (RFC 3629): no overlong forms, no UTF-16
// surrogates, nothing past U+10FFFF. One definition for the CSV reader, which
// refuses anything else, and for the writers that must never emit it.
#ifndef LOADER_UTF8_H_
#define LOADER_UTF8_H_

#include <cstddef>
#include <string_view>

namespace loader {

// The length of the valid UTF-8 prefix of [p, p + n); n when all of it is.
size_t ValidUtf8Prefix(const unsigned char* p, size_t n);

// The length of the one well-formed UTF-8 sequence `s` starts with, or 0
// (a stray continuation byte, a sequence cut short, an invalid form).
// REQUIRES: !s.empty().
size_t Utf8SequenceLength(std::string_view s);

}  // namespace loader

#endif  // LOADER_UTF8_H_
