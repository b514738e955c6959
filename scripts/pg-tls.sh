#!/usr/bin/env bash
# A throwaway PostgreSQL 15 with TLS and client-certificate authentication:
# scripts/pg-local.sh's cluster, plus certificates made here with openssl, the
# way a secure CockroachDB cluster's users hold theirs.
#
# Usage:
#   scripts/pg-tls.sh start   DIR          pg-local.sh start DIR, then TLS on; print its URL
#   scripts/pg-tls.sh stop    DIR          stop it and delete DIR (certificates included)
#   scripts/pg-tls.sh restart DIR [MODE]   as pg-local.sh (TLS stays on)
#   scripts/pg-tls.sh url     DIR          print the superuser URL
#
# Environment (besides pg-local.sh's own):
#   PG_TLS_CLIENT        the user the client certificate is for (default maxroach)
#   PG_TLS_KEY_PASSWORD  if set, the client key is also written encrypted with it
#                        (read from the environment, never from the command line)
#
# The URL printed is pg-local.sh's: the superuser with a password and
# sslmode=disable. The same URL with sslmode=require goes over TLS. The client
# certificate's user connects only over TLS with its certificate:
#   postgresql://maxroach@localhost:PORT/DB?sslmode=verify-full&sslrootcert=DIR/tls/ca.crt
#     &sslcert=DIR/tls/client.maxroach.crt&sslkey=DIR/tls/client.maxroach.key
# The role and its database are the caller's to create (as the superuser).
#
# DIR/tls, made on the first start (mode 700, keys 600, owned by whoever runs
# this, who is the one to read the client keys):
#   ca.crt ca.key                  the cluster's CA
#   server.crt server.key          for localhost (DNS:localhost, IP:127.0.0.1),
#                                  copied into data/ for the server (owned by postgres)
#   client.USER.crt client.USER.key       CN=USER, signed by the CA
#   client.USER.enc.key                   the same key as encrypted PKCS#8 PEM
#   rogue/ca.crt rogue/ca.key             an unrelated CA, which the server does not trust
#   rogue/client.USER.crt rogue/client.USER.key   a client certificate signed by it
# The server gets ssl = on (ALTER SYSTEM, then a reload: no restart, so the
# port is never let go) and, first in pg_hba.conf:
#   hostssl all USER 127.0.0.1/32 cert
# pg-local.sh's password line for everyone else stays as it is.
set -euo pipefail

export LC_ALL=C
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGSERVICEFILE PGPASSFILE
unset PGSSLMODE PGSSLROOTCERT PGSSLCERT PGSSLKEY PGSSLPASSWORD

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLIENT=${PG_TLS_CLIENT:-maxroach}
READY_TIMEOUT=${PG_LOCAL_TIMEOUT:-30}
DAYS=30

log() { printf 'pg-tls: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: pg-tls.sh start DIR
       pg-tls.sh stop DIR
       pg-tls.sh restart DIR [smart|fast|immediate]
       pg-tls.sh url DIR
EOF
  exit 2
}

# Quiet openssl: its progress goes to a log that a failure shows.
ossl() {
  if ! openssl "$@" >>"$TLS/openssl.log" 2>&1; then
    tail -n 20 "$TLS/openssl.log" >&2
    die "openssl $1 failed"
  fi
}

new_key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

random_serial() { printf '0x%s\n' "$(openssl rand -hex 16)"; }

# new_ca DIR NAME: DIR/ca.key and a self-signed DIR/ca.crt.
new_ca() {
  new_key "$1/ca.key"
  ossl req -x509 -new -key "$1/ca.key" -subj "/O=$2/CN=$2 CA" -days "$DAYS" \
    -set_serial "$(random_serial)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$1/ca.crt"
}

# sign CA_DIR NAME SUBJECT EXTENSIONS: NAME.key and NAME.crt in CA_DIR, signed
# by CA_DIR's CA.
sign() {
  local dir=$1 name=$2 subject=$3 ext=$4
  new_key "$dir/$name.key"
  ossl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr"
  printf '%s\n' "$ext" >"$dir/$name.ext"
  ossl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "$(random_serial)" -days "$DAYS" -extfile "$dir/$name.ext" -out "$dir/$name.crt"
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}

make_certs() {
  local client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
  command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
  log "making certificates in $TLS"
  (
    umask 077
    mkdir -p "$TLS/rogue"
    new_ca "$TLS" "pg-tls"
    sign "$TLS" server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
    sign "$TLS" "client.$CLIENT" "/CN=$CLIENT" "$client_ext"
    if [[ -n ${PG_TLS_KEY_PASSWORD:-} ]]; then
      ossl pkcs8 -topk8 -v2 aes-256-cbc -in "$TLS/client.$CLIENT.key" \
        -passout env:PG_TLS_KEY_PASSWORD -out "$TLS/client.$CLIENT.enc.key"
    fi
    new_ca "$TLS/rogue" "rogue"
    sign "$TLS/rogue" "client.$CLIENT" "/CN=$CLIENT" "$client_ext"
  )
  # The last step: a directory with ca.crt in it is complete.
  touch "$TLS/.complete"
}

# The server's copies, in its data directory, owned by the user it runs as
# (postgres refuses a key that others may read).
install_server_files() {
  local data f
  data=$(readlink -f -- "$DIR/data")
  for f in server.crt server.key ca.crt; do
    install -m 600 "$TLS/$f" "$data/$f"
    if ((EUID == 0)); then chown postgres:postgres "$data/$f"; fi
  done
  # First, so it wins over pg-local.sh's `host all all 127.0.0.1/32` line.
  # Rewritten in place, so the file keeps its owner.
  local line="hostssl all $CLIENT 127.0.0.1/32 cert"
  if ! grep -qxF "$line" "$data/pg_hba.conf"; then
    local old
    old=$(cat "$data/pg_hba.conf")
    printf '# Added by scripts/pg-tls.sh.\n%s\n%s\n' "$line" "$old" >"$data/pg_hba.conf"
  fi
}

psql_admin() { "$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

enable_tls() {
  local url=$1 tls_url deadline=$((SECONDS + READY_TIMEOUT)) errors
  psql_admin "$url" -c "ALTER SYSTEM SET ssl = on" -c "ALTER SYSTEM SET ssl_cert_file = 'server.crt'" \
    -c "ALTER SYSTEM SET ssl_key_file = 'server.key'" -c "ALTER SYSTEM SET ssl_ca_file = 'ca.crt'" \
    -c "SELECT pg_reload_conf()" >/dev/null || die "could not turn ssl on"
  tls_url=${url/sslmode=disable/sslmode=require}
  # The reload is asynchronous; a bad key or certificate leaves TLS off and
  # says why in the server log only.
  until [[ $(psql_admin "$tls_url" -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" \
    2>/dev/null) == t ]]; do
    if ((SECONDS >= deadline)); then
      tail -n 25 "$DIR/server.log" >&2
      die "the server in $DIR did not take TLS connections within ${READY_TIMEOUT}s"
    fi
    sleep 0.2
  done
  errors=$(psql_admin "$url" -c "SELECT string_agg(line_number || ': ' || error, '; ') FROM pg_hba_file_rules WHERE error IS NOT NULL")
  [[ -z $errors ]] || die "pg_hba.conf in $DIR: $errors"
}

cmd_start() {
  local url
  url=$("$ROOT/scripts/pg-local.sh" start "$DIR" | tail -n 1)
  [[ -n $url ]] || die "pg-local.sh printed no URL"
  TLS=$DIR/tls
  if [[ ! -e $TLS/.complete ]]; then
    rm -rf -- "$TLS"
    (umask 077 && mkdir -p "$TLS")
    make_certs
  fi
  install_server_files
  enable_tls "$url"
  log "TLS on; certificates in $TLS (client: $CLIENT)"
  printf '%s\n' "$url"
}

main() {
  local cmd=${1:-}
  case $cmd in
    start | stop | url) (($# == 2)) || usage ;;
    restart) (($# == 2 || $# == 3)) || usage ;;
    *) usage ;;
  esac
  [[ -n $2 ]] || usage
  [[ $CLIENT =~ ^[a-z_][a-z0-9_]*$ ]] || die "PG_TLS_CLIENT: '$CLIENT' is not a plain role name"
  DIR=$(realpath -m -- "$2")
  BIN=/usr/lib/postgresql/15/bin
  [[ -x $BIN/psql ]] || BIN=$(dirname "$(command -v psql || echo /usr/bin/psql)")

  case $cmd in
    start) cmd_start ;;
    *) exec "$ROOT/scripts/pg-local.sh" "$@" ;;
  esac
}

main "$@"
