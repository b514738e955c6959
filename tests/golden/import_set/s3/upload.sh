#!/bin/sh
# Puts the files of this directory where import.sql reads them: s3://bucket/loads?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****
# Written by: loader --rows 3000 --emit-import out --import-url s3://bucket/loads?AWS_ACCESS_KEY_ID=****&AWS_SECRET_ACCESS_KEY=****
set -eu
cd "$(dirname "$0")"
# The AWS CLI reads its own credentials (aws configure, AWS_* variables).
aws s3 cp accounts.00001.csv 's3://bucket/loads/accounts.00001.csv'
aws s3 cp accounts.00002.csv 's3://bucket/loads/accounts.00002.csv'
aws s3 cp accounts.00003.csv 's3://bucket/loads/accounts.00003.csv'
