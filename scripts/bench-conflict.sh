#!/usr/bin/env bash
# The cost of --on-conflict against a plain load, on a throwaway local
# PostgreSQL: ROWS generated accounts rows loaded into
#   - an empty table: plain, skip, update (what the staging table or the
#     ON CONFLICT clause costs when nothing conflicts);
#   - a table already holding the first third of them (the same seed's first
#     ROWS/3 rows): skip, update (a third of the rows conflict);
# by COPY (through the staging table) and by INSERT, every case once a round
# in turns, RUNS rounds; prints the median rows/s of each and its ratio to the
# plain load of the same method, with the summary's counts as a check.
#
# Usage: scripts/bench-conflict.sh [ROWS] [RUNS]
#   defaults: 1000000 rows, 3 rounds.
# Environment: BUILD_DIR (default build-bench-conflict; never build/, which is
#   the developers'), RESULTS_DIR (default results/), WORKERS (default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
WORKERS=${WORKERS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench-conflict}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-conflict.md

# Fields of the --stats-json file $1: rows_per_second inserted skipped updated.
stats_fields() {
  python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print(s["rows_per_second"], s["rows_inserted"], s["rows_skipped"], s["rows_updated"])' "$1"
}

# A fresh accounts table, empty or holding the first third of the rows.
fresh_table() {
  "$LOADER" --rows 0 --drop --quiet >/dev/null 2>&1
  if [[ $1 == third ]]; then
    "$LOADER" --rows $((ROWS / 3)) --no-journal --quiet >/dev/null 2>&1
  fi
  psql -q "$URL" -c 'DELETE FROM loader_journal' -c 'DELETE FROM loader_jobs' 2>/dev/null || true
  psql -q "$URL" -c 'VACUUM ANALYZE accounts' -c CHECKPOINT
}

CASES=("empty plain error" "empty skip skip" "empty update update" "third skip skip"
       "third update update")
declare -A RATE COUNTS
for method in copy insert; do
  for ((round = 0; round < RUNS; round++)); do
    for c in "${CASES[@]}"; do
      read -r table name mode <<<"$c"
      fresh_table "$table"
      "$LOADER" --rows "$ROWS" --method "$method" --workers "$WORKERS" --on-conflict "$mode" \
        --quiet --stats-json "$WORK/stats.json" >/dev/null 2>"$WORK/stderr" ||
        { cat "$WORK/stderr" >&2; exit 1; }
      read -r rate inserted skipped updated < <(stats_fields "$WORK/stats.json")
      RATE[$method/$table/$name]+="$rate "
      COUNTS[$method/$table/$name]="$inserted inserted, $skipped skipped, $updated updated"
      [[ $mode == error ]] && COUNTS[$method/$table/$name]="(not counted: a plain load)"
    done
  done
done

{
  echo "# --on-conflict against a plain load"
  echo
  echo "$ROWS generated accounts rows, $WORKERS workers, median of $RUNS rounds in turns;"
  echo "a third: the table held the first $((ROWS / 3)) of them already. $(date -u +%F)."
  echo
  echo "| method | table | --on-conflict | rows/s | vs plain | rows |"
  echo "|---|---|---|--:|--:|---|"
  for method in copy insert; do
    # shellcheck disable=SC2086
    plain=$(median ${RATE[$method/empty/plain]})
    for c in "${CASES[@]}"; do
      read -r table name mode <<<"$c"
      # shellcheck disable=SC2086
      rate=$(median ${RATE[$method/$table/$name]})
      printf '| %s | %s | %s | %.0f | %.2fx | %s |\n' "$method" \
        "$([[ $table == empty ]] && echo empty || echo "a third")" "$mode" "$rate" \
        "$(awk -v a="$rate" -v b="$plain" 'BEGIN {print a / b}')" "${COUNTS[$method/$table/$name]}"
    done
  done
} | tee "$MD"
