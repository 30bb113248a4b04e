"""The assessment indicators, computed live from the records of the other packages (read only through
their selectors), per set of organisations and period. Each returns the items behind its number so a
reader can check it (`Item.key` is stable: the stored result keeps the keys).

Rule for stability: every indicator counts items whose deadline (or event) falls inside the period and
judges them by what was recorded up to the period's end, so recomputing a past period gives the same
number (definitions and formulas: `conf.INDICATORS`, docs/oversight.md).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from gongkai.applications import selectors as applications
from gongkai.compliance import selectors as compliance
from gongkai.core import workdays
from gongkai.core.models import Organisation
from gongkai.documents import selectors as documents

from . import conf
from .clocks import incident_clocks, incident_met
from .models import Incident, PlanTask, Rectification
from .periods import Period


@dataclass
class Item:
    key: str  # "<kind>:<pk>", stable across recomputations
    label: str
    ok: bool  # rate indicators: counted in the numerator; count indicators: always False (a found item)
    note: str = ""
    organisation: str = ""
    url_name: str = ""
    url_args: tuple = ()


@dataclass
class Value:
    definition: conf.IndicatorDefinition
    available: bool = True
    items: list[Item] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def numerator(self) -> int:
        return sum(1 for i in self.items if i.ok)

    @property
    def denominator(self) -> int:
        return len(self.items)

    @property
    def count(self) -> int:
        return sum(1 for i in self.items if not i.ok)

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def display(self) -> str:
        if not self.available:
            return "不可用"
        if self.definition.kind == "count":
            return f"{self.count} 项"
        if self.rate is None:
            return "无应考核事项"
        return f"{self.rate * 100:.1f}%（{self.numerator}/{self.denominator}）"


def _local(at: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(at).date() if at else None


def _cut(period: Period) -> tuple[dt.datetime, dt.date]:
    """The evidence cut-off: the period's end, or now for a period still running."""
    cut = min(period.end_at, timezone.now())
    return cut, timezone.localtime(cut).date()


def _not_yet_due(period: Period, due: dt.date) -> bool:
    """In a period still running, a deadline from today on has not passed yet (its day is still open)."""
    cut, cut_day = _cut(period)
    return due > cut_day or (due == cut_day and cut < period.end_at)


def _names(organisation_ids: Iterable[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=list(organisation_ids)).values_list("pk", "name"))


# --- Documents: interpretations --------------------------------------------------------------------------
def _normative(org_ids, since: dt.datetime, until: dt.datetime):
    return (documents.documents_public().filter(genre__in=["rule", "normative"], organisation_id__in=org_ids,
                                                published_at__gte=since, published_at__lte=until)
            .select_related("organisation").prefetch_related("interpretations").order_by("published_at", "id"))


def _first_interpretation(document, until: dt.datetime):
    published = [i.published_at for i in document.interpretations.all()
                 if i.state == "published" and i.published_at and i.published_at <= until]
    return min(published) if published else None


def interpretation_rate(org_ids, period: Period) -> list[Item]:
    items = []
    cut, _ = _cut(period)
    for d in _normative(org_ids, period.start_at, period.end_at):
        first = _first_interpretation(d, cut)
        items.append(Item(f"document:{d.pk}", d.title, first is not None,
                          f"解读 {_local(first):%Y-%m-%d}" if first else "期末未发布解读", d.organisation.name,
                          "workspace:document_detail", (d.pk,)))
    return items


def interpretation_timeliness(org_ids, period: Period) -> list[Item]:
    limit = settings.INTERPRETATION_DEADLINE_WORKING_DAYS
    # A deadline inside the period belongs to a document published at most ~limit·3 calendar days before it.
    since = period.start_at - dt.timedelta(days=limit * 3 + 21)
    items = []
    for d in _normative(org_ids, since, period.end_at):
        published = _local(d.published_at)
        try:
            due = workdays.add_working_days(published, limit)
        except workdays.CalendarYearMissing:
            continue
        first = _first_interpretation(d, _cut(period)[0])
        if not period.contains(due) or (_not_yet_due(period, due) and first is None):
            continue  # not in the period, or not yet due
        ok = first is not None and _local(first) <= due
        note = (f"发布 {published:%Y-%m-%d}，解读期限 {due:%Y-%m-%d}，"
                + (f"解读 {_local(first):%Y-%m-%d}" if first else "期末未解读"))
        items.append(Item(f"document:{d.pk}", d.title, ok, note, d.organisation.name,
                          "workspace:document_detail", (d.pk,)))
    return items


# --- Applications ----------------------------------------------------------------------------------------
def applications_on_time(org_ids, period: Period) -> list[Item]:
    items = []
    _, cut = _cut(period)
    qs = applications.applications_of(organisation_ids=org_ids).filter(received_on__isnull=False,
                                                                        received_on__lte=period.end)
    for a in qs.select_related("organisation").order_by("received_on", "id"):
        concluded_in = period.contains(a.concluded_on) and a.concluded_on <= cut
        open_at_end = a.concluded_on is None or a.concluded_on > cut
        if concluded_in:
            ok = bool(a.on_time)
            note = f"收到 {a.received_on:%Y-%m-%d}，期限 {a.due_on:%Y-%m-%d}，办结 {a.concluded_on:%Y-%m-%d}" if a.due_on else ""
        elif open_at_end and a.due_on and a.due_on < cut:
            ok = False
            note = f"收到 {a.received_on:%Y-%m-%d}，期限 {a.due_on:%Y-%m-%d}，期末仍未答复"
        else:
            continue
        items.append(Item(f"application:{a.pk}", a.tracking_code, ok, note, a.organisation.name,
                          "applications_workspace:detail", (a.pk,)))
    return items


def applications_corrected(org_ids, period: Period) -> list[Item]:
    items = []
    qs = applications.remedies_of(organisation_ids=org_ids).filter(
        result="corrected", decided_on__gte=period.start, decided_on__lte=period.end).order_by("decided_on", "id")
    names = _names(org_ids)
    for r in qs:
        items.append(Item(f"remedy:{r.pk}", f"{r.get_kind_display()} {r.case_no or ''}".strip(), False,
                          f"申请 {r.application.tracking_code}，{r.decided_on:%Y-%m-%d} 审结：结果纠正",
                          names.get(r.application.organisation_id, ""), "applications_workspace:detail",
                          (r.application_id,)))
    return items


# --- Consultations ---------------------------------------------------------------------------------------
def consultation_feedback_on_time(org_ids, period: Period) -> list[Item]:
    from gongkai.consultations import selectors as consultations  # noqa: PLC0415 (optional module, read when installed)

    items = []
    for c in consultations.consultations_of(organisation_ids=org_ids).select_related("organisation").order_by("id"):
        due = consultations.feedback_due_on(consultation=c)
        cut, cut_day = _cut(period)
        published = _local(c.feedback_published_at) if c.feedback_published_at and c.feedback_published_at <= cut else None
        if not period.contains(due) or (_not_yet_due(period, due) and published is None):
            continue  # not in the period, or not yet due
        ok = published is not None and published <= due
        items.append(Item(f"consultation:{c.pk}", c.title, ok,
                          f"应于 {due:%Y-%m-%d} 前公布，" + (f"{published:%Y-%m-%d} 公布" if published else "期末未公布"),
                          c.organisation.name, "workspace:consultation_detail", (c.pk,)))
    return items


# --- Interaction -----------------------------------------------------------------------------------------
def _messages(org_ids):
    from gongkai.interaction import selectors as interaction  # noqa: PLC0415 (optional module, read when installed)

    return interaction, interaction.valid_messages().filter(organisation_id__in=org_ids).select_related("organisation")


def messages_on_time(org_ids, period: Period) -> list[Item]:
    _, qs = _messages(org_ids)
    items = []
    cut, cut_day = _cut(period)
    for m in qs.filter(due_on__gte=period.start, due_on__lte=period.end).order_by("due_on", "id"):
        if _not_yet_due(period, m.due_on) and not (m.replied_at and m.replied_at <= cut):
            continue  # not yet due and not yet answered
        replied = _local(m.replied_at) if m.replied_at and m.replied_at <= cut else None
        ok = replied is not None and replied <= m.due_on
        items.append(Item(f"message:{m.pk}", f"{m.tracking_code} {m.subject}", ok,
                          f"期限 {m.due_on:%Y-%m-%d}，" + (f"{replied:%Y-%m-%d} 答复" if replied else "期末未答复"),
                          m.organisation.name))
    return items


def messages_over_three_months(org_ids, period: Period) -> list[Item]:
    interaction, qs = _messages(org_ids)
    cut, _ = _cut(period)
    since = cut - dt.timedelta(days=366)
    items = []
    for m in qs.filter(submitted_at__gte=since, submitted_at__lte=cut).order_by("submitted_at", "id"):
        if interaction.message_over_limit(message=m, at=cut):
            replied = m.replied_at if m.replied_at and m.replied_at <= cut else None
            items.append(Item(f"message:{m.pk}", f"{m.tracking_code} {m.subject}", False,
                              f"{_local(m.submitted_at):%Y-%m-%d} 留言，" + (
                                  f"{_local(replied):%Y-%m-%d} 才答复" if replied else "期末仍未答复"),
                              m.organisation.name))
    return items


# --- Content -----------------------------------------------------------------------------------------------
def columns_stale(org_ids, period: Period) -> list[Item]:
    items = []
    for org in Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("path"):
        fresh = compliance.organisation_freshness(organisation=org, now=_cut(period)[0])
        for name in fresh.stale_columns:
            items.append(Item(f"column:{org.pk}:{name}", name, False, "期末不更新", org.name,
                              "workspace:compliance_findings", (org.pk,)))
        for name in fresh.empty_columns:
            items.append(Item(f"column:{org.pk}:{name}", name, False, "空白栏目", org.name,
                              "workspace:compliance_findings", (org.pk,)))
    return items


def findings_fixed(org_ids, period: Period) -> tuple[list[Item], dict]:
    items, days = [], []
    cut, _ = _cut(period)
    qs = compliance.findings_of(organisation_ids=org_ids).filter(
        first_seen__gte=period.start_at, first_seen__lte=period.end_at).select_related("organisation")
    for f in qs.order_by("first_seen", "id"):
        resolved = f.resolved_at if f.resolved_at and f.resolved_at <= cut else None
        if f.status == "accepted" and resolved:
            continue  # confirmed as no error: not a finding to fix
        ok = f.status == "fixed" and resolved is not None
        if ok:
            days.append((_local(resolved) - _local(f.first_seen)).days)
        items.append(Item(f"finding:{f.pk}", f"{f.item_title}：{f.text}", ok,
                          f"{_local(f.first_seen):%Y-%m-%d} 发现，" + (f"{_local(resolved):%Y-%m-%d} 改正" if ok else "期末未改正"),
                          f.organisation.name, "workspace:compliance_findings", (f.organisation_id,)))
    extra = {"mean_days_to_fix": round(statistics.mean(days), 1) if days else None}
    return items, extra


def catalogue_overdue(org_ids, period: Period) -> list[Item]:
    from gongkai.catalog import selectors as catalog  # noqa: PLC0415 (optional module, read when installed)

    items = []
    for org in Organisation.objects.filter(pk__in=org_ids).order_by("path"):
        for item in catalog.adopted_items(organisation=org):
            state = catalog.adopted_item_state(item=item, today=_cut(period)[1], as_of=_cut(period)[0])
            if state.state != "ok":
                items.append(Item(f"catalogue_item:{item.pk}", str(item), False, f"{state.label}：{state.note}",
                                  org.name, "workspace:catalog_overview", ()))
    return items


def datasets_update_overdue(org_ids, period: Period) -> list[Item]:
    from gongkai.opendata import selectors as opendata  # noqa: PLC0415 (optional module, read when installed)

    items = []
    cut, cut_day = _cut(period)
    # As each dataset stood at the cut-off (its activity snapshot), so a later update does not change the past.
    for d, snapshot in opendata.datasets_published_as_of(organisation_ids=org_ids, at=cut):
        overdue, updated = opendata.snapshot_update_overdue(snapshot=snapshot, today=cut_day)
        if overdue:
            items.append(Item(f"dataset:{d.pk}", snapshot.get("title") or d.title, False,
                              f"{d.get_frequency_display()}更新，期末时数据更新于 {updated:%Y-%m-%d}",
                              d.organisation.name, "workspace:opendata_detail", (d.pk,)))
    return items


# --- Oversight's own records -------------------------------------------------------------------------------
def rectification_on_time(org_ids, period: Period) -> list[Item]:
    items = []
    _, cut = _cut(period)
    qs = Rectification.objects.filter(organisation_id__in=org_ids, deadline__gte=period.start,
                                      deadline__lte=period.end).select_related("organisation")
    for r in qs.order_by("deadline", "id"):
        if _not_yet_due(period, r.deadline) and not (r.closed_on and r.closed_on <= cut):
            continue  # not yet due
        closed = r.state == Rectification.State.CLOSED and r.closed_on and r.closed_on <= cut
        ok = bool(closed and r.answered_on and r.answered_on <= r.deadline)
        note = f"期限 {r.deadline:%Y-%m-%d}，" + (
            f"{r.answered_on:%Y-%m-%d} 整改，{r.closed_on:%Y-%m-%d} 复核通过" if closed else "期末未通过复核")
        items.append(Item(f"rectification:{r.pk}", r.title, ok, note, r.organisation.name,
                          "workspace:oversight_rectification", (r.pk,)))
    return items


def opinion_response_on_time(org_ids, period: Period) -> list[Item]:
    items = []
    qs = Incident.objects.filter(organisation_id__in=org_ids, first_seen_at__gte=period.start_at,
                                 first_seen_at__lte=period.end_at).select_related("organisation")
    for i in qs.prefetch_related("actions").order_by("first_seen_at", "id"):
        clocks = incident_clocks(incident=i, now=_cut(period)[0])
        if any(c.state == "running" for c in clocks):
            continue  # a clock still running is judged when it stops
        ok = incident_met(clocks)
        note = "；".join(f"{c.label}{c.state_label}" for c in clocks)
        items.append(Item(f"incident:{i.pk}", i.title, ok, note, i.organisation.name,
                          "workspace:oversight_incident", (i.pk,)))
    return items


def workplan_on_time(org_ids, period: Period) -> list[Item]:
    items = []
    _, cut = _cut(period)
    qs = PlanTask.objects.filter(lead_unit_id__in=org_ids, deadline__gte=period.start,
                                 deadline__lte=period.end).select_related("lead_unit", "plan")
    for t in qs.order_by("deadline", "id"):
        if t.state == PlanTask.State.CANCELLED and (t.cancelled_on is None or t.cancelled_on <= cut):
            continue  # cancelled by the cut-off; a task cancelled later still counts in the past period
        if _not_yet_due(period, t.deadline) and not (t.done_on and t.done_on <= cut):
            continue  # not yet due
        done = t.done_on if t.done_on and t.done_on <= cut else None
        ok = done is not None and done <= t.deadline
        items.append(Item(f"task:{t.pk}", f"{t.number} {t.title}", ok,
                          f"期限 {t.deadline:%Y-%m-%d}，" + (f"{done:%Y-%m-%d} 完成" if done else "期末未完成"),
                          t.lead_unit.name, "workspace:oversight_plan", (t.plan_id,)))
    return items


COMPUTE: dict[str, Callable] = {
    "interpretation_rate": interpretation_rate,
    "interpretation_timeliness": interpretation_timeliness,
    "applications_on_time": applications_on_time,
    "applications_corrected": applications_corrected,
    "consultation_feedback_on_time": consultation_feedback_on_time,
    "messages_on_time": messages_on_time,
    "messages_over_three_months": messages_over_three_months,
    "columns_stale": columns_stale,
    "findings_fixed": findings_fixed,
    "catalogue_overdue": catalogue_overdue,
    "datasets_update_overdue": datasets_update_overdue,
    "rectification_on_time": rectification_on_time,
    "opinion_response_on_time": opinion_response_on_time,
    "workplan_on_time": workplan_on_time,
}


def module_available(module: str) -> bool:
    return apps.is_installed(f"gongkai.{module}")


def indicator_value(*, code: str, organisation_ids: Iterable[int], period: Period) -> Value:
    """One indicator for the given organisations and period; unavailable (not zero) when its module is absent."""
    definition = conf.INDICATOR_BY_CODE[code]
    if not module_available(definition.module):
        return Value(definition, available=False)
    out = COMPUTE[code](list(organisation_ids), period)
    items, extra = out if isinstance(out, tuple) else (out, {})
    return Value(definition, items=items, extra=extra)
