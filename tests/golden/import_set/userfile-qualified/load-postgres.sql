-- Loads the CSV files of this directory into accounts on PostgreSQL with psql.
-- Written by: loader --rows 3000 --emit-import out --import-url userfile://defaultdb.public.userfiles_root/loads --import-files 3
-- Run it from this directory: psql "$DATABASE_URL" -f load-postgres.sql
-- One transaction: the table gets every row or none.
\set ON_ERROR_STOP on
BEGIN;
\copy "accounts" ("id", "balance") FROM 'accounts.00001.csv' WITH (FORMAT csv)
\copy "accounts" ("id", "balance") FROM 'accounts.00002.csv' WITH (FORMAT csv)
\copy "accounts" ("id", "balance") FROM 'accounts.00003.csv' WITH (FORMAT csv)
COMMIT;
