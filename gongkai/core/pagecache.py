"""What the public caches of the faces key on: the content version and the code token (one place).

The content version is the newest audit-log id: every state change of what the public sees is an audit
event, so a write changes it at once, on every process (read from the database per request). The code
token changes with the platform's code, templates and static files (an upgrade). Used by the portal's
page cache (gongkai/portal/caching.py) and the API's search cache (gongkai/api/views.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from django.db import connection
from django.utils import timezone

from .models import AuditEvent

# Pages built from the search index are stored only once the newest audit event is this old (the index
# follows a write on commit, a moment after the audit event is visible), and kept this long.
SEARCH_SETTLE_SECONDS = 5
SEARCH_CACHE_SECONDS = 60

# Looks at personal data (access_only) change nothing public; the index (access_only, id) answers this
# MAX as directly as the primary key did.
_VERSION_SQL = f"SELECT MAX(id) FROM {AuditEvent._meta.db_table} WHERE access_only = %s"
_code_token: list[str] = []


def content_version() -> int:
    """A number that changes whenever anything the public sees may have changed.

    Plain SQL on the driver's own cursor: this runs on every public request, MAX of the primary key is
    an index lookup on both databases, and Django's cursor wrappers cost as much as the query itself.
    Outside a transaction (autocommit, as for every anonymous request) it sees every committed write.
    """
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(_VERSION_SQL, [False])
            return cursor.fetchone()[0] or 0
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(*_raw_version_sql())
        return cursor.fetchone()[0] or 0
    finally:
        cursor.close()


def _raw_version_sql() -> tuple[str, tuple]:
    # The driver's own placeholder style: "?" for sqlite3, "%s" for psycopg.
    if connection.vendor == "sqlite":
        return _VERSION_SQL.replace("%s", "?"), (0,)
    return _VERSION_SQL, (False,)


def code_token() -> str:
    """Changes whenever the platform's code, templates or static files change (an upgrade)."""
    if not _code_token:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt", ".xml", ".css", ".js", ".svg")):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        _code_token.append(digest.hexdigest()[:12])
    return _code_token[0]


def settled(version: int) -> bool:
    """The newest audit event is old enough for the search index to have followed it."""
    at = AuditEvent.objects.filter(pk=version).values_list("at", flat=True).first()
    return at is None or timezone.now() - at >= dt.timedelta(seconds=SEARCH_SETTLE_SECONDS)


def cache_key(*parts: str | int) -> str:
    """A key of the code token, the local date (有效性 changes at midnight) and `parts`."""
    raw = "|".join([code_token(), dt.date.today().isoformat(), *map(str, parts)])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
