#!/usr/bin/env bash
# --emit-import benchmark: how fast the loader writes IMPORT files, against
# what the disk takes. For each table and worker count it times
# `loader --emit-import` of ROWS generated rows, then `cp` of the very files it
# wrote (the same bytes: "disk speed" here), and `loader --emit-import --input`
# of one of those CSV files (the reader's path). Every timed command ends with
# `sync`, so each side is timed until its bytes are on the disk, not in the
# page cache. No server is involved.
#
# Usage: scripts/bench-emit.sh [ROWS] [RUNS]    defaults: 10000000 rows, 3 runs
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/),
#              WORK_DIR (default a new directory under /tmp)
#
# Figures are medians of RUNS runs of the whole process; client CPU and peak
# RSS come from /usr/bin/time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-10000000}
RUNS=${2:-3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
WORK=$(mktemp -d "${WORK_DIR:-/tmp}/loader-emit-bench.XXXXXX")
LOADER=$BUILD_DIR/loader
trap 'rm -rf "$WORK"' EXIT

bash "$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target loader >/dev/null

# Runs "$@" RUNS times after `setup`; prints "seconds cpu_seconds rss_kib" of
# the median run.
measure() {
  local setup=$1; shift
  local i samples=() start end user sys rss
  for ((i = 0; i < RUNS; i++)); do
    eval "$setup"
    sync
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" && sync ||
      { cat "$WORK/stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    read -r user sys rss <"$WORK/time"
    samples+=("$(awk -v a="$start" -v b="$end" -v u="$user" -v s="$sys" -v r="$rss" \
      'BEGIN {printf "%.3f %.2f %d", b - a, u + s, r}')")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-emit.md
{
  echo "# --emit-import: $ROWS rows, median of $RUNS runs, $(nproc) cores, $(df -h "$WORK" | awk 'NR == 2 {print $1}')"
  echo
  echo "| table | what | workers | seconds | rows/s | MiB/s | speed vs cp of the same files | client CPU s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$MD"

# table what workers seconds cpu rss bytes cp_seconds
row() {
  awk -v t="$1" -v w="$2" -v n="$3" -v s="$4" -v c="$5" -v r="$6" -v b="$7" -v cp="$8" -v rows="$ROWS" \
    'BEGIN {printf "| %s | %s | %s | %.2f | %.0f | %.0f | %.2fx | %.2f | %.1f |\n",
            t, w, n, s, rows / s, b / 1048576 / s, cp / s, c, r / 1024}' | tee -a "$MD" >&2
}

for table in accounts points; do
  for workers in 1 2; do
    out=$WORK/out
    read -r secs cpu rss < <(measure "rm -rf '$out'" "$LOADER" --table "$table" --rows "$ROWS" \
      --workers "$workers" --emit-import "$out" --log-level warn)
    bytes=$(cat "$out"/*.csv | wc -c)
    read -r cp_secs _ _ < <(measure "rm -rf '$WORK/copy'; mkdir '$WORK/copy'" \
      bash -c "cp '$out'/*.csv '$WORK/copy/'")
    row "$table" "generated" "$workers" "$secs" "$cpu" "$rss" "$bytes" "$cp_secs"
  done
  # One file of all the rows, read back as --input (one reader thread).
  input=$WORK/$table.csv
  cat "$out"/*.csv >"$input"
  rm -rf "$out" "$WORK/copy"
  read -r secs cpu rss < <(measure "rm -rf '$out'" "$LOADER" --table "$table" --input "$input" \
    --emit-import "$out" --log-level warn)
  read -r cp_secs _ _ < <(measure "rm -f '$WORK/copy.csv'" cp "$input" "$WORK/copy.csv")
  row "$table" "--input" 1 "$secs" "$cpu" "$rss" "$(wc -c <"$input")" "$cp_secs"
  rm -rf "$out" "$input" "$WORK/copy.csv"
done
echo "results: $MD" >&2
