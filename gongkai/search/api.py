"""The search's JSON shape for `gongkai search --json` and its line-per-query mode: parse and check
the query parameters, and turn a result into

    {"count": N, "results": [{"id", "external_id", "title", "doc_number", "issuer", "published_at",
     "validity", "url", "snippet", "score"}], "facets": {"issuer": [{"value", "count"}], "topic": […],
     "genre": […], "validity": […], "year": […], "tag": […] (适用对象: audience:person, stage:就业, industry:H …)}, and when they apply "understood", "quotes_ignored",
     "relaxed_query", "did_you_mean"}

`search_notes_for_api` is shared with the read API (`GET /api/v1/documents?q=…`, gongkai.api).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.documents.models import Genre, Validity

from .selectors import DEFAULT_PAGE_SIZE, SORTS, SearchResult, search_documents

PARAMS = ("q", "issuer", "topic", "genre", "validity", "year", "tag", "sort", "page", "page_size")
MAX_QUERY_LENGTH = 200


def search_params_parse(data) -> dict:
    """Checked keyword arguments for `search_documents` from request parameters; ValidationError in Chinese."""
    errors: dict[str, str] = {}
    out: dict = {}
    q = (data.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = f"检索词不能超过 {MAX_QUERY_LENGTH} 个字符。"
    out["q"] = q
    for name in ("issuer", "topic", "tag"):
        if data.get(name):
            out[name] = data[name].strip()
    if data.get("genre"):
        if data["genre"] not in Genre.values:
            errors["genre"] = f"文种取值无效，可选：{', '.join(Genre.values)}。"
        out["genre"] = data["genre"]
    if data.get("validity"):
        if data["validity"] not in Validity.values:
            errors["validity"] = f"有效性取值无效，可选：{', '.join(Validity.values)}。"
        out["validity"] = data["validity"]
    if data.get("year"):
        try:
            out["year"] = int(data["year"])
            if not 1949 <= out["year"] <= 2100:
                raise ValueError
        except ValueError:
            errors["year"] = "年份应为四位数字，如 2023。"
    sort = data.get("sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = "排序方式只能是 relevance（相关度）或 date（日期）。"
    out["sort"] = sort
    for name, default in (("page", 1), ("page_size", DEFAULT_PAGE_SIZE)):
        raw = data.get(name)
        if raw in (None, ""):
            out[name] = default
            continue
        try:
            out[name] = int(raw)
            if out[name] < 1:
                raise ValueError
        except ValueError:
            errors[name] = f"{name} 应为正整数。"
    if out.get("page_size", 0) > settings.API_MAX_PAGE_SIZE:
        errors["page_size"] = f"page_size 不能超过 {settings.API_MAX_PAGE_SIZE}。"
    if errors:
        raise ValidationError(errors)
    return out


def document_url(document, request=None) -> str:
    for name in ("portal:document_detail", "portal:document"):
        try:
            path = reverse(name, args=[document.pk])
            break
        except NoReverseMatch:
            continue
    else:
        path = f"/documents/{document.pk}/"
    return request.build_absolute_uri(path) if request is not None else path


def search_result_json(result: SearchResult, *, request=None) -> dict:
    results = []
    for hit in result.hits:
        d = hit.document
        results.append({
            "id": d.pk,
            "external_id": d.external_id,
            "title": d.title,
            "doc_number": d.doc_number,
            "issuer": "、".join(d.issuer_names()),
            "published_at": timezone.localtime(d.published_at).isoformat() if d.published_at else None,
            "validity": d.validity,
            "url": document_url(d, request),
            "snippet": hit.snippet,
            "score": hit.score,
        })
    return {"count": result.count, "results": results, "facets": result.facets, **search_notes_for_api(result)}


def search_json(params, *, user=None, request=None) -> dict:
    """Parse parameters, search, and shape the JSON (raises ValidationError on bad parameters)."""
    return search_result_json(search_documents(user=user, **search_params_parse(params)), request=request)


def search_notes_for_api(result: SearchResult) -> dict:
    """What the search did with the query, for the JSON: understood filters, ignored quotes, and what
    the query finds without the filters."""
    notes: dict = {}
    if result.understood:
        notes["understood"] = result.understood
    if result.quotes_ignored:
        notes["quotes_ignored"] = True
    if result.relaxed_query:
        notes["relaxed_query"] = {"q": result.relaxed_query, "count": result.relaxed_count}
    if result.suggestion:
        notes["did_you_mean"] = {"q": result.suggestion, "searched": bool(result.corrected_from)}
    return notes
