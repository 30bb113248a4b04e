"""Rate limits of public actions (filing, look-ups, comments, messages, sign-ups), counted in the database.

One mechanism for every package: a request of `scope` for `key` (a client address, an applicant's
identity, an e-mail address) is counted as an HMAC of the key, so the table holds no personal data;
`limit` is "COUNT/SECONDS". Counting in the database makes the limit hold across web processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import RateLimitHit


class RateLimited(Exception):
    """Too many requests of one kind from one address or for one applicant."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _digest(value: str) -> str:
    key = (settings.SECRET_KEY + ":rate-limit").encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _parse_limit(value: str) -> tuple[int, int]:
    count, _, seconds = str(value).partition("/")
    return int(count), int(seconds or 3600)


def rate_limit_check(*, scope: str, key: str, limit: str, record: bool = True,
                     message: str = "提交过于频繁，请稍后再试。") -> None:
    """Count one request of `scope` for `key` (an address or identity, stored only as an HMAC) and raise
    `RateLimited(message)` when the window already holds `limit` ("COUNT/SECONDS") requests."""
    count, seconds = _parse_limit(limit)
    now = timezone.now()
    digest = _digest(f"{scope}:{key}")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Count and record as one step per key: simultaneous requests queue on this lock (till commit),
            # so a burst cannot slip past the limit. SQLite's IMMEDIATE transactions serialise writers already.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])
        hits = RateLimitHit.objects.filter(scope=scope, key_digest=digest, at__gt=now - dt.timedelta(seconds=seconds))
        if hits.count() >= count:
            raise RateLimited(message)
        if record:
            RateLimitHit.objects.create(scope=scope, key_digest=digest, at=now)
            RateLimitHit.objects.filter(scope=scope, at__lt=now - dt.timedelta(seconds=max(seconds, 86400))).delete()
