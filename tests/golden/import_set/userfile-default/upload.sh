#!/bin/sh
# Puts the files of this directory where import.sql reads them: userfile:///loads/accounts
# Written by: loader --rows 2000 --emit-import out --import-url userfile:///loads/accounts --import-files 2
set -eu
cd "$(dirname "$0")"
# userfile storage lives in the cluster and is meant for files of about 15 MB or
# less. COCKROACH_FLAGS holds the connection flags (default --insecure), e.g.
#   COCKROACH_FLAGS="--url=postgresql://..." sh upload.sh
cockroach="${COCKROACH:-cockroach}"
flags="${COCKROACH_FLAGS:---insecure}"
"$cockroach" userfile upload accounts.00001.csv '/loads/accounts/accounts.00001.csv' $flags
"$cockroach" userfile upload accounts.00002.csv '/loads/accounts/accounts.00002.csv' $flags
