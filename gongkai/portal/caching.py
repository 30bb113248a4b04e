"""Anonymous public pages: server-side page cache and HTTP validators with correct invalidation.

The content version is the newest audit-log id. Every state change of a document or an
interpretation (publish, amend, repeal, withdraw, correct…) is an audit event (DESIGN), so a write
through the services changes the version at once and every cached page and ETag of the old version
stops being served — on every process, because the version is read from the database per request
(one primary-key MAX query). Browsers and proxies must revalidate each time (max-age=0), so a
withdrawn document cannot linger in a shared cache either.

Pages are kept in Django's default cache, which is shared by the web processes (files in DATA_DIR on
the embedded default, Redis when configured), so one process renders a page and every process serves
it. The key also holds a token of the code that rendered it: after an upgrade no page rendered by the
old templates is served.

Pages built from the search index (the policy library and the feed of a search) have one more
hazard: the index follows a write on commit, a moment after the audit event is visible. A search page
rendered in that moment would be stored under the new version with the old results. Such pages are
therefore not stored while the newest audit event is younger than SEARCH_SETTLE_SECONDS, and are kept
for SEARCH_CACHE_SECONDS only.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from gongkai.core.pagecache import SEARCH_CACHE_SECONDS, SEARCH_SETTLE_SECONDS, code_token, content_version  # noqa: F401 (SEARCH_SETTLE_SECONDS re-exported)
from gongkai.core.pagecache import settled as _settled

from .preferences import elderly_mode

PAGE_CACHE_SECONDS = 600
CACHE_CONTROL = "public, max-age=0, must-revalidate"
NOT_PUBLIC_PREFIXES = ("/workspace/", "/admin/", "/api/", "/static/", "/media/", "/laonian/", "/yisq/")


def _page_key(request, version: int) -> str:
    # The local date is part of the key: 有效性 and "将于…施行" notices change at midnight. (Django sets the
    # process time zone to TIME_ZONE, so date.today() is the local date, without the cost of localdate().)
    elderly = "e1" if elderly_mode(request) else "e0"
    raw = "|".join([code_token(), str(version), dt.date.today().isoformat(), elderly, request.get_full_path()])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _finish(response, etag: str):
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Cookie"])
    return response


def _lookup(request):
    """(response or None, key, version): a 304 or the stored page for this request, or None when it must be rendered."""
    version = content_version()
    key = _page_key(request, version)
    etag = f'"{key}"'
    if etag in [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
        return _finish(HttpResponseNotModified(), etag), key, version
    stored = cache.get(f"portal:page:{key}")
    if stored is not None:
        content, content_type = stored
        return _finish(HttpResponse(content, content_type=content_type), etag), key, version
    return None, key, version


def _cached(view, *, search: bool):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        request._portal_public_page = True
        hit, key, version = getattr(request, "_portal_cache_miss", None) or _lookup(request)
        if hit is not None:
            return hit
        etag = f'"{key}"'
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        if search and not _settled(version):
            # Maybe built from an index that has not caught up: neither stored nor given a validator.
            response["Cache-Control"] = CACHE_CONTROL
            patch_vary_headers(response, ["Cookie"])
            return response
        timeout = SEARCH_CACHE_SECONDS if search else PAGE_CACHE_SECONDS
        cache.set(f"portal:page:{key}", (response.content, response["Content-Type"]), timeout)
        return _finish(response, etag)

    return wrapped


def public_page(view):
    """Cache a public view's successful GET responses per content version, elderly mode and URL."""
    return _cached(view, search=False)


def public_search_page(view):
    """`public_page` for a page built from the search index (see the module docstring)."""
    return _cached(view, search=True)


class PublicPageCacheMiddleware:
    """Answer cached public pages before sessions, locale, CSRF and auth run (placed right after WhiteNoise).

    Only pages stored by `public_page` are ever found here, so the rules above (version, elderly mode,
    date, URL, code) are the same; a miss is handed on to the view with the lookup already done. A hit
    costs one query (the content version) and one cache read, and never touches the session or the user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(NOT_PUBLIC_PREFIXES):
            hit, key, version = _lookup(request)
            if hit is not None:
                return hit
            request._portal_cache_miss = (None, key, version)
        return self.get_response(request)


class PublicPageSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a public page never reads, saves or sets the session.

    With SESSION_SAVE_EVERY_REQUEST (staff idle timeout), Django saves the session after every request
    that carries a session cookie: a visitor who once applied online (依申请公开 keeps the case in the
    session), or who sends a stale cookie, cost a session read and write on every public page, got a
    Set-Cookie, and so a page that was never stored for anyone. Public pages use no session.
    """

    def process_response(self, request, response):
        if getattr(request, "_portal_public_page", False):
            return response
        return super().process_response(request, response)
