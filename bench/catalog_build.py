"""Build the 政府信息公开目录 of one organisation with many documents: headings, the XLSX export, the change-history sync.

    .venv/bin/python bench/catalog_build.py --documents 100000          # SQLite (a new file in a temp folder)
    .venv/bin/python bench/catalog_build.py --documents 2000            # quick run
    DATABASE_URL=postgres://… .venv/bin/python bench/catalog_build.py   # PostgreSQL (a new test_… database)

The documents are inserted with bulk_create (published, 主动公开, spread over all 主题分类 and 文种); the timed
part is what a visitor or the nightly sync triggers. Prints seconds and the peak Python memory of the export
(tracemalloc), the streamed writer of `catalog.exports` beside the first version (openpyxl write_only) as the
baseline. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import machine  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="gongkai-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["GONGKAI_DATA_DIR"] = scratch.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    test_db = None
    if connection.vendor == "postgresql":
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)

    from gongkai.catalog import selectors, services
    from gongkai.catalog.exports import catalogue_xlsx, catalogue_xlsx_openpyxl
    from gongkai.core.services import organisation_create
    from gongkai.documents.models import DisclosureAttribute, Document, Genre, Status, Topic

    org = organisation_create(name="基准测试局", code="BENCH0001")
    topics = list(Topic.objects.all()) + [None]
    genres = [g for g, _label in Genre.choices]
    start = dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    batch = []
    for n in range(args.documents):
        at = start + dt.timedelta(hours=n)
        batch.append(Document(
            organisation=org, title=f"关于第{n}项工作的通知", index_no=f"BENCH0001/{at.year}-{n:06d}",
            written_on=at.date(), published_at=at, topic=topics[n % len(topics)], genre=genres[n % len(genres)],
            summary="内容概述" * 5, status=Status.PUBLISHED, disclosure_attribute=DisclosureAttribute.PROACTIVE))
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    print(f"setup: {args.documents} documents inserted in {time.perf_counter() - t0:.1f} s ({connection.vendor})")

    t = time.perf_counter()
    headings = selectors.catalogue_headings(organisation=org)
    print(f"headings: {len(headings)} headings, {sum(h.count for h in headings)} entries in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    n = sum(1 for _row in selectors.catalogue_rows(organisation=org))
    print(f"rows only (query + headings, no file): {n} rows in {time.perf_counter() - t:.2f} s")
    for label, export in (("xlsx streamed (now)", catalogue_xlsx), ("xlsx openpyxl write_only (before)", catalogue_xlsx_openpyxl)):
        t = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            rows = export(organisation=org, out=out)
            size = out.tell()
        seconds = time.perf_counter() - t
        # The same export again under tracemalloc (slower), for its peak Python memory.
        tracemalloc.start()
        with tempfile.TemporaryFile() as out:
            export(organisation=org, out=out)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{label}: {rows} rows, {size / 1e6:.1f} MB in {seconds:.2f} s; peak Python memory {peak / 1e6:.1f} MB")
    t = time.perf_counter()
    entered, left = services.catalogue_sync(organisation=org, at=timezone.now())
    print(f"sync (first, all enter): {entered} entered, {left} left in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    entered, left = services.catalogue_sync(organisation=org)
    print(f"sync (no change): {entered} entered, {left} left in {time.perf_counter() - t:.2f} s")
    print(machine())
    if test_db:
        connection.creation.destroy_test_db(test_db, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
