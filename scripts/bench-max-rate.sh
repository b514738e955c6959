#!/usr/bin/env bash
# --max-rate against a throwaway local PostgreSQL: loads of about SECONDS
# seconds each at a few budgets (5,000, 20,000 and 50,000 rows/s, and 1 MiB/s
# of payload), with COPY and with INSERT, WORKERS workers sharing the budget.
# For each, the median of RUNS runs of:
#   - the measured rate, as the summary measures it (rows or payload bytes
#     committed over the load's seconds), and its ratio to the budget;
#   - the busiest second's ratio to the budget: the rows of the chunks whose
#     journal rows' committed_at (each transaction's start) fall in one
#     second, over every such window;
#   - the share of the load the budget held chunks back (near 100%: the
#     budget, not the server, set the pace; a rate under budget with a low
#     share means the server could not go faster).
#
# Usage: scripts/bench-max-rate.sh [SECONDS] [RUNS]
#   defaults: 10 seconds a load, 3 runs.
# Environment: BUILD_DIR (default build-bench-rate; never build/, which is the
#   developers'), RESULTS_DIR (default results/), WORKERS (default 4), CHUNK
#   (rows a chunk, default 500).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOAD_SECONDS=${1:-10}
RUNS=${2:-3}
WORKERS=${WORKERS:-4}
CHUNK=${CHUNK:-500}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench-rate}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-max-rate.md
JSON=$RESULTS_DIR/bench-max-rate.json

# The budget's busiest second: the most rows committed by chunks whose
# transactions started within one second of each other.
PEAK_SQL="SELECT coalesce(max(w), 0) FROM (SELECT sum(row_count) OVER (ORDER BY committed_at
  RANGE BETWEEN CURRENT ROW AND interval '999 milliseconds' FOLLOWING) AS w FROM loader_journal) s"

# Fields of the --stats-json file $1: rows bytes seconds rate_wait_seconds.
stats_fields() {
  python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print(s["rows"], s["bytes"], s["seconds"], s["rate_wait_seconds"])' "$1"
}

# One load of $3 rows by method $1 under --max-rate $2, into an empty table
# with no journal jobs; prints "rows bytes seconds rate_wait_seconds
# peak_rows_in_a_second".
load_once() {
  local method=$1 rate=$2 rows=$3
  "$LOADER" --table accounts --rows 0 --drop --log-level warn >/dev/null
  psql -q "$URL" -c CHECKPOINT
  "$LOADER" --table accounts --rows "$rows" --method "$method" --workers "$WORKERS" \
    --chunk "$CHUNK" --max-rate "$rate" --quiet --log-level warn \
    --stats-json "$WORK/stats.json" >/dev/null
  echo "$(stats_fields "$WORK/stats.json") $(psql -Atq "$URL" -c "$PEAK_SQL")"
}

# Payload bytes a row of accounts takes with method $1, from a load without
# a budget: how many rows a byte budget's load needs to last LOAD_SECONDS.
bytes_per_row() {
  "$LOADER" --table accounts --rows 0 --drop --log-level warn >/dev/null
  "$LOADER" --table accounts --rows 20000 --method "$1" --quiet --log-level warn \
    --stats-json "$WORK/calibrate.json" >/dev/null
  local rows bytes
  read -r rows bytes _ _ < <(stats_fields "$WORK/calibrate.json")
  awk -v r="$rows" -v b="$bytes" 'BEGIN {printf "%.3f", b / r}'
}

{
  echo "# --max-rate: measured rate against the budget, $WORKERS workers, chunks of $CHUNK rows,"
  echo "# loads of about $LOAD_SECONDS s, median of $RUNS runs, $(nproc) cores"
  echo
  echo "| method | budget | rows | measured | ratio | busiest second | held back |"
  echo "|---|---|---|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1

for method in copy insert; do
  bpr=$(bytes_per_row "$method")
  # A budget: the --max-rate text, its unit ("rows" or "bytes") and amount.
  for budget in "5000rows/s rows 5000" "20000rows/s rows 20000" "50000rows/s rows 50000" \
    "1MiB/s bytes 1048576"; do
    read -r rate unit amount <<<"$budget"
    if [[ $unit == rows ]]; then
      rows=$((amount * LOAD_SECONDS))
    else
      rows=$(awk -v a="$amount" -v s="$LOAD_SECONDS" -v b="$bpr" 'BEGIN {printf "%d", a * s / b}')
    fi
    ratios=() peaks=() held=() measured=()
    for ((i = 0; i < RUNS; i++)); do
      read -r got_rows got_bytes secs waited peak < <(load_once "$method" "$rate" "$rows")
      ((got_rows == rows)) || { echo "bench-max-rate: loaded $got_rows of $rows rows" >&2; exit 1; }
      if [[ $unit == rows ]]; then
        done_per_s=$(awk -v r="$got_rows" -v s="$secs" 'BEGIN {printf "%.1f", r / s}')
        peak_amount=$peak
      else
        done_per_s=$(awk -v b="$got_bytes" -v s="$secs" 'BEGIN {printf "%.1f", b / s}')
        peak_amount=$(awk -v p="$peak" -v b="$got_bytes" -v r="$got_rows" 'BEGIN {printf "%.0f", p * b / r}')
      fi
      measured+=("$done_per_s")
      ratios+=("$(awk -v d="$done_per_s" -v a="$amount" 'BEGIN {printf "%.4f", d / a}')")
      peaks+=("$(awk -v p="$peak_amount" -v a="$amount" 'BEGIN {printf "%.4f", p / a}')")
      held+=("$(awk -v w="$waited" -v s="$secs" 'BEGIN {printf "%.3f", w / s}')")
      echo "bench-max-rate: $method $rate run $((i + 1)): ${done_per_s} $unit/s in ${secs} s" >&2
    done
    m=$(median "${measured[@]}") r=$(median "${ratios[@]}") p=$(median "${peaks[@]}") h=$(median "${held[@]}")
    if [[ $unit == rows ]]; then
      shown=$(awk -v m="$m" 'BEGIN {printf "%.0f rows/s", m}')
    else
      shown=$(awk -v m="$m" 'BEGIN {printf "%.3f MiB/s", m / 1048576}')
    fi
    printf '| %s | %s | %s | %s | %.3fx | %.3fx | %.0f%% |\n' "$method" "$rate" "$rows" "$shown" \
      "$r" "$p" "$(awk -v h="$h" 'BEGIN {print 100 * h}')" >>"$MD"
    [[ $first == 1 ]] || echo "," >>"$JSON"
    first=0
    printf '  {"method": "%s", "budget": "%s", "unit": "%s", "budget_per_second": %s, "rows": %s, "measured_per_second": %s, "ratio": %s, "busiest_second_ratio": %s, "held_back_share": %s, "workers": %s, "chunk": %s, "runs": %s}' \
      "$method" "$rate" "$unit" "$amount" "$rows" "$m" "$r" "$p" "$h" "$WORKERS" "$CHUNK" "$RUNS" >>"$JSON"
  done
done
echo "]" >>"$JSON"
cat "$MD"
echo "results: $MD $JSON" >&2
