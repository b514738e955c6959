#!/usr/bin/env bash
# End-to-end load benchmark against a throwaway local PostgreSQL: the loader
# (copy and insert, 1 and 2 workers, chunks of 1000 and 10000 rows; copy also
# without the journal, to price exactly-once) next to `psql \copy` of a
# ready-made CSV file holding the same rows, the reference a user would
# otherwise reach for.
#
# Usage: scripts/bench-load.sh [ROWS] [RUNS] [journal]
#   defaults: 1000000 rows, 3 runs. With "journal", only the journal's price:
#   copy with 2 workers at --chunk 1000 and 10000, with and without it.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
#
# Every figure is the median of RUNS runs of the whole process (connect, load,
# commit, exit), so start-up costs count for both sides. The CSV file is written
# before any timing, by COPY TO from a table the loader filled with the same seed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
ONLY=${3:-all}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
WORK=$(mktemp -d /tmp/loader-bench.XXXXXX)
PG_DIR=$WORK/pg
LOADER=$BUILD_DIR/loader

cleanup() { "$ROOT/scripts/pg-local.sh" stop "$PG_DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

bash "$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target loader >/dev/null
URL=$("$ROOT/scripts/pg-local.sh" start "$PG_DIR" | tail -n1)
export DATABASE_URL=$URL
# The reference file lives where the server user can read it.
chmod 755 "$WORK"

# Runs a command RUNS times; prints "median_seconds cpu_seconds max_rss_kib" of
# the median run. $1 is a setup command run (untimed) before each run.
measure() {
  local setup=$1; shift
  local i samples=()
  for ((i = 0; i < RUNS; i++)); do
    eval "$setup"
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
      { cat "$WORK/stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    read -r user sys rss <"$WORK/time"
    samples+=("$(awk -v a="$start" -v b="$end" -v u="$user" -v s="$sys" -v r="$rss" \
      'BEGIN {printf "%.3f %.2f %d", b - a, u + s, r}')")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

# Like measure, for two commands run in turn (a, b, a, b, ...), so drift in
# the machine's speed (autovacuum, checkpoints, neighbours) hits both alike;
# prints measure's three fields for a, then for b.
measure_pair() {
  local setup=$1 a=$2 b=$3
  local i samples_a=() samples_b=()
  for ((i = 0; i < RUNS; i++)); do
    samples_a+=("$(RUNS=1 measure "$setup" bash -c "$a")")
    samples_b+=("$(RUNS=1 measure "$setup" bash -c "$b")")
  done
  local mid=$(((RUNS + 1) / 2))
  echo "$(printf '%s\n' "${samples_a[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${samples_b[@]}" | sort -n | sed -n "${mid}p")"
}

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench-load.md
JSON=$RESULTS_DIR/bench-load.json
{
  echo "# loader vs psql \\copy: $ROWS rows, median of $RUNS runs, $(nproc) cores"
  echo
  echo "| table | tool | method | workers | chunk | journal | seconds | rows/s | vs psql \\copy | client CPU s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1

declare -A RPS  # "table method workers chunk journal" -> rows/s, for the journal's cost

emit() {  # table tool method workers chunk journal seconds cpu rss reference_rows_per_s
  local rps ratio
  rps=$(awk -v rows="$ROWS" -v s="$7" 'BEGIN {printf "%.0f", rows / s}')
  ratio=$(awk -v a="$rps" -v b="${10:-$rps}" 'BEGIN {printf "%.2f", a / b}')
  RPS["$1 $3 $4 $5 $6"]=$rps
  printf '| %s | %s | %s | %s | %s | %s | %.2f | %s | %sx | %.2f | %.1f |\n' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$rps" "$ratio" "$8" "$(awk -v k="$9" 'BEGIN {print k / 1024}')" >>"$MD"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"table": "%s", "tool": "%s", "method": "%s", "workers": "%s", "chunk": "%s", "journal": "%s", "rows": %s, "seconds": %s, "rows_per_second": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$ROWS" "$7" "$rps" "$8" "$9" >>"$JSON"
  echo "$1 $2 $3 workers=$4 chunk=$5 journal=$6: $rps rows/s (${ratio}x psql \\copy)" >&2
}

for table in points accounts; do
  file=$WORK/$table.csv
  "$LOADER" --table "$table" --rows "$ROWS" --drop --no-journal --log-level warn >/dev/null
  psql -q "$URL" -c "\\copy $table TO '$file' WITH (FORMAT csv)"
  # --drop also forgets the table's journal jobs, so every run loads every row.
  empty_table="'$LOADER' --table $table --rows 0 --drop --log-level warn >/dev/null"

  read -r secs cpu rss < <(measure "$empty_table" psql -q "$URL" -c "\\copy $table FROM '$file' WITH (FORMAT csv)")
  ref_rps=$(awk -v rows="$ROWS" -v s="$secs" 'BEGIN {printf "%.0f", rows / s}')
  emit "$table" "psql \\copy" "copy" 1 all - "$secs" "$cpu" "$rss" "$ref_rps"

  for method in copy insert; do
    [[ $ONLY == journal && $method == insert ]] && continue
    for workers in 1 2; do
      [[ $ONLY == journal && $workers == 1 ]] && continue
      for chunk in 1000 10000; do
        load="'$LOADER' --table $table --rows $ROWS --method $method --workers $workers --chunk $chunk --log-level warn"
        if [[ $method == insert ]]; then
          read -r secs cpu rss < <(measure "$empty_table" bash -c "$load")
          emit "$table" loader "$method" "$workers" "$chunk" on "$secs" "$cpu" "$rss" "$ref_rps"
          continue
        fi
        read -r secs cpu rss secs_off cpu_off rss_off < <(measure_pair "$empty_table" "$load" "$load --no-journal")
        emit "$table" loader "$method" "$workers" "$chunk" on "$secs" "$cpu" "$rss" "$ref_rps"
        emit "$table" loader "$method" "$workers" "$chunk" off "$secs_off" "$cpu_off" "$rss_off" "$ref_rps"
      done
    done
  done
done
echo "]" >>"$JSON"
{
  echo
  echo "## The journal's cost (copy, runs with and without it taken in turn; 1 - rows/s with it / rows/s without it)"
  echo
  echo "| table | workers | chunk | with journal rows/s | without rows/s | cost |"
  echo "|---|---|---|---|---|---|"
  for table in points accounts; do
    for workers in 1 2; do
      [[ $ONLY == journal && $workers == 1 ]] && continue
      for chunk in 1000 10000; do
        on=${RPS["$table copy $workers $chunk on"]}
        off=${RPS["$table copy $workers $chunk off"]}
        printf '| %s | %s | %s | %s | %s | %s%% |\n' "$table" "$workers" "$chunk" "$on" "$off" \
          "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.1f", 100 * (1 - a / b)}')"
      done
    done
  done
} >>"$MD"
cat "$MD"
echo "results: $MD $JSON" >&2
