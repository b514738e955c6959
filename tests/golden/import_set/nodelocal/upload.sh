#!/bin/sh
# Puts the files of this directory where import.sql reads them: nodelocal://1/out
# Written by: loader --rows 3000 --create --emit-import out --import-files 3
set -eu
cd "$(dirname "$0")"
# cockroach nodelocal upload writes to the node it connects to, and the statements
# read from node 1: connect to that node. COCKROACH_FLAGS holds the
# connection flags (default --insecure), e.g.
#   COCKROACH_FLAGS="--host=node1:26257 --certs-dir=certs" sh upload.sh
cockroach="${COCKROACH:-cockroach}"
flags="${COCKROACH_FLAGS:---insecure}"
"$cockroach" nodelocal upload accounts.00001.csv 'out/accounts.00001.csv' $flags
"$cockroach" nodelocal upload accounts.00002.csv 'out/accounts.00002.csv' $flags
"$cockroach" nodelocal upload accounts.00003.csv 'out/accounts.00003.csv' $flags
