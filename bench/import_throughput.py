"""Import throughput on the laws corpus (../shared/data/laws.jsonl.gz) into a fresh database.

    .venv/bin/python bench/import_throughput.py                  # SQLite (a new file in a temp folder)
    DATABASE_URL=postgres://… .venv/bin/python bench/import_throughput.py   # PostgreSQL (a new test_… database)

Prints documents/s and MB/s (of uncompressed input text) for the first import and for a re-import of
the same file (which must change nothing), and the machine it ran on. No assertions: figures only.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    scratch = tempfile.TemporaryDirectory(prefix="gongkai-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["GONGKAI_DATA_DIR"] = scratch.name  # a fresh SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    laws = Path(settings.SHARED_DIR) / "data" / "laws.jsonl.gz"
    if not laws.exists():
        print(f"{laws} is absent: the laws corpus lives in ../shared/data beside the repository.")
        return 0

    test_db = None
    if connection.vendor == "postgresql":
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)

    from gongkai.core.models import Organisation
    from gongkai.core.services import organisation_create
    from gongkai.documents.importers import documents_import_file
    from gongkai.documents.models import Document, LifecycleEvent

    try:
        national = organisation_create(name="国家法律法规（外部来源）", code="NATIONAL", kind=Organisation.Kind.OTHER)
        runs = []
        for label in ("first import", "re-import (unchanged)"):
            cpu, marks = time.process_time(), {}

            def progress(message: str, marks=marks) -> None:
                if message.startswith("解析完成"):  # reading + parsing done, writing starts
                    marks["parsed"] = time.perf_counter()

            wall = time.perf_counter()
            report = documents_import_file(path=laws, fmt="laws", organisation=national, progress=progress)
            parse = marks.get("parsed", wall) - wall
            runs.append((label, report, time.process_time() - cpu, parse))
        documents, events = Document.objects.count(), LifecycleEvent.objects.count()
        db_version = connection.pg_version if connection.vendor == "postgresql" else None
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(test_db, verbosity=0)

    import sqlite3

    db = (f"PostgreSQL {db_version // 10000}.{db_version % 10000}" if db_version
          else f"SQLite {sqlite3.sqlite_version} (WAL, file)")
    print("gongkai import throughput — laws corpus")
    print(f"  when:     {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"  machine:  {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"  python:   {platform.python_version()}   database: {db}")
    print(f"  input:    {laws.name}, {runs[0][1].lines} lines, {runs[0][1].bytes_read / 1e6:.1f} MB of text")
    for label, report, cpu, parse in runs:
        print(f"  {label:22s} {report.seconds:6.1f} s wall ({parse:.1f} s read+parse, "
              f"{max(report.seconds - parse, 0):.1f} s write), {cpu:5.1f} s CPU   "
              f"{report.docs_per_second:6.0f} docs/s   {report.megabytes_per_second:6.2f} MB/s")
        print(f"  {'':22s} created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
              f"errors {len(report.errors)}")
    print(f"  database now holds {documents} documents and {events} lifecycle events")
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
