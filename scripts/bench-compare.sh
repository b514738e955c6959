#!/usr/bin/env bash
# The microbenchmarks (bench/: generation and encoding, chunking, the CSV
# reader and source) of two revisions, run in turns (A, B, A, B, ...) in one
# go, since this machine's speed drifts between runs minutes apart: the median
# of each benchmark at each revision, and their ratio.
#
# Usage: scripts/bench-compare.sh REV_A REV_B [RUNS]   (RUNS per revision, default 3)
#   e.g. scripts/bench-compare.sh main~5 HEAD
#
# Each revision is checked out with `git worktree` under a scratch directory
# and built Release, benchmarks only. Output: a table on stdout, and
# RESULTS_DIR/bench-compare.md (default results/). B/A above 1 means B is
# faster (items or bytes per second).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REV_A=${1:?usage: scripts/bench-compare.sh REV_A REV_B [RUNS]}
REV_B=${2:?usage: scripts/bench-compare.sh REV_A REV_B [RUNS]}
RUNS=${3:-3}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
WORK=$(mktemp -d /tmp/loader-bench-compare.XXXXXX)
cleanup() {
  git -C "$ROOT" worktree remove --force "$WORK/a" >/dev/null 2>&1 || true
  git -C "$ROOT" worktree remove --force "$WORK/b" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

build() {  # build REV DIR
  git -C "$ROOT" worktree add --detach "$2" "$1" >/dev/null 2>&1
  cmake -S "$2" -B "$2/build" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF >/dev/null
  cmake --build "$2/build" -j"$(nproc)" --target loader_bench loader_csv_bench >/dev/null
}
echo "bench-compare: building $REV_A and $REV_B (Release)" >&2
build "$REV_A" "$WORK/a"
build "$REV_B" "$WORK/b"

# One run of both binaries of a revision, as "A name rate" lines: the rate is
# Google Benchmark's items_per_second, else its bytes_per_second.
run() {  # run A|B
  local bin json=$WORK/run.json
  for bin in loader_bench loader_csv_bench; do
    "$WORK/${1,,}/build/bench/$bin" --benchmark_format=json --benchmark_min_time=0.5 >"$json"
    awk -v rev="$1" '
      /"name":/ { gsub(/[",]/, "", $2); name = $2; order[++n] = name }
      /"bytes_per_second":/ { gsub(/,/, "", $2); bytes[name] = $2 }
      /"items_per_second":/ { gsub(/,/, "", $2); items[name] = $2 }
      END { for (i = 1; i <= n; ++i) print rev, order[i], (order[i] in items) ? items[order[i]] : bytes[order[i]] }
    ' "$json" >>"$WORK/rates"
  done
}
for ((i = 1; i <= RUNS; ++i)); do
  echo "bench-compare: round $i of $RUNS" >&2
  run A
  run B
done
[[ -s $WORK/rates ]] || { echo "bench-compare: the benchmarks reported nothing" >&2; exit 1; }

mkdir -p "$RESULTS_DIR"
{
  echo "# Microbenchmarks: $REV_A (A) against $REV_B (B), $RUNS runs each in turns"
  echo
  echo "| benchmark | A median /s | B median /s | B/A |"
  echo "|---|---:|---:|---:|"
  awk '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { rates[$1, $2] = rates[$1, $2] " " $3; if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 } }
    END {
      for (k = 1; k <= count; ++k) {
        b = order[k]; ma = median(rates["A", b]); mb = median(rates["B", b])
        printf "| %s | %.4g | %.4g | %.2f |\n", b, ma, mb, (ma > 0 ? mb / ma : 0)
      }
    }' "$WORK/rates"
} | tee "$RESULTS_DIR/bench-compare.md"
