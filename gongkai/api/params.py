"""Query parameters of the read API, parsed and checked in one place.

Every error is a 400 whose message names the parameter (`ParamError(name, message)`), so an
integrator sees at once which parameter to fix. Unknown parameters are refused rather than ignored:
a misspelt filter (`genr=notice`) silently returning the whole library is worse than an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from gongkai.core.models import Organisation
from gongkai.documents.models import Genre, Topic, Validity

DEFAULT_PAGE_SIZE = 20
SCOPES = ("public", "staff")
SORTS = ("-date", "date", "title", "relevance")
MAX_QUERY_LENGTH = 200
# Parameters of GET /api/v1/documents; `q` is the full-text query (gongkai.search).
DOCUMENT_LIST_PARAMS = (
    "q", "scope", "issuer", "organisation", "include_descendants", "topic", "genre", "validity", "year",
    "published_after", "published_before", "doc_number", "index_no", "sort", "page", "page_size",
)
TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


class ParamError(ValidationError):
    """A bad query parameter: 400 with {"error": {"code": "invalid", "message", "fields": {name: [message]}}}."""

    def __init__(self, name: str, message: str):
        super().__init__({name: [message]})


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class DocumentParams:
    """The checked filters, sort and page of a document list request."""

    scope: str = "public"
    q: str = ""
    issuer: str = ""
    organisation: Organisation | None = None
    include_descendants: bool = False
    topic: Topic | None = None
    genre: str = ""
    validity: str = ""
    year: int | None = None
    published_after: dt.date | None = None
    published_before: dt.date | None = None
    doc_number: str = ""
    index_no: str = ""
    sort: str = "-date"
    page: Page = field(default_factory=Page)


# Handled by DRF's content negotiation on every endpoint (only json is offered).
GLOBAL_PARAMS = ("format",)


def check_known(query: QueryDict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(query) - set(allowed) - set(GLOBAL_PARAMS))
    if unknown:
        raise ParamError(unknown[0], f"未知参数“{unknown[0]}”。可用参数：{', '.join(allowed)}。")
    for name in query:
        if len(query.getlist(name)) > 1:
            raise ParamError(name, f"参数 {name} 只能出现一次。")


def _choice(query: QueryDict, name: str, choices, what: str) -> str:
    value = query.get(name, "").strip()
    if value and value not in choices.values:
        options = "、".join(f"{v}（{label}）" for v, label in choices.choices)
        raise ParamError(name, f"未知的{what}“{value}”。可选值：{options}。")
    return value


def _date(query: QueryDict, name: str) -> dt.date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParamError(name, f"参数 {name} 不是有效日期“{value}”，应为 YYYY-MM-DD，如 2024-03-01。") from None


DB_INT_MAX = 2**63 - 1  # SQLite INTEGER and PostgreSQL bigint


def _integer(query: QueryDict, name: str, *, default: int | None, minimum: int, maximum: int | None = None) -> int | None:
    value = query.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ParamError(name, f"参数 {name} 应为整数，收到“{value}”。") from None
    if number < minimum:
        raise ParamError(name, f"参数 {name} 不能小于 {minimum}。")
    if maximum is not None and number > maximum:
        raise ParamError(name, f"参数 {name} 不能大于 {maximum}。")
    return number


def parse_bool(query: QueryDict, name: str) -> bool:
    value = query.get(name, "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ParamError(name, f"参数 {name} 应为 1 或 0，收到“{value}”。")


def parse_page(query: QueryDict) -> Page:
    """page ≥ 1; page_size 1..API_MAX_PAGE_SIZE. Over the cap is a 400, never silently clamped."""
    cap = settings.API_MAX_PAGE_SIZE
    # The largest page whose offset still fits the databases' 64-bit integers (issue 15.6).
    number = _integer(query, "page", default=1, minimum=1, maximum=DB_INT_MAX // cap)
    size = _integer(query, "page_size", default=min(DEFAULT_PAGE_SIZE, cap), minimum=1)
    if size > cap:
        raise ParamError("page_size", f"参数 page_size 最大为 {cap}，收到 {size}；请分页读取。")
    return Page(number=number, size=size)


def parse_organisation_code(query: QueryDict, name: str) -> Organisation | None:
    code = query.get(name, "").strip()
    if not code:
        return None
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise ParamError(name, f"未知的机关代码“{code}”。机关列表见 /api/v1/organisations。")
    return organisation


def parse_topic(query: QueryDict, name: str = "topic") -> Topic | None:
    code = query.get(name, "").strip()
    if not code:
        return None
    topic = Topic.objects.filter(code=code).first()
    if topic is None:
        raise ParamError(name, f"未知的主题分类代码“{code}”，应如 04 或 04.02。分类列表见 /api/v1/topics。")
    return topic


def parse_document_params(query: QueryDict, *, allowed: tuple[str, ...] = DOCUMENT_LIST_PARAMS) -> DocumentParams:
    check_known(query, allowed)
    scope = query.get("scope", "public").strip() or "public"
    if scope not in SCOPES:
        raise ParamError("scope", f"参数 scope 应为 public 或 staff，收到“{scope}”。")
    q = query.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise ParamError("q", f"参数 q 最长 {MAX_QUERY_LENGTH} 个字符。")
    sort = query.get("sort", "").strip() or ("relevance" if q else "-date")
    if sort not in SORTS:
        raise ParamError("sort", f"参数 sort 应为 {' | '.join(SORTS)} 之一，收到“{sort}”。")
    if sort == "relevance" and not q:
        raise ParamError("sort", "sort=relevance 需要检索词 q。")
    if sort == "title" and q:
        raise ParamError("sort", "有检索词 q 时，sort 只能是 relevance、-date 或 date。")
    year = _integer(query, "year", default=None, minimum=1949, maximum=2100)
    after, before = _date(query, "published_after"), _date(query, "published_before")
    if after and before and after > before:
        raise ParamError("published_after", "参数 published_after 不能晚于 published_before。")
    include_descendants = parse_bool(query, "include_descendants")
    organisation = parse_organisation_code(query, "organisation")
    if include_descendants and organisation is None:
        raise ParamError("include_descendants", "参数 include_descendants 需要与 organisation 一起使用。")
    return DocumentParams(
        scope=scope,
        q=q,
        issuer=query.get("issuer", "").strip(),
        organisation=organisation,
        include_descendants=include_descendants,
        topic=parse_topic(query),
        genre=_choice(query, "genre", Genre, "文种"),
        validity=_choice(query, "validity", Validity, "有效性"),
        year=year,
        published_after=after,
        published_before=before,
        doc_number=query.get("doc_number", "").strip(),
        index_no=query.get("index_no", "").strip(),
        sort=sort,
        page=parse_page(query),
    )
