-- Loads the CSV files of this directory into accounts on CockroachDB with IMPORT INTO.
-- Written by: loader --rows 2000 --emit-import out --import-url userfile:///loads/accounts --import-files 2
-- First put the files where these statements read them (sh upload.sh), then:
--   cockroach sql --url "$DATABASE_URL" < import.sql
-- IMPORT INTO takes the table offline while it runs, and only inserts: a row
-- whose key is already in the table fails the whole import.

IMPORT INTO "accounts" ("id", "balance")
  CSV DATA (
    'userfile:///loads/accounts/accounts.00001.csv',
    'userfile:///loads/accounts/accounts.00002.csv'
  )
  WITH nullif = '';
