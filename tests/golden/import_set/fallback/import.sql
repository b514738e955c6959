-- Loads the CSV files of this directory into accounts on CockroachDB with IMPORT INTO.
-- Written by: loader --url postgresql://root:****@db1:26257/defaultdb --rows 10000 --fallback-dir fallback
-- First put the files where these statements read them (sh upload.sh), then:
--   cockroach sql --url "$DATABASE_URL" < import.sql
-- IMPORT INTO takes the table offline while it runs, and only inserts: a row
-- whose key is already in the table fails the whole import.
-- These rows of job accounts-5e1f0c2a9b7d4e38 could not be committed. Check first that the loader has not
-- loaded them since (loader journal); the journal rows after the IMPORT record
-- them, so a re-run of the loader does not load them again. IMPORT cannot run in
-- a transaction: run the INSERT only once the IMPORT has succeeded.

IMPORT INTO "accounts" ("id", "balance")
  CSV DATA (
    'nodelocal://1/fallback/accounts.000000002000.csv',
    'nodelocal://1/fallback/accounts.000000004000.csv'
  )
  WITH nullif = '';
INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 2000, 1000, -7189048501770105503);
INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 4000, 1000, 1234567890123);

-- The connection was lost while these files' rows were being committed, so they
-- may be in the table already. Import them only if this says 0 for each:
--   SELECT count(*) FROM loader_journal WHERE job = 'accounts-5e1f0c2a9b7d4e38' AND first_row < 8000 AND first_row + row_count > 7000;
-- IMPORT INTO "accounts" ("id", "balance")
--   CSV DATA (
--     'nodelocal://1/fallback/accounts.000000007000.csv'
--   )
--   WITH nullif = '';
-- INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('accounts-5e1f0c2a9b7d4e38', 7000, 1000, 42);
