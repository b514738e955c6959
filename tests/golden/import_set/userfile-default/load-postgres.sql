-- Loads the CSV files of this directory into accounts on PostgreSQL with psql.
-- Written by: loader --rows 2000 --emit-import out --import-url userfile:///loads/accounts --import-files 2
-- Run it from this directory: psql "$DATABASE_URL" -f load-postgres.sql
-- One transaction: the table gets every row or none.
\set ON_ERROR_STOP on
BEGIN;
\copy "accounts" ("id", "balance") FROM 'accounts.00001.csv' WITH (FORMAT csv)
\copy "accounts" ("id", "balance") FROM 'accounts.00002.csv' WITH (FORMAT csv)
COMMIT;
