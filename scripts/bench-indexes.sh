#!/usr/bin/env bash
# --build-indexes-after against loading with the indexes in place, pgbench -i
# (which builds its primary key after its COPY) and psql \copy, on a
# throwaway local PostgreSQL. For accounts and points, at ROWS_SMALL rows
# (RUNS rounds, every case once a round in turns, medians) and ROWS_BIG rows
# (one round: each case takes a while): wall seconds of the whole command,
# table made and indexes built, and rows per second from them.
#   loader            loader --drop: the table made, rows loaded through its key
#   loader+indexes    the same with --build-indexes-after
#   pgbench -i        pgbench_accounts at the scale of the same row count,
#                     -I dtgp: drop, create, COPY, primary key (no vacuum);
#                     accounts only, and its rows are not the loader's
#   psql \copy        the loader's own rows as CSV (--emit-import, made once,
#                     not timed), \copy'd in one session into the fresh table
#
# Usage: scripts/bench-indexes.sh [ROWS_SMALL] [ROWS_BIG] [RUNS]
#   defaults: 1000000, 10000000, 3.
# Environment: BUILD_DIR (default build-bench-indexes; never build/, which is
#   the developers'), RESULTS_DIR (default results/), WORKERS (default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS_SMALL=${1:-1000000}
ROWS_BIG=${2:-10000000}
RUNS=${3:-3}
WORKERS=${WORKERS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench-indexes}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-indexes.md

# Wall seconds of a command, after a CHECKPOINT so none pays for another's.
timed() {
  psql -q "$URL" -c CHECKPOINT
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}

load_plain() { "$LOADER" --table "$1" --rows "$2" --drop --workers "$WORKERS" --quiet; }
load_deferred() {
  "$LOADER" --table "$1" --rows "$2" --drop --workers "$WORKERS" --quiet --build-indexes-after
}
load_pgbench() { "$PGBENCH" -i -q -I dtgp -s "$(($2 / 100000))" "$URL"; }
load_copy() {
  local f script="$WORK/copy.sql"
  : >"$script"
  for f in "$WORK/csv-$1-$2"/*.csv; do
    echo "\\copy $1 FROM '$f' WITH (FORMAT csv)" >>"$script"
  done
  "$LOADER" --table "$1" --rows 0 --drop --quiet
  psql -q -v ON_ERROR_STOP=1 "$URL" -f "$script"
}

declare -A SECONDS_OF
run_case() {  # table rows case
  local s
  s=$(timed "load_$3" "$1" "$2")
  SECONDS_OF[$1/$2/$3]+="$s "
}

for rows in "$ROWS_SMALL" "$ROWS_BIG"; do
  for table in accounts points; do
    "$LOADER" --table "$table" --rows "$rows" --emit-import "$WORK/csv-$table-$rows" --quiet \
      >/dev/null
  done
  rounds=$RUNS
  [[ $rows == "$ROWS_BIG" ]] && rounds=1
  for ((round = 0; round < rounds; round++)); do
    for table in accounts points; do
      for c in plain deferred copy; do run_case "$table" "$rows" "$c"; done
      [[ $table == accounts ]] && run_case "$table" "$rows" pgbench
    done
  done
  rm -rf "$WORK"/csv-*-"$rows"
done

{
  echo "# --build-indexes-after"
  echo
  echo "Wall seconds of the whole command (table made, rows in, indexes built), local"
  echo "PostgreSQL 15, $WORKERS loader workers; $ROWS_SMALL rows: median of $RUNS rounds in turns,"
  echo "$ROWS_BIG rows: one round. $(date -u +%F)."
  echo
  echo "| table | rows | how | seconds | rows/s | vs loader |"
  echo "|---|--:|---|--:|--:|--:|"
  for rows in "$ROWS_SMALL" "$ROWS_BIG"; do
    for table in accounts points; do
      # shellcheck disable=SC2086
      base=$(median ${SECONDS_OF[$table/$rows/plain]})
      for c in plain deferred pgbench copy; do
        [[ -n ${SECONDS_OF[$table/$rows/$c]:-} ]] || continue
        # shellcheck disable=SC2086
        s=$(median ${SECONDS_OF[$table/$rows/$c]})
        case $c in
          plain) how="loader" ;;
          deferred) how="loader --build-indexes-after" ;;
          pgbench) how="pgbench -i -I dtgp" ;;
          copy) how="psql \\copy" ;;
        esac
        awk -v t="$table" -v r="$rows" -v h="$how" -v s="$s" -v b="$base" \
          'BEGIN {printf "| %s | %d | %s | %.2f | %.0f | %.2fx |\n", t, r, h, s, r / s, b / s}'
      done
    done
  done
} | tee "$MD"
