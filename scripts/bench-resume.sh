#!/usr/bin/env bash
# Resume benchmark against a throwaway local PostgreSQL: what reading a large
# journal costs a loader that starts again (a re-run, a resumed shard). The
# journal is written straight into loader_journal, in random order as
# concurrent workers and shards commit, for a job of CHUNKS chunks of 1000
# points; each configuration is a re-run that finds its rows committed, so it
# only reads the journal, and must say "already loaded".
#
# Usage: scripts/bench-resume.sh [CHUNKS] [RUNS]
#   defaults: 1000000 chunks (a job of 10^9 rows), 3 runs.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
# Output: RESULTS_DIR/bench-resume.md and bench-resume.json.
#
# Configurations:
#   whole job          every chunk committed; a re-run without --shard
#   shard 0/3, uneven  shards 0 and 2 done, shard 1 only its first 30%: the
#                      committed rows of the whole job are one range per
#                      missing block of shard 1; shard 0 re-run
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHUNKS=${1:-1000000}
RUNS=${2:-3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
ROWS=$((CHUNKS * 1000))

source "$ROOT/scripts/bench-lib.sh"
prepare_bench

"$LOADER" --table points --rows 0 --create --log-level warn >/dev/null

# Journal rows for the blocks `where` selects (b: block number), in random order.
journal() {
  psql -q "$URL" -c "INSERT INTO loader_journal (job, first_row, row_count)
    SELECT '$1', b * 1000, 1000 FROM generate_series(0, $CHUNKS - 1) AS b
    WHERE $2 ORDER BY random()"
}
journal whole "true"
journal shards "b % 3 <> 1 OR b / 3 < $CHUNKS / 10"
psql -q "$URL" -c "VACUUM ANALYZE loader_journal"

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-resume.md
JSON=$RESULTS_DIR/bench-resume.json
{
  echo "# Resume: a re-run that reads a journal of $CHUNKS chunks ($ROWS rows), median of $RUNS runs, $(nproc) cores, one local PostgreSQL 15"
  echo
  echo "| configuration | seconds | client CPU s | peak RSS MiB |"
  echo "|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1

rerun() {
  local name=$1 args=$2 secs cpu rss srv
  read -r secs cpu rss srv < <(measure ":" bash -c "'$LOADER' --table points --rows $ROWS --chunk 1000 $args 2>&1 | grep -q 'already loaded'")
  printf '| %s | %.2f | %.2f | %.1f |\n' "$name" "$secs" "$cpu" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" >>"$MD"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"configuration": "%s", "chunks": %s, "seconds": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s}' \
    "$name" "$CHUNKS" "$secs" "$cpu" "$rss" >>"$JSON"
  echo "$name: $secs s, $rss KiB" >&2
}

rerun "whole job" "--job whole"
rerun "shard 0/3, uneven" "--job shards --shard 0/3"
echo "]" >>"$JSON"
cat "$MD"
echo "results: $MD $JSON" >&2
