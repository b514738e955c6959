#!/usr/bin/env bash
# The loader's end-to-end rows/s on the standard loads (points and accounts,
# copy and insert, 2 workers, --chunk 1000, --drop --create) at two
# revisions, run in turns (A, B, A, B, ...) against one throwaway local
# PostgreSQL, so drift in the machine's speed falls on both alike.
#
# Usage: scripts/bench-compare-load.sh REV_A REV_B [RUNS] [ROWS]
#   RUNS per revision and load (default 3), ROWS per load (default 1000000)
#   e.g. scripts/bench-compare-load.sh main~5 HEAD
#
# Each revision is checked out with `git worktree` under a scratch directory
# (removed on exit, with the server) and its loader built Release, so the
# working tree is never built. Each figure is the median wall time of the
# whole process (connect, drop, create, load, commit, exit); before each run
# the table is emptied (untimed) and the server checkpointed, and after it
# the table must hold exactly ROWS rows. Output: a table on stdout, and
# RESULTS_DIR/bench-compare-load.md (default results/). B/A above 1 means B
# loads faster.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
USAGE="usage: scripts/bench-compare-load.sh REV_A REV_B [RUNS] [ROWS]"
REV_A=${1:?$USAGE}
REV_B=${2:?$USAGE}
RUNS=${3:-3}
ROWS=${4:-1000000}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
TABLES=(points accounts)
METHODS=(copy insert)
WORKERS=2
CHUNK=1000

die() { echo "bench-compare-load: $*" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, not '$ROWS'"
HASH_A=$(git -C "$ROOT" rev-parse --short "$REV_A^{commit}") || die "no such revision: $REV_A"
HASH_B=$(git -C "$ROOT" rev-parse --short "$REV_B^{commit}") || die "no such revision: $REV_B"

# start_server and measure (bench-lib.sh) need ROOT, WORK and PG_DIR; its
# cleanup is replaced by one that also removes the worktrees.
source "$ROOT/scripts/bench-lib.sh"
WORK=$(mktemp -d /tmp/loader-bench-compare-load.XXXXXX)
PG_DIR=$WORK/pg
cleanup() {
  "$ROOT/scripts/pg-local.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  git -C "$ROOT" worktree remove --force "$WORK/a" >/dev/null 2>&1 || true
  git -C "$ROOT" worktree remove --force "$WORK/b" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

bash "$ROOT/scripts/install-deps.sh" >&2
[[ -x /usr/bin/time ]] || die "needs /usr/bin/time (apt-get install time)"

build() {  # build REV DIR
  git -C "$ROOT" worktree add --detach "$2" "$1" >/dev/null
  cmake -S "$2" -B "$2/build" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF >/dev/null
  cmake --build "$2/build" -j"$(nproc)" --target loader >/dev/null
  local help flag
  help=$("$2/build/loader" --help)
  for flag in --table --rows --method --workers --chunk --drop --create --log-level; do
    grep -q -- "$flag\b" <<<"$help" || die "$1's loader has no $flag option"
  done
}
echo "bench-compare-load: building $REV_A ($HASH_A) and $REV_B ($HASH_B) (Release)" >&2
build "$HASH_A" "$WORK/a"
build "$HASH_B" "$WORK/b"

start_server

# One timed run of REV (A|B), then the row count; appends
# "table method rev seconds" to WORK/times.
run() {  # run A|B TABLE METHOD
  local loader=$WORK/${1,,}/build/loader table=$2 method=$3 out secs count
  # Untimed: drop the last run's table (and its journal job), leave it empty.
  local empty="'$loader' --table $table --rows 0 --drop --create --log-level warn >/dev/null"
  out=$(RUNS=1 measure "$empty" "$loader" --table "$table" --rows "$ROWS" --method "$method" \
    --workers "$WORKERS" --chunk "$CHUNK" --drop --create --log-level warn)
  secs=${out%% *}
  count=$(psql -Atq "$URL" -c "SELECT count(*) FROM $table")
  [[ $count == "$ROWS" ]] || die "$1 ($table, $method): the table holds $count rows, not $ROWS"
  echo "$table $method $1 $secs" >>"$WORK/times"
  echo "bench-compare-load: $table $method $1: $secs s" >&2
}
for table in "${TABLES[@]}"; do
  for method in "${METHODS[@]}"; do
    for ((i = 1; i <= RUNS; ++i)); do
      run A "$table" "$method"
      run B "$table" "$method"
    done
  done
done

mkdir -p "$RESULTS_DIR"
{
  echo "# Loader end to end: $REV_A ($HASH_A, A) against $REV_B ($HASH_B, B)"
  echo
  echo "$ROWS rows a load, $WORKERS workers, --chunk $CHUNK, --drop --create; median wall seconds"
  echo "of the whole process over $RUNS runs each, taken in turns A, B, A, B; $(nproc) cores (nproc)."
  echo "B/A above 1 means B loads faster."
  echo
  echo "| table | method | A median s | B median s | A rows/s | B rows/s | B/A rows/s |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  awk -v rows="$ROWS" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      if (n % 2 == 1) return a[(n + 1) / 2]
      return (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      key = $1 " " $2
      secs[key, $3] = secs[key, $3] " " $4
      if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    }
    END {
      for (k = 1; k <= count; ++k) {
        split(order[k], tm, " ")
        sa = median(secs[order[k], "A"]); sb = median(secs[order[k], "B"])
        ra = rows / sa; rb = rows / sb; ratio = rb / ra
        printf "| %s | %s | %.3f | %.3f | %.0f | %.0f | %.2f |\n", tm[1], tm[2], sa, sb, ra, rb, ratio
      }
    }' "$WORK/times"
} | tee "$RESULTS_DIR/bench-compare-load.md"
echo "results: $RESULTS_DIR/bench-compare-load.md" >&2
