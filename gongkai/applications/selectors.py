"""Reads of disclosure applications: who may see which case, its clock, lists and filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import Role, User
from gongkai.core.selectors import organisations_for_user, user_roles

from .clock import Clock, derive, rules_for_settings
from .models import Application

HANDLING_ROLES = {Role.HANDLER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}


def application_visible_to(user: User) -> QuerySet[Application]:
    """Cases `user` may see: those of organisations where they are a handler (依申请公开办理人), and
    every case below an organisation where they are disclosure-office administrator."""
    orgs = organisations_for_user(user=user, roles={Role.HANDLER})
    return Application.objects.filter(organisation__in=orgs)


def application_may_handle(*, user: User | None, application: Application) -> bool:
    """Whether `user` handles `application` (and so may see the applicant and record events)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user_roles(user=user, organisation=application.organisation) & HANDLING_ROLES)


def application_clock(*, application: Application, today: dt.date | None = None) -> Clock:
    """The case's clock on `today`, derived from its stored events."""
    return derive(
        list(application.events.all()),
        channel=application.channel,
        organisation=first_organisation_code(application),
        today=today or timezone.localdate(),
        rules_for=rules_for_settings(settings),
        imported=application.imported,
    )


def first_organisation_code(application: Application) -> str:
    """The organisation the application was first addressed to (transfers are replayed from there)."""
    first = application.events.select_related("organisation").first()
    return (first.organisation if first else application.organisation).code


def application_state(*, application: Application, today: dt.date | None = None) -> str:
    """in_progress / due_soon / overdue / paused / closed / pending, from the cached fields."""
    today = today or timezone.localdate()
    if application.status != Application.Status.OPEN or application.due_on is None:
        return {"open": "in_progress"}.get(application.status, application.status)
    if today > application.due_on:
        return "overdue"
    try:
        if workdays.working_days_between(today, application.due_on) <= settings.APPLICATION_DUE_SOON_WORKING_DAYS:
            return "due_soon"
    except workdays.CalendarYearMissing:
        pass
    return "in_progress"


def applications_filter(
    *,
    user: User,
    state: str | None = None,
    due_before: dt.date | None = None,
    assignee: int | None = None,
    organisation: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Application]:
    """The cases `user` may see, filtered by state (as on `today`), due date and assignee."""
    today = today or timezone.localdate()
    qs = application_visible_to(user).select_related("organisation", "assignee")
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if assignee:
        qs = qs.filter(assignee_id=assignee)
    if due_before:
        qs = qs.filter(due_on__lt=due_before, status=Application.Status.OPEN)
    if state:
        soon = workdays.add_working_days(today, settings.APPLICATION_DUE_SOON_WORKING_DAYS)
        open_ = qs.filter(status=Application.Status.OPEN)
        qs = {
            "pending": qs.filter(status=Application.Status.PENDING),
            "paused": qs.filter(status=Application.Status.PAUSED),
            "closed": qs.filter(status=Application.Status.CLOSED),
            "open": qs.filter(status__in=[Application.Status.OPEN, Application.Status.PAUSED]),
            "overdue": open_.filter(due_on__lt=today),
            "due_soon": open_.filter(due_on__gte=today, due_on__lte=soon),
            "in_progress": open_.exclude(due_on__lt=today).exclude(due_on__lte=soon),
        }.get(state, qs.none())
    return qs


def application_public_status(*, tracking_code: str) -> dict[str, Any] | None:
    """What the public tracking page may show for a tracking code: progress and dates, no personal data."""
    application = (
        Application.objects.filter(tracking_code=tracking_code.strip().upper()).select_related("organisation").first()
    )
    if application is None:
        return None
    state = application_state(application=application)
    return {
        "tracking_code": application.tracking_code,
        "organisation": application.organisation.name,
        "state": state,
        "received_on": application.received_on,
        "due_on": application.due_on,
        "concluded_on": application.concluded_on,
        "outcome": application.get_outcome_display() if application.outcome else "",
    }


def _mask(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + (value[-keep_end:] if keep_end else "")


def applicant_masked(*, application: Application) -> dict[str, Any]:
    """The applicant as lists and logs may show it: kind and a masked name, nothing else."""
    data = application.applicant or {}
    name = data.get("name", "")
    if application.is_legal_person:
        masked = name  # an organisation's name is not personal data
    else:
        masked = _mask(name, 1)
    return {"kind": application.applicant_kind, "name": masked}


def applicant_for(*, user: User, application: Application) -> dict[str, Any]:
    """The full applicant for staff handling the case, the masked one for anybody else."""
    if application_may_handle(user=user, application=application):
        return dict(application.applicant or {}, kind=application.applicant_kind)
    return applicant_masked(application=application)
