// Text as one word for sh, for the commands the loader writes into scripts
// and manifests, so they can be pasted back into a shell.
#ifndef LOADER_SHELL_WORD_H_
#define LOADER_SHELL_WORD_H_

#include <string>
#include <string_view>

namespace loader {

// 'text', each ' written as '\''.
std::string ShellWord(std::string_view text);

// `text` as it is when sh would read it as one word unchanged (letters,
// digits and _ - . / : = , @ % + only), else ShellWord(text).
std::string ShellWordIfNeeded(std::string_view text);

}  // namespace loader

#endif  // LOADER_SHELL_WORD_H_
