"""Benchmark: working-day arithmetic as a list page of hundreds of cases uses it.

Run: DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/workdays.py
(needs a migrated database: `gongkai migrate`). Prints the figures and the machine they ran on.
"""

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from gongkai.core.workdays import add_working_days, calendar_version, working_days_between  # noqa: E402


def main() -> None:
    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=i % 600) for i in range(100_000)]
    add_working_days(starts[0], 20)  # load once
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        for start in starts:
            add_working_days(start, 20)
        t1 = time.perf_counter()
        for start in starts:
            working_days_between(start, start + dt.timedelta(days=45))
        t2 = time.perf_counter()
    n = len(starts)
    print(f"machine: {platform.machine()} {platform.processor() or ''} · {os.cpu_count()} CPUs · "
          f"Python {platform.python_version()} · {connection.vendor}")
    print(f"calendar version: {calendar_version()}")
    print(f"add_working_days(d, 20):      {n / (t1 - t0):,.0f} calls/s ({(t1 - t0) / n * 1e6:.2f} µs each)")
    print(f"working_days_between(d, +45): {n / (t2 - t1):,.0f} calls/s ({(t2 - t1) / n * 1e6:.2f} µs each)")
    print(f"database queries for {2 * n:,} calls: {len(queries)} (token checks, at most one per "
          f"CALENDAR_RECHECK_SECONDS)")


if __name__ == "__main__":
    main()
