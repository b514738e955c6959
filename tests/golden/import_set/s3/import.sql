-- Loads the CSV files of this directory into accounts on CockroachDB with IMPORT INTO.
-- Written by: loader --rows 3000 --emit-import out --import-url s3://bucket/loads?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****
-- First put the files where these statements read them (sh upload.sh), then:
--   cockroach sql --url "$DATABASE_URL" < import.sql
-- IMPORT INTO takes the table offline while it runs, and only inserts: a row
-- whose key is already in the table fails the whole import.

IMPORT INTO "accounts" ("id", "balance")
  CSV DATA (
    's3://bucket/loads/accounts.00001.csv?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=secretvalue123',
    's3://bucket/loads/accounts.00002.csv?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=secretvalue123',
    's3://bucket/loads/accounts.00003.csv?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=secretvalue123'
  )
  WITH nullif = '';
