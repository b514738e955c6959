#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this).
#
# Usage: scripts/test.sh
#
# Stages (run in the order selected), each but the first in its own build
# directory:
#   format   clang-format --dry-run --Werror over every C++ file git tracks
#            (.clang-format); counts one test
#   release  build/       RelWithDebInfo; all tests
#   asan     build-asan/  Debug, AddressSanitizer + UBSan; all tests
#   tsan     build-tsan/  Debug, ThreadSanitizer; tests labelled `pool`
#   fuzz     build-fuzz/  clang, libFuzzer + ASan + UBSan; each target of
#                         tests/fuzz, `scripts/fuzz.sh ci` (fixed seed and count)
# The suite stops at the first stage that fails to build or has a failing
# test, and exits non-zero; it exits 0 only when every selected stage passed.
#
# Environment:
#   LOADER_TEST_STAGES   stages to run, e.g. "release" or "asan tsan"
#                        (default: "format release asan tsan fuzz")
#   LOADER_TEST_TIMEOUT  per-test timeout in seconds for tests that set
#                        none themselves (default: 900)
#
# The CTest suite starts its own PostgreSQL through a fixture; nothing needs
# to be running beforehand.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

# CI runs us without stdin. With fd 0 closed, the first file a child opens
# becomes its "stdin"; give everything a harmless /dev/null instead.
[[ -t 0 ]] || exec </dev/null

STAGES=${LOADER_TEST_STAGES:-format release asan tsan fuzz}
TEST_TIMEOUT=${LOADER_TEST_TIMEOUT:-900}
JOBS=$(nproc)

read -r -a stage_list <<<"$STAGES"
((${#stage_list[@]} > 0)) || { echo "test.sh: LOADER_TEST_STAGES is empty" >&2; exit 2; }
for s in "${stage_list[@]}"; do
  case $s in
    format | release | asan | tsan | fuzz) ;;
    *) echo "test.sh: unknown stage '$s' in LOADER_TEST_STAGES (known: format release asan tsan fuzz)" >&2; exit 2 ;;
  esac
done

total_passed=0
total_failed=0
results=()

# Always end with a recap and one plain "N passed, N failed" line summing up
# every stage, whether we got through all stages or stopped early.
finish() {
  local status=$1 r
  echo
  echo "== summary"
  for r in "${results[@]}"; do echo "   $r"; done
  echo "total: $total_passed passed, $total_failed failed"
  exit "$status"
}

# Usage: run_stage NAME HEADER BUILD_DIR "CMAKE ARGS" "CTEST ARGS" [VAR=VALUE...]
run_stage() {
  local name=$1 header=$2 dir=$3 summary failed total status
  local -a cmake_args ctest_args env_vars launcher=()
  read -r -a cmake_args <<<"$4"
  read -r -a ctest_args <<<"$5"
  shift 5
  env_vars=("$@")

  echo
  echo "== $header"
  if ! cmake -S . -B "$dir" "${cmake_args[@]}"; then
    results+=("$name: FAILED (cmake configure in $dir/)")
    finish 1
  fi
  if ! cmake --build "$dir" -j"$JOBS"; then
    results+=("$name: FAILED (build in $dir/)")
    finish 1
  fi

  # GCC 12's ThreadSanitizer aborts with "unexpected memory mapping" on
  # kernels that randomise mmap with more than 28 bits; running without
  # ASLR avoids that without changing the system setting.
  if [[ $name == tsan ]] && (($(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0) > 28)); then
    launcher=(setarch "$(uname -m)" -R)
  fi

  # --no-tests=error: a stage that selects no test (say, no test labelled
  # `pool` yet) must not pass silently.
  local log=$dir/ctest-output.log
  set +e
  env "${env_vars[@]}" "${launcher[@]}" ctest --test-dir "$dir" --output-on-failure \
    --no-tests=error --timeout "$TEST_TIMEOUT" "${ctest_args[@]}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e

  # ctest's own closing line: "100% tests passed, 0 tests failed out of 12"
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=${BASH_REMATCH[1]}
    total=${BASH_REMATCH[2]}
    total_failed=$((total_failed + failed))
    total_passed=$((total_passed + total - failed))
  else
    summary="(ctest printed no summary)"
  fi

  if ((status != 0)); then
    results+=("$name: FAILED, ctest exit status $status: $summary")
    finish 1
  fi
  results+=("$name: passed: $summary")
}

# The format stage: the code as clang-format writes it, so a review never
# argues layout; `clang-format -i FILE` fixes a file it names.
run_format_stage() {
  echo
  echo "== format (clang-format --dry-run --Werror)"
  local -a files
  mapfile -t files < <(git ls-files '*.cc' '*.h')
  if clang-format --dry-run --Werror "${files[@]}"; then
    total_passed=$((total_passed + 1))
    results+=("format: passed: ${#files[@]} files as clang-format writes them")
  else
    total_failed=$((total_failed + 1))
    results+=("format: FAILED (clang-format -i the files named above)")
    finish 1
  fi
}

# The fuzz stage: every target of tests/fuzz, from a fixed seed for a fixed
# count, so it passes or fails the same way on every machine; it counts one
# test per target.
run_fuzz_stage() {
  echo
  echo "== fuzz targets (clang, libFuzzer + ASan + UBSan)"
  local log=build-fuzz/fuzz-stage.log line status
  mkdir -p build-fuzz
  set +e
  bash scripts/fuzz.sh ci 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  line=$(tail -n 1 "$log")
  if ((status == 0)) && [[ $line =~ ^fuzz.sh:\ ([0-9]+)\ targets\ held ]]; then
    total_passed=$((total_passed + BASH_REMATCH[1]))
    results+=("fuzz: passed: ${BASH_REMATCH[1]} targets")
  else
    total_failed=$((total_failed + 1))
    results+=("fuzz: FAILED (see build-fuzz/artifacts/ and the output above)")
    finish 1
  fi
}

echo "test.sh: stages: ${stage_list[*]}"
bash scripts/install-deps.sh

for s in "${stage_list[@]}"; do
  case $s in
    format)
      run_format_stage
      ;;
    release)
      run_stage release "unit + integration (RelWithDebInfo)" build \
        "-DCMAKE_BUILD_TYPE=RelWithDebInfo" "-j2"
      ;;
    asan)
      run_stage asan "unit + integration under ASan + UBSan (Debug)" build-asan \
        "-DCMAKE_BUILD_TYPE=Debug -DLOADER_SANITIZE=address -DLOADER_BUILD_BENCH=OFF" "-j2" \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
      ;;
    tsan)
      run_stage tsan "pool tests under TSan (Debug)" build-tsan \
        "-DCMAKE_BUILD_TYPE=Debug -DLOADER_SANITIZE=thread -DLOADER_BUILD_BENCH=OFF" "-L pool" \
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
      ;;
    fuzz)
      run_fuzz_stage
      ;;
  esac
done

finish 0
