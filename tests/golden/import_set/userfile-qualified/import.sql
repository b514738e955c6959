-- Loads the CSV files of this directory into accounts on CockroachDB with IMPORT INTO.
-- Written by: loader --rows 3000 --emit-import out --import-url userfile://defaultdb.public.userfiles_root/loads --import-files 3
-- First put the files where these statements read them (sh upload.sh), then:
--   cockroach sql --url "$DATABASE_URL" < import.sql
-- IMPORT INTO takes the table offline while it runs, and only inserts: a row
-- whose key is already in the table fails the whole import.

IMPORT INTO "accounts" ("id", "balance")
  CSV DATA (
    'userfile://defaultdb.public.userfiles_root/loads/accounts.00001.csv',
    'userfile://defaultdb.public.userfiles_root/loads/accounts.00002.csv',
    'userfile://defaultdb.public.userfiles_root/loads/accounts.00003.csv'
  )
  WITH nullif = '';
