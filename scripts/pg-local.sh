#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster on 127.0.0.1, kept in one directory.
#
# Usage:
#   scripts/pg-local.sh start   DIR          create (or reuse) a cluster in DIR, print its URL
#   scripts/pg-local.sh stop    DIR          stop it and delete DIR
#   scripts/pg-local.sh restart DIR [MODE]   pg_ctl restart -m MODE (smart|fast|immediate; default fast)
#   scripts/pg-local.sh url     DIR          print the URL of the cluster in DIR
#
# Environment:
#   PGPORT_START      first TCP port tried (default 54320)
#   PG_LOCAL_TIMEOUT  seconds to wait for the server to accept connections (default 30)
#
# On stdout only the URL is printed (as the last and only line), so
#   DATABASE_URL=$(scripts/pg-local.sh start DIR)
# works; progress and errors go to stderr.
#
# Layout of DIR:
#   data/        the cluster (owned by the `postgres` user when run as root)
#   server.log   server log
#   url          postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres?sslmode=disable (mode 600)
#   env          export DATABASE_URL='...' (mode 600)
#   .s.PGSQL.*   Unix socket, so nothing needs /var/run/postgresql
#   .pg-local    marker: "this directory belongs to pg-local.sh, stop may delete it"
#   .pghome      only if the cluster had to be placed elsewhere (see prepare_home)
set -euo pipefail

# English, unlocalised messages: we grep the server log for bind errors, and a
# LANG naming a locale that is not installed makes postgres warn at startup.
export LC_ALL=C
# The libpq/server environment of the caller must not redirect our own
# connections or pg_ctl (e.g. a PGHOST pointing at another server).
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGSERVICEFILE PGPASSFILE

PORT_START=${PGPORT_START:-54320}
READY_TIMEOUT=${PG_LOCAL_TIMEOUT:-30}
# sizeof(sockaddr_un.sun_path) is 108: longer socket paths make the server
# fail with "could not create any Unix-domain sockets".
SOCKET_PATH_MAX=107

log() { printf 'pg-local: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: pg-local.sh start DIR
       pg-local.sh stop DIR
       pg-local.sh restart DIR [smart|fast|immediate]
       pg-local.sh url DIR
EOF
  exit 2
}

# Debian's /usr/bin has only wrappers (pg_ctlcluster & co.) and pg_config
# may belong to another major version, so look in the versioned dir first.
find_bindir() {
  local d=/usr/lib/postgresql/15/bin p
  if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
    printf '%s\n' "$d"
  elif p=$(command -v initdb 2>/dev/null) && [[ -x $(dirname "$p")/pg_ctl ]]; then
    dirname "$p"
  else
    die "PostgreSQL 15 server binaries not found (run scripts/install-deps.sh)"
  fi
}

# initdb and pg_ctl refuse to run as root, so as root everything that
# touches the cluster runs as the `postgres` system user. cd / first: the
# caller's cwd may be unreadable for postgres (e.g. under /root).
# 9>&- : the server started by pg_ctl would otherwise inherit our lock fd
# and hold DIR's lock for as long as it runs.
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    "$@" 9>&-
  fi
}

# The directory postgres itself writes into (data/, socket, log): DIR, or
# the place prepare_home moved it to.
pg_home() {
  if [[ -L $DIR/.pghome ]]; then
    readlink -f -- "$DIR/.pghome"
  else
    printf '%s\n' "$DIR"
  fi
}

have_cluster() { [[ -f $PGH/data/PG_VERSION ]]; }

postmaster_pid() { head -n 1 "$PGH/data/postmaster.pid" 2>/dev/null || true; }

# A postmaster killed with SIGKILL stays a zombie until init reaps it, and
# both pg_ctl and a new postmaster take a zombie for a live server.
is_zombie() {
  [[ $(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null) == Z ]]
}

is_running() {
  local pid
  as_pg "$BIN/pg_ctl" status -D "$PGH/data" >/dev/null 2>&1 || return 1
  pid=$(postmaster_pid)
  [[ $pid =~ ^[0-9]+$ ]] && ! is_zombie "$pid"
}

wait_zombie_gone() {
  local pid i
  pid=$(postmaster_pid)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  for ((i = 0; i < 100; i++)); do
    is_zombie "$pid" || return 0
    sleep 0.2
  done
  die "the old server process $pid in $DIR is a zombie that nobody reaps"
}

gen_password() {
  local pw
  # head closing the pipe kills tr with SIGPIPE; with pipefail that would
  # look like a failure, hence the || true and the length check instead.
  pw=$(tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 20 || true)
  ((${#pw} == 20)) || die "could not generate a password from /dev/urandom"
  printf '%s\n' "$pw"
}

# Something accepting connections (or a filter swallowing them) means taken.
port_in_use() {
  # shellcheck disable=SC2016  # $0 is expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null && return 0
  (($? == 124))
}

find_free_port() {
  local p
  for ((p = $1; p < $1 + 500 && p <= 65535; p++)); do
    if ! port_in_use "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  die "no free TCP port on 127.0.0.1 in $1..$((p - 1))"
}

# Lets a developer or a parallel test run call start/stop on the same DIR
# at the same time without two initdb's racing.
take_lock() {
  exec 9>>"$DIR/.lock"
  flock -w 120 9 || die "timed out waiting for another pg-local.sh on $DIR"
}

# Files written by root inside the cluster must stay readable by postgres.
give_to_pg() {
  if ((EUID == 0)); then chown postgres:postgres "$@"; fi
}

tail_log() {
  local f=$PGH/server.log
  if [[ -f $f ]]; then
    log "last lines of $f:"
    tail -n 25 "$f" >&2
  else
    log "(no server log at $f)"
  fi
}

# A fresh cluster normally lives in DIR itself. Two cases need another
# place (a short private directory under /tmp, linked from DIR/.pghome and
# deleted by stop):
#  - running as root, the postgres user must be able to reach DIR, which it
#    cannot when a parent directory is private (e.g. a checkout under /root);
#  - DIR is so deep that the Unix socket path would exceed the kernel limit.
prepare_home() {
  local reason="" old sock_suffix="/.s.PGSQL.65535"
  PGH=$DIR
  # Left over from an earlier start whose initdb failed.
  if [[ -L $DIR/.pghome ]]; then
    old=$(readlink -f -- "$DIR/.pghome")
    case $old in /tmp/pg-local.*) rm -rf -- "$old" ;; esac
    rm -f -- "$DIR/.pghome"
    if [[ -L $DIR/data ]]; then rm -f -- "$DIR/data"; fi
    if [[ -L $DIR/server.log ]]; then rm -f -- "$DIR/server.log"; fi
  fi
  if ((EUID == 0)); then
    chown postgres:postgres "$DIR"
    if ! runuser -u postgres -- test -w "$DIR" || ! runuser -u postgres -- test -x "$DIR"; then
      reason="the postgres user cannot reach $DIR (a parent directory is not searchable)"
    fi
  fi
  if ((${#DIR} + ${#sock_suffix} > SOCKET_PATH_MAX)); then
    reason="$DIR is too long a path for a Unix socket"
  fi
  [[ -z $reason ]] && return 0

  # /tmp rather than $TMPDIR: TMPDIR may itself be private or deep.
  PGH=$(mktemp -d /tmp/pg-local.XXXXXX)
  give_to_pg "$PGH"
  ln -s "$PGH" "$DIR/.pghome"
  log "note: $reason; keeping the cluster in $PGH instead (stop removes it too)"
}

write_conf() {
  local port=$1 conf=$PGH/data/local.conf
  cat >"$conf" <<EOF
# Written by scripts/pg-local.sh on every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PGH'
# A throwaway cluster in a scratch directory: nothing in it has to survive
# an OS crash, so no fsync and no full-page images. A crash of the server
# alone (pg_ctl restart -m immediate, as the fault tests do) must still keep
# every commit it acknowledged, so synchronous_commit stays on: with fsync off
# that costs a write(2) per commit, not a flush.
fsync = off
synchronous_commit = on
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
EOF
  give_to_pg "$conf"
}

conf_port() {
  sed -n 's/^port = \([0-9][0-9]*\)$/\1/p' "$PGH/data/local.conf" 2>/dev/null | tail -n 1
}

wait_ready() {
  local port=$1 deadline=$((SECONDS + READY_TIMEOUT))
  until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; do
    if ((SECONDS >= deadline)); then
      tail_log
      die "server in $DIR did not accept connections on 127.0.0.1:$port within ${READY_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

# Start a stopped cluster, on the given port or else on a free one. Another
# process can grab a free port between our probe and the server's bind (two
# test runs starting at once), so a bind failure moves on to the next one.
start_server() {
  local fixed=${1:-} port attempt before news
  wait_zombie_gone
  if [[ -n $fixed ]]; then port=$fixed; else port=$(find_free_port "$PORT_START"); fi
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    write_conf "$port"
    before=0
    if [[ -f $PGH/server.log ]]; then before=$(stat -c %s "$PGH/server.log"); fi
    if as_pg "$BIN/pg_ctl" start -D "$PGH/data" -l "$PGH/server.log" -w -t "$READY_TIMEOUT" -s >&2; then
      wait_ready "$port"
      PORT=$port
      return 0
    fi
    news=""
    if [[ -f $PGH/server.log ]]; then news=$(tail -c +"$((before + 1))" "$PGH/server.log"); fi
    if [[ -z $fixed ]] && grep -q 'could not bind IPv4 address' <<<"$news"; then
      log "port $port was taken meanwhile (attempt $attempt), trying another"
      port=$(find_free_port "$((port + 1))")
      continue
    fi
    # After a SIGKILL of the postmaster its children linger for a moment,
    # still attached to the old shared memory.
    if grep -q 'pre-existing shared memory block .* is still in use' <<<"$news"; then
      log "processes of the previous server are still exiting (attempt $attempt), retrying"
      sleep 1
      continue
    fi
    tail_log
    die "could not start the server in $DIR"
  done
  tail_log
  die "could not start the server in $DIR after 10 attempts"
}

# Write DIR/url and DIR/env for the running server. The password is kept
# from the previous url; when that is gone (a crash between initdb and the
# first url), set a new one over the Unix socket, where auth is trust.
publish_url() {
  local port=$1 pw="" url tmp_url tmp_env
  if [[ -f $DIR/url ]]; then
    pw=$(sed -n 's|^postgresql://postgres:\([A-Za-z0-9]*\)@.*|\1|p' "$DIR/url")
  fi
  if [[ -z $pw ]]; then
    pw=$(gen_password)
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGH" -p "$port" -U postgres -d postgres \
      -c "ALTER ROLE postgres PASSWORD '$pw'" >&2 ||
      die "could not set the postgres password"
  fi
  url="postgresql://postgres:$pw@127.0.0.1:$port/postgres?sslmode=disable"

  # Write then rename, so a reader never sees a half-written file.
  tmp_url=$(umask 077 && mktemp "$DIR/.url.XXXXXX")
  tmp_env=$(umask 077 && mktemp "$DIR/.env.XXXXXX")
  printf '%s\n' "$url" >"$tmp_url"
  printf "export DATABASE_URL='%s'\n" "$url" >"$tmp_env"
  # Under sudo, hand the files to the user who ran sudo, not to root.
  if ((EUID == 0)) && [[ -n ${SUDO_UID:-} ]]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$tmp_url" "$tmp_env"
  fi
  mv -f "$tmp_url" "$DIR/url"
  mv -f "$tmp_env" "$DIR/env"
  printf '%s\n' "$url"
}

init_cluster() {
  local pwfile pw
  prepare_home
  log "creating a PostgreSQL cluster in $PGH/data"
  pw=$(gen_password)
  # In the postgres-owned directory, so initdb (running as postgres) can read it.
  pwfile=$(umask 077 && mktemp "$PGH/.pwfile.XXXXXX")
  printf '%s\n' "$pw" >"$pwfile"
  give_to_pg "$pwfile"
  if ! as_pg "$BIN/initdb" -D "$PGH/data" -U postgres --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C \
      >"$PGH/initdb.log" 2>&1; then
    rm -f "$pwfile"
    log "last lines of $PGH/initdb.log:"
    tail -n 25 "$PGH/initdb.log" >&2
    die "initdb failed"
  fi
  rm -f "$pwfile"
  # Settings live in an included file so every start can rewrite the port
  # without touching the rest of postgresql.conf.
  printf "\ninclude 'local.conf'\n" >>"$PGH/data/postgresql.conf"
  # A fresh url carrying the initdb password; its port is fixed by publish_url.
  (umask 077 && printf 'postgresql://postgres:%s@127.0.0.1:0/postgres?sslmode=disable\n' "$pw" >"$DIR/url")
  if [[ $PGH != "$DIR" ]]; then
    ln -sfn "$PGH/data" "$DIR/data"
    ln -sfn "$PGH/server.log" "$DIR/server.log"
  fi
}

# A non-empty DIR without our marker file is refused, so a typo such as
# `stop .` cannot wipe (or chown) a source tree.
check_ours() {
  if [[ -d $DIR && ! -e $DIR/.pg-local ]] && [[ -n $(ls -A -- "$DIR") ]]; then
    die "$DIR is not empty and was not created by pg-local.sh; refusing to use it"
  fi
}

cmd_start() {
  mkdir -p -- "$DIR"
  check_ours
  touch "$DIR/.pg-local"
  take_lock
  PGH=$(pg_home)

  if have_cluster && is_running; then
    PORT=$(sed -n 4p "$PGH/data/postmaster.pid")
    [[ $PORT =~ ^[0-9]+$ ]] || die "cannot read the port from $PGH/data/postmaster.pid"
    wait_ready "$PORT"
    log "already running in $DIR"
    publish_url "$PORT"
    return 0
  fi

  if have_cluster; then
    log "starting the existing cluster in $DIR"
  else
    init_cluster
  fi
  start_server
  log "running on 127.0.0.1:$PORT (log: $DIR/server.log)"
  publish_url "$PORT"
}

cmd_stop() {
  if [[ ! -e $DIR && ! -L $DIR ]]; then
    log "$DIR does not exist, nothing to stop"
    return 0
  fi
  [[ -d $DIR ]] || die "$DIR is not a directory"
  check_ours
  take_lock
  PGH=$(pg_home)

  if have_cluster && is_running; then
    if ! as_pg "$BIN/pg_ctl" stop -D "$PGH/data" -m fast -w -t 60 -s >&2; then
      log "fast shutdown failed, trying immediate"
      as_pg "$BIN/pg_ctl" stop -D "$PGH/data" -m immediate -w -t 30 -s >&2 || true
    fi
    # Deleting the files under a live server would leave it running detached.
    ! is_running || die "could not stop the server in $DIR; not deleting it"
  fi

  if [[ $PGH != "$DIR" ]]; then
    case $PGH in
      /tmp/pg-local.*) rm -rf -- "$PGH" ;;
      *) log "warning: not deleting unexpected cluster location $PGH" ;;
    esac
  fi
  rm -rf -- "$DIR"
  log "stopped and removed $DIR"
}

cmd_restart() {
  local mode=${1:-fast}
  case $mode in smart | fast | immediate) ;; *) usage ;; esac
  [[ -d $DIR ]] || die "$DIR does not exist"
  take_lock
  PGH=$(pg_home)
  have_cluster || die "no cluster in $DIR (run: pg-local.sh start $DIR)"
  PORT=$(conf_port)
  [[ -n $PORT ]] || die "cannot read the port from $PGH/data/local.conf"

  # A server that is down (e.g. killed by a fault test) is simply started
  # again on its old port, so URLs held by the test stay valid. pg_ctl
  # restart cannot be used for that: it gives up with "server does not shut
  # down" when the postmaster vanishes while it waits.
  if ! is_running; then
    log "server in $DIR was not running; starting it"
    start_server "$PORT"
  elif ! as_pg "$BIN/pg_ctl" restart -D "$PGH/data" -m "$mode" -l "$PGH/server.log" \
      -w -t "$READY_TIMEOUT" -s >&2; then
    if is_running; then
      tail_log
      die "restart of the server in $DIR failed"
    fi
    log "server in $DIR died during the restart; starting it"
    start_server "$PORT"
  fi
  wait_ready "$PORT"
  log "restarted ($mode) on 127.0.0.1:$PORT"
  publish_url "$PORT"
}

cmd_url() {
  [[ -f $DIR/url ]] || die "no URL in $DIR (start it with: pg-local.sh start $DIR)"
  cat -- "$DIR/url"
}

main() {
  local cmd=${1:-}
  case $cmd in
    start | stop | url) (($# == 2)) || usage ;;
    restart) (($# == 2 || $# == 3)) || usage ;;
    *) usage ;;
  esac
  [[ -n $2 ]] || usage

  # Absolute, because the server runs with cwd / and the path ends up in
  # postgresql.conf. Quotes, commas and backslashes would need escaping in
  # unix_socket_directories; nobody needs them in a scratch path.
  DIR=$(realpath -m -- "$2")
  case $DIR in
    / | *[\'\",\\]* | *$'\n'*) die "unsupported directory name: $DIR" ;;
  esac

  BIN=$(find_bindir)
  if ((EUID == 0)) && ! id -u postgres >/dev/null 2>&1; then
    die "running as root needs the 'postgres' system user (install postgresql-15)"
  fi

  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_restart "${3:-}" ;;
    url) cmd_url ;;
  esac
}

main "$@"
