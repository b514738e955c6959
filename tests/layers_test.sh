#!/usr/bin/env bash
# scripts/check-layers.sh passes on the tree, and catches an include that goes
# up a layer: copies of src/ and include/ where base/json.cc includes the CLI's
# public header, or pg/connection.cc a header beside the job layer's code, must
# fail, naming the file, the line and both layers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK=$ROOT/scripts/check-layers.sh

bash "$CHECK" "$ROOT"

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT

# expect_caught FILE INCLUDE EXPECTED: a copy of the tree where FILE's second
# line includes INCLUDE fails with EXPECTED alone.
expect_caught() {
  rm -rf "${copy:?}"/*
  cp -r "$ROOT/src" "$ROOT/include" "$copy/"
  sed -i "1a #include \"$2\"" "$copy/$1"
  set +e
  output=$(bash "$CHECK" "$copy")
  status=$?
  set -e
  if ((status != 1)) || [[ $output != "$3" ]]; then
    echo "layers_test: an upward include gave exit $status and:" >&2
    echo "$output" >&2
    echo "layers_test: expected exit 1 and: $3" >&2
    exit 1
  fi
  echo "layers_test: an upward include is caught: $output"
}

# A public header of a layer above, and a header beside the code of one.
expect_caught src/base/json.cc loader/cli/cli.h "src/base/json.cc:2: base includes cli, a layer above it"
expect_caught src/pg/connection.cc job/load_input.h \
  "src/pg/connection.cc:2: pg includes job, a layer above it"
