# Warnings and sanitizers are switched on per target, never through global flags,
# so third-party code is compiled the way its packagers intended.

function(loader_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  # GCC 12 at -O2/-O3 reports impossible overlaps in std::string's operator+
  # (GCC bug 105329, fixed in 13): a compiler bug, not ours.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# LOADER_SANITIZE is "", "address" (ASan + UBSan), "thread" (TSan) or "fuzzer"
# (clang only: ASan + UBSan plus libFuzzer's coverage, for tests/fuzz). Every
# target of ours gets the same instrumentation so the library and its users agree.
function(loader_enable_sanitizers target)
  if(LOADER_SANITIZE STREQUAL "address")
    set(flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  elseif(LOADER_SANITIZE STREQUAL "fuzzer")
    set(flags -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
              -fno-sanitize-recover=all)
  elseif(LOADER_SANITIZE STREQUAL "thread")
    set(flags -fsanitize=thread -fno-omit-frame-pointer)
    # GCC 12 warns that TSan does not model atomic_thread_fence, which Boost.Asio
    # uses inside its handlers; the warning is about Asio's code, not ours.
    target_compile_options(${target} PRIVATE -Wno-tsan)
  elseif(LOADER_SANITIZE STREQUAL "")
    return()
  else()
    message(FATAL_ERROR "LOADER_SANITIZE must be empty, 'address', 'thread' or 'fuzzer'")
  endif()
  target_compile_options(${target} PRIVATE ${flags})
  target_link_options(${target} PRIVATE ${flags})
endfunction()

function(loader_target target)
  loader_enable_warnings(${target})
  loader_enable_sanitizers(${target})
endfunction()
