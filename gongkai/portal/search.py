"""Policy-library search for the portal: the library page, the Atom feed of any search and the
OpenSearch suggestions, over the search module (`gongkai.search.selectors`).

The page speaks the citizen's language: 发文机关 are filtered by the names printed on the documents
(`issuer=测试市教育局`) and 主题分类 by their names (`topic=民政、扶贫、救灾`, or `一级\\二级` for a
second-level topic), which are also the values the search index keeps and facets on. The links of the
former page — `organisation=<机关代码>` and `topic=<主题代码>` — still work: they are translated to
those names (one indexed look-up) and the library page redirects to the new address.

Views, feeds and templates use only the dataclasses below.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import DatabaseError
from django.utils.safestring import SafeString, mark_safe

from gongkai import text
from gongkai.core.models import Organisation
from gongkai.documents.models import Audience, Document, Genre, Topic, Validity
from gongkai.search.selectors import search_documents, search_suggest
from gongkai.subscriptions import conf as subscription_conf

MAX_QUERY_CHARS = 100
# The page's sort names (kept from the former page, so old links keep their meaning) → the search's.
SORTS = {"relevance": "相关度", "newest": "发布日期（新→旧）", "oldest": "发布日期（旧→新）"}
SEARCH_SORTS = {"relevance": "relevance", "newest": "date", "oldest": "date_asc"}
# 成文日期 order is not offered by the search; old links asking for it get the nearest order.
LEGACY_SORTS = {"written": "newest"}
PER_PAGE = 20
FACET_SIZE = 12
FILTER_NAMES = {"issuer": "发文机关", "topic": "主题分类", "genre": "文种", "validity": "有效性", "year": "年份",
                "tag": "适用对象"}
# The 适用对象 facet (`tag`) shown as one list per dimension: 服务对象, then the profile vocabulary of
# subscriptions (人生阶段, 群体, 企业阶段, 行业, 企业规模, 企业类型). Its values are the documents' own 服务对象
# and 生命周期分类 and the push tags their publishers confirmed (search.hooks.document_tags).
TAG_DIMENSIONS = {"audience": "服务对象", **subscription_conf.DIMENSIONS}
TOPIC_SEPARATOR = "\\"  # Topic.label of a second-level topic: 一级\二级
_TOPIC_CODE_RE = re.compile(r"^\d{2}(?:\.\d{2})?$")
_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


@dataclass
class SearchQuery:
    q: str = ""
    issuer: str = ""  # 发文机关 name, as printed on the documents
    topic: str = ""  # first-level Topic.name or second-level Topic.label (一级\二级)
    genre: str = ""
    validity: str = ""
    year: str = ""
    tag: str = ""  # 适用对象: audience:person, stage:就业, industry:H …
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    exact: bool = False  # search the words as typed, without the did-you-mean correction (?exact=1)
    # Parameters of the former page that were translated; the library page redirects to the new address.
    legacy: bool = False
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params) -> SearchQuery:
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        sort = params.get("sort", "")
        query = cls(
            q=params.get("q", "").strip(),
            issuer=params.get("issuer", "").strip(),
            topic=params.get("topic", "").strip(),
            genre=params.get("genre", "").strip(),
            validity=params.get("validity", "").strip(),
            year=params.get("year", "").strip(),
            tag=params.get("tag", "").strip()[:60],
            sort=sort if sort in SORTS else LEGACY_SORTS.get(sort, "relevance"),
            page=page,
        )
        query.legacy = sort in LEGACY_SORTS
        query.exact = params.get("exact", "") == "1"
        code = params.get("organisation", "").strip()
        if code:
            query.legacy = True
            name = Organisation.objects.filter(code=code).values_list("name", flat=True).first()
            if name and not query.issuer:
                query.issuer = name
            elif not name:
                query.notices.append("发文机关筛选条件无效，已忽略。")
        if _TOPIC_CODE_RE.match(query.topic):
            query.legacy = True
            topic = Topic.objects.select_related("parent").filter(code=query.topic).first()
            if topic is None:
                query.notices.append("主题分类筛选条件无效，已忽略。")
            query.topic = topic.label if topic else ""
        return query

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("issuer", self.issuer), ("topic", self.topic), ("genre", self.genre),
                                  ("validity", self.validity), ("year", self.year), ("tag", self.tag)) if v}

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters()


@dataclass
class Hit:
    document: Document
    title_html: SafeString
    snippet: SafeString
    pinned: bool = False  # its 发文字号 or 索引号 is in the query


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""
    level: int = 1  # 2: a second-level 主题分类 under its first level


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    param: str = ""  # the query parameter, when not `name` (the 适用对象 lists share `tag`)

    @property
    def parameter(self) -> str:
        return self.param or self.name


def tag_label(key: str) -> str:
    """The reader's words for a 适用对象 tag: 个人, 就业, H 住宿和餐饮业, 退役军人 …"""
    dimension, _sep, value = key.partition(":")
    if dimension == "audience":
        return str(dict(Audience.choices).get(value, value))
    return subscription_conf.tag_label(key)


def _tag_facets(values: list[dict], selected: str) -> list[Facet]:
    by_dimension: dict[str, list[FacetOption]] = {}
    order = {k: n for n, k in enumerate(subscription_conf.TAG_BY_KEY)}
    for v in sorted(values, key=lambda v: (order.get(v["value"], -1), v["value"])):
        dimension = v["value"].partition(":")[0]
        if dimension in TAG_DIMENSIONS and (dimension == "audience" or v["value"] in order):
            by_dimension.setdefault(dimension, []).append(
                FacetOption(v["value"], tag_label(v["value"]), v["count"], v["value"] == selected))
    return [Facet(f"tag-{d}", TAG_DIMENSIONS[d], by_dimension[d][:FACET_SIZE * 2], param="tag")
            for d in TAG_DIMENSIONS if d in by_dimension]


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    facets: list[Facet] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Filters the search recognised in the text and applied: [("发文机关", "测试市财政局"), ("年份", "2019年")].
    understood: list[tuple[str, str]] = field(default_factory=list)
    # The quoted words matched nothing, so the hits are for the query without its quotes.
    quotes_ignored: bool = False
    # When nothing was found within the filters: the same query without them finds this many.
    relaxed_q: str = ""
    relaxed_count: int = 0
    # Did you mean: a correction of mistyped words; `corrected` when the hits are for it.
    suggestion: str = ""
    corrected: bool = False
    error: str = ""


def highlight(value: str, terms: list[str]) -> SafeString:
    """Escape `value` and wrap every occurrence of a term in <mark>."""
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not terms:
        return mark_safe(html.escape(value))
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(value):
        out.append(html.escape(value[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(value[last:]))
    return mark_safe("".join(out).replace("</mark><mark>", ""))


def _title_terms(q: str, snippet: str) -> list[str]:
    """What to highlight in a title: what the search highlighted in the snippet, and the query's words
    (single characters and bare numbers only when the snippet marked them: they would light up at random)."""
    marked = [html.unescape(m) for m in _MARK_RE.findall(snippet)]
    typed = [t for t in text.query_terms(q) if len(t) > 1 and not t.isdigit()] if q else []
    return [*marked, *typed]


def _facet_options(name: str, values: list[dict], query: SearchQuery) -> list[FacetOption]:
    selected = getattr(query, name)
    if name == "genre":
        labels = dict(Genre.choices)
        return [FacetOption(v["value"], str(labels.get(v["value"], v["value"])), v["count"], v["value"] == selected)
                for v in values]
    if name == "validity":
        labels = dict(Validity.choices)
        return [FacetOption(v["value"], str(labels.get(v["value"], v["value"])), v["count"], v["value"] == selected)
                for v in values]
    if name == "year":
        return [FacetOption(v["value"], f"{v['value']}年", v["count"], v["value"] == selected) for v in values[:FACET_SIZE]]
    if name == "topic":
        # First-level topics; the second-level ones only under the first level being looked at.
        tops = [v for v in values if TOPIC_SEPARATOR not in v["value"]][:FACET_SIZE]
        open_top = selected.split(TOPIC_SEPARATOR, 1)[0] if selected else ""
        options = []
        for top in tops:
            options.append(FacetOption(top["value"], top["value"], top["count"], top["value"] == selected))
            if top["value"] == open_top:
                prefix = open_top + TOPIC_SEPARATOR
                options += [FacetOption(v["value"], v["value"][len(prefix):], v["count"], v["value"] == selected, level=2)
                            for v in values if v["value"].startswith(prefix)]
        return options
    return [FacetOption(v["value"], v["value"], v["count"], v["value"] == selected) for v in values[:FACET_SIZE]]


def _understood(understood: dict) -> list[tuple[str, str]]:
    out = []
    if understood.get("issuer"):
        out.append((FILTER_NAMES["issuer"], str(understood["issuer"])))
    if understood.get("year"):
        out.append(("发布年份", f"{understood['year']}年"))
    return out


def _checked_filters(query: SearchQuery, notices: list[str]) -> dict:
    """The query's filters as `search_documents` arguments; invalid ones are dropped with a notice."""
    if query.genre and query.genre not in Genre.values:
        notices.append("文种筛选条件无效，已忽略。")
        query.genre = ""
    if query.validity and query.validity not in Validity.values:
        notices.append("有效性筛选条件无效，已忽略。")
        query.validity = ""
    if query.year and not (query.year.isdigit() and len(query.year) == 4):
        notices.append("年份筛选条件无效，已忽略。")
        query.year = ""
    if query.tag and query.tag.partition(":")[0] not in TAG_DIMENSIONS:
        notices.append("适用对象筛选条件无效，已忽略。")
        query.tag = ""
    return {"issuer": query.issuer or None, "topic": query.topic or None, "genre": query.genre or None,
            "validity": query.validity or None, "year": int(query.year) if query.year else None,
            "tag": query.tag or None}


def portal_search(query: SearchQuery, *, facets: bool = True, snippets: bool = True) -> SearchResult:
    """THE search of the portal (policy library page, search feed): public documents only."""
    result = SearchResult(query=query, notices=list(query.notices))
    q = " ".join(query.q.split())
    if len(q) > MAX_QUERY_CHARS:
        result.notices.append(f"检索词过长，只使用了前 {MAX_QUERY_CHARS} 个字。")
        q = q[:MAX_QUERY_CHARS]
    filters = _checked_filters(query, result.notices)
    arguments = {"q": q, "user": None, "sort": SEARCH_SORTS[query.sort], "page_size": query.per_page, "facets": facets,
                 "snippets": snippets, "correct": not query.exact, **filters}
    try:
        found = search_documents(page=query.page, **arguments)
        last_page = max(1, math.ceil(found.count / query.per_page))
        if query.page > last_page and found.count:
            found = search_documents(page=last_page, **arguments)
    except DatabaseError:
        result.error = "检索服务暂时不可用，请稍后再试，或按主题分类、发文机关浏览。"
        return result
    result.total = found.count
    result.num_pages = max(1, math.ceil(found.count / query.per_page))
    result.page = min(query.page, result.num_pages)
    for hit in found.hits:
        snippet = hit.snippet or ""
        result.hits.append(Hit(document=hit.document, title_html=highlight(hit.document.title, _title_terms(q, snippet)),
                               snippet=mark_safe(snippet), pinned=hit.pinned))
    result.facets = [
        Facet(name, FILTER_NAMES[name] if name != "year" else "发布年份", _facet_options(name, found.facets.get(name, []), query))
        for name in ("issuer", "topic", "genre", "validity", "year")
    ] + _tag_facets(found.facets.get("tag", []), query.tag) if facets else []
    result.facets = [f for f in result.facets if f.options]
    result.understood = _understood(found.understood or {})
    result.quotes_ignored = found.quotes_ignored
    if found.relaxed_query:
        result.relaxed_q, result.relaxed_count = found.relaxed_query, found.relaxed_count
    if found.suggestion:
        result.suggestion, result.corrected = found.suggestion, bool(found.corrected_from)
    return result


def _folded(value: str) -> str:
    return text.normalise(value).replace(" ", "")


def portal_suggest(q: str, *, limit: int = 8) -> list[str]:
    """Search-box suggestions: the 发文字号 when that is what is being typed, the title otherwise.

    Titles and numbers that begin with what was typed come first (`search_suggest`); people also type a
    word from the middle of a title (养老服务 for 关于进一步做好养老服务补贴发放工作的通知), so the best
    full-text matches whose title holds the typed text fill the remaining places.
    """
    q = " ".join(q.split())[:MAX_QUERY_CHARS]
    if not q:
        return []
    typed = _folded(q)
    seen: list[str] = []

    def add(title: str, number: str) -> None:
        value = number if number and typed in _folded(number) else title
        if value not in seen and len(seen) < limit:
            seen.append(value)

    for row in search_suggest(prefix=q, user=None, limit=limit):
        add(row["title"], row["doc_number"] or "")
    if len(seen) < limit:
        found = search_documents(q=q, user=None, page_size=limit * 2, facets=False, snippets=False)
        for hit in found.hits:
            document = hit.document
            if typed in _folded(document.title) or (document.doc_number and typed in _folded(document.doc_number)):
                add(document.title, document.doc_number)
    return seen


def issuers_for_filter(query: SearchQuery) -> list[str]:
    """The 发文机关 choices of the filter form: the platform's organisations, and the chosen one if outside."""
    names = list(Organisation.objects.filter(is_active=True).order_by("path", "sort_order").values_list("name", flat=True))
    if query.issuer and query.issuer not in names:
        names.insert(0, query.issuer)
    return list(dict.fromkeys(names))


# --- Links of the library page (independent of the backend) ----------------------------------------


def query_string(query: SearchQuery, **changes) -> str:
    """"?q=…&issuer=…" for `query` with `changes` applied (None removes a parameter)."""
    params = {"q": query.q, **query.filters(), "sort": query.sort if query.sort != "relevance" else "",
              "page": str(query.page) if query.page > 1 else "", "exact": "1" if query.exact else ""}
    for key, value in changes.items():
        params[key] = "" if value is None or (key == "page" and str(value) == "1") else str(value)
    pairs = [(k, v) for k, v in params.items() if v]
    return "?" + urlencode(pairs) if pairs else "?"


def search_links(*, query: SearchQuery, result: SearchResult, path: str) -> dict:
    """Facet, filter-chip, relaxed-query and page URLs for the library page."""
    labels: dict[str, dict[str, str]] = {}
    for facet in result.facets:
        labels.setdefault(facet.parameter, {}).update({o.value: o.label for o in facet.options})
        for option in facet.options:
            value = None if option.selected else option.value
            option.url = path + query_string(query, page=None, **{facet.parameter: value})
    labels.setdefault("topic", {})
    if query.tag:
        labels.setdefault("tag", {}).setdefault(query.tag, tag_label(query.tag))
    if query.topic and TOPIC_SEPARATOR in query.topic:
        labels["topic"][query.topic] = query.topic.replace(TOPIC_SEPARATOR, " › ")
    active = [
        (f"{FILTER_NAMES[key]}：{labels.get(key, {}).get(value, value)}", path + query_string(query, page=None, **{key: None}))
        for key, value in query.filters().items()
    ]
    clear = path + query_string(SearchQuery(q=query.q, sort=query.sort))
    relaxed_url = ""
    if result.relaxed_q:
        relaxed_url = path + query_string(SearchQuery(sort=query.sort), q=result.relaxed_q, page=None)
    suggestion_url = exact_url = ""
    if result.suggestion:
        suggestion_url = path + query_string(query, q=result.suggestion, page=None, exact=None)
        exact_url = path + query_string(query, page=None, exact=1)
    return {
        "active_filters": active,
        "clear_url": clear,
        "relaxed_url": relaxed_url,
        "suggestion_url": suggestion_url,
        "exact_url": exact_url,
        "first_number": (result.page - 1) * query.per_page + 1,
        "prev_url": path + query_string(query, page=result.page - 1) if result.page > 1 else "",
        "next_url": path + query_string(query, page=result.page + 1) if result.page < result.num_pages else "",
    }
