-- Loads the CSV files of this directory into accounts on CockroachDB with IMPORT INTO.
-- Written by: loader --rows 3000 --create --emit-import out --import-files 3
-- First put the files where these statements read them (sh upload.sh), then:
--   cockroach sql --url "$DATABASE_URL" < import.sql
-- IMPORT INTO takes the table offline while it runs, and only inserts: a row
-- whose key is already in the table fails the whole import.

CREATE TABLE IF NOT EXISTS "accounts" ("id" UUID PRIMARY KEY, "balance" INT8 NOT NULL);

IMPORT INTO "accounts" ("id", "balance")
  CSV DATA (
    'nodelocal://1/out/accounts.00001.csv',
    'nodelocal://1/out/accounts.00002.csv',
    'nodelocal://1/out/accounts.00003.csv'
  )
  WITH nullif = '';
