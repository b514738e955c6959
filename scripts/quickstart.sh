#!/usr/bin/env bash
# First run: install dependencies, build, start a local PostgreSQL and load
# 10,000 sample rows into it.
#
# Usage: scripts/quickstart.sh [extra loader arguments...]
#   e.g. scripts/quickstart.sh --table points
#
# Environment:
#   LOADER_PG_DIR  where the local PostgreSQL lives (default: REPO/.local/pg)
#
# Safe to re-run: the build is incremental, a running local server is
# reused, and --drop makes the loader start over with a fresh table.
set -euo pipefail

CALLER_PWD=$PWD
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

PG_DIR=${LOADER_PG_DIR:-$REPO/.local/pg}

say() { printf '== %s\n' "$*"; }

say "dependencies"
bash scripts/install-deps.sh

say "build (Release) in build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)" --target loader

say "local PostgreSQL in $PG_DIR"
# pg-local.sh prints only the URL on stdout; its progress goes to stderr.
DATABASE_URL=$(bash scripts/pg-local.sh start "$PG_DIR" | tail -n 1)
export DATABASE_URL

say "load 10000 rows"
loader_status=0
build/loader --rows 10000 --chunk 1000 --drop "$@" || loader_status=$?

# Print the hints even when the load failed: the server is still running
# and the user needs to know how to reach it and how to get rid of it.
# Short relative paths when the user is at the repository root (the README
# case), absolute ones otherwise so the lines can be pasted anywhere.
script=$REPO/scripts/pg-local.sh
shown_dir=$PG_DIR
if [[ $CALLER_PWD == "$REPO" ]]; then
  script=scripts/pg-local.sh
  case $PG_DIR in "$REPO"/*) shown_dir=${PG_DIR#"$REPO"/} ;; esac
fi
echo
echo "Point further commands at this server:  export DATABASE_URL=\"\$($script url $shown_dir)\""
echo "Stop it and delete its data:            $script stop $shown_dir"

if ((loader_status != 0)); then
  echo "quickstart: loader failed with exit status $loader_status" >&2
  exit "$loader_status"
fi
