# Shared by the benchmark scripts: a throwaway server, and timing a command
# the way they all report it. The caller sets ROOT, BUILD_DIR and RUNS, then
# calls prepare_bench, which sets WORK (a scratch directory, removed on exit
# with the server in it), PG_DIR and LOADER, and through start_server URL,
# DATABASE_URL, POSTMASTER (the server's pid) and TICKS (getconf CLK_TCK).

cleanup() { "$ROOT/scripts/pg-local.sh" stop "$PG_DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }

# The median of the numbers given as arguments (of an even count, the lower middle one).
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# Installs the loader's dependencies and any Debian packages named (with
# `time`, for /usr/bin/time), builds the loader (Release) in BUILD_DIR, and
# starts a server.
prepare_bench() {
  WORK=$(mktemp -d /tmp/loader-bench.XXXXXX)
  PG_DIR=$WORK/pg
  LOADER=$BUILD_DIR/loader
  trap cleanup EXIT
  bash "$ROOT/scripts/install-deps.sh"
  local pkg missing=()
  for pkg in time "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    ((EUID == 0)) || { echo "bench: as root, or install first: ${missing[*]}" >&2; exit 1; }
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DLOADER_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target loader >/dev/null
  start_server
}

start_server() {
  URL=$("$ROOT/scripts/pg-local.sh" start "$PG_DIR" | tail -n1)
  export DATABASE_URL=$URL
  # The reference files live in WORK, where the server user must read them.
  chmod 755 "$WORK"
  POSTMASTER=$(head -n1 "$(psql -Atq "$URL" -c 'SHOW data_directory')/postmaster.pid")
  TICKS=$(getconf CLK_TCK)
}

# CPU ticks the whole server has used so far: the postmaster, its live
# children, and the children it has reaped (every finished backend). Unlike
# wall time this hardly moves with what else the machine does, so it prices
# small differences such as the journal's.
server_cpu_ticks() {
  local pid total=0 f
  read -r -a f < <(sed 's/^.*) //' "/proc/$POSTMASTER/stat")
  total=$((f[11] + f[12] + f[13] + f[14]))  # utime stime cutime cstime
  for pid in $(pgrep -P "$POSTMASTER"); do
    read -r -a f < <(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# Runs a command RUNS times; prints "seconds client_cpu_seconds max_rss_kib
# server_cpu_seconds" of the median run. $1 is a setup command run (untimed)
# before each run, followed by a CHECKPOINT, so no run pays for writing out
# the dirty pages and WAL of the one before it.
measure() {
  local setup=$1; shift
  local i samples=() start end ticks_before ticks_after
  for ((i = 0; i < RUNS; i++)); do
    eval "$setup"
    psql -q "$URL" -c CHECKPOINT
    sleep 0.3  # the setup's backend has exited and been reaped
    ticks_before=$(server_cpu_ticks)
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
      { cat "$WORK/stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    sleep 0.3
    ticks_after=$(server_cpu_ticks)
    read -r user sys rss <"$WORK/time"
    samples+=("$(awk -v a="$start" -v b="$end" -v u="$user" -v s="$sys" -v r="$rss" \
      -v t="$((ticks_after - ticks_before))" -v hz="$TICKS" \
      'BEGIN {printf "%.3f %.2f %d %.2f", b - a, u + s, r, t / hz}')")
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

# Like measure, for two commands run in turn (a, b, a, b, ...), so drift in
# the machine's speed (autovacuum, checkpoints, neighbours) hits both alike;
# prints measure's four fields for a, then for b.
measure_pair() {
  local setup=$1 a=$2 b=$3
  local i samples_a=() samples_b=()
  for ((i = 0; i < RUNS; i++)); do
    samples_a+=("$(RUNS=1 measure "$setup" bash -c "$a")")
    samples_b+=("$(RUNS=1 measure "$setup" bash -c "$b")")
  done
  local mid=$(((RUNS + 1) / 2))
  echo "$(printf '%s\n' "${samples_a[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${samples_b[@]}" | sort -n | sed -n "${mid}p")"
}
