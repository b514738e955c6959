#!/usr/bin/env bash
# Install the Debian packages needed to build and test the loader.
#
# Idempotent: when every package is already installed it touches nothing
# (no apt-get update, no network, no root needed), so quickstart.sh and
# test.sh can call it unconditionally on every run.
#
# Usage: scripts/install-deps.sh
set -euo pipefail

PACKAGES=(
  build-essential cmake g++ pkg-config
  libpq-dev libssl-dev
  libboost-program-options-dev libboost-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libbenchmark-dev
  postgresql-15 postgresql-client-15 postgresql-contrib
  openssl nlohmann-json3-dev libyaml-cpp-dev
  zlib1g-dev libzstd-dev libbz2-dev gzip zstd bzip2
  clang libclang-rt-14-dev clang-format
)

# How long to keep retrying while another apt/dpkg process holds its locks
# (unattended-upgrades or a provisioning step may still be running).
LOCK_WAIT_SECONDS=${LOCK_WAIT_SECONDS:-300}

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# "install ok installed" is the only status that means usable; anything else
# (half-configured, deinstall, not known) has to go through apt again.
missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed, nothing to do"
  exit 0
fi

if ((EUID == 0)); then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  # Without a terminal (CI) a password prompt would hang forever; -n makes
  # sudo fail at once instead.
  if [[ -t 0 ]]; then SUDO=(sudo); else SUDO=(sudo -n); fi
else
  die "not root and sudo is not installed; run this script as root to install: ${missing[*]}"
fi

LOG=$(mktemp /tmp/install-deps.XXXXXX.log)

# Run an apt-get command with its output in $LOG. Lock contention is
# retried until LOCK_WAIT_SECONDS have passed; any other failure is final.
apt_quiet() {
  local deadline=$((SECONDS + LOCK_WAIT_SECONDS))
  while :; do
    if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout="$LOCK_WAIT_SECONDS" "$@" >>"$LOG" 2>&1; then
      return 0
    fi
    if grep -qiE 'could not get lock|unable to lock|is another process using it' "$LOG" \
        && ((SECONDS < deadline)); then
      log "apt/dpkg is locked by another process, waiting..."
      # Forget the old lock messages so the next failure is judged afresh.
      : >"$LOG"
      sleep 5
      continue
    fi
    return 1
  done
}

fail() {
  log "error: $1 failed; last lines of $LOG:"
  tail -n 30 "$LOG" >&2
  exit 1
}

log "installing ${#missing[@]} missing package(s): ${missing[*]}"
apt_quiet update || fail "apt-get update"
apt_quiet install -y --no-install-recommends "${missing[@]}" || fail "apt-get install"

# Catch a package that apt "installed" but left unconfigured.
for pkg in "${missing[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || fail "installing $pkg (status: '${status:-unknown}')"
done

rm -f "$LOG"
log "done"
