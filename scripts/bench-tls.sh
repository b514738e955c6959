#!/usr/bin/env bash
# TLS benchmark (issue 15) against a throwaway local PostgreSQL with ssl = on
# (scripts/pg-tls.sh): what encryption costs a load. The same load of points
# into the same server, once with sslmode=disable and once with
# sslmode=require, measured in turns (plain, TLS, plain, TLS, ...) so the
# machine's drift hits both alike, the table dropped before every run and its
# row count checked after every run.
#
# Usage: scripts/bench-tls.sh [ROWS] [RUNS]
#   defaults: 1000000 rows of points, 3 runs of each.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/),
#   RUN_TIMEOUT (seconds one load may take before the benchmark fails; default 600)
# Output: RESULTS_DIR/bench-tls.md and bench-tls.json.
#
# Both loads use the superuser's password over TCP on 127.0.0.1, so the only
# difference is the TLS session (handshake per connection, encryption of
# every byte); client certificates would change neither.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench openssl
# The server prepare_bench started, with TLS turned on (a reload, same port).
"$ROOT/scripts/pg-tls.sh" start "$PG_DIR" >/dev/null
PLAIN_URL=$URL
TLS_URL=${URL/sslmode=disable/sslmode=require}
[[ $TLS_URL != "$PLAIN_URL" ]] || { echo "bench-tls: no sslmode=disable in $URL" >&2; exit 1; }

ssl_of() { psql -Atq "$1" -c "SELECT ssl, coalesce(version, ''), coalesce(cipher, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()"; }
[[ $(ssl_of "$PLAIN_URL") == f* ]] || { echo "bench-tls: the plain URL went over TLS" >&2; exit 1; }
CIPHER=$(ssl_of "$TLS_URL")
[[ $CIPHER == t* ]] || { echo "bench-tls: the TLS URL did not go over TLS" >&2; exit 1; }
CIPHER=${CIPHER#t|}
CIPHER=${CIPHER/|/ }

# Before every run (untimed): the last run left exactly ROWS rows (or there
# was none yet), then the table goes. --drop also forgets its journal jobs,
# so every run loads every row.
BAD=$WORK/bad-count
empty_table() {
  local count
  if [[ $(psql -Atq "$PLAIN_URL" -c "SELECT to_regclass('points') IS NOT NULL") == t ]]; then
    count=$(psql -Atq "$PLAIN_URL" -c "SELECT count(*) FROM points")
    [[ $count == "$ROWS" ]] || echo "a run left $count rows, not $ROWS" >>"$BAD"
  fi
  "$LOADER" --url "$PLAIN_URL" --table points --rows 0 --drop --log-level warn >/dev/null
}
load() {
  echo "timeout $RUN_TIMEOUT '$LOADER' --url '$1' --table points --rows $ROWS --workers 2 --chunk 1000 --create --log-level warn"
}

read -r secs_p cpu_p rss_p srv_p secs_t cpu_t rss_t srv_t < <(
  measure_pair empty_table "$(load "$PLAIN_URL")" "$(load "$TLS_URL")")
empty_table
if [[ -s $BAD ]]; then
  cat "$BAD" >&2
  exit 1
fi

rps_p=$(awk -v r="$ROWS" -v s="$secs_p" 'BEGIN {printf "%.0f", r / s}')
rps_t=$(awk -v r="$ROWS" -v s="$secs_t" 'BEGIN {printf "%.0f", r / s}')
ratio=$(awk -v p="$secs_p" -v t="$secs_t" 'BEGIN {printf "%.2f", p / t}')

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-tls.md
JSON=$RESULTS_DIR/bench-tls.json
{
  echo "# TLS: $ROWS points, 2 workers, 1000-row chunks, median of $RUNS runs in turns, $(nproc) cores, one local PostgreSQL 15"
  echo
  echo "| sslmode | seconds | rows/s | vs disable | client CPU s | peak RSS MiB | server CPU s |"
  echo "|---|---|---|---|---|---|---|"
  printf '| disable | %.2f | %s | 1.00x | %.2f | %.1f | %.2f |\n' "$secs_p" "$rps_p" "$cpu_p" \
    "$(awk -v k="$rss_p" 'BEGIN {print k / 1024}')" "$srv_p"
  printf '| require (%s) | %.2f | %s | %sx | %.2f | %.1f | %.2f |\n' "$CIPHER" "$secs_t" "$rps_t" \
    "$ratio" "$cpu_t" "$(awk -v k="$rss_t" 'BEGIN {print k / 1024}')" "$srv_t"
} >"$MD"
printf '[\n  {"sslmode": "disable", "rows": %s, "seconds": %s, "rows_per_second": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s, "server_cpu_seconds": %s},\n' \
  "$ROWS" "$secs_p" "$rps_p" "$cpu_p" "$rss_p" "$srv_p" >"$JSON"
printf '  {"sslmode": "require", "cipher": "%s", "rows": %s, "seconds": %s, "rows_per_second": %s, "vs_disable": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s, "server_cpu_seconds": %s}\n]\n' \
  "$CIPHER" "$ROWS" "$secs_t" "$rps_t" "$ratio" "$cpu_t" "$rss_t" "$srv_t" >>"$JSON"
cat "$MD"
echo "sslmode=disable: $rps_p rows/s; sslmode=require: $rps_t rows/s (${ratio}x)" >&2
echo "results: $MD $JSON" >&2
