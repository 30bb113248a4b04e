"""Policy-library search for the portal: a thin adapter over the ORM.

>>> SEARCH ENGINEER: replace the body of `portal_search` (and `portal_suggest`) with calls to the
>>> gongkai.search service. Views, feeds and templates use only the dataclasses below, so nothing
>>> else in the portal needs to change.

Until then this runs plain filters (every term must appear in the title, 发文字号, 索引号, 主题词,
内容概述 or body), ranks exact 发文字号/索引号 matches first and title matches before body matches, and
computes facets and snippets in Python.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.models import Organisation
from gongkai.documents.models import Document, Genre, Topic, Validity
from gongkai.documents.selectors import documents_public, documents_with_details

MAX_TERMS = 8
MAX_QUERY_CHARS = 100
SORTS = {"relevance": "相关度", "newest": "发布日期（新→旧）", "oldest": "发布日期（旧→新）", "written": "成文日期（新→旧）"}
PER_PAGE = 20
FACET_SIZE = 12


@dataclass
class SearchQuery:
    q: str = ""
    organisation: str = ""  # Organisation.code
    topic: str = ""  # Topic.code, first or second level
    genre: str = ""
    validity: str = ""
    year: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_params(cls, params) -> SearchQuery:
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "").strip(),
            organisation=params.get("organisation", "").strip(),
            topic=params.get("topic", "").strip(),
            genre=params.get("genre", "").strip(),
            validity=params.get("validity", "").strip(),
            year=params.get("year", "").strip(),
            sort=sort if sort in SORTS else "relevance",
            page=page,
        )

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("organisation", self.organisation), ("topic", self.topic), ("genre", self.genre),
                                  ("validity", self.validity), ("year", self.year)) if v}

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters()


@dataclass
class Hit:
    document: Document
    title_html: SafeString
    snippet: SafeString


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    facets: list[Facet] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str = ""


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def query_terms(q: str) -> list[str]:
    return [t for t in normalise(q)[:MAX_QUERY_CHARS].split(" ") if t][:MAX_TERMS]


def _term_q(term: str) -> Q:
    return (
        Q(title__icontains=term) | Q(doc_number__icontains=term) | Q(index_no__icontains=term)
        | Q(subject_words__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
    )


def _filtered(query: SearchQuery, terms: list[str], notices: list[str]) -> QuerySet[Document]:
    qs = documents_public()
    for term in terms:
        qs = qs.filter(_term_q(term))
    if query.organisation:
        qs = qs.filter(organisation__code=query.organisation)
    if query.topic:
        qs = qs.filter(Q(topic__code=query.topic) | Q(topic__parent__code=query.topic))
    if query.genre:
        if query.genre in Genre.values:
            qs = qs.filter(genre=query.genre)
        else:
            notices.append("文种筛选条件无效，已忽略。")
            query.genre = ""
    if query.validity:
        if query.validity in Validity.values:
            qs = qs.filter(validity=query.validity)
        else:
            notices.append("有效性筛选条件无效，已忽略。")
            query.validity = ""
    if query.year:
        if query.year.isdigit() and len(query.year) == 4:
            qs = qs.filter(published_at__year=int(query.year))
        else:
            notices.append("年份筛选条件无效，已忽略。")
            query.year = ""
    return qs


def _ordered(qs: QuerySet[Document], query: SearchQuery, terms: list[str]) -> QuerySet[Document]:
    if query.sort == "newest" or (query.sort == "relevance" and not terms):
        return qs.order_by("-published_at", "-id")
    if query.sort == "oldest":
        return qs.order_by("published_at", "id")
    if query.sort == "written":
        return qs.order_by(F("written_on").desc(nulls_last=True), "-published_at", "-id")
    whole = normalise(" ".join(terms))
    score = Case(When(Q(doc_number__iexact=whole) | Q(index_no__iexact=whole), then=Value(100)), default=Value(0),
                 output_field=IntegerField())
    for term in terms:
        score = score + Case(When(title__icontains=term, then=Value(10)), default=Value(0), output_field=IntegerField())
        score = score + Case(When(doc_number__icontains=term, then=Value(5)), default=Value(0), output_field=IntegerField())
    return qs.annotate(score=score).order_by("-score", "-published_at", "-id")


def _facets(qs: QuerySet[Document], query: SearchQuery) -> list[Facet]:
    facets = []
    rows = qs.values("organisation__code", "organisation__name").annotate(n=Count("id")).order_by("-n", "organisation__code")
    facets.append(Facet("organisation", "发文机关", [
        FacetOption(r["organisation__code"], r["organisation__name"], r["n"], r["organisation__code"] == query.organisation)
        for r in rows[:FACET_SIZE]
    ]))
    counts: dict[str, int] = {}
    for r in qs.exclude(topic=None).values("topic__code", "topic__parent__code").annotate(n=Count("id")):
        top = r["topic__parent__code"] or r["topic__code"]
        counts[top] = counts.get(top, 0) + r["n"]
    names = dict(Topic.objects.filter(code__in=counts).values_list("code", "name"))
    if query.topic and query.topic not in counts:
        topic = Topic.objects.filter(code=query.topic).first()
        if topic:
            names[query.topic] = topic.label
            counts[query.topic] = qs.count()
    facets.append(Facet("topic", "主题分类", [
        FacetOption(code, names.get(code, code), n, code == query.topic)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
    ]))
    genre_labels = dict(Genre.choices)
    rows = qs.values("genre").annotate(n=Count("id")).order_by("-n", "genre")
    facets.append(Facet("genre", "文种", [
        FacetOption(r["genre"], str(genre_labels.get(r["genre"], r["genre"])), r["n"], r["genre"] == query.genre) for r in rows
    ]))
    validity_labels = dict(Validity.choices)
    rows = qs.values("validity").annotate(n=Count("id")).order_by("-n", "validity")
    facets.append(Facet("validity", "有效性", [
        FacetOption(r["validity"], str(validity_labels.get(r["validity"], r["validity"])), r["n"], r["validity"] == query.validity)
        for r in rows
    ]))
    rows = (qs.exclude(published_at=None).annotate(y=ExtractYear("published_at")).values("y").annotate(n=Count("id"))
            .order_by("-y"))
    facets.append(Facet("year", "发布年份", [
        FacetOption(str(r["y"]), f"{r['y']}年", r["n"], str(r["y"]) == query.year) for r in rows[:FACET_SIZE]
    ]))
    return [f for f in facets if f.options]


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap every occurrence of a term in <mark>."""
    if not terms:
        return mark_safe(html.escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(document: Document, terms: list[str], width: int = 60) -> SafeString:
    # Shown as written: only whitespace is collapsed (NFKC would turn Chinese punctuation into ASCII).
    text = " ".join(html.unescape(strip_tags(document.body)).split()) or document.summary
    if not text:
        return mark_safe("")
    folded = text.casefold()
    positions = [folded.find(t.casefold()) for t in terms]
    positions = [p for p in positions if p >= 0]
    if not positions:
        source = document.summary or text
        return highlight(source[: width * 2] + ("…" if len(source) > width * 2 else ""), terms)
    start = max(0, min(positions) - width)
    end = min(len(text), start + width * 2 + 20)
    excerpt = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(excerpt, terms)


def portal_search(query: SearchQuery) -> SearchResult:
    """THE search backend of the portal (policy library page, search feed, OpenSearch).

    Replace with the gongkai.search service when it lands; keep the signature and result shape.
    """
    result = SearchResult(query=query)
    result.terms = query_terms(query.q)
    if len(normalise(query.q)) > MAX_QUERY_CHARS:
        result.notices.append(f"检索词过长，只使用了前 {MAX_QUERY_CHARS} 个字。")
    try:
        qs = _filtered(query, result.terms, result.notices)
        paginator = Paginator(documents_with_details(_ordered(qs, query, result.terms)), query.per_page)
        result.total = paginator.count
        result.num_pages = paginator.num_pages
        result.page = min(query.page, paginator.num_pages)
        page = paginator.page(result.page)
        result.hits = [Hit(d, highlight(d.title, result.terms), snippet(d, result.terms)) for d in page.object_list]
        result.facets = _facets(qs, query)
    except DatabaseError:
        result.error = "检索服务暂时不可用，请稍后再试，或按主题分类、发文机关浏览。"
    return result


def portal_suggest(q: str, *, limit: int = 8) -> list[str]:
    """Search-box suggestions: titles and 发文字号 that contain what was typed."""
    q = normalise(q)[:MAX_QUERY_CHARS]
    if len(q) < 1:
        return []
    rows = (
        documents_public()
        .filter(Q(title__icontains=q) | Q(doc_number__icontains=q))
        .order_by("-published_at")
        .values_list("title", "doc_number")[: limit * 2]
    )
    seen: list[str] = []
    for title, doc_number in rows:
        value = doc_number if q.casefold() in doc_number.casefold() else title
        if value not in seen:
            seen.append(value)
    return seen[:limit]


def organisations_for_filter() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("path", "sort_order")


# --- Links of the library page (independent of the backend) ----------------------------------------


def query_string(query: SearchQuery, **changes) -> str:
    """"?q=…&organisation=…" for `query` with `changes` applied (None removes a parameter)."""
    params = {"q": query.q, **query.filters(), "sort": query.sort if query.sort != "relevance" else "",
              "page": str(query.page) if query.page > 1 else ""}
    for key, value in changes.items():
        params[key] = "" if value is None or (key == "page" and str(value) == "1") else str(value)
    pairs = [(k, v) for k, v in params.items() if v]
    return "?" + urlencode(pairs) if pairs else "?"


def search_links(*, query: SearchQuery, result: SearchResult, path: str) -> dict:
    """Facet, filter-chip and page URLs for the library page."""
    labels: dict[str, dict[str, str]] = {}
    for facet in result.facets:
        labels[facet.name] = {o.value: o.label for o in facet.options}
        for option in facet.options:
            value = None if option.selected else option.value
            option.url = path + query_string(query, page=None, **{facet.name: value})
    names = {"organisation": "发文机关", "topic": "主题分类", "genre": "文种", "validity": "有效性", "year": "年份"}
    active = [
        (f"{names[key]}：{labels.get(key, {}).get(value, value)}", path + query_string(query, page=None, **{key: None}))
        for key, value in query.filters().items()
    ]
    clear = path + query_string(SearchQuery(q=query.q, sort=query.sort))
    return {
        "active_filters": active,
        "clear_url": clear,
        "first_number": (result.page - 1) * query.per_page + 1,
        "prev_url": path + query_string(query, page=result.page - 1) if result.page > 1 else "",
        "next_url": path + query_string(query, page=result.page + 1) if result.page < result.num_pages else "",
    }
