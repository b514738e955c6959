#!/usr/bin/env bash
# Which src/ folder includes which, at a revision: the folder dependency graph
# the layering (scripts/check-layers.sh) keeps a strict stack, and the pairs
# of folders that include each other (cycles of two).
#
# Usage: scripts/layer-graph.sh [REV]    (default: HEAD)
#
# A header counts for the folder its code is in: "loader/<folder>/x.h" and
# "<folder>/x.h" name it; a header of the older flat include/loader/ is given
# the folder of the src/*/x.cc of its name, and so are its own includes.
# Headers with no .cc of their name there are listed apart, not guessed. A file's includes of its own folder
# are left out.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REV=${1:-HEAD}
git -C "$ROOT" rev-parse --verify --quiet "$REV^{commit}" >/dev/null || {
  echo "layer-graph: no such revision: $REV" >&2
  exit 2
}

files=$(git -C "$ROOT" ls-tree -r --name-only "$REV" -- src include)
# basename.h -> folder, from src/<folder>/<basename>.cc
declare -A home
while read -r path; do
  [[ $path =~ ^src/([a-z_]+)/([a-z_0-9]+)\.cc$ ]] && home[${BASH_REMATCH[2]}.h]=${BASH_REMATCH[1]}
done <<<"$files"

declare -A edges=() unplaced=()
while read -r path; do
  if [[ $path =~ ^(src|include/loader)/([a-z_]+)/[^/]+\.(h|cc)$ ]]; then
    from=${BASH_REMATCH[2]}
  elif [[ $path =~ ^include/loader/([^/]+\.h)$ && -n ${home[${BASH_REMATCH[1]}]:-} ]]; then
    from=${home[${BASH_REMATCH[1]}]}
  else
    continue
  fi
  while read -r target; do
    to=
    if [[ $target =~ ^loader/([^/]+\.h)$ ]]; then
      to=${home[${BASH_REMATCH[1]}]:-}
      [[ -n $to ]] || unplaced[${BASH_REMATCH[1]}]=1
    elif [[ $target =~ ^(loader/)?([a-z_]+)/[^/]+\.h$ ]]; then
      to=${BASH_REMATCH[2]}
    fi
    [[ -n $to && $to != "$from" ]] && edges[$from $to]=1
  done < <(git -C "$ROOT" show "$REV:$path" | sed -nE 's/^#include "([^"]+)".*/\1/p')
done <<<"$files"

echo "# src/ folders at $(git -C "$ROOT" rev-parse --short "$REV"): who includes whom"
for from in $(printf '%s\n' "${!edges[@]}" | cut -d' ' -f1 | sort -u); do
  deps=$(printf '%s\n' "${!edges[@]}" | awk -v f="$from" '$1 == f { print $2 }' | sort | tr '\n' ' ')
  echo "$from -> $deps"
done
pairs=$(printf '%s\n' "${!edges[@]}" | while read -r a b; do
  if [[ -n ${edges[$b $a]:-} && $a < $b ]]; then echo "$a<->$b"; fi
done | sort | tr '\n' ' ')
echo "folders that include each other: ${pairs:-none}"
if ((${#unplaced[@]} > 0)); then
  echo "flat headers with no .cc of their name (not counted): $(printf '%s\n' "${!unplaced[@]}" | sort | tr '\n' ' ')"
fi
