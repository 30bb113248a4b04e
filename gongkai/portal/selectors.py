"""Reads for the public pages: only what the public may see, composed from the documents selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongkai.core.models import Organisation
from gongkai.documents.models import (
    DisclosureAttribute,
    Document,
    Interpretation,
    LifecycleEvent,
    Status,
    Topic,
    Validity,
)
from gongkai.documents.selectors import documents_public, documents_with_details, interpretations_public

from . import disclosure

Kind = LifecycleEvent.Kind

# Lifecycle events the public sees; drafting and review steps are internal (第十六条 过程性信息).
PUBLIC_EVENT_KINDS = [Kind.PUBLISHED, Kind.CORRECTED, Kind.AMENDED_BY, Kind.REPEALED_BY, Kind.REPEALED, Kind.EXPIRED]
SUPERSEDING_KINDS = [Kind.AMENDED_BY, Kind.REPEALED_BY]


def documents_latest(*, limit: int = 10) -> list[Document]:
    return list(documents_with_details(documents_public()).order_by("-published_at", "-id")[:limit])


def interpretations_latest(*, limit: int = 5) -> list[Interpretation]:
    return list(
        interpretations_public().select_related("organisation").prefetch_related("documents").order_by("-published_at")[:limit]
    )


def document_public(*, index_no: str) -> Document | None:
    return documents_with_details(documents_public()).filter(index_no=index_no).first()


@dataclass
class WithdrawnNotice:
    title: str
    index_no: str
    organisation: Organisation
    withdrawn_at: dt.datetime
    reason: str


def document_withdrawn_notice(*, index_no: str) -> WithdrawnNotice | None:
    """A notice for a proactively disclosed document that was published and later withdrawn.

    Drafts that were withdrawn before publication, and documents not proactively disclosed, give
    None: the public never saw them, so the portal does not confirm that they exist.
    """
    document = (
        Document.objects.select_related("organisation")
        .filter(index_no=index_no, status=Status.WITHDRAWN, disclosure_attribute=DisclosureAttribute.PROACTIVE)
        .first()
    )
    if document is None or not document.events.filter(kind=Kind.PUBLISHED).exists():
        return None
    event = document.events.filter(kind=Kind.WITHDRAWN).order_by("-at", "-id").first()
    return WithdrawnNotice(document.title, document.index_no, document.organisation, event.at, event.reason)


@dataclass
class DocumentPage:
    document: Document
    events: list[LifecycleEvent]
    superseded_by: Document | None  # the newer document that amends or repeals this one
    supersedes: list[tuple[LifecycleEvent, Document]]  # documents this one amends or repeals
    interpretations: list[Interpretation]
    attachments: list
    public_ids: set[int]


def document_page(*, document: Document) -> DocumentPage:
    events = list(
        document.events.filter(kind__in=PUBLIC_EVENT_KINDS).select_related("related_document").order_by("at", "id")
    )
    public_ids = set(
        documents_public()
        .filter(pk__in=[e.related_document_id for e in events if e.related_document_id])
        .values_list("pk", flat=True)
    )
    superseded_by = None
    for event in events:
        if event.kind in SUPERSEDING_KINDS and event.related_document_id in public_ids:
            superseded_by = event.related_document
    supersedes = [
        (e, e.document)
        for e in LifecycleEvent.objects.filter(related_document=document, kind__in=SUPERSEDING_KINDS)
        .select_related("document")
        .filter(document__in=documents_public())
    ]
    return DocumentPage(
        document=document,
        events=events,
        superseded_by=superseded_by,
        supersedes=supersedes,
        interpretations=list(
            document.interpretations.filter(state=Interpretation.State.PUBLISHED).select_related("organisation")
        ),
        attachments=list(document.attachments.all()),
        public_ids=public_ids,
    )


def interpretation_public(*, pk: int) -> Interpretation | None:
    return interpretations_public().select_related("organisation").filter(pk=pk).first()


def interpretation_documents(*, interpretation: Interpretation) -> list[Document]:
    return list(documents_public().filter(pk__in=interpretation.documents.values("pk")).select_related("organisation"))


def attachment_public(*, token: str):
    from gongkai.documents.models import Attachment

    attachment = Attachment.objects.select_related("document", "interpretation").filter(token=token).first()
    if attachment is None:
        return None
    if attachment.document_id and attachment.document.is_public:
        return attachment
    if attachment.interpretation_id and attachment.interpretation.state == Interpretation.State.PUBLISHED:
        return attachment
    return None


# --- 政府信息公开专栏 ----------------------------------------------------------------------------------


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).annotate(
        public_count=Count(
            "documents",
            filter=Q(documents__status=Status.PUBLISHED, documents__disclosure_attribute=DisclosureAttribute.PROACTIVE),
        )
    )


def organisation_public(*, code: str) -> Organisation | None:
    return Organisation.objects.filter(is_active=True, code=code).select_related("parent").first()


def organisation_documents(*, organisation: Organisation) -> QuerySet[Document]:
    return documents_public().filter(organisation=organisation)


@dataclass
class CategoryGroup:
    category: disclosure.Category
    count: int
    latest: list[Document]


def proactive_groups(*, organisation: Organisation, per_group: int = 5) -> list[CategoryGroup]:
    """法定主动公开内容 of an organisation grouped by the 第二十条 categories (see `disclosure`)."""
    base = organisation_documents(organisation=organisation).select_related("topic", "topic__parent")
    groups = []
    for category in disclosure.DISPLAY_ORDER:
        if category.from_organisation:
            groups.append(CategoryGroup(category, 0, []))
            continue
        qs = base.filter(disclosure.category_q(category.key))
        groups.append(CategoryGroup(category, qs.count(), list(qs.order_by("-published_at", "-id")[:per_group])))
    return groups


def category_documents(*, organisation: Organisation, key: str) -> QuerySet[Document]:
    return (
        organisation_documents(organisation=organisation)
        .filter(disclosure.category_q(key))
        .order_by("-published_at", "-id")
    )


def topics_popular(*, limit: int = 12) -> list[tuple[Topic, int]]:
    """Top-level topics with the number of public documents in them."""
    counts: dict[int, int] = {}
    rows = documents_public().exclude(topic=None).values("topic_id", "topic__parent_id").annotate(n=Count("id"))
    for row in rows:
        top = row["topic__parent_id"] or row["topic_id"]
        counts[top] = counts.get(top, 0) + row["n"]
    topics = Topic.objects.in_bulk(list(counts))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], topics[kv[0]].code))[:limit]
    return [(topics[pk], n) for pk, n in ranked]


VALIDITY_NOTICE = {Validity.AMENDED, Validity.REPEALED, Validity.EXPIRED, Validity.NOT_YET}
