#!/usr/bin/env bash
# The loader against the tools people would otherwise use, on one throwaway
# local PostgreSQL and the same rows: psql \copy of a ready-made CSV file,
# pgloader on that file, the CockroachDB tutorials' SQLAlchemy pattern
# (bulk_save_objects per 1000-row session), psycopg2's execute_values with
# 1000-row pages, and pgbench -i (client-side generation) scaled to the same
# row count; then the loader with copy and insert, 1, 2 and 4 workers,
# --chunk 1000 and 10000, the journal on and off. Also a 10,000,000-row load's
# peak RSS, and the DESIGN.md targets worked out from the figures.
#
# Usage: scripts/bench.sh [ROWS] [RUNS] [quick]
#   defaults: 1000000 rows of points and of accounts, 3 runs; "quick" runs
#   only 2 workers and the journal on, and skips the 10 M-row load.
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
# Output: RESULTS_DIR/bench.md, bench.json and bench.png (rows/s by tool).
#
# Every figure is the median of RUNS runs of the whole process: seconds, the
# client's CPU seconds and peak RSS (/usr/bin/time), and the server's CPU.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
QUICK=${3:-}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
PYTHON=/usr/bin/python3  # Debian's, with its python3-sqlalchemy and python3-psycopg2
PEERS=(pgloader python3-sqlalchemy python3-psycopg2 gnuplot-nox)

source "$ROOT/scripts/bench-lib.sh"
prepare_bench "${PEERS[@]}"
CORES=$(nproc)

mkdir -p "$RESULTS_DIR"
MD=$RESULTS_DIR/bench.md
JSON=$RESULTS_DIR/bench.json
PLOT=$WORK/plot.dat
{
  echo "# loader and its peers: $ROWS rows, median of $RUNS runs, $CORES cores, PostgreSQL 15 on the same machine"
  echo
  echo "| table | tool | method | workers | chunk | journal | seconds | rows/s | vs psql \\copy | client CPU s | client CPU % of machine | peak RSS MiB | server CPU s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$MD"
echo "[" >"$JSON"
first=1
declare -A RPS CPU_SHARE IN_TURNS

# table tool method workers chunk journal rows seconds cpu rss server_cpu reference_rows_per_s
row() {
  local rps ratio share key="$1|$2|$3|$4|$5|$6"
  rps=$(awk -v rows="$7" -v s="$8" 'BEGIN {printf "%.0f", rows / s}')
  ratio=-
  [[ -n ${12:-} ]] && ratio=$(awk -v a="$rps" -v b="${12}" 'BEGIN {printf "%.2fx", a / b}')
  share=$(awk -v c="$9" -v s="$8" -v n="$CORES" 'BEGIN {printf "%.1f", 100 * c / (s * n)}')
  RPS[$key]=$rps
  CPU_SHARE[$key]=$share
  printf '| %s | %s | %s | %s | %s | %s | %.2f | %s | %s | %.2f | %s | %.1f | %.2f |\n' "$1" "$2" "$3" \
    "$4" "$5" "$6" "$8" "$rps" "$ratio" "$9" "$share" "$(awk -v k="${10}" 'BEGIN {print k / 1024}')" \
    "${11}" >>"$MD"
  [[ $first == 1 ]] || echo "," >>"$JSON"
  first=0
  printf '  {"table": "%s", "tool": "%s", "method": "%s", "workers": "%s", "chunk": "%s", "journal": "%s", "rows": %s, "seconds": %s, "rows_per_second": %s, "client_cpu_seconds": %s, "client_cpu_share_percent": %s, "peak_rss_kib": %s, "server_cpu_seconds": %s}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$rps" "$9" "$share" "${10}" "${11}" >>"$JSON"
  printf '"%s %s %s w%s c%s j%s" %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$rps" >>"$PLOT"
  echo "$1 $2 $3 workers=$4 chunk=$5 journal=$6: $rps rows/s ($ratio psql \\copy)" >&2
}

if [[ $QUICK == quick ]]; then WORKERS=(2); JOURNALS=(on); else WORKERS=(1 2 4); JOURNALS=(on off); fi

for table in points accounts; do
  file=$WORK/$table.csv
  "$LOADER" --table "$table" --rows "$ROWS" --drop --no-journal --quiet --log-level warn >/dev/null
  psql -q "$URL" -c "\\copy $table TO '$file' WITH (FORMAT csv)"
  columns="id balance"
  [[ $table == points ]] && columns="id x y z"
  # --drop also forgets the table's journal jobs, so every run loads every row.
  empty="'$LOADER' --table $table --rows 0 --drop --quiet --log-level warn >/dev/null"

  read -r s c r v < <(measure "$empty" psql -q "$URL" -c "\\copy $table FROM '$file' WITH (FORMAT csv)")
  ref=$(awk -v rows="$ROWS" -v s="$s" 'BEGIN {printf "%.0f", rows / s}')
  row "$table" "psql \\copy" copy 1 all - "$ROWS" "$s" "$c" "$r" "$v" "$ref"

  fields=()
  for f in $columns; do fields+=(--field "$f"); done
  read -r s c r v < <(measure "$empty" pgloader --type csv "${fields[@]}" \
    --with "fields terminated by ','" "$file" "${URL%%\?*}?tablename=$table")
  row "$table" pgloader copy 4 25000 - "$ROWS" "$s" "$c" "$r" "$v" "$ref"

  read -r s c r v < <(measure "$empty" "$PYTHON" "$ROOT/scripts/peers/orm_load.py" "$URL" "$table" "$file")
  row "$table" "SQLAlchemy ORM" bulk_save_objects 1 1000 - "$ROWS" "$s" "$c" "$r" "$v" "$ref"

  read -r s c r v < <(measure "$empty" "$PYTHON" "$ROOT/scripts/peers/execute_values_load.py" "$URL" "$table" "$file")
  row "$table" "psycopg2" execute_values 1 1000 - "$ROWS" "$s" "$c" "$r" "$v" "$ref"

  for method in copy insert; do
    for workers in "${WORKERS[@]}"; do
      for chunk in 1000 10000; do
        for journal in "${JOURNALS[@]}"; do
          flags=(--table "$table" --rows "$ROWS" --method "$method" --workers "$workers" --chunk "$chunk" --quiet --log-level warn)
          [[ $journal == off ]] && flags+=(--no-journal)
          read -r s c r v < <(measure "$empty" "$LOADER" "${flags[@]}")
          row "$table" loader "$method" "$workers" "$chunk" "$journal" "$ROWS" "$s" "$c" "$r" "$v" "$ref"
        done
      done
    done
  done

  # The two ratios to psql \copy that the targets name, measured in turns
  # with it (psql, loader, psql, loader, ...): this machine's speed drifts by
  # up to 1.8x between runs minutes apart, which the table's ratios, measured
  # minutes apart, do not cancel.
  psql_copy="psql -q '$URL' -c '\\copy $table FROM $file WITH (FORMAT csv)'"
  for shape in "2 1000" "1 10000"; do
    read -r workers chunk <<<"$shape"
    read -r s_psql _ _ _ s_loader _ _ _ < <(measure_pair "$empty" "$psql_copy" \
      "'$LOADER' --table $table --rows $ROWS --workers $workers --chunk $chunk --quiet --log-level warn")
    IN_TURNS["$table|$workers|$chunk"]=$(awk -v p="$s_psql" -v l="$s_loader" -v rows="$ROWS" \
      'BEGIN {printf "%.2fx (psql %.0f rows/s, loader %.0f rows/s)", p / l, rows / p, rows / l}')
  done
done

# pgbench -i generates pgbench_accounts client-side (100,000 rows per scale
# unit) and then adds the primary keys (p), which the other tables have all
# along.
scale=$(((ROWS + 99999) / 100000))
read -r s c r v < <(measure true pgbench -i -q -I dtgp -s "$scale" "$URL")
row pgbench_accounts "pgbench -i" "client-side generate" 1 - - "$((scale * 100000))" "$s" "$c" "$r" "$v"
echo "]" >>"$JSON"

{
  echo
  echo "## Targets (DESIGN.md and issue 6)"
  echo
  for table in points accounts; do
    psql_rps=${RPS["$table|psql \\copy|copy|1|all|-"]}
    w2=${RPS["$table|loader|copy|2|1000|on"]}
    echo "- $table: copy, 2 workers, --chunk 1000, journal on: ${IN_TURNS["$table|2|1000"]} measured in turns with psql \\copy; $(awk -v a="$w2" -v b="$psql_rps" 'BEGIN {printf "%.2f", a / b}')x in the table (target 1.3x)"
    echo "- $table: copy, 1 worker, --chunk 10000: ${IN_TURNS["$table|1|10000"]} measured in turns with psql \\copy (target 1x)"
    echo "- $table: against the ORM pattern: $(awk -v a="$w2" -v b="${RPS["$table|SQLAlchemy ORM|bulk_save_objects|1|1000|-"]}" 'BEGIN {printf "%.1f", a / b}')x (target 20x)"
    echo "- $table: insert, 2 workers, --chunk 1000 against execute_values: $(awk -v a="${RPS["$table|loader|insert|2|1000|on"]}" -v b="${RPS["$table|psycopg2|execute_values|1|1000|-"]}" 'BEGIN {printf "%.1f", a / b}')x (target 3x)"
    echo "- $table: the loader's CPU during that copy load: ${CPU_SHARE["$table|loader|copy|2|1000|on"]}% of the machine (target under 10%)"
  done
} >>"$MD"

if [[ $QUICK != quick ]]; then
  read -r s c r v < <(measure "'$LOADER' --table points --rows 0 --drop --quiet --log-level warn >/dev/null" \
    "$LOADER" --table points --rows 10000000 --workers 2 --quiet --log-level warn)
  echo "- memory: 10,000,000 points (copy, 2 workers): peak RSS $(awk -v k="$r" 'BEGIN {printf "%.1f", k / 1024}') MiB (target under 64 MiB)" >>"$MD"
fi

gnuplot <<GNUPLOT
set terminal pngcairo size 1400,900 noenhanced
set output "$RESULTS_DIR/bench.png"
set title "rows/s by tool and method ($ROWS rows, $CORES cores)"
set style fill solid
set boxwidth 0.8
set xtics rotate by -60 font ",8"
set ylabel "rows/s"
set grid ytics
plot "$PLOT" using 0:2:xtic(1) with boxes notitle
GNUPLOT
cat "$MD"
echo "results: $MD $JSON $RESULTS_DIR/bench.png" >&2
