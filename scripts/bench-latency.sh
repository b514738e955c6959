#!/usr/bin/env bash
# Loading across a network: the loader's rows/s through a loopback proxy that
# delays every byte (scripts/delay-proxy.py), as a server in another zone or
# region would, against the same load with no proxy at all, and `psql \copy`
# of the same rows through the same proxy as the reference line.
#
# Usage: scripts/bench-latency.sh [ROWS] [RUNS]
#   ROWS    rows a load (default 1000000). Each copy run at a round trip of
#           ROUND_TRIP_FULL_MS or more loads ROWS / SLOW_DIVISOR rows instead,
#           unless SLOW_DIVISOR=1: a million rows by COPY chunks 100 ms away
#           take minutes, and rows/s is steady long before. Pipelined
#           (insert, auto) and psql's one COPY always load ROWS.
#   RUNS    runs a figure (median; default 3)
# Environment (space-separated lists):
#   ROUND_TRIPS_MS  default "0 2 20 100"; 0 is the direct connection
#   METHODS         default "copy insert auto"
#   WORKERS         default "2 8 auto"
#   TABLES          default "points accounts"
#   LOADER_ARGS     more options for every load (e.g. "--server cockroach")
#   SLOW_DIVISOR (default 10), ROUND_TRIP_FULL_MS (default 20)
#   BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
# Output: RESULTS_DIR/bench-latency.md (a table: rows/s and its share of the
# same load with no proxy), .json, and .svg (rows/s against the round trip,
# by gnuplot).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
ROUND_TRIPS_MS=${ROUND_TRIPS_MS:-0 2 20 100}
METHODS=${METHODS:-copy insert auto}
WORKERS=${WORKERS:-2 8 auto}
TABLES=${TABLES:-points accounts}
LOADER_ARGS=${LOADER_ARGS:-}
SLOW_DIVISOR=${SLOW_DIVISOR:-10}
ROUND_TRIP_FULL_MS=${ROUND_TRIP_FULL_MS:-20}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench gnuplot-nox

PROXY_PORT=54399
PROXY_PID=
stop_proxy() {
  [[ -n $PROXY_PID ]] || return 0
  kill "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=
}
trap 'stop_proxy; cleanup' EXIT

# Starts the proxy for a round trip of $1 ms (none for 0) and sets TARGET,
# the URL a load uses.
route() {
  stop_proxy
  TARGET=$URL
  (($1 > 0)) || return 0
  local port=${URL##*:}
  port=${port%%/*}
  python3 "$ROOT/scripts/delay-proxy.py" "$PROXY_PORT" "$port" "$(awk -v r="$1" 'BEGIN {print r / 2}')" &
  PROXY_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT") 2>/dev/null && break
    sleep 0.1
  done
  TARGET=${URL/:$port\//:$PROXY_PORT/}
}

rows_at() {  # rows_at ROUND_TRIP_MS METHOD
  if [[ $2 == copy ]] && (($1 >= ROUND_TRIP_FULL_MS)); then
    echo $((ROWS / SLOW_DIVISOR))
  else
    echo "$ROWS"
  fi
}

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-latency.md
JSON=$RESULTS_DIR/bench-latency.json
DATA=$WORK/plot.dat
echo "[" >"$JSON"
first=1
declare -A DIRECT  # "table tool method workers" -> rows/s with no proxy
ROWS_TABLE=()

# record TABLE TOOL METHOD WORKERS ROUND_TRIP ROWS SECONDS
record() {
  local rps share key="$1 $2 $3 $4"
  rps=$(awk -v n="$6" -v s="$7" 'BEGIN {printf "%.0f", n / s}')
  [[ $5 == 0 ]] && DIRECT[$key]=$rps
  share=$(awk -v a="$rps" -v b="${DIRECT[$key]:-$rps}" 'BEGIN {printf "%.0f", 100 * a / b}')
  ROWS_TABLE+=("| $1 | $2 | $3 | $4 | $5 | $6 | $rps | $share% |")
  local series=$2-$3-w$4
  [[ $2 == loader ]] || series=psql-copy
  echo "$1 $series $5 $rps" >>"$DATA"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"table": "%s", "tool": "%s", "method": "%s", "workers": "%s", "round_trip_ms": %s, "rows": %s, "seconds": %s, "rows_per_second": %s, "share_of_direct": %s}' \
    "$1" "${2//\\/\\\\}" "$3" "$4" "$5" "$6" "$7" "$rps" "$(awk -v s="$share" 'BEGIN {print s / 100}')" >>"$JSON"
  echo "bench-latency: $1 $2 $3 workers=$4 rtt=${5}ms: $rps rows/s ($share% of direct)" >&2
}

for table in $TABLES; do
  # The reference file: the same rows, written before any timing.
  file=$WORK/$table.csv
  "$LOADER" --table "$table" --rows "$ROWS" --drop --create --no-journal --log-level warn >/dev/null
  psql -q "$URL" -c "\\copy $table TO '$file' WITH (FORMAT csv)"
  empty="'$LOADER' --table $table --rows 0 --drop --create --log-level warn >/dev/null"
  for rtt in $ROUND_TRIPS_MS; do
    route "$rtt"
    # One COPY pays the distance once: psql always loads all ROWS.
    read -r secs _ < <(measure "$empty" psql -q "$TARGET" -c "\\copy $table FROM '$file' WITH (FORMAT csv)")
    record "$table" "psql \\copy" copy 1 "$rtt" "$ROWS" "$secs"
    for method in $METHODS; do
      rows=$(rows_at "$rtt" "$method")
      for workers in $WORKERS; do
        # shellcheck disable=SC2086  # LOADER_ARGS is a list of options
        read -r secs _ < <(measure "$empty" "$LOADER" --url "$TARGET" --table "$table" --rows "$rows" \
          --method "$method" --workers "$workers" --chunk 1000 --log-level warn $LOADER_ARGS)
        count=$(psql -Atq "$URL" -c "SELECT count(*) FROM $table")
        [[ $count == "$rows" ]] || { echo "bench-latency: $table holds $count rows, not $rows" >&2; exit 1; }
        record "$table" loader "$method" "$workers" "$rtt" "$rows" "$secs"
      done
    done
  done
  stop_proxy
done
echo "]" >>"$JSON"

{
  echo "# Loading across a network: rows/s against the round trip, $(nproc) cores"
  echo
  echo "A loopback proxy (scripts/delay-proxy.py) delays every byte by half the round trip"
  echo "each way; round trip 0 is a direct connection. --chunk 1000, journal on${LOADER_ARGS:+, $LOADER_ARGS};"
  echo "median of $RUNS runs; $ROWS rows a load, but $((ROWS / SLOW_DIVISOR)) for copy at $ROUND_TRIP_FULL_MS ms and over."
  echo "Share: of the same tool, method and workers with no proxy."
  echo
  echo "| table | tool | method | workers | round trip ms | rows | rows/s | share |"
  echo "|---|---|---|---|--:|--:|--:|--:|"
  printf '%s\n' "${ROWS_TABLE[@]}"
} >"$MD"

# rows/s against the round trip, one line per table, tool, method and workers.
{
  echo "set terminal svg size 900,600"
  echo "set output '$RESULTS_DIR/bench-latency.svg'"
  echo "set xlabel 'round trip (ms)'"
  echo "set ylabel 'rows/s'"
  echo "set logscale y"
  echo "set key outside"
  echo -n "plot "
  sep=
  for series in $(awk '{print $1 "|" $2}' "$DATA" | sort -u); do
    echo -n "$sep'$DATA' using (strcol(1) eq '${series%%|*}' && strcol(2) eq '${series#*|}' ? \$3 : NaN):4 with linespoints title '${series/|/ }'"
    sep=", "
  done
  echo
} >"$WORK/plot.gp"
gnuplot "$WORK/plot.gp" 2>/dev/null || echo "bench-latency: gnuplot failed; the table has the figures" >&2
cat "$MD"
echo "results: $MD $JSON $RESULTS_DIR/bench-latency.svg" >&2
