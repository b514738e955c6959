#!/usr/bin/env bash
# Seeding a real schema (issue 19) against a throwaway local PostgreSQL: five
# related tables with synthetic rows (--schema), the largest of them ROWS
# rows, next to the generated accounts table of ROWS rows, the loader's own
# reference, and next to the same schema without its foreign keys, which
# prices the server's checking of them (a trigger per row and key). All run
# in turns (A, B, C, A, B, C...) into fresh databases, so drift of this
# machine's speed falls on each; each figure is the median of RUNS.
#
# Usage: scripts/bench-seed.sh [ROWS] [RUNS]   defaults: 1000000 rows, 3 runs
# Environment: BUILD_DIR (default build-bench), RESULTS_DIR (default results/)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${2:-3}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}

source "$ROOT/scripts/bench-lib.sh"
prepare_bench

# regions -> customers -> orders -> order_lines <- products: three levels of
# foreign keys, a composite key of a reference and a line number, CHECKs, an
# enum, and keys of integers, text and UUIDs.
SCHEMA=$(cat <<'SQL'
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped', 'returned');
CREATE TABLE shop.regions (code char(3) PRIMARY KEY, name varchar(30) NOT NULL UNIQUE);
CREATE TABLE shop.customers (
  id bigint PRIMARY KEY, region char(3) NOT NULL REFERENCES shop.regions (code),
  email varchar(60) NOT NULL UNIQUE, name text NOT NULL, joined date NOT NULL);
CREATE TABLE shop.products (
  sku uuid PRIMARY KEY, title varchar(40) NOT NULL, price numeric(10,2) NOT NULL CHECK (price > 0));
CREATE TABLE shop.orders (
  id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES shop.customers (id),
  placed timestamptz NOT NULL, status shop.status NOT NULL, total numeric(12,2) NOT NULL);
CREATE TABLE shop.order_lines (
  order_id bigint NOT NULL REFERENCES shop.orders (id),
  line smallint NOT NULL CHECK (line BETWEEN 1 AND 20),
  sku uuid NOT NULL REFERENCES shop.products (sku),
  qty integer NOT NULL CHECK (qty BETWEEN 1 AND 99),
  PRIMARY KEY (order_id, line));
SQL
)
COUNTS="regions=100,customers=$((ROWS / 10)),products=$((ROWS / 100)),orders=$((ROWS / 2)),order_lines=$ROWS"
TOTAL=$((100 + ROWS / 10 + ROWS / 100 + ROWS / 2 + ROWS))

fresh_db() {  # fresh_db NAME: an empty database; prints its URL
  psql -q "$URL" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  echo "${URL/\/postgres\?//$1?}"
}

seconds_of() {  # seconds_of COMMAND...: wall seconds of a whole process
  local start end
  psql -q "$URL" -c CHECKPOINT
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}

NO_FOREIGN_KEYS=$(sed 's/ REFERENCES shop\.[a-z_]* ([a-z]*)//' <<<"$SCHEMA")

accounts=() schema=() unchecked=()
for ((i = 0; i < RUNS; i++)); do
  db=$(fresh_db bench_accounts)
  accounts+=("$(seconds_of "$LOADER" --url "$db" --rows "$ROWS" --create --log-level warn)")
  db=$(fresh_db bench_shop)
  psql -q "$db" -c "$SCHEMA"
  schema+=("$(seconds_of "$LOADER" --url "$db" --schema shop --rows "$COUNTS" --log-level warn)")
  count=$(psql -Atq "$db" -c "SELECT (SELECT count(*) FROM shop.order_lines) + (SELECT count(*) FROM shop.orders) + (SELECT count(*) FROM shop.customers) + (SELECT count(*) FROM shop.products) + (SELECT count(*) FROM shop.regions)")
  [[ $count == "$TOTAL" ]] || { echo "bench-seed: the schema holds $count rows, not $TOTAL" >&2; exit 1; }
  db=$(fresh_db bench_unchecked)
  psql -q "$db" -c "$NO_FOREIGN_KEYS"
  unchecked+=("$(seconds_of "$LOADER" --url "$db" --schema shop --rows "$COUNTS" --log-level warn)")
  echo "bench-seed: run $((i + 1)): accounts ${accounts[-1]} s, schema ${schema[-1]} s," \
    "without foreign keys ${unchecked[-1]} s" >&2
done

a=$(median "${accounts[@]}")
s=$(median "${schema[@]}")
a_rps=$(awk -v n="$ROWS" -v t="$a" 'BEGIN {printf "%.0f", n / t}')
s_rps=$(awk -v n="$TOTAL" -v t="$s" 'BEGIN {printf "%.0f", n / t}')
ratio=$(awk -v x="$s_rps" -v y="$a_rps" 'BEGIN {printf "%.2f", x / y}')
u=$(median "${unchecked[@]}")
u_rps=$(awk -v n="$TOTAL" -v t="$u" 'BEGIN {printf "%.0f", n / t}')
u_ratio=$(awk -v x="$u_rps" -v y="$a_rps" 'BEGIN {printf "%.2f", x / y}')
mkdir -p "$RESULTS_DIR"
{
  echo "# Seeding a schema of five related tables against accounts, $(nproc) cores"
  echo
  echo "Whole processes into fresh databases, in turns, median of $RUNS; defaults"
  echo "(--method auto, --workers auto, --chunk 1000, journal on)."
  echo
  echo "| load | rows | seconds | rows/s | vs accounts |"
  echo "|---|--:|--:|--:|--:|"
  echo "| accounts (generated) | $ROWS | $a | $a_rps | 1.00x |"
  echo "| --schema shop ($COUNTS) | $TOTAL | $s | $s_rps | ${ratio}x |"
  echo "| the same, the schema without foreign keys | $TOTAL | $u | $u_rps | ${u_ratio}x |"
} >"$RESULTS_DIR/bench-seed.md"
printf '{"rows": %s, "runs": %s, "accounts_seconds": %s, "accounts_rows_per_second": %s, "schema_rows": %s, "schema_seconds": %s, "schema_rows_per_second": %s, "ratio": %s, "no_foreign_keys_seconds": %s, "no_foreign_keys_rows_per_second": %s, "no_foreign_keys_ratio": %s}\n' \
  "$ROWS" "$RUNS" "$a" "$a_rps" "$TOTAL" "$s" "$s_rps" "$ratio" "$u" "$u_rps" "$u_ratio" >"$RESULTS_DIR/bench-seed.json"
cat "$RESULTS_DIR/bench-seed.md"
