"""Datastore import and filtered-query speed against the database's bare bulk insert.

    .venv/bin/python bench/opendata_datastore.py --rows 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/opendata_datastore.py --rows 100000

Generates a CSV of N rows (区划代码, 名称, 年份, 数值, 日期), then measures on a scratch database
(a temporary SQLite file, or the DATABASE_URL database's tables named bench_*; dropped afterwards):
- bare: the pre-parsed rows inserted in one transaction (executemany on SQLite, COPY on PostgreSQL)
  into an unindexed table of the same typed columns — the database's bulk-insert floor;
- import: `datastore_load` from the CSV file (decode, type inference, validation, personal-data scan,
  insert, one index per column), with its peak Python memory (tracemalloc);
- query: `datastore_query` with a filter on one column (the API's datastore_search), p50/p95 of 200.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, setup_django  # noqa: E402


def make_csv(path: Path, rows: int) -> None:
    rnd = random.Random(7)
    names = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "浦东新区", "黄浦区", "越秀区", "天河区", "南山区"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["区划代码", "名称", "年份", "数值", "日期"])
        for i in range(rows):
            w.writerow([110000 + (i % 5000), names[i % 10], 2000 + i % 25, f"{rnd.random() * 1000:.2f}",
                        f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    setup_django()
    from django.db import connection, transaction

    from gongkai.opendata import datastore
    from gongkai.opendata.tables import convert, read_csv

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, rows: {args.rows:,}")
    path = tmp / "data.csv"
    make_csv(path, args.rows)
    print(f"csv: {path.stat().st_size / 1e6:.1f} MB")
    types = ["integer", "text", "integer", "number", "date"]
    q = connection.ops.quote_name

    # bare bulk insert of pre-parsed rows
    with path.open("rb") as f:
        table = read_csv(f)
        parsed = [tuple([n, *(convert(v, t) for v, t in zip(row, types, strict=True))])
                  for n, row in enumerate(table.rows, start=1)]
    sql_types = [datastore._sql_type(t) for t in types]
    bare = "bench_bare"
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {q(bare)}")
        c.execute(f"CREATE TABLE {q(bare)} (_id INTEGER PRIMARY KEY, "
                  + ", ".join(f"c{i + 1} {t}" for i, t in enumerate(sql_types)) + ")")
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(0, len(parsed), datastore.CHUNK):
            datastore._insert(bare, ["_id", "c1", "c2", "c3", "c4", "c5"], parsed[i:i + datastore.CHUNK])
    bare_s = time.perf_counter() - start
    del parsed
    print(f"bare bulk insert (pre-parsed rows): {bare_s:.2f} s ({args.rows / bare_s:,.0f} rows/s)")
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {q(bare)}")
    start = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        batch = []
        for n, row in enumerate(reader, start=1):
            batch.append([n, *row])
            if len(batch) == datastore.CHUNK:
                datastore._insert(bare, ["_id", "c1", "c2", "c3", "c4", "c5"], batch)
                batch = []
        datastore._insert(bare, ["_id", "c1", "c2", "c3", "c4", "c5"], batch)
    csv_s = time.perf_counter() - start
    print(f"bare csv.reader + bulk insert: {csv_s:.2f} s ({args.rows / csv_s:,.0f} rows/s)")

    for index in (False, True):
        tracemalloc.start()
        start = time.perf_counter()
        with transaction.atomic(), path.open("rb") as f:
            report = datastore.datastore_load(file_id=900_000_000 + index, table=read_csv(f), index=index)
        took = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        label = "import + indexes" if index else "import (no index)"
        print(f"{label}: {took:.2f} s ({args.rows / took:,.0f} rows/s, {100 * bare_s / took:.0f}% of bare, {100 * csv_s / took:.0f}% of csv+insert), "
              f"peak Python memory {peak:.0f} MB, {report.row_count:,} rows, {len(report.errors)} validation notes")

    rnd = random.Random(3)
    timings = []
    for _ in range(args.queries):
        code = 110000 + rnd.randrange(5000)
        start = time.perf_counter()
        records, total = datastore.datastore_query(table=report.table, fields=report.fields,
                                                   filters={"区划代码": code}, limit=100)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"datastore_search filter (区划代码 = x, {total} rows each, with total): "
          f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    with connection.cursor() as c:
        for name in (bare, report.table, datastore.table_name(900_000_000)):
            c.execute(f"DROP TABLE IF EXISTS {q(name)}")


if __name__ == "__main__":
    main()
