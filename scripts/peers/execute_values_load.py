#!/usr/bin/env python3
"""psycopg2's execute_values with 1000-row pages, one transaction per page,
as a peer for scripts/bench.sh (the multi-row INSERT a Python user writes by
hand), over the rows of a CSV file.

Usage: execute_values_load.py URL TABLE FILE
"""
import csv
import sys

import psycopg2
from psycopg2.extras import execute_values

PAGE = 1000
COLUMNS = {"accounts": "id, balance", "points": "id, x, y, z"}


def main():
    url, table, path = sys.argv[1:4]
    sql = f"INSERT INTO {table} ({COLUMNS[table]}) VALUES %s"
    conn = psycopg2.connect(url)
    with open(path, newline="") as f, conn.cursor() as cur:
        reader = csv.reader(f)
        while True:
            rows = [row for _, row in zip(range(PAGE), reader)]
            if not rows:
                break
            execute_values(cur, sql, rows, page_size=PAGE)
            conn.commit()
    conn.close()


if __name__ == "__main__":
    main()
