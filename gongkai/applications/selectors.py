"""Reads of disclosure applications: who may see which case, its clock, lists and filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import Membership, Organisation, Role, User
from gongkai.core.selectors import organisations_for_user, user_roles

from .clock import Clock, derive, rules_for_settings
from .models import Application, Remedy
from .outcomes import OUTCOMES, withholding_needs_reconsideration_first

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


def legal_review_required(*, outcome: str) -> bool:
    """Whether a determination of `outcome` needs the legal adviser's approval first (by default the
    withholding groups: 不予公开 and 部分公开, settings.APPLICATION_LEGAL_REVIEW_GROUPS; 条例 第四十五条
    asks for a 审核 step in the handling of applications)."""
    o = OUTCOMES.get(outcome)
    return bool(o and o.group in settings.APPLICATION_LEGAL_REVIEW_GROUPS)


def _ancestor_ids(organisation: Organisation) -> list[int]:
    return [int(p) for p in organisation.path.strip("/").split("/") if p]


def user_is_legal_reviewer(*, user: User, organisation: Organisation) -> bool:
    """A 法律顾问 of the organisation or of one of its ancestors (e.g. the government's legal adviser)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role=Role.LEGAL_REVIEWER,
                                     organisation_id__in=_ancestor_ids(organisation)).exists()


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


# --- Workspace lists (issue 5) ----------------------------------------------------------------------------------

def applications_mine(*, user: User) -> QuerySet[Application]:
    """The open cases assigned to `user`, the nearest due date first (no due date yet: last)."""
    from django.db.models import F

    return (
        application_visible_to(user).filter(assignee=user).exclude(status=Application.Status.CLOSED)
        .select_related("organisation").order_by(F("due_on").asc(nulls_last=True), "id")
    )


def applications_queue(*, user: User, unassigned_only: bool = False) -> QuerySet[Application]:
    """The office's queue: every case not yet closed that `user` may handle, awaiting confirmation first,
    then by due date."""
    from django.db.models import Case, F, IntegerField, Value, When

    qs = application_visible_to(user).exclude(status=Application.Status.CLOSED)
    if unassigned_only:
        qs = qs.filter(assignee__isnull=True)
    pending_first = Case(When(status=Application.Status.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return qs.select_related("organisation", "assignee").order_by(pending_first, F("due_on").asc(nulls_last=True), "id")


def application_for_staff(*, user: User, pk: int) -> Application | None:
    """The case if `user` handles it, or is a legal adviser (法律顾问) of its organisation or an ancestor;
    None otherwise (the page answers 404)."""
    application = Application.objects.select_related("organisation", "assignee").filter(pk=pk).first()
    if application is None or not user.is_authenticated:
        return None
    if application_visible_to(user).filter(pk=pk).exists():
        return application
    return application if user_is_legal_reviewer(user=user, organisation=application.organisation) else None


def handlers_of(*, application: Application) -> list[User]:
    """Staff who may be assigned the case: handlers of its organisation."""
    ids = Membership.objects.filter(organisation=application.organisation, role=Role.HANDLER).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username"))


def extension_approvers(*, application: Application) -> list[User]:
    """Heads of the disclosure office who may approve an extension (office admins of the organisation or
    an ancestor)."""
    ancestors = [int(p) for p in application.organisation.path.strip("/").split("/") if p]
    ids = Membership.objects.filter(organisation_id__in=ancestors, role=Role.OFFICE_ADMIN).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username"))


def frequently_requested(*, organisation, since: dt.date, minimum: int = 2, limit: int = 30) -> list[dict]:
    """Information named in at least `minimum` applications to the organisation since `since`
    (candidates for 依申请转主动, 条例 第四十四条; read by the yearly self-review)."""
    rows = (Application.objects.filter(organisation=organisation, received_on__gte=since).exclude(info_title="")
            .values("info_title").annotate(count=Count("id")).filter(count__gte=minimum).order_by("-count", "info_title"))
    return [{"title": r["info_title"], "applications": r["count"]} for r in rows[:limit]]


# --- Counting notes (issue 14 §2.9) --------------------------------------------------------------------------

def remedy_counting_notes(*, remedy) -> list[str]:
    """Warnings about a reconsideration or lawsuit record that the annual report's Table 四 will count as
    recorded: a direct lawsuit against a 不予公开 decision made from 2024-01-01 (复议前置)."""
    notes = []
    if remedy.kind == "litigation_direct":
        decided = (remedy.application.events.filter(type="determination", occurred_on__lte=remedy.filed_on)
                   .order_by("-seq").first())
        if decided and withholding_needs_reconsideration_first(outcome=(decided.fields or {}).get("outcome", ""),
                                                               decided_on=decided.occurred_on):
            notes.append(
                f"该答复（{decided.occurred_on}）含不予公开的决定。根据《中华人民共和国行政复议法》第二十三条第一款第（四）项"
                "（2024年1月1日起施行），应当先申请行政复议，对复议决定不服的再起诉；本记录为“未经复议直接起诉”，请核对。"
                "年度报告表四按记录统计。")
    return notes


# --- The working-day calendar of next year (issue 14 §2.1, issue 17.12) -------------------------------------

# The State Council's holiday arrangement for the next year (a 国办发明电) usually comes out in November.
CALENDAR_WARN_FROM_MONTH = 11


def calendar_missing_help(*, year: int) -> str:
    """What to do when a date needs `year` and the calendar does not have it: which notice, where, how."""
    return (f"缺少 {year} 年的工作日历。请在《国务院办公厅关于{year}年部分节假日安排的通知》发布后（通常在上一年 11 月，"
            f"见中国政府网 www.gov.cn 的国务院文件栏目），由管理员按 docs/calendar-format.md 的格式导入："
            f"命令行 `gongkai calendar import 文件`，或在管理后台的“工作日历”中录入；"
            f"导入后运行 `gongkai refresh_application_clocks` 重新计算各案件的期限。")


def calendar_next_year_warning(*, today: dt.date | None = None) -> str | None:
    """From 1 November: a warning when next year's arrangement is not in the calendar yet (deadlines of
    cases received in December cross into it), else None."""
    today = today or timezone.localdate()
    if today.month < CALENDAR_WARN_FROM_MONTH or (today.year + 1) in workdays.known_years():
        return None
    return f"{today.year + 1} 年的节假日安排尚未导入工作日历，跨年的答复期限将无法计算。" + calendar_missing_help(year=today.year + 1)

def applications_of(*, organisation_ids) -> QuerySet[Application]:
    """The applications addressed to the given organisations (for the assessment in oversight)."""
    return Application.objects.filter(organisation_id__in=list(organisation_ids))


def remedies_of(*, organisation_ids) -> QuerySet[Remedy]:
    """Reconsiderations and lawsuits about the given organisations' applications (for the assessment)."""
    return Remedy.objects.filter(application__organisation_id__in=list(organisation_ids)).select_related("application")
