#!/usr/bin/env bash
# The layering of src/ and include/loader/: folders form a stack, and a file
# may include headers of its own folder and of folders below it, never above,
# whether public ("loader/<layer>/x.h") or beside the code in src/ ("<layer>/x.h").
#
# Usage: scripts/check-layers.sh [ROOT]    (ROOT: the source tree; default: this one)
#
# Prints each include that goes up, as FILE:LINE: FOLDER includes UPPER, and
# exits 1 if there is one; 0 when the layering holds. A folder that is not in
# LAYERS is an error too, so a new folder gets a place in the stack.
set -euo pipefail

ROOT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# Bottom first. base includes nothing else of ours.
LAYERS=(base report encode plan generate read pg journal sink emit exec job cli)

declare -A rank
for i in "${!LAYERS[@]}"; do rank[${LAYERS[$i]}]=$i; done

status=0
for tree in "$ROOT/src" "$ROOT/include/loader"; do
  for dir in "$tree"/*/; do
    folder=$(basename "$dir")
    if [[ -z ${rank[$folder]+set} ]]; then
      echo "check-layers: ${dir#"$ROOT"/} is not a layer (add it to LAYERS in scripts/check-layers.sh)"
      status=1
      continue
    fi
    while IFS=: read -r file line target; do
      [[ -n $file ]] || continue
      if [[ -z ${rank[$target]+set} ]]; then
        echo "${file#"$ROOT"/}:$line: includes $target/, which is not a layer"
        status=1
      elif ((rank[$target] > rank[$folder])); then
        echo "${file#"$ROOT"/}:$line: $folder includes $target, a layer above it"
        status=1
      fi
    done < <(grep -rnoE '^#include "(loader/)?[a-z_]+/' "$dir" --include='*.h' --include='*.cc' |
               sed -E 's|^([^:]+):([0-9]+):#include "(loader/)?([a-z_]+)/$|\1:\2:\4|')
  done
done
if ((status == 0)); then
  echo "check-layers: ${#LAYERS[@]} layers hold: ${LAYERS[*]}"
fi
exit "$status"
