"""Privacy-friendly visit statistics of the portal (issue 24): counted here, outside the page cache, so
cached pages count too. Nothing about the visitor is kept — no IP address, no cookie, no user agent —
only the page (or document, column, download), the day, and the referring site's domain. Crawlers are
not counted. The search view tells the count of results in a response header that is removed here;
a search page served from the page cache has no header, so the count last seen for the same address
in this process is used (kept for the last `_RECENT_MAX` addresses).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from gongkai.oversight import services

from .caching import NOT_PUBLIC_PREFIXES

SEARCH_RESULTS_HEADER = "X-Gongkai-Search-Results"
_BOT = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-requests|headless", re.IGNORECASE)
_DOCUMENT = re.compile(r"^/zhengce/(?!suggest/)(.+)/$")
_COLUMN = re.compile(r"^/gongkai/([^/]+)/")
_DOWNLOAD = re.compile(r"^/fujian/([^/]+)/$")
_SKIP = (*NOT_PUBLIC_PREFIXES, "/favicon", "/robots.txt", "/sitemap", "/feeds/")
_RECENT_MAX = 2000
_recent: OrderedDict[str, str] = OrderedDict()
_AGENTS_MAX = 5000
_agents: dict[str, bool] = {}  # user agent → crawler? (agents repeat: a dictionary look-up instead of a regex)


def _is_bot(agent: str) -> bool:
    verdict = _agents.get(agent)
    if verdict is None:
        if len(_agents) >= _AGENTS_MAX:
            _agents.clear()
        verdict = _agents[agent] = _BOT.search(agent) is not None
    return verdict


def _search_results(request, header: tuple[str, str] | None) -> str | None:
    if header is not None:
        address = request.get_full_path()
        _recent[address] = header[1]
        _recent.move_to_end(address)
        while len(_recent) > _RECENT_MAX:
            _recent.popitem(last=False)
        return header[1]
    if request.path == "/zhengce/" and request.GET.get("q"):
        return _recent.get(request.get_full_path())
    return None


class UsageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        # Only the library view sets the header (portal.views.library, at /zhengce/): the case-insensitive
        # header lookup is skipped on every other page (this runs on every cached page: bench/usage_overhead.py).
        header = response.headers.pop(SEARCH_RESULTS_HEADER, None) if path == "/zhengce/" else None
        if request.method != "GET" or response.status_code not in (200, 304):
            return response
        if path.startswith(_SKIP) or _is_bot(request.META.get("HTTP_USER_AGENT", "")):
            return response
        try:
            self.record(request, path, _search_results(request, header))
        except Exception:  # noqa: BLE001 — statistics must never break a public page
            pass
        return response

    @staticmethod
    def record(request, path: str, results: str | None) -> None:
        hits = [("page", path)]
        if m := _DOWNLOAD.match(path):
            hits.append(("download", m.group(1)))
        elif m := _DOCUMENT.match(path):
            hits.append(("document", m.group(1)))
        elif m := _COLUMN.match(path):
            hits.append(("column", m.group(1)))
        services.usage_hits(hits)
        if results is not None:
            services.usage_record_search(query=request.GET.get("q", ""), results=int(results))
        referrer = request.META.get("HTTP_REFERER", "")
        if referrer:
            services.usage_record_referrer(referrer=referrer, own_host=request.get_host())
