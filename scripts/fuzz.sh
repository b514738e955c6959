#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs
# each from its committed seed corpus.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   a campaign: each target for SECONDS
#                                                (default 60), keeping what it finds
#        scripts/fuzz.sh ci                      the test suite's run: each target
#                                                from the seeds alone, with a fixed
#                                                seed and count, so runs repeat each
#                                                other (coverage steers the mutations,
#                                                and csv_source_fuzz's varies a little
#                                                from run to run)
#   TARGET   csv_reader_fuzz, csv_source_fuzz, field_check_fuzz,
#            import_set_fuzz, json_fuzz, redact_fuzz (default: all)
#
# field_check_fuzz asks a PostgreSQL server what each type's input function
# accepts: LOADER_FUZZ_DATABASE_URL names one, else this script starts one
# with scripts/pg-local.sh in build-fuzz/pg and stops it at the end. A target
# with a dictionary (tests/fuzz/TARGET.dict) gets it.
# A longer campaign on demand: scripts/fuzz.sh 3600 csv_reader_fuzz
#
# A campaign keeps new inputs that reach new code in build-fuzz/corpus/TARGET
# (not committed). A crash, a sanitizer report or a failed property stops the
# run with a non-zero exit, and libFuzzer leaves the input that did it at
# build-fuzz/artifacts/TARGET-crash-... (the output says which); replay it with
#   build-fuzz/tests/fuzz/TARGET build-fuzz/artifacts/TARGET-crash-...
# and commit it to tests/fuzz/corpus/TARGET once fixed, so every run tries it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=campaign
if [[ ${1:-} == ci ]]; then
  MODE=ci
  shift
else
  SECONDS_EACH=${1:-60}
  shift || true
fi
TARGETS=("$@")
((${#TARGETS[@]} > 0)) || TARGETS=(csv_reader_fuzz csv_source_fuzz field_check_fuzz import_set_fuzz json_fuzz
  redact_fuzz)
BUILD=$ROOT/build-fuzz

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing (scripts/install-deps.sh)" >&2; exit 1; }
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLOADER_SANITIZE=fuzzer -DLOADER_BUILD_FUZZ=ON -DLOADER_BUILD_TESTS=OFF -DLOADER_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]}"

mkdir -p "$BUILD/artifacts"
if [[ " ${TARGETS[*]} " == *" field_check_fuzz "* && -z ${LOADER_FUZZ_DATABASE_URL:-} ]]; then
  pg_dir=$BUILD/pg
  mkdir -p "$pg_dir"
  trap '"$ROOT/scripts/pg-local.sh" stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
  LOADER_FUZZ_DATABASE_URL=$("$ROOT/scripts/pg-local.sh" start "$pg_dir")
  export LOADER_FUZZ_DATABASE_URL
fi
passed=0
# Runs for the ci mode: each about 30 s on this 2-core machine, 3 min in all.
declare -A CI_RUNS=([csv_reader_fuzz]=10000 [csv_source_fuzz]=24000 [field_check_fuzz]=400000
  [import_set_fuzz]=30000 [json_fuzz]=500000 [redact_fuzz]=1000000)
for target in "${TARGETS[@]}"; do
  if [[ $MODE == ci ]]; then
    corpus=$BUILD/corpus-ci/$target
    rm -rf "$corpus"
    limits=(-seed=1 -runs="${CI_RUNS[$target]}")
    echo "fuzz.sh: $target, ${CI_RUNS[$target]} inputs from seed 1"
  else
    corpus=$BUILD/corpus/$target
    limits=(-max_total_time="$SECONDS_EACH")
    echo "fuzz.sh: $target for ${SECONDS_EACH} s"
  fi
  mkdir -p "$corpus"
  dict=()
  [[ -f $ROOT/tests/fuzz/$target.dict ]] && dict=(-dict="$ROOT/tests/fuzz/$target.dict")
  # Seeds first, so every run starts from them; rss_limit keeps a run inside
  # this machine; -timeout turns a hang into a failure with its input kept.
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/tests/fuzz/$target" "$corpus" "$ROOT/tests/fuzz/corpus/$target" \
      "${limits[@]}" "${dict[@]}" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$BUILD/artifacts/$target-" -print_final_stats=1 2>"$BUILD/$target.log"; then
    tail -n 40 "$BUILD/$target.log" >&2
    echo "fuzz.sh: $target FAILED; its input is in $BUILD/artifacts/ (log: $BUILD/$target.log)" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$BUILD/$target.log" | tail -n 2 || true
  passed=$((passed + 1))
done
echo "fuzz.sh: $passed targets held their property"
