"""Rate limits of public actions (filing, look-ups, comments, messages, sign-ups, searches), counted in
the database, and the guard of expensive public requests.

One mechanism for every package: a request of `scope` for `key` (a client address, an applicant's
identity, an e-mail address) is counted as an HMAC of the key, so the table holds no personal data;
`limit` is "COUNT/SECONDS". Counting in the database makes the limit hold across web processes.

`ExpensiveRequestMiddleware` (issue 15.1) applies it to the requests listed in settings.EXPENSIVE_REQUESTS
(searches, suggestions, search feeds, questions to the Q&A base, dataset search): a per-client limit
answered with 429 and Retry-After, then a bounded number of such requests at a time across all web
processes of the host (`concurrency_slot`: lock files in DATA_DIR; a request waits briefly for a slot,
then gets 503 and Retry-After), then a time budget for each database query of the request
(`query_time_budget`). Page views never wait for a search slot, so a search flood cannot take every
worker from them. `RequestSizeLimitMiddleware` (issue 15.7) refuses an oversize body from its declared
length before a byte of it is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import math
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from .models import RateLimitHit


class RateLimited(Exception):
    """Too many requests of one kind from one address or for one applicant."""

    def __init__(self, message: str, retry_after: int = 60):
        self.message = message
        # Seconds until the oldest counted request leaves the window (the Retry-After of a 429).
        self.retry_after = retry_after
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
            oldest = hits.order_by("at").values_list("at", flat=True).first()
            retry = (oldest + dt.timedelta(seconds=seconds) - now).total_seconds() if oldest else seconds
            raise RateLimited(message, retry_after=max(1, math.ceil(retry)))
        if record:
            RateLimitHit.objects.create(scope=scope, key_digest=digest, at=now)
            RateLimitHit.objects.filter(scope=scope, at__lt=now - dt.timedelta(seconds=max(seconds, 86400))).delete()


def client_address(request) -> str:
    """The client's address for rate limits. Behind the platform's own reverse proxy (BEHIND_PROXY, which
    sets SECURE_PROXY_SSL_HEADER) that is the last X-Forwarded-For entry, the one the proxy appended;
    the earlier entries are whatever the client sent."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# --- Expensive public requests (issue 15.1) --------------------------------------------------------------

class NoSlot(Exception):
    """Every slot for expensive requests stayed busy for the whole wait."""


def _slot_dir() -> Path:
    folder = Path(getattr(settings, "EXPENSIVE_SLOTS_DIR", "") or Path(settings.DATA_DIR) / "slots")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def concurrency_slot(pool: str, *, slots: int, wait: float):
    """Hold one of `slots` slots of `pool`, shared by every process and thread of the host (an exclusive
    lock on one of `slots` files; the kernel frees it if the process dies). Waits up to `wait` seconds
    for a free slot, then raises NoSlot."""
    folder = _slot_dir()
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        for n in range(max(1, slots)):
            fd = os.open(folder / f"{pool}.{n}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield n
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            return
        if time.monotonic() >= deadline:
            raise NoSlot(pool)
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 0.05)


class QueryTimeBudgetExceeded(Exception):
    """A database query of an expensive request ran past its time budget and was ended."""


@contextlib.contextmanager
def query_time_budget(seconds: float):
    """End any database query that runs past `seconds` from now: SQLite through a progress handler,
    PostgreSQL through statement_timeout for the session (reset afterwards). The ended query raises
    django.db.OperationalError inside; this raises QueryTimeBudgetExceeded to the caller."""
    if not seconds or seconds <= 0:
        yield
        return
    connection.ensure_connection()
    deadline = time.monotonic() + seconds
    expired = []
    if connection.vendor == "sqlite":
        raw = connection.connection

        def progress() -> int:
            if time.monotonic() > deadline:
                expired.append(True)
                return 1
            return 0

        raw.set_progress_handler(progress, 10000)
        try:
            yield
        except OperationalError as exc:
            if expired:
                raise QueryTimeBudgetExceeded(str(exc)) from exc
            raise
        finally:
            raw.set_progress_handler(None, 0)
        if expired:
            raise QueryTimeBudgetExceeded("interrupted")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(int(seconds * 1000))])
        try:
            yield
        except OperationalError as exc:
            if "statement timeout" in str(exc) or getattr(getattr(exc, "__cause__", None), "sqlstate", "") == "57014":
                raise QueryTimeBudgetExceeded(str(exc)) from exc
            raise
        finally:
            if connection.connection is not None and not connection.needs_rollback:
                with contextlib.suppress(Exception), connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
    else:
        yield


def _refusal(request, status: int, message: str, retry_after: int, code: str):
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"code": code, "message": message}}, status=status,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>请稍后再试</title></head><body><main><h1>请稍后再试</h1><p>{message}</p>"
            '<p><a href="/">返回首页</a></p></main></body></html>',
            status=status, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(max(1, int(retry_after)))
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(response.content))
    return response


class _Rule:
    def __init__(self, spec: dict):
        self.path = re.compile(spec["path"])
        self.methods = tuple(m.upper() for m in spec.get("methods", ("GET", "HEAD")))
        self.param = spec.get("param", "")  # only when this query parameter is present and non-empty
        self.scope = spec.get("scope", "expensive")
        # The name of the setting holding the limit, read per request (default EXPENSIVE_LIMIT_PER_CLIENT).
        self.limit_setting = spec.get("limit_setting", "EXPENSIVE_LIMIT_PER_CLIENT")
        self.record = spec.get("record", True)  # False: only look whether the client is already over it
        self.message = spec.get("message", "您的请求过于频繁，请稍后再试。")
        self.pool = spec.get("pool", "search")  # "": no concurrency slot (e.g. a peek before an upload)

    def matches(self, request) -> bool:
        return (request.method in self.methods and bool(self.path.search(request.path))
                and (not self.param or bool(request.GET.get(self.param, "").strip())))


class ExpensiveRequestMiddleware:
    """The per-client limit, the concurrency slot and the query time budget of settings.EXPENSIVE_REQUESTS.

    Placed after the public page cache, so a page served from the cache costs nothing and counts nothing,
    and before sessions, CSRF and the view, so a refused request never reads its body or the session."""

    BLOCKED_KEPT = 10000

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = [_Rule(spec) for spec in getattr(settings, "EXPENSIVE_REQUESTS", [])]
        # (scope, address) → monotonic time until which it is over its limit, learnt from the database: a
        # flooding client is refused by this process without another database transaction (the window
        # cannot free a slot before the oldest counted request leaves it).
        self.blocked: dict[tuple[str, str], float] = {}

    @staticmethod
    def _refuse_limited(request, rule: _Rule, retry_after: int):
        return _refusal(request, 429, f"{rule.message}（约 {retry_after} 秒后可再试）", retry_after, "rate_limited")

    def __call__(self, request):
        rule = next((r for r in self.rules if r.matches(request)), None)
        if rule is None:
            return self.get_response(request)
        address = client_address(request)
        until = self.blocked.get((rule.scope, address))
        if until is not None:
            left = until - time.monotonic()
            if left > 0:
                return self._refuse_limited(request, rule, math.ceil(left))
            self.blocked.pop((rule.scope, address), None)
        try:
            rate_limit_check(scope=rule.scope, key=address, limit=getattr(settings, rule.limit_setting),
                             record=rule.record, message=rule.message)
        except RateLimited as exc:
            if len(self.blocked) >= self.BLOCKED_KEPT:
                self.blocked.clear()
            self.blocked[(rule.scope, address)] = time.monotonic() + exc.retry_after
            return self._refuse_limited(request, rule, exc.retry_after)
        if not rule.pool:
            return self.get_response(request)
        try:
            with concurrency_slot(rule.pool, slots=settings.EXPENSIVE_CONCURRENCY,
                                  wait=settings.EXPENSIVE_QUEUE_SECONDS):
                try:
                    with query_time_budget(settings.EXPENSIVE_QUERY_SECONDS):
                        return self.get_response(request)
                except QueryTimeBudgetExceeded:
                    return _refusal(request, 503, "检索用时过长，已停止。请缩小检索范围（更具体的词语或筛选条件）后再试。",
                                    5, "query_too_long")
        except NoSlot:
            return _refusal(request, 503, "当前检索请求较多，请稍后再试。", 2, "busy")


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than settings.REQUEST_MAX_BYTES (413) before reading
    it, so an oversize anonymous upload is neither received nor spooled (issue 15.7). The first middleware:
    nothing before it reads the body. Staff uploads of large attachments have their own, larger cap."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        cap = settings.REQUEST_MAX_BYTES
        if request.path.startswith(tuple(getattr(settings, "REQUEST_MAX_BYTES_STAFF_PREFIXES", ()))):
            cap = max(cap, settings.REQUEST_MAX_BYTES_STAFF)
        if length > cap:
            response = _refusal(request, 413, f"提交的内容过大（上限 {cap // (1024 * 1024)} MB）。", 60, "too_large")
            # The body was not read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
