"""Anonymous public pages: server-side page cache and HTTP validators with correct invalidation.

The content version is the newest audit-log id. Every state change of a document or an
interpretation (publish, amend, repeal, withdraw, correct…) is an audit event (DESIGN), so a write
through the services changes the version at once and every cached page and ETag of the old version
stops being served — on every process, because the version is read from the database per request
(one primary-key MAX query). Browsers and proxies must revalidate each time (max-age=0), so a
withdrawn document cannot linger in a shared cache either.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from gongkai.core.models import AuditEvent

from .preferences import elderly_mode

PAGE_CACHE_SECONDS = 600
CACHE_CONTROL = "public, max-age=0, must-revalidate"


_VERSION_SQL = f"SELECT MAX(id) FROM {AuditEvent._meta.db_table}"


def content_version() -> int:
    """A number that changes whenever anything the public sees may have changed.

    Plain SQL: this runs on every public request, and MAX of the primary key is an index lookup on both
    databases, far cheaper than building the ORM aggregate.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        return cursor.fetchone()[0] or 0


def _page_key(request) -> str:
    # The local date is part of the key: 有效性 and "将于…施行" notices change at midnight.
    raw = "|".join(
        [str(content_version()), str(timezone.localdate()), "e1" if elderly_mode(request) else "e0", request.get_full_path()]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _finish(response, etag: str):
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Cookie"])
    return response


def _lookup(request):
    """A 304 or the stored page for this request, or (None, key) when it must be rendered."""
    key = _page_key(request)
    etag = f'"{key}"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return _finish(HttpResponseNotModified(), etag), key
    stored = cache.get(f"portal:page:{key}")
    if stored is not None:
        content, content_type = stored
        return _finish(HttpResponse(content, content_type=content_type), etag), key
    return None, key


def public_page(view):
    """Cache a public view's successful GET responses per content version, elderly mode and URL."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        hit, key = getattr(request, "_portal_cache_miss", None) or _lookup(request)
        if hit is not None:
            return hit
        etag = f'"{key}"'
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        cache.set(f"portal:page:{key}", (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
        return _finish(response, etag)

    return wrapped


NOT_PUBLIC_PREFIXES = ("/workspace/", "/admin/", "/api/", "/static/", "/media/", "/laonian/")


class PublicPageCacheMiddleware:
    """Answer cached public pages before sessions, locale, CSRF and auth run (placed right after WhiteNoise).

    Only pages stored by `public_page` are ever found here, so the rules above (version, elderly mode,
    date, URL) are the same; a miss is handed on to the view with the lookup already done.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(NOT_PUBLIC_PREFIXES):
            hit, key = _lookup(request)
            if hit is not None:
                return hit
            request._portal_cache_miss = (None, key)
        return self.get_response(request)
