"""Reads of the policy library: what the public may see, what staff may see, and derived flags."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from gongkai.core.models import User
from gongkai.core.selectors import organisations_for_user
from gongkai.core.workdays import CalendarYearMissing, working_days_between

from .models import DisclosureAttribute, Document, DocumentIssuer, Interpretation, Status


def documents_public() -> QuerySet[Document]:
    """Documents the public may find: published, proactively disclosed, not withdrawn."""
    return Document.objects.filter(status=Status.PUBLISHED, disclosure_attribute=DisclosureAttribute.PROACTIVE)


def documents_for_user(*, user: User) -> QuerySet[Document]:
    """Documents a staff member may see in the back office: all of their organisations' documents."""
    return Document.objects.filter(organisation__in=organisations_for_user(user=user))


def documents_with_details(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("organisation", "topic", "topic__parent").prefetch_related(
        Prefetch("issuers", queryset=DocumentIssuer.objects.select_related("organisation"))
    )


def interpretations_public() -> QuerySet[Interpretation]:
    return Interpretation.objects.filter(state=Interpretation.State.PUBLISHED)


def interpretation_delay_working_days(*, interpretation: Interpretation, document: Document) -> int | None:
    """Working days between the document's publication and its interpretation's (None if either is unpublished)."""
    if not (interpretation.published_at and document.published_at):
        return None
    try:
        return working_days_between(
            timezone.localtime(document.published_at).date(), timezone.localtime(interpretation.published_at).date()
        )
    except CalendarYearMissing:
        return None  # outside the working-day calendar (before 2004, or a year not yet entered)


def interpretation_is_late(*, interpretation: Interpretation, document: Document, today: dt.date | None = None) -> bool:
    """True when the interpretation came (or is still missing) later than the configured working days."""
    limit = settings.INTERPRETATION_DEADLINE_WORKING_DAYS
    if not document.published_at:
        return False
    if interpretation.published_at is None:
        today = today or timezone.localdate()
        try:
            return working_days_between(timezone.localtime(document.published_at).date(), today) > limit
        except CalendarYearMissing:
            return False
    delay = interpretation_delay_working_days(interpretation=interpretation, document=document)
    return delay is not None and delay > limit


def documents_with_late_interpretations(*, organisations=None, today: dt.date | None = None) -> list[tuple[Document, Interpretation | None, int]]:
    """Published normative documents whose interpretation was (or still is) later than allowed.

    Returns (document, interpretation or None when missing, working days of delay).
    """
    today = today or timezone.localdate()
    limit = settings.INTERPRETATION_DEADLINE_WORKING_DAYS
    qs = documents_public().filter(genre__in=["rule", "normative"]).prefetch_related("interpretations")
    if organisations is not None:
        qs = qs.filter(organisation__in=organisations)
    late = []
    for document in qs:
        published = timezone.localtime(document.published_at).date()
        interpretations = [i for i in document.interpretations.all() if i.state == Interpretation.State.PUBLISHED]
        first = min(interpretations, key=lambda i: i.published_at) if interpretations else None
        end = timezone.localtime(first.published_at).date() if first else today
        try:
            delay = working_days_between(published, end)
        except CalendarYearMissing:
            continue  # outside the working-day calendar: lateness cannot be measured
        if delay > limit:
            late.append((document, first, delay))
    return late
