"""Facts the report is computed from, read from the platform's records."""

from __future__ import annotations

import datetime as dt

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


# Events that conclude a handling episode, and the Table 三 row each one counts in.
_CLOSING = {"supplement_lapsed": "other_no_supplement", "fee_lapsed": "other_unpaid_fee"}


def episodes_from_events(*, applicant_kind: str, events, organisation_by_code: dict[str, int] | None = None) -> list[Episode]:
    """Split one case's events (in recording order) into handling episodes; see compute.py.

    A transfer closes the sender's episode (其他) and records where it went (`moved_to`); the receiver's episode
    remembers the chain (`came_from`) so a report holding both organisations counts the application once.
    A transfer whose receipt is not recorded yet leaves an `in_transit` episode at the receiver."""
    codes = organisation_by_code or {}
    episodes: list[Episode] = []
    open_org, open_since, chain = None, None, ()
    moved: tuple[int | None, dt.date] | None = None  # (receiver, transfer date) while in transit

    def close(on: dt.date, outcome: str, moved_to: int | None = None) -> None:
        nonlocal open_org, open_since, chain
        if open_org is not None:
            episodes.append(Episode(open_org, applicant_kind, open_since, on, outcome, moved_to=moved_to, came_from=chain))
        open_org, open_since, chain = None, None, ()

    for event in events:
        if event.type == "received" and open_org is None:
            if moved is not None and episodes and episodes[-1].moved_to is not None:
                last = episodes[-1]
                chain = (*last.came_from, (last.organisation_id, last.started_on))
            moved = None
            open_org, open_since = event.organisation_id, event.occurred_on
        elif event.type == "transferred":
            # The sender's handling ends here; the receiver's starts when it records the receipt.
            if open_org is not None:
                to = codes.get((event.fields or {}).get("to_organisation"))
                moved = (to, event.occurred_on)
                close(event.occurred_on, "other", moved_to=to)
        elif event.type == "determination":
            close(event.occurred_on, (event.fields or {}).get("outcome", "other"))
        elif event.type in _CLOSING:
            close(event.occurred_on, _CLOSING[event.type])
        elif event.type == "reopened":
            last = episodes[-1].organisation_id if episodes else event.organisation_id
            open_org, open_since, chain = last, event.occurred_on, ()
    if open_org is not None:
        episodes.append(Episode(open_org, applicant_kind, open_since, None, None, came_from=chain))
    elif moved is not None and moved[0] is not None and episodes and episodes[-1].moved_to == moved[0]:
        last = episodes[-1]
        episodes.append(Episode(moved[0], applicant_kind, moved[1], None, None,
                                came_from=(*last.came_from, (last.organisation_id, last.started_on)), in_transit=True))
    return episodes


def application_episodes(*, organisation_ids: set[int]) -> list[Episode]:
    """Handling episodes of every application that any of the organisations ever held."""
    from gongkai.applications.models import Application, ApplicationEvent

    held = ApplicationEvent.objects.filter(organisation_id__in=organisation_ids).values("application_id")
    cases = Application.objects.filter(pk__in=held).only("applicant_kind").prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.only(
            "application_id", "seq", "type", "occurred_on", "organisation_id", "fields").order_by("seq"))
    )
    organisation_by_code = dict(Organisation.objects.values_list("code", "pk"))
    episodes = []
    for case in cases:
        episodes += episodes_from_events(applicant_kind=case.applicant_kind, events=case.events.all(),
                                         organisation_by_code=organisation_by_code)
    return episodes


def remedy_facts(*, organisation_ids: set[int]) -> list[RemedyFact]:
    """Reconsideration and litigation about the organisations' applications (Table 四)."""
    from gongkai.applications.models import Remedy

    remedies = Remedy.objects.filter(application__organisation_id__in=organisation_ids).select_related("application")
    return [
        RemedyFact(
            organisation_id=r.application.organisation_id,
            kind=r.kind,
            filed_on=r.filed_on,
            decided_on=r.decided_on,
            result=None if r.result == "pending" else r.result,
        )
        for r in remedies
    ]


def fee_facts(*, organisation_ids: set[int], year: int) -> tuple[int, float]:
    """(applications whose processing fee was paid in the year, total 元), for section 六."""
    from gongkai.applications.fees import fees_collected

    collected = fees_collected(organisation_ids=list(organisation_ids), year=year)
    return collected["count"], float(collected["amount"])
