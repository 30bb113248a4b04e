"""Reads of consultations: the rules in force, a consultation's public status and clock, the public
lists, the overdue-feedback queue, the adoption summary and the statistics for the annual report."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import organisations_for_user, user_roles
from gongkai.core.workdays import add_working_days, working_days_between

from . import conf
from .models import Attachment, Consultation, DecisionItem, Opinion, OpinionGroup, PeriodRule

# Who runs a consultation of an organisation (drafting, moderation, answers) and who keeps the catalogue.
CONSULTATION_ROLES = {Role.EDITOR, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
CATALOGUE_ROLES = {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}

STATUS_LABELS = {
    "draft": "草稿",
    "forthcoming": "即将开始",
    "open": "正在征求意见",
    "closed": "征求意见已结束",
    "outcome": "已公布意见采纳情况",
    "withdrawn": "已撤回",
}
# GOV.UK's document types for the same three public stages.
STATUS_GOVUK = {"open": "open_consultation", "closed": "closed_consultation", "outcome": "consultation_outcome",
                "forthcoming": "open_consultation"}


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    amount: int
    unit: str
    source: str

    @property
    def text(self) -> str:
        units = {"days": "日", "working_days": "个工作日", "months": "个月"}
        return f"{self.amount}{units.get(self.unit, self.unit)}"


def rule_get(*, key: str) -> Rule:
    """The rule in force: the office's stored row, or the default of conf.py."""
    row = PeriodRule.objects.filter(key=key).first()
    if row is not None:
        return Rule(row.key, row.label, row.amount, row.unit, row.source)
    d = conf.DEFAULTS[key]
    return Rule(d.key, d.label, d.amount, d.unit, d.source)


def period_rule(*, kind: str) -> Rule | None:
    key = conf.PERIOD_KEY_FOR_KIND.get(kind)
    return rule_get(key=key) if key else None


def period_length(*, unit: str, starts_on: dt.date, ends_on: dt.date) -> int:
    """The length of a period running from `starts_on` to `ends_on`, both days included, in `unit`."""
    if ends_on < starts_on:
        return 0
    if unit == "working_days":
        return working_days_between(starts_on - dt.timedelta(days=1), ends_on)
    return (ends_on - starts_on).days + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_add(*, rule: Rule, day: dt.date) -> dt.date:
    if rule.unit == "working_days":
        return add_working_days(day, rule.amount)
    if rule.unit == "months":
        return add_months(day, rule.amount)
    return day + dt.timedelta(days=rule.amount)


def minimum_end(*, kind: str, starts_on: dt.date) -> dt.date | None:
    """The first end date that gives the full minimum period of `kind` (None: no minimum)."""
    rule = period_rule(kind=kind)
    if rule is None:
        return None
    if rule.unit == "working_days":
        return add_working_days(starts_on - dt.timedelta(days=1), rule.amount)
    return rule_add(rule=rule, day=starts_on) - dt.timedelta(days=1)


def today_local() -> dt.date:
    return timezone.localdate()


def consultation_status(*, consultation: Consultation, today: dt.date | None = None) -> str:
    """draft / forthcoming / open / closed / outcome / withdrawn, from the state and the dates."""
    today = today or today_local()
    if consultation.state == Consultation.State.DRAFT:
        return "draft"
    if consultation.state == Consultation.State.WITHDRAWN:
        return "withdrawn"
    if consultation.feedback_published_at is not None:
        return "outcome"
    if today < consultation.starts_on:
        return "forthcoming"
    if today <= consultation.last_day:
        return "open"
    return "closed"


def consultation_accepts_comments(*, consultation: Consultation, today: dt.date | None = None) -> bool:
    return consultation_status(consultation=consultation, today=today) == "open"


def consultation_days_left(*, consultation: Consultation, today: dt.date | None = None) -> int:
    """Calendar days left including today (0 when closed)."""
    today = today or today_local()
    if not consultation_accepts_comments(consultation=consultation, today=today):
        return 0
    return (consultation.last_day - today).days + 1


def feedback_due_on(*, consultation: Consultation) -> dt.date:
    """When the adoption feedback is due (RULES §8): one month after the consultation ends (seed 000) and,
    once the decision or document is issued, 10 working days after that (seed 002) — the earlier applies."""
    due = rule_add(rule=rule_get(key=conf.FEEDBACK_AFTER_CLOSE.key), day=consultation.last_day)
    if consultation.decision_issued_on:
        due = min(due, rule_add(rule=rule_get(key=conf.FEEDBACK_AFTER_ISSUE.key), day=consultation.decision_issued_on))
    return due


def feedback_late(*, consultation: Consultation, today: dt.date | None = None) -> bool:
    """Published after its due date, or still unpublished after it."""
    due = feedback_due_on(consultation=consultation)
    if consultation.feedback_published_at is not None:
        return timezone.localtime(consultation.feedback_published_at).date() > due
    return (today or today_local()) > due


def consultations_for_user(*, user: User) -> QuerySet[Consultation]:
    return Consultation.objects.filter(organisation__in=organisations_for_user(user=user))


def user_may_run(*, user: User, organisation: Organisation) -> bool:
    return bool(user_roles(user=user, organisation=organisation) & CONSULTATION_ROLES)


def user_may_keep_catalogue(*, user: User, organisation: Organisation) -> bool:
    return bool(user_roles(user=user, organisation=organisation) & CATALOGUE_ROLES)


def consultations_public(*, status: str = "", organisation: Organisation | None = None, year: int | None = None,
                         today: dt.date | None = None) -> QuerySet[Consultation]:
    """Published consultations for the portal, filtered by public status, drafting agency and year."""
    today = today or today_local()
    qs = Consultation.objects.filter(state=Consultation.State.PUBLISHED).select_related("organisation")
    if status == "open":
        qs = qs.filter(feedback_published_at__isnull=True, starts_on__lte=today).filter(
            Q(closed_early_on__isnull=True, ends_on__gte=today) | Q(closed_early_on__gte=today))
    elif status == "closed":
        qs = qs.filter(feedback_published_at__isnull=True).filter(
            Q(closed_early_on__isnull=True, ends_on__lt=today) | Q(closed_early_on__lt=today))
    elif status == "outcome":
        qs = qs.filter(feedback_published_at__isnull=False)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.order_by("-starts_on", "-id")


def consultation_public_years() -> list[int]:
    dates = Consultation.objects.filter(state=Consultation.State.PUBLISHED).dates("starts_on", "year", order="DESC")
    return [d.year for d in dates]


def opinion_counts(*, consultation: Consultation) -> dict[str, int]:
    """How many opinions were received, published and set aside (the public sees `received`)."""
    rows = dict(Opinion.objects.filter(consultation=consultation).values_list("state").annotate(n=Count("id")))
    return {
        "received": sum(rows.values()),
        "pending": rows.get(Opinion.State.PENDING, 0),
        "published": rows.get(Opinion.State.PUBLISHED, 0),
        "rejected": rows.get(Opinion.State.REJECTED, 0),
    }


def published_opinions(*, consultation: Consultation) -> QuerySet[Opinion]:
    return Opinion.objects.filter(consultation=consultation, state=Opinion.State.PUBLISHED).select_related(
        "article", "group")


def published_groups(*, consultation: Consultation) -> QuerySet[OpinionGroup]:
    """Distinct opinions with at least one published copy, largest campaign first. Ordered by the cached
    group size (an index-friendly column), not by a count over every opinion: see `published_counts`
    for the numbers shown on one page."""
    published = Opinion.objects.filter(group=OuterRef("pk"), state=Opinion.State.PUBLISHED)
    return (OpinionGroup.objects.filter(consultation=consultation).filter(Exists(published))
            .select_related("article").order_by("-size", "id"))


def published_counts(*, groups: list[OpinionGroup]) -> dict[int, int]:
    """Published opinions per group, for the groups of one page."""
    return dict(Opinion.objects.filter(group__in=groups, state=Opinion.State.PUBLISHED)
                .values_list("group").annotate(n=Count("id")))


def group_texts(*, groups: list[OpinionGroup], published_only: bool = True) -> dict[int, str]:
    """The text of each group: its first published opinion's text (masked where needed), or for staff
    (`published_only=False`) its first opinion's. One row per group is read (the first id per group), not
    every copy of a campaign comment."""
    opinions = Opinion.objects.filter(group__in=groups)
    if published_only:
        opinions = opinions.filter(state=Opinion.State.PUBLISHED)
    firsts = opinions.values("group").annotate(first=Min("id")).values("first")
    return {o.group_id: o.public_body or o.body
            for o in Opinion.objects.filter(id__in=firsts).only("group_id", "body", "public_body")}


def attachment_public(*, token: str) -> Attachment | None:
    """An attachment the public may download: its consultation has been published (withdrawn ones stay
    readable, as their page does)."""
    return (Attachment.objects.filter(token=token).exclude(consultation__state=Consultation.State.DRAFT)
            .select_related("consultation").first())


def group_text(*, group: OpinionGroup) -> str:
    return group_texts(groups=[group]).get(group.pk, "")


def groups_needing_answer(*, consultation: Consultation) -> QuerySet[OpinionGroup]:
    """Groups holding at least one opinion that was not set aside and that have no outcome yet."""
    return (OpinionGroup.objects.filter(consultation=consultation, outcome="")
            .filter(opinions__state__in=[Opinion.State.PENDING, Opinion.State.PUBLISHED]).distinct())


@dataclass
class AdoptionSummary:
    groups: int
    opinions: int
    per_outcome: list[dict]  # {"outcome", "label", "groups", "opinions"}
    main: list[dict]  # the largest answered groups: {"text", "size", "outcome_label", "reason", "article"}


def adoption_summary(*, consultation: Consultation, main: int = 10) -> AdoptionSummary:
    """The 意见采纳情况 report: counts per outcome (distinct opinions and all opinions) and the main opinions."""
    counted = OpinionGroup.objects.filter(consultation=consultation).exclude(outcome="")
    rows = {r["outcome"]: r for r in counted.values("outcome").annotate(groups=Count("id"), opinions=Sum("size"))}
    per_outcome = [
        {"outcome": value, "label": label, "groups": rows.get(value, {}).get("groups", 0),
         "opinions": rows.get(value, {}).get("opinions", 0) or 0}
        for value, label in OpinionGroup.Outcome.choices
    ]
    top = list(counted.select_related("article").order_by("-size", "id")[:main])
    firsts = group_texts(groups=top)
    main_rows = [
        {"text": firsts.get(g.pk, "（该意见未公开原文）"), "size": g.size, "outcome": g.outcome,
         "outcome_label": g.get_outcome_display(), "reason": g.reason, "article": g.article.label if g.article else ""}
        for g in top
    ]
    return AdoptionSummary(
        groups=sum(r["groups"] for r in per_outcome), opinions=sum(r["opinions"] for r in per_outcome),
        per_outcome=per_outcome, main=main_rows,
    )


def feedback_overdue(*, organisations: QuerySet[Organisation] | None = None,
                     today: dt.date | None = None) -> list[tuple[Consultation, dt.date]]:
    """Closed consultations whose feedback is not published: (consultation, due date), the most urgent first."""
    today = today or today_local()
    qs = Consultation.objects.filter(state=Consultation.State.PUBLISHED, feedback_published_at__isnull=True).filter(
        Q(closed_early_on__isnull=True, ends_on__lt=today) | Q(closed_early_on__lt=today)).select_related("organisation")
    if organisations is not None:
        qs = qs.filter(organisation__in=organisations)
    rows = [(c, feedback_due_on(consultation=c)) for c in qs]
    return sorted(rows, key=lambda row: row[1])


def consultation_statistics(*, year: int, organisations: QuerySet[Organisation] | None = None,
                            today: dt.date | None = None) -> dict[str, int]:
    """Counts for the annual report and the assessment: consultations started in `year`, opinions
    received, published and set aside, distinct opinions answered per outcome, feedback published, on
    time, late and overdue."""
    today = today or today_local()
    consultations = Consultation.objects.filter(state=Consultation.State.PUBLISHED, starts_on__year=year)
    if organisations is not None:
        consultations = consultations.filter(organisation__in=organisations)
    opinions = Opinion.objects.filter(consultation__in=consultations)
    states = dict(opinions.values_list("state").annotate(n=Count("id")))
    stats: dict[str, int] = {
        "consultations": consultations.count(),
        "major_decision_consultations": consultations.filter(kind=Consultation.Kind.MAJOR_DECISION).count(),
        "opinions": sum(states.values()),
        "opinions_published": states.get(Opinion.State.PUBLISHED, 0),
        "opinions_rejected": states.get(Opinion.State.REJECTED, 0),
        "opinions_offline": opinions.exclude(channel=Opinion.Channel.ONLINE).count(),
    }
    groups = OpinionGroup.objects.filter(consultation__in=consultations).exclude(outcome="")
    per = dict(groups.values_list("outcome").annotate(n=Sum("size")))
    for value in OpinionGroup.Outcome.values:
        stats[f"adoption_{value}"] = per.get(value, 0) or 0
    feedback = {"feedback_published": 0, "feedback_on_time": 0, "feedback_late": 0, "feedback_overdue": 0}
    for c in consultations:
        if consultation_status(consultation=c, today=today) in ("open", "forthcoming"):
            continue
        late = feedback_late(consultation=c, today=today)
        if c.feedback_published_at is not None:
            feedback["feedback_published"] += 1
            feedback["feedback_late" if late else "feedback_on_time"] += 1
        elif late:
            feedback["feedback_overdue"] += 1
    stats.update(feedback)
    return stats


def decision_catalogue(*, catalogue_owner: Organisation, year: int, public: bool = True) -> QuerySet[DecisionItem]:
    qs = DecisionItem.objects.filter(catalogue_owner=catalogue_owner, year=year).select_related("owner_unit")
    if public:
        qs = qs.filter(catalogue_published_at__isnull=False)
    return qs.order_by("number")


def decision_catalogues_public() -> list[tuple[Organisation, int]]:
    """(catalogue owner, year) pairs with a published catalogue, newest first."""
    pairs = (DecisionItem.objects.filter(catalogue_published_at__isnull=False)
             .values_list("catalogue_owner", "year").distinct().order_by("-year", "catalogue_owner"))
    owners = Organisation.objects.in_bulk({p[0] for p in pairs})
    return [(owners[o], y) for o, y in pairs]


def consultations_of(*, organisation_ids) -> QuerySet[Consultation]:
    """Published consultations of the given drafting organisations (for the assessment in oversight)."""
    return Consultation.objects.filter(organisation_id__in=list(organisation_ids), state=Consultation.State.PUBLISHED)
