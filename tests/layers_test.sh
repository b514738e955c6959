#!/usr/bin/env bash
# scripts/check-layers.sh passes on the tree, and catches an include that goes
# up a layer: a copy of src/ and include/ where base/json.cc includes the CLI's
# header must fail, naming the file, the line and both layers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK=$ROOT/scripts/check-layers.sh

bash "$CHECK" "$ROOT"

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$ROOT/src" "$ROOT/include" "$copy/"
sed -i '1a #include "loader/cli/cli.h"' "$copy/src/base/json.cc"
set +e
output=$(bash "$CHECK" "$copy")
status=$?
set -e
expected="src/base/json.cc:2: base includes cli, a layer above it"
if ((status != 1)) || [[ $output != "$expected" ]]; then
  echo "layers_test: an upward include gave exit $status and:" >&2
  echo "$output" >&2
  echo "layers_test: expected exit 1 and: $expected" >&2
  exit 1
fi
echo "layers_test: an upward include is caught: $output"
