#!/bin/sh
# Puts the files of this directory where import.sql reads them: userfile://defaultdb.public.userfiles_root/loads
# Written by: loader --rows 3000 --emit-import out --import-url userfile://defaultdb.public.userfiles_root/loads --import-files 3
set -eu
cd "$(dirname "$0")"
# userfile storage lives in the cluster and is meant for files of about 15 MB or
# less. COCKROACH_FLAGS holds the connection flags (default --insecure), e.g.
#   COCKROACH_FLAGS="--url=postgresql://..." sh upload.sh
cockroach="${COCKROACH:-cockroach}"
flags="${COCKROACH_FLAGS:---insecure}"
"$cockroach" userfile upload accounts.00001.csv 'userfile://defaultdb.public.userfiles_root/loads/accounts.00001.csv' $flags
"$cockroach" userfile upload accounts.00002.csv 'userfile://defaultdb.public.userfiles_root/loads/accounts.00002.csv' $flags
"$cockroach" userfile upload accounts.00003.csv 'userfile://defaultdb.public.userfiles_root/loads/accounts.00003.csv' $flags
