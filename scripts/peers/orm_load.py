#!/usr/bin/env python3
"""The CockroachDB tutorials' pattern, as a peer for scripts/bench.sh: an
SQLAlchemy session per 1000-row chunk with bulk_save_objects, committed in
turn, over the rows of a CSV file (id,balance or id,x,y,z).

Usage: orm_load.py URL TABLE FILE
"""
import csv
import sys

from sqlalchemy import Column, Float, BigInteger, create_engine
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session, declarative_base

CHUNK = 1000
Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"
    id = Column(UUID(as_uuid=False), primary_key=True)
    balance = Column(BigInteger, nullable=False)


class Point(Base):
    __tablename__ = "points"
    id = Column(BigInteger, primary_key=True)
    x = Column(Float, nullable=False)
    y = Column(Float, nullable=False)
    z = Column(Float, nullable=False)


def objects(table, rows):
    if table == "accounts":
        return [Account(id=r[0], balance=int(r[1])) for r in rows]
    return [Point(id=int(r[0]), x=float(r[1]), y=float(r[2]), z=float(r[3])) for r in rows]


def main():
    url, table, path = sys.argv[1:4]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with open(path, newline="") as f:
        reader = csv.reader(f)
        while True:
            rows = [row for _, row in zip(range(CHUNK), reader)]
            if not rows:
                break
            with Session(engine) as session:
                session.bulk_save_objects(objects(table, rows))
                session.commit()


if __name__ == "__main__":
    main()
