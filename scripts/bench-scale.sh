#!/usr/bin/env bash
# Scale-out benchmark (issue 7) against a throwaway local PostgreSQL: the same
# job loaded by one process, by --shard processes started together, over
# several --url hosts, and with --id-order scattered, each checked for its
# exact row count after every run.
#
# Usage: scripts/bench-scale.sh [ROWS] [RUNS]
#   defaults: 1000000 rows of points, 3 runs.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
# Output: RESULTS_DIR/bench-scale.md and bench-scale.json.
#
# One server on the same cores as the clients is the ceiling here, so these
# figures price what sharding and several hosts cost a load (they should cost
# nothing), not the speed-up a cluster with one client machine per shard gets.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench
# The same server under a second name: two "hosts" for --url.
URL2=${URL/127.0.0.1/localhost}

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-scale.md
JSON=$RESULTS_DIR/bench-scale.json
{
  echo "# Scale-out: $ROWS points, median of $RUNS runs, $(nproc) cores, one local PostgreSQL 15"
  echo
  echo "| configuration | processes | workers each | seconds | rows/s | vs one process | client CPU s | peak RSS MiB | server CPU s |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1

# --drop also forgets the table's journal jobs, so every run loads every row.
empty_table="'$LOADER' --table points --rows 0 --drop --log-level warn >/dev/null"
load="'$LOADER' --table points --rows $ROWS --chunk 1000 --log-level warn"

one_process="$load --workers 4"

# One row of the table: its figures, and the ratio to one process measured in
# turns with it (this machine's speed drifts by more than the differences).
# name processes workers seconds cpu rss server_cpu baseline_seconds
emit() {
  local rps ratio
  rps=$(awk -v rows="$ROWS" -v s="$4" 'BEGIN {printf "%.0f", rows / s}')
  ratio=$(awk -v a="$8" -v b="$4" 'BEGIN {printf "%.2f", a / b}')
  printf '| %s | %s | %s | %.2f | %s | %sx | %.2f | %.1f | %.2f |\n' "$1" "$2" "$3" "$4" "$rps" \
    "$ratio" "$5" "$(awk -v k="$6" 'BEGIN {print k / 1024}')" "$7" >>"$MD"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"configuration": "%s", "processes": %s, "workers": %s, "rows": %s, "seconds": %s, "rows_per_second": %s, "vs_one_process": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s, "server_cpu_seconds": %s}' \
    "$1" "$2" "$3" "$ROWS" "$4" "$rps" "$ratio" "$5" "$6" "$7" >>"$JSON"
  echo "$1: $rps rows/s (${ratio}x one process)" >&2
}

check_rows() {
  local count
  count=$(psql -Atq "$URL" -c "SELECT count(*) FROM points")
  [[ $count == "$ROWS" ]] || { echo "bench-scale: $1 left $count rows, not $ROWS" >&2; exit 1; }
}

# name processes workers command: measured in turns with one process.
run() {
  local secs cpu rss srv secs_1 cpu_1 rss_1 srv_1
  read -r secs_1 cpu_1 rss_1 srv_1 secs cpu rss srv < <(measure_pair "$empty_table" "$one_process" "$4")
  check_rows "$1"
  emit "one process (in turns with the next row)" 1 4 "$secs_1" "$cpu_1" "$rss_1" "$srv_1" "$secs_1"
  emit "$1" "$2" "$3" "$secs" "$cpu" "$rss" "$srv" "$secs_1"
}

# N processes of --shard K/N with `workers` each, started together; fails
# unless every one exits 0.
shards() {
  local n=$1 workers=$2
  local cmd="pids=(); for k in \$(seq 0 $((n - 1))); do $load --workers $workers --shard \$k/$n & pids+=(\$!); done; "
  cmd+="for p in \${pids[@]}; do wait \$p || exit 1; done"
  echo "$cmd"
}

run "--shard K/2" 2 2 "$(shards 2 2)"
run "--shard K/4" 4 1 "$(shards 4 1)"
run "one process, two --url hosts" 1 4 "$load --workers 4 --url '$URL' --url '$URL2'"
run "one process, --id-order scattered" 1 4 "$load --workers 4 --id-order scattered"
echo "]" >>"$JSON"
cat "$MD"
echo "results: $MD $JSON" >&2
