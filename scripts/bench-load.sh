#!/usr/bin/env bash
# End-to-end load benchmark against a throwaway local PostgreSQL: the loader
# (copy and insert, 1 and 2 workers, chunks of 1000 and 10000 rows; copy also
# without the journal, to price exactly-once) next to `psql \copy` of a
# ready-made CSV file holding the same rows, the reference a user would
# otherwise reach for.
#
# Usage: scripts/bench-load.sh [ROWS] [RUNS] [journal|input]
#   defaults: 1000000 rows, 3 runs. With "journal", only the journal's price:
#   copy with 2 workers at --chunk 1000 and 10000, with and without it. With
#   "input", only CSV input: `loader --input FILE` against `psql \copy` of the
#   same file, each loader run paired with a psql run taken just before it.
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

source "$ROOT/scripts/bench-lib.sh"
prepare_bench

mkdir -p "$RESULTS_DIR"
NAME=bench-load
[[ $ONLY == input ]] && NAME=bench-input
MD=$RESULTS_DIR/$NAME.md
JSON=$RESULTS_DIR/$NAME.json
{
  echo "# loader vs psql \\copy: $ROWS rows, median of $RUNS runs, $(nproc) cores"
  echo
  echo "| table | tool | method | workers | chunk | journal | seconds | rows/s | vs psql \\copy | client CPU s | peak RSS MiB | server CPU s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1

declare -A RPS SERVER_CPU  # "table method workers chunk journal" -> value, for the journal's cost

# table tool method workers chunk journal seconds cpu rss server_cpu reference_rows_per_s
emit() {
  local rps ratio
  rps=$(awk -v rows="$ROWS" -v s="$7" 'BEGIN {printf "%.0f", rows / s}')
  ratio=$(awk -v a="$rps" -v b="${11:-$rps}" 'BEGIN {printf "%.2f", a / b}')
  RPS["$1 $3 $4 $5 $6"]=$rps
  SERVER_CPU["$1 $3 $4 $5 $6"]=${10}
  printf '| %s | %s | %s | %s | %s | %s | %.2f | %s | %sx | %.2f | %.1f | %.2f |\n' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$rps" "$ratio" "$8" "$(awk -v k="$9" 'BEGIN {print k / 1024}')" "${10}" >>"$MD"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"table": "%s", "tool": "%s", "method": "%s", "workers": "%s", "chunk": "%s", "journal": "%s", "rows": %s, "seconds": %s, "rows_per_second": %s, "client_cpu_seconds": %s, "peak_rss_kib": %s, "server_cpu_seconds": %s}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$ROWS" "$7" "$rps" "$8" "$9" "${10}" >>"$JSON"
  echo "$1 $2 $3 workers=$4 chunk=$5 journal=$6: $rps rows/s (${ratio}x psql \\copy)" >&2
}

for table in points accounts; do
  file=$WORK/$table.csv
  "$LOADER" --table "$table" --rows "$ROWS" --drop --no-journal --log-level warn >/dev/null
  psql -q "$URL" -c "\\copy $table TO '$file' WITH (FORMAT csv)"
  # --drop also forgets the table's journal jobs, so every run loads every row.
  empty_table="'$LOADER' --table $table --rows 0 --drop --log-level warn >/dev/null"

  psql_copy="psql -q '$URL' -c \"\\\\copy $table FROM '$file' WITH (FORMAT csv)\""
  if [[ $ONLY == input ]]; then
    # The file itself, through the loader: parsing, checks, digests, journal.
    for workers in 1 2; do
      for chunk in 1000 10000; do
        load="'$LOADER' --table $table --input '$file' --workers $workers --chunk $chunk --log-level warn"
        read -r secs cpu rss srv secs_l cpu_l rss_l srv_l < <(measure_pair "$empty_table" "$psql_copy" "$load")
        ref_rps=$(awk -v rows="$ROWS" -v s="$secs" 'BEGIN {printf "%.0f", rows / s}')
        emit "$table" "psql \\copy" "copy" 1 all - "$secs" "$cpu" "$rss" "$srv" "$ref_rps"
        emit "$table" "loader --input" copy "$workers" "$chunk" on "$secs_l" "$cpu_l" "$rss_l" "$srv_l" "$ref_rps"
      done
    done
    continue
  fi

  read -r secs cpu rss srv < <(measure "$empty_table" psql -q "$URL" -c "\\copy $table FROM '$file' WITH (FORMAT csv)")
  ref_rps=$(awk -v rows="$ROWS" -v s="$secs" 'BEGIN {printf "%.0f", rows / s}')
  emit "$table" "psql \\copy" "copy" 1 all - "$secs" "$cpu" "$rss" "$srv" "$ref_rps"

  for method in copy insert; do
    [[ $ONLY == journal && $method == insert ]] && continue
    for workers in 1 2; do
      [[ $ONLY == journal && $workers == 1 ]] && continue
      for chunk in 1000 10000; do
        load="'$LOADER' --table $table --rows $ROWS --method $method --workers $workers --chunk $chunk --log-level warn"
        if [[ $method == insert ]]; then
          read -r secs cpu rss srv < <(measure "$empty_table" bash -c "$load")
          emit "$table" loader "$method" "$workers" "$chunk" on "$secs" "$cpu" "$rss" "$srv" "$ref_rps"
          continue
        fi
        read -r secs cpu rss srv secs_off cpu_off rss_off srv_off < <(measure_pair "$empty_table" "$load" "$load --no-journal")
        emit "$table" loader "$method" "$workers" "$chunk" on "$secs" "$cpu" "$rss" "$srv" "$ref_rps"
        emit "$table" loader "$method" "$workers" "$chunk" off "$secs_off" "$cpu_off" "$rss_off" "$srv_off" "$ref_rps"
      done
    done
  done
done
echo "]" >>"$JSON"
if [[ $ONLY == input ]]; then
  cat "$MD"
  echo "results: $MD $JSON" >&2
  exit 0
fi
{
  echo
  echo "## The journal's cost (copy; runs with and without it taken in turn)"
  echo
  echo "Wall time on a shared 2-core machine moves by 10% or more from run to run; the"
  echo "server's CPU time per load is the steadier price."
  echo
  echo "| table | workers | chunk | rows/s with | rows/s without | cost in rows/s | server CPU s with | without | cost in server CPU |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for table in points accounts; do
    for workers in 1 2; do
      [[ $ONLY == journal && $workers == 1 ]] && continue
      for chunk in 1000 10000; do
        key="$table copy $workers $chunk"
        on=${RPS["$key on"]} off=${RPS["$key off"]}
        cpu_on=${SERVER_CPU["$key on"]} cpu_off=${SERVER_CPU["$key off"]}
        printf '| %s | %s | %s | %s | %s | %s%% | %s | %s | %s%% |\n' "$table" "$workers" "$chunk" \
          "$on" "$off" "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.1f", 100 * (1 - a / b)}')" \
          "$cpu_on" "$cpu_off" "$(awk -v a="$cpu_on" -v b="$cpu_off" 'BEGIN {printf "%.1f", 100 * (a / b - 1)}')"
      done
    done
  done
} >>"$MD"
cat "$MD"
echo "results: $MD $JSON" >&2
