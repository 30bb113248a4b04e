"""Shared helpers of the benchmarks: Django set-up on a throw-away database, the machine, the corpus."""

from __future__ import annotations

import gzip
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

DATA = Path(settings.SHARED_DIR) / "data"


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    db = connection.vendor
    if db == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db += " " + cursor.fetchone()[0]
    else:
        import sqlite3

        db += " " + sqlite3.sqlite_version
    return (f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, DB {db}, "
            f"load average {', '.join(f'{x:.2f}' for x in load)} (other engineers' tests run concurrently)")


def fresh_database():
    """A new, migrated, empty test database (in-memory SQLite or test_<name> on PostgreSQL)."""
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


def drop_database(old_name) -> None:
    connection.creation.destroy_test_db(old_name, verbosity=0)


def laws() -> list[dict]:
    path = DATA / "laws.jsonl.gz"
    if not path.exists():
        sys.exit(f"{path} is absent: the benchmarks need ../shared/data")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


ISSUERS = {
    "行政法规": "国务院", "司法解释": "最高人民法院", "部门规章": "国务院部门", "案例": "最高人民法院",
    "山东地方法规": "山东省人民代表大会常务委员会", "河南地方法规": "河南省人民代表大会常务委员会",
    "浙江地方法规": "浙江省人民代表大会常务委员会", "上海地方法规": "上海市人民代表大会常务委员会",
    "北京地方法规": "北京市人民代表大会常务委员会", "重庆地方法规": "重庆市人民代表大会常务委员会",
    "广东地方法规": "广东省人民代表大会常务委员会",
}


def issuer_of(category: str) -> str:
    return ISSUERS.get(category, "全国人民代表大会常务委员会")


def markdown_to_html(body: str) -> str:
    import html

    paragraphs = [p.strip().lstrip("#").strip() for p in body.split("\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def load_documents(items: list[dict]) -> list[int]:
    """Bulk-insert published documents (bench only: the services' per-document audit trail is skipped).

    items: dicts with title, body (HTML), doc_number, issuer, published_at, genre, category, topic_code.
    """
    from django.utils import timezone

    from gongkai.core.models import Organisation
    from gongkai.documents.models import DisclosureAttribute, Document, DocumentIssuer, Status, Topic

    org, _ = Organisation.objects.get_or_create(code="BENCH0001", defaults={"name": "基准测试市人民政府", "path": "/"})
    topics = {t.code: t for t in Topic.objects.all()}
    start = Document.objects.count()
    docs = [
        Document(
            organisation=org, title=it["title"], body=it["body"], doc_number=it.get("doc_number", ""),
            index_no=f"BENCH0001/{start + n:08d}", published_at=it.get("published_at") or timezone.now(),
            genre=it.get("genre", "law"), category=it.get("category", ""), topic=topics.get(it.get("topic_code")),
            status=Status.PUBLISHED, disclosure_attribute=DisclosureAttribute.PROACTIVE,
            validity=it.get("validity", "valid"),
        )
        for n, it in enumerate(items)
    ]
    created = Document.objects.bulk_create(docs, batch_size=500)
    DocumentIssuer.objects.bulk_create(
        [DocumentIssuer(document=d, name=it["issuer"]) for d, it in zip(created, items, strict=True) if it.get("issuer")],
        batch_size=1000,
    )
    return [d.pk for d in created]
