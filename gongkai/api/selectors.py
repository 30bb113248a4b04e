"""Reads behind the API: who sees which documents, list filters, ordering and one page of results.

The list endpoint is `documents_visible` → `documents_filter` → `documents_list_page` → response.
Full-text search plugs in at `documents_list_page`: given `q`, a search backend returns the same
`ListPage` (ordered documents, per-document snippet/score, facets) for the already scoped and filtered
queryset, so visibility and filters stay in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone
from rest_framework.exceptions import NotFound

from gongkai.core.models import Organisation, User
from gongkai.core.selectors import organisations_for_user, user_is_staff_member
from gongkai.documents.models import (
    Attachment,
    Document,
    DocumentIssuer,
    Genre,
    Interpretation,
    LifecycleEvent,
    Topic,
    Validity,
)
from gongkai.documents.selectors import documents_public, documents_with_details

from .params import DocumentParams, Page

# Lifecycle events the public sees; drafting and review steps stay in the back office.
PUBLIC_EVENT_KINDS = {
    LifecycleEvent.Kind.PUBLISHED,
    LifecycleEvent.Kind.AMENDED_BY,
    LifecycleEvent.Kind.REPEALED_BY,
    LifecycleEvent.Kind.REPEALED,
    LifecycleEvent.Kind.EXPIRED,
    LifecycleEvent.Kind.CORRECTED,
    LifecycleEvent.Kind.WITHDRAWN,
}


@dataclass
class Viewer:
    """Who asks: the user and the organisations whose non-public documents they may read."""

    user: User
    organisation_ids: frozenset[int] = frozenset()

    @property
    def is_staff_member(self) -> bool:
        return bool(self.organisation_ids)

    def sees_internals_of(self, document: Document) -> bool:
        return document.organisation_id in self.organisation_ids


def viewer_for(*, user: User) -> Viewer:
    if not user_is_staff_member(user):
        return Viewer(user=user)
    ids = frozenset(organisations_for_user(user=user).values_list("pk", flat=True))
    return Viewer(user=user, organisation_ids=ids)


def documents_visible(*, viewer: Viewer, scope: str = "public") -> QuerySet[Document]:
    """scope=public: what the public sees. scope=staff: that, plus all documents of the viewer's organisations."""
    if scope == "staff" and viewer.is_staff_member:
        return documents_public() | Document.objects.filter(organisation_id__in=viewer.organisation_ids)
    return documents_public()


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def documents_filter(qs: QuerySet[Document], params: DocumentParams) -> QuerySet[Document]:
    """Apply the list filters of `params`; dates are days in the platform's time zone (Asia/Shanghai)."""
    if params.issuer:
        value = params.issuer
        issuers = DocumentIssuer.objects.filter(
            Q(organisation__code=value) | Q(organisation__name=value) | Q(organisation__short_name=value) | Q(name=value)
        )
        qs = qs.filter(pk__in=issuers.values("document_id"))
    if params.organisation is not None:
        if params.include_descendants:
            qs = qs.filter(organisation__path__startswith=params.organisation.path)
        else:
            qs = qs.filter(organisation=params.organisation)
    if params.topic is not None:
        topic: Topic = params.topic
        qs = qs.filter(Q(topic=topic) | Q(topic__parent=topic)) if topic.parent_id is None else qs.filter(topic=topic)
    if params.genre:
        qs = qs.filter(genre=params.genre)
    if params.validity:
        qs = qs.filter(validity=params.validity)
    if params.year is not None:
        qs = qs.filter(
            published_at__gte=_local_midnight(dt.date(params.year, 1, 1)),
            published_at__lt=_local_midnight(dt.date(params.year + 1, 1, 1)),
        )
    if params.published_after is not None:
        qs = qs.filter(published_at__gte=_local_midnight(params.published_after))
    if params.published_before is not None:
        qs = qs.filter(published_at__lt=_local_midnight(params.published_before + dt.timedelta(days=1)))
    if params.doc_number:
        qs = qs.filter(doc_number=params.doc_number)
    if params.index_no:
        qs = qs.filter(index_no=params.index_no)
    return qs


def documents_order(qs: QuerySet[Document], sort: str) -> QuerySet[Document]:
    """-date: newest first; date: oldest first; title: by code point on both databases.

    Undated drafts (staff scope) come last either way; NULL order and text collation would otherwise
    differ between SQLite and PostgreSQL.
    """
    if sort == "title":
        collation = "C" if settings.IS_POSTGRES else "BINARY"
        return qs.order_by(Collate(F("title"), collation), "id")
    if sort == "date":
        return qs.order_by(F("published_at").asc(nulls_last=True), "id")
    return qs.order_by(F("published_at").desc(nulls_last=True), "-id")


@dataclass
class ListPage:
    """One page of a document list, as the response builder needs it.

    `extras` maps document id to {"snippet": str, "score": float} (filled by full-text search);
    `facets` maps a facet name to [{"value", "label", "count"}]; `notes` says what the search did
    with the query (understood filters, ignored quotes, the count without the filters).
    """

    count: int
    page: Page
    documents: list[Document]
    extras: dict[int, dict[str, Any]] = field(default_factory=dict)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)


def documents_list_page(qs: QuerySet[Document], params: DocumentParams) -> ListPage:
    """Count, order and slice; a page past the end is a 404 (page 1 of an empty list is not)."""
    count = qs.count()
    page = params.page
    offset = (page.number - 1) * page.size
    if page.number > 1 and offset >= count:
        last = max(1, -(-count // page.size))
        raise NotFound(f"第 {page.number} 页不存在：共 {count} 条，每页 {page.size} 条，最后一页是第 {last} 页。")
    ordered = documents_with_details(documents_order(qs, params.sort))
    return ListPage(count=count, page=page, documents=list(ordered[offset : offset + page.size]))


# --- Detail ------------------------------------------------------------------------------------------------


def document_detail(*, viewer: Viewer, pk: int | None = None, index_no: str | None = None) -> Document:
    """One document with everything its detail shows, or 404 when the viewer may not see it.

    The public sees published, proactively disclosed documents; staff additionally see every document
    of their own organisations (no scope parameter needed for a lookup by id).
    """
    qs = documents_visible(viewer=viewer, scope="staff")
    qs = qs.filter(pk=pk) if pk is not None else qs.filter(index_no=index_no)
    interpretations = Interpretation.objects.select_related("organisation").prefetch_related("attachments")
    if not viewer.is_staff_member:
        interpretations = interpretations.filter(state=Interpretation.State.PUBLISHED)
    else:
        interpretations = interpretations.filter(
            Q(state=Interpretation.State.PUBLISHED) | Q(organisation_id__in=viewer.organisation_ids)
        )
    qs = documents_with_details(qs).prefetch_related(
        Prefetch("interpretations", queryset=interpretations.order_by("published_at", "id"), to_attr="visible_interpretations"),
        Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        Prefetch(
            "events",
            queryset=LifecycleEvent.objects.select_related("related_document").order_by("at", "id"),
        ),
    )
    document = qs.first()
    if document is None:
        raise NotFound("文件不存在，或您无权查看。")
    return document


def document_events_for(*, viewer: Viewer, document: Document) -> list[LifecycleEvent]:
    events = list(document.events.all())
    if viewer.sees_internals_of(document):
        return events
    return [e for e in events if e.kind in PUBLIC_EVENT_KINDS]


def document_is_visible(*, viewer: Viewer, document: Document) -> bool:
    """In memory, for linked documents already loaded: public, or one of the viewer's organisations'."""
    return document.is_public or viewer.sees_internals_of(document)


# --- Organisations and topics ----------------------------------------------------------------------------


def organisations_list(*, parent: Organisation | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(is_active=True).select_related("parent").order_by("path", "sort_order", "id")
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs


def organisation_detail(*, code: str) -> Organisation:
    organisation = (
        Organisation.objects.select_related("parent")
        .prefetch_related(Prefetch("children", queryset=Organisation.objects.filter(is_active=True).order_by("sort_order", "id")))
        .filter(code=code)
        .first()
    )
    if organisation is None:
        raise NotFound(f"机关代码“{code}”不存在。")
    return organisation


def topics_tree() -> list[Topic]:
    """The 22 top-level 主题分类 with their second level in `.sub` (one query)."""
    topics = list(Topic.objects.select_related("parent").order_by("code"))
    roots = [t for t in topics if t.parent_id is None]
    by_id = {t.pk: t for t in roots}
    for root in roots:
        root.sub = []
    for topic in topics:
        if topic.parent_id is not None:
            by_id[topic.parent_id].sub.append(topic)
    return roots


# --- Full-text search --------------------------------------------------------------------------------------

SEARCH_SORTS = {"relevance": "relevance", "-date": "date", "date": "date_asc"}


def documents_search_page(*, viewer: Viewer, params: DocumentParams) -> ListPage:
    """The list page for a request with `q`: gongkai.search ranks, counts facets and cuts snippets.

    Visibility is the search's own (the same rule as `documents_visible`); issuer, topic, genre,
    validity and year are the search's filters; the remaining list filters restrict it through
    `within`, so every list filter keeps its meaning with and without `q`.
    """
    from gongkai.search.api import search_notes_for_api
    from gongkai.search.selectors import search_documents

    issuer = params.issuer
    if issuer:
        organisation = Organisation.objects.filter(Q(code=issuer) | Q(short_name=issuer)).first()
        issuer = organisation.name if organisation else issuer
    topic = params.topic.label if params.topic is not None else None
    within = None
    if params.organisation or params.published_after or params.published_before or params.doc_number or params.index_no:
        narrowed = replace(params, issuer="", topic=None, genre="", validity="", year=None)
        within = documents_filter(Document.objects.all(), narrowed)
    page = params.page
    result = search_documents(
        q=params.q, user=viewer.user if params.scope == "staff" and viewer.is_staff_member else None,
        issuer=issuer or None, topic=topic, genre=params.genre or None, validity=params.validity or None,
        year=params.year, sort=SEARCH_SORTS[params.sort], page=page.number, page_size=page.size, within=within,
    )
    if page.number > 1 and (page.number - 1) * page.size >= result.count:
        last = max(1, -(-result.count // page.size))
        raise NotFound(f"第 {page.number} 页不存在：共 {result.count} 条，每页 {page.size} 条，最后一页是第 {last} 页。")
    return ListPage(
        count=result.count, page=page, documents=[hit.document for hit in result.hits],
        extras={hit.document.pk: {"snippet": hit.snippet, "score": hit.score} for hit in result.hits},
        facets=search_facets_for_api(result.facets),
        notes=search_notes_for_api(result),
    )



def search_facets_for_api(facets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Facet values usable as the list's filter values (topic: its code), each with a label."""
    topics = {t.label: t.code for t in Topic.objects.select_related("parent")}
    labels = {"genre": dict(Genre.choices), "validity": dict(Validity.choices)}
    out: dict[str, list[dict]] = {}
    for name, values in facets.items():
        rows = []
        for f in values:
            value, label = f["value"], f["value"]
            if name == "topic":
                value = topics.get(f["value"], f["value"])
            elif name in labels:
                label = str(labels[name].get(value, value))
            elif name == "year":
                value = int(value)
                label = f"{value}年"
            rows.append({"value": value, "label": label, "count": f["count"]})
        out[name] = rows
    return out
