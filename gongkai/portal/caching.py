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
from django.db.models import Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from gongkai.core.models import AuditEvent

from .preferences import elderly_mode

PAGE_CACHE_SECONDS = 600
CACHE_CONTROL = "public, max-age=0, must-revalidate"


def content_version() -> int:
    """A number that changes whenever anything the public sees may have changed."""
    return AuditEvent.objects.aggregate(v=Max("id"))["v"] or 0


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


def public_page(view):
    """Cache a public view's successful GET responses per content version, elderly mode and URL."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        etag = f'"{key}"'
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return _finish(HttpResponseNotModified(), etag)
        stored = cache.get(f"portal:page:{key}")
        if stored is not None:
            content, content_type = stored
            return _finish(HttpResponse(content, content_type=content_type), etag)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        cache.set(f"portal:page:{key}", (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
        return _finish(response, etag)

    return wrapped
