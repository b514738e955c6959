-- Loads the CSV files of this directory into accounts on PostgreSQL with psql.
-- Written by: loader --url postgresql://root:****@db1:26257/defaultdb --rows 10000 --fallback-dir fallback
-- Run it from this directory: psql "$DATABASE_URL" -f load-postgres.sql
-- Each file loads in a transaction with its loader_journal row, and only when
-- the journal has none of its rows: a re-run of the loader then skips them, and
-- running this script again loads nothing twice.
\set ON_ERROR_STOP on

-- rows 2000..2999: retries exhausted after 10 attempts: restart transaction (SQLSTATE 40001)
BEGIN;
SELECT (SELECT count(*) FROM loader_journal WHERE job = 'accounts-5e1f0c2a9b7d4e38' AND first_row < 3000 AND first_row + row_count > 2000) = 0 AS load_file \gset
\if :load_file
INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 2000, 1000, -7189048501770105503);
\copy "accounts" ("id", "balance") FROM 'accounts.000000002000.csv' WITH (FORMAT csv)
\else
\echo 'rows 2000..2999 are in loader_journal already: skipped (a re-run of the loader loads any of them still missing)'
\endif
COMMIT;

-- rows 4000..4999: one chunk too large: split down to one row "x" (SQLSTATE 54000)
BEGIN;
SELECT (SELECT count(*) FROM loader_journal WHERE job = 'accounts-5e1f0c2a9b7d4e38' AND first_row < 5000 AND first_row + row_count > 4000) = 0 AS load_file \gset
\if :load_file
INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 4000, 1000, 1234567890123);
\copy "accounts" ("id", "balance") FROM 'accounts.000000004000.csv' WITH (FORMAT csv)
\else
\echo 'rows 4000..4999 are in loader_journal already: skipped (a re-run of the loader loads any of them still missing)'
\endif
COMMIT;

-- rows 7000..7999: server unreachable for 60 s while its COMMIT was in flight
BEGIN;
SELECT (SELECT count(*) FROM loader_journal WHERE job = 'accounts-5e1f0c2a9b7d4e38' AND first_row < 8000 AND first_row + row_count > 7000) = 0 AS load_file \gset
\if :load_file
INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 7000, 1000, 42);
\copy "accounts" ("id", "balance") FROM 'accounts.000000007000.csv' WITH (FORMAT csv)
\else
\echo 'rows 7000..7999 are in loader_journal already: skipped (a re-run of the loader loads any of them still missing)'
\endif
COMMIT;
