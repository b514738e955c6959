#!/usr/bin/env bash
# `cmake --install` puts the binary, its man page and the README in place,
# and the man page documents every option `loader --help` and
# `loader journal --help` list, and every environment variable they name in
# its ENVIRONMENT section.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
for file in bin/loader share/man/man1/loader.1 share/doc/loader/README.md; do
  [[ -f $prefix/$file ]] || { echo "not installed: $file" >&2; exit 1; }
done
"$prefix/bin/loader" --version | grep -qx "loader [0-9.]*" ||
  { echo "installed loader --version: $("$prefix/bin/loader" --version)" >&2; exit 1; }

help=$("$prefix/bin/loader" --help && "$prefix/bin/loader" journal --help)
missing=0
for option in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
  # roff writes each - of an option as \-.
  if ! grep -qF -- "${option//-/\\-}" "$source/docs/loader.1"; then
    echo "docs/loader.1 does not document $option" >&2
    missing=1
  fi
done
environment=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$source/docs/loader.1")
[[ -n $environment ]] || { echo "docs/loader.1 has no ENVIRONMENT section" >&2; exit 1; }
for variable in $(grep -oE '\b(LOADER_|DATABASE_|COCKROACH_|PG)[A-Z_]*' <<<"$help" | sort -u); do
  if ! grep -qF -- "$variable" <<<"$environment"; then
    echo "docs/loader.1's ENVIRONMENT does not list $variable" >&2
    missing=1
  fi
done
exit "$missing"
