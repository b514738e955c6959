#!/usr/bin/env bash
# Failover benchmark (issue 15): how long after a gateway hangs its chunks
# are committed over another. Two loopback proxies (scripts/hang-proxy.py) in
# front of one throwaway PostgreSQL stand for two gateway nodes; mid-load one
# of them hangs (keeps its connections open, answers nothing), and the
# loader's log says when it noticed and when the hung gateway's worker was
# loading over the other one again. Every run is checked for exact rows.
#
# Usage: scripts/bench-hang.sh [ROWS] [RUNS] [STATEMENT_TIMEOUT]
#   defaults: 1000000 points, 3 runs, --statement-timeout 5.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
# Output: RESULTS_DIR/bench-hang.md
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
TIMEOUT=${3:-5}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench python3
PORT=$(sed -E 's/.*:([0-9]+)\/.*/\1/' <<<"$URL")

# Epoch seconds of the first log line matching $2 in file $1.
log_time() {
  local line
  line=$(grep -m1 -- "$2" "$1") || { echo "bench-hang: no log line '$2'" >&2; return 1; }
  date -d "${line:0:23}" +%s.%N
}

samples=()
for ((i = 0; i < RUNS; i++)); do
  "$LOADER" --table points --rows 0 --drop --log-level warn >/dev/null
  p1=$((PORT + 100 + 2 * i)) p2=$((PORT + 101 + 2 * i))
  python3 "$ROOT/scripts/hang-proxy.py" "$p1" "$PORT" >/dev/null & proxy1=$!
  python3 "$ROOT/scripts/hang-proxy.py" "$p2" "$PORT" >/dev/null & proxy2=$!
  sleep 0.5
  timeout 300 "$LOADER" --url "${URL/:$PORT/:$p1}" --url "${URL/:$PORT/:$p2}" --table points \
    --rows "$ROWS" --chunk 1000 --workers 2 --statement-timeout "$TIMEOUT" --quiet \
    >"$WORK/out" 2>"$WORK/err" & loader=$!
  # Hang the first gateway once a tenth of the rows is in.
  until (($(psql -Atq "$URL" -c "SELECT coalesce(sum(row_count), 0) FROM loader_journal") >= ROWS / 10)); do
    sleep 0.05
  done
  hung_at=$(date +%s.%N)
  kill -USR1 "$proxy1"
  wait "$loader" || { cat "$WORK/err" >&2; exit 1; }
  kill "$proxy1" "$proxy2"; wait "$proxy1" "$proxy2" 2>/dev/null || true
  count=$(psql -Atq "$URL" -c "SELECT count(*) FROM points")
  [[ $count == "$ROWS" ]] || { echo "bench-hang: $count rows, not $ROWS" >&2; exit 1; }
  noticed=$(log_time "$WORK/err" "no answer from 127.0.0.1:$p1")
  moved=$(log_time "$WORK/err" "connected to 127.0.0.1:$p2 while its host 127.0.0.1:$p1 is down")
  samples+=("$(awk -v h="$hung_at" -v n="$noticed" -v m="$moved" 'BEGIN {printf "%.2f %.2f", n - h, m - h}')")
  echo "run $((i + 1)): noticed after ${samples[-1]% *} s, loading over the other gateway after ${samples[-1]#* } s" >&2
done

noticed=$(median $(printf '%s\n' "${samples[@]}" | awk '{print $1}'))
moved=$(median $(printf '%s\n' "${samples[@]}" | awk '{print $2}'))
mkdir -p "$RESULTS_DIR"
{
  echo "# A gateway of two hangs mid-load: $ROWS points, 2 workers, --statement-timeout $TIMEOUT, median of $RUNS runs"
  echo
  echo "| from the hang to | seconds |"
  echo "|---|---|"
  echo "| the loader noticing (no answer for --statement-timeout) | $noticed |"
  echo "| the hung gateway's worker loading over the other one | $moved |"
} >"$RESULTS_DIR/bench-hang.md"
cat "$RESULTS_DIR/bench-hang.md"
