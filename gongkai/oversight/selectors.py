"""Reads of oversight: schemes, who may see which agency, overdue tasks, clocks, rectification lists,
the work-plan summary for the annual report and the usage statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import organisations_for_user, user_is_platform_admin, user_roles

from . import conf
from .clocks import incident_clocks
from .models import (
    AssessmentResult,
    Incident,
    PlanTask,
    PressConference,
    Rectification,
    Scheme,
    UsageDaily,
    WorkPlan,
)
from .periods import Period, period_parse
from .scoring import ranking, score_data

OFFICE_ROLES = {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}


def user_is_office(user: User) -> bool:
    """Disclosure-office staff (政务公开办): they see every agency below them and steer."""
    return user.is_authenticated and (user_is_platform_admin(user) or user.memberships.filter(role=Role.OFFICE_ADMIN).exists())


def office_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user oversees as the disclosure office (their own and every descendant)."""
    if not user_is_office(user):
        return Organisation.objects.none()
    return organisations_for_user(user=user, roles=set(OFFICE_ROLES))


def user_may_steer(*, user: User, organisation: Organisation) -> bool:
    return bool(user_roles(user=user, organisation=organisation) & OFFICE_ROLES)


def agencies_for_user(user: User) -> QuerySet[Organisation]:
    """Agencies whose assessment the user may see: the office all below it, an agency itself (org tree)."""
    return organisations_for_user(user=user).filter(is_active=True, handles_applications=True).order_by("path")


def scheme_for_year(year: int) -> Scheme | None:
    """The latest version of the year's scheme, or the latest earlier scheme."""
    return Scheme.objects.filter(year__lte=year).order_by("-year", "-version").first()


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.all()


def today_local() -> dt.date:
    return timezone.localdate()


def assessment_ranking(*, scheme: Scheme, organisations, period: Period):
    return ranking(scheme=scheme, organisations=organisations, period=period)


@dataclass
class Difference:
    organisation: str
    indicator: str
    stored: object
    now: object


def result_compare(*, result: AssessmentResult) -> list[Difference]:
    """Recompute a stored assessment and list every number that differs (an empty list: stable)."""
    period = period_parse(result.period)
    stored = {row["organisation"]: row for row in result.data.get("scores", [])}
    orgs = Organisation.objects.filter(pk__in=list(stored)).order_by("path")
    diffs = []
    for score in ranking(scheme=result.scheme, organisations=orgs, period=period):
        now = score_data(score)
        before = stored[score.organisation.pk]
        if now["total"] != before["total"]:
            diffs.append(Difference(now["name"], "总分", before["total"], now["total"]))
        for code, line in now["lines"].items():
            old = before["lines"].get(code)
            if old != line:
                diffs.append(Difference(now["name"], conf.INDICATOR_BY_CODE[code].label, old, line))
    return diffs


# --- Work plan -----------------------------------------------------------------------------------------------
def plans_for_user(user: User) -> QuerySet[WorkPlan]:
    orgs = organisations_for_user(user=user)
    return WorkPlan.objects.filter(Q(organisation__in=orgs) | Q(tasks__lead_unit__in=orgs) | Q(tasks__co_units__in=orgs)).distinct()


def tasks_in(*, plans) -> QuerySet[PlanTask]:
    return PlanTask.objects.filter(plan__in=plans).select_related("plan", "lead_unit")


def task_overdue(task: PlanTask, today: dt.date) -> bool:
    return task.state == PlanTask.State.OPEN and task.deadline is not None and today > task.deadline


def tasks_overdue(*, organisations=None, today: dt.date | None = None) -> QuerySet[PlanTask]:
    today = today or today_local()
    qs = PlanTask.objects.filter(state=PlanTask.State.OPEN, deadline__lt=today).select_related("lead_unit", "plan")
    if organisations is not None:
        qs = qs.filter(lead_unit__in=organisations)
    return qs.order_by("deadline", "id")


@dataclass
class Milestone:
    index: int
    title: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool


def task_milestones(task: PlanTask, today: dt.date) -> list[Milestone]:
    """The task's milestones (节点) in date order, each with whether it is overdue today."""
    out = []
    for n, m in enumerate(task.milestones or []):
        due = dt.date.fromisoformat(m["due_on"])
        done = dt.date.fromisoformat(m["done_on"]) if m.get("done_on") else None
        out.append(Milestone(n, m["title"], due, done, done is None and today > due))
    return out


def plan_tree(plan: WorkPlan) -> list[tuple[PlanTask, int]]:
    """The plan's tasks depth-first with their depth (a task under a heading task)."""
    tasks = list(plan.tasks.select_related("lead_unit").prefetch_related("co_units", "reports"))
    children = defaultdict(list)
    for t in tasks:
        children[t.parent_id].append(t)
    out: list[tuple[PlanTask, int]] = []

    def walk(parent_id, depth):
        for t in children[parent_id]:
            out.append((t, depth))
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


def plan_summary(*, plan: WorkPlan, today: dt.date | None = None) -> str:
    """The paragraph the annual report's section 五 (存在的主要问题及改进情况) can include (条例 第五十条(四))."""
    today = today or today_local()
    tasks = [t for t in plan.tasks.exclude(state=PlanTask.State.CANCELLED) if not t.children.exists()]
    done = [t for t in tasks if t.state == PlanTask.State.DONE]
    on_time = [t for t in done if t.deadline is None or (t.done_on and t.done_on <= t.deadline)]
    overdue = [t for t in tasks if task_overdue(t, today)]
    text = (f"对照《{plan.title}》，共分解任务 {len(tasks)} 项，截至 {today:%Y年%m月%d日} 已完成 {len(done)} 项"
            f"（其中按期完成 {len(on_time)} 项），正在推进 {len(tasks) - len(done)} 项")
    if overdue:
        text += f"，逾期未完成 {len(overdue)} 项（" + "、".join(f"{t.number}{t.title}" for t in overdue[:5]) + "），已督促责任单位限期完成。"
    else:
        text += "，无逾期任务。"
    return text


# --- Rectification -------------------------------------------------------------------------------------------
def rectifications_for_user(user: User) -> QuerySet[Rectification]:
    return Rectification.objects.filter(organisation__in=organisations_for_user(user=user)).select_related("organisation", "owner")


def rectification_overdue(r: Rectification, today: dt.date) -> bool:
    return r.state != Rectification.State.CLOSED and today > r.deadline


# --- Public opinion ------------------------------------------------------------------------------------------
def incidents_for_user(user: User) -> QuerySet[Incident]:
    return Incident.objects.filter(organisation__in=organisations_for_user(user=user)).select_related("organisation", "owner")


def incidents_with_clocks(qs, now: dt.datetime | None = None):
    now = now or timezone.now()
    return [(i, incident_clocks(incident=i, now=now)) for i in qs.prefetch_related("actions")]


def incidents_open() -> list[Incident]:
    """Incidents not yet closed (the reminder task checks their clocks)."""
    return list(Incident.objects.filter(closed_at__isnull=True).select_related("organisation", "owner"))


def conferences_for_user(user: User) -> QuerySet[PressConference]:
    return PressConference.objects.filter(organisation__in=organisations_for_user(user=user)).select_related("organisation")


# --- Usage statistics ----------------------------------------------------------------------------------------
def usage_top(*, kind: str, since: dt.date, until: dt.date, limit: int = 20) -> list[tuple[str, int]]:
    rows = (UsageDaily.objects.filter(kind=kind, day__gte=since, day__lte=until).values("key")
            .annotate(n=Sum("count")).order_by("-n", "key")[:limit])
    return [(r["key"], r["n"]) for r in rows]


def usage_per_day(*, kind: str, since: dt.date, until: dt.date) -> list[tuple[dt.date, int]]:
    rows = dict(UsageDaily.objects.filter(kind=kind, day__gte=since, day__lte=until).values("day")
                .annotate(n=Sum("count")).values_list("day", "n"))
    days = (until - since).days + 1
    return [(since + dt.timedelta(days=i), rows.get(since + dt.timedelta(days=i), 0)) for i in range(days)]


def usage_total(*, kind: str, since: dt.date, until: dt.date) -> int:
    return UsageDaily.objects.filter(kind=kind, day__gte=since, day__lte=until).aggregate(n=Sum("count"))["n"] or 0
