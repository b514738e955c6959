#!/usr/bin/env bash
# Builds the Debian package of the loader: a Release build in build-package
# (no tests, no benchmarks), then CPack. Prints the package's path, its
# control fields and its files.
#
# Usage: scripts/package.sh    then: sudo apt install ./build-package/loader_*.deb
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-package}

bash "$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF \
  -DLOADER_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target loader >/dev/null
(cd "$BUILD_DIR" && cpack -G DEB >/dev/null)
deb=$(ls -t "$BUILD_DIR"/loader_*.deb | head -n1)
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"
echo "$deb"
