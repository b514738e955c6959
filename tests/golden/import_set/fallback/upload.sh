#!/bin/sh
# Puts the files of this directory where import.sql reads them: nodelocal://1/fallback
# Written by: loader --url postgresql://root:****@db1:26257/defaultdb --rows 10000 --fallback-dir fallback
set -eu
cd "$(dirname "$0")"
# cockroach nodelocal upload writes to the node it connects to, and the statements
# read from node 1: connect to that node. COCKROACH_FLAGS holds the
# connection flags (default --insecure), e.g.
#   COCKROACH_FLAGS="--host=node1:26257 --certs-dir=certs" sh upload.sh
cockroach="${COCKROACH:-cockroach}"
flags="${COCKROACH_FLAGS:---insecure}"
"$cockroach" nodelocal upload accounts.000000002000.csv 'fallback/accounts.000000002000.csv' $flags
"$cockroach" nodelocal upload accounts.000000004000.csv 'fallback/accounts.000000004000.csv' $flags
"$cockroach" nodelocal upload accounts.000000007000.csv 'fallback/accounts.000000007000.csv' $flags
