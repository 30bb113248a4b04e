"""Facts the report is computed from, read from the platform's records."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.core.selectors import organisation_descendants
from gongkai.documents.models import Document, Genre, LifecycleEvent, Status

from .compute import DocumentFact, Episode, RemedyFact

Kind = LifecycleEvent.Kind


def report_organisation_ids(*, organisation: Organisation, include_descendants: bool) -> set[int]:
    if include_descendants:
        return set(organisation_descendants(organisation=organisation).values_list("pk", flat=True))
    return {organisation.pk}


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def document_facts(*, organisation_ids: set[int]) -> list[DocumentFact]:
    """规章 and 行政规范性文件 of the organisations that were ever published."""
    documents = (
        Document.objects.filter(
            organisation_id__in=organisation_ids,
            genre__in=[Genre.RULE, Genre.NORMATIVE],
            status__in=[Status.PUBLISHED, Status.WITHDRAWN],
            published_at__isnull=False,
        )
        .only("genre", "published_at", "effective_on", "expires_on")
        .prefetch_related(Prefetch("events", queryset=LifecycleEvent.objects.only("document_id", "kind", "at", "effective_on")))
    )
    facts = []
    for document in documents:
        published_on = _local_date(document.published_at)
        ends = []
        withdrawn_on = None
        for event in document.events.all():
            if event.kind in (Kind.REPEALED, Kind.REPEALED_BY, Kind.EXPIRED):
                ends.append(event.effective_on or _local_date(event.at))
            elif event.kind == Kind.WITHDRAWN:
                withdrawn_on = _local_date(event.at)
        if document.expires_on:
            ends.append(document.expires_on + dt.timedelta(days=1))
        in_force_from = document.effective_on if document.effective_on and document.effective_on > published_on else None
        facts.append(
            DocumentFact(
                kind="rules" if document.genre == Genre.RULE else "normative",
                published_on=published_on,
                left_force_on=min(ends) if ends else None,
                withdrawn_on=withdrawn_on,
                in_force_from=in_force_from,
            )
        )
    return facts


def application_episodes(*, organisation_ids: set[int]) -> list[Episode]:
    """Handling episodes of applications (see compute.py); empty until the applications module is installed."""
    if not apps.is_installed("gongkai.applications"):
        return []
    from gongkai.applications.reporting import report_episodes

    return [e for e in report_episodes(organisation_ids=organisation_ids)]


def remedy_facts(*, organisation_ids: set[int]) -> list[RemedyFact]:
    if not apps.is_installed("gongkai.applications"):
        return []
    from gongkai.applications.reporting import report_remedies

    return list(report_remedies(organisation_ids=organisation_ids))


def fee_facts(*, organisation_ids: set[int], year: int) -> tuple[int, float]:
    """(number of applications whose processing fee was paid in the year, total in 元)."""
    if not apps.is_installed("gongkai.applications"):
        return 0, 0.0
    from gongkai.applications.reporting import report_fees

    return report_fees(organisation_ids=organisation_ids, year=year)
