"""Writes of oversight — the one door for schemes, stored assessments, the work plan, rectification,
the public-opinion log, press conferences and usage counts. Every state change is an audit event."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import threading
import time
from collections import Counter
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, transaction
from django.db.models import F
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.utils import timezone

from gongkai.compliance import selectors as compliance
from gongkai.core import workdays
from gongkai.core.models import Organisation, User
from gongkai.core.selectors import organisations_for_user
from gongkai.core.services import audit_record

from . import conf
from .models import (
    AssessmentResult,
    Incident,
    IncidentAction,
    OpinionClock,
    PlanTask,
    PressConference,
    Rectification,
    RectificationEvent,
    Scheme,
    SchemeIndicator,
    TaskProgress,
    UsageDaily,
    WorkPlan,
)
from .periods import Period
from .scoring import ranking, score_data
from .selectors import user_is_office, user_may_steer


def _require_office(by: User | None, organisation: Organisation | None = None) -> None:
    if by is None:
        return  # the system (demo, tasks, imports run by an administrator's command)
    if organisation is not None and not user_may_steer(user=by, organisation=organisation):
        raise PermissionDenied("只有政务公开办管理员可以进行此操作。")
    if organisation is None and not user_is_office(by):
        raise PermissionDenied("只有政务公开办管理员可以进行此操作。")


def _require_member(by: User | None, organisation: Organisation) -> None:
    if by is not None and not organisations_for_user(user=by).filter(pk=organisation.pk).exists():
        raise PermissionDenied("您不是该单位的工作人员。")


def _links(evidence: Any) -> list[str]:
    if isinstance(evidence, str):
        evidence = evidence.split()
    return [str(e).strip() for e in (evidence or []) if str(e).strip()]


# --- Assessment schemes ----------------------------------------------------------------------------------------
@transaction.atomic
def scheme_seed(*, year: int, by: User | None = None) -> Scheme:
    """The year's scheme from `conf.DEFAULT_SCHEME` (once; an existing one is returned)."""
    existing = Scheme.objects.filter(year=year).order_by("-version").first()
    if existing:
        return existing
    _require_office(by)
    scheme = Scheme.objects.create(year=year, version=1, name=f"{year}年度政务公开工作考核", source=conf.DEFAULT_SCHEME_SOURCE)
    for n, row in enumerate(conf.DEFAULT_SCHEME):
        SchemeIndicator.objects.create(scheme=scheme, code=row["code"], weight=Decimal(row["weight"]),
                                       target=Decimal(str(row["target"])) if "target" in row else None,
                                       deduction=Decimal(row["deduction"]) if "deduction" in row else None,
                                       veto=row.get("veto", False), sort_order=n)
    audit_record(actor=by, action="oversight.scheme.create", obj=scheme, after={"year": year, "version": 1})
    return scheme


def _check_rule(code: str, weight, target, deduction) -> None:
    definition = conf.INDICATOR_BY_CODE.get(code)
    if definition is None:
        raise ValidationError(f"未知的指标“{code}”。")
    if weight is None or Decimal(weight) < 0:
        raise ValidationError(f"“{definition.label}”的分值不能为负。")
    if definition.kind == "rate" and target is not None and not (0 < Decimal(target) <= 1):
        raise ValidationError(f"“{definition.label}”的满分线应在 0 到 1 之间。")
    if definition.kind == "count" and deduction is not None and Decimal(deduction) < 0:
        raise ValidationError(f"“{definition.label}”的每项扣分不能为负。")


@transaction.atomic
def scheme_update(*, scheme: Scheme, by: User | None, rules: list[dict], name: str | None = None) -> Scheme:
    """Replace the scheme's indicators. A frozen scheme (already used for a stored result) is not changed:
    the change becomes the next version of the year, so a past result keeps the scheme it was computed with."""
    _require_office(by)
    for row in rules:
        _check_rule(row["code"], row.get("weight"), row.get("target"), row.get("deduction"))
    if len({row["code"] for row in rules}) != len(rules):
        raise ValidationError("同一指标只能出现一次。")
    before = [(r.code, str(r.weight)) for r in scheme.indicators.all()]
    if scheme.frozen:
        last = Scheme.objects.filter(year=scheme.year).order_by("-version").first()
        scheme = Scheme.objects.create(year=scheme.year, version=last.version + 1, name=name or scheme.name,
                                       source=scheme.source)
    else:
        scheme.indicators.all().delete()
        if name:
            scheme.name = name
            scheme.save(update_fields=["name"])
    for n, row in enumerate(rules):
        SchemeIndicator.objects.create(scheme=scheme, code=row["code"], weight=Decimal(str(row["weight"])),
                                       target=Decimal(str(row["target"])) if row.get("target") is not None else None,
                                       deduction=Decimal(str(row["deduction"])) if row.get("deduction") is not None else None,
                                       veto=bool(row.get("veto")), sort_order=n)
    audit_record(actor=by, action="oversight.scheme.update", obj=scheme, before={"rules": before},
                 after={"version": scheme.version, "rules": [(r["code"], str(r["weight"])) for r in rules]})
    return scheme


@transaction.atomic
def assessment_store(*, scheme: Scheme, period: Period, organisations, by: User | None) -> AssessmentResult:
    """Compute and keep the assessment of a period (考核结果); the scheme is frozen from now on."""
    _require_office(by)
    scores = ranking(scheme=scheme, organisations=organisations, period=period)
    result = AssessmentResult.objects.create(scheme=scheme, period=period.key, computed_by=by if by else None,
                                             data={"scores": [score_data(s) for s in scores]})
    if not scheme.frozen:
        scheme.frozen = True
        scheme.save(update_fields=["frozen"])
    audit_record(actor=by, action="oversight.assessment.store", obj=result,
                 after={"period": period.key, "scheme": scheme.pk, "organisations": len(scores)})
    return result


# --- Work plan (工作要点) ---------------------------------------------------------------------------------------
@transaction.atomic
def plan_create(*, organisation: Organisation, year: int, title: str, by: User | None, document=None) -> WorkPlan:
    _require_office(by, organisation)
    if not title.strip():
        raise ValidationError("请填写工作要点标题。")
    plan = WorkPlan.objects.create(organisation=organisation, year=year, title=title.strip(), document=document)
    audit_record(actor=by, action="oversight.plan.create", obj=plan, organisation=organisation, after={"year": year})
    return plan


@transaction.atomic
def task_create(*, plan: WorkPlan, by: User | None, number: str, title: str, lead_unit: Organisation,
                co_units=(), deadline: dt.date | None = None, paragraph: str = "", parent: PlanTask | None = None,
                milestones: list[dict] | None = None) -> PlanTask:
    _require_office(by, plan.organisation)
    if not title.strip():
        raise ValidationError("请填写任务内容。")
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError("上级任务不属于该工作要点。")
    if deadline is not None and deadline.year > plan.year + 1:
        raise ValidationError("完成时限不应晚于次年。")
    task = PlanTask.objects.create(plan=plan, parent=parent, number=number.strip(), title=title.strip(),
                                   paragraph=paragraph.strip(), lead_unit=lead_unit, deadline=deadline,
                                   milestones=list(milestones or []), sort_order=plan.tasks.count())
    task.co_units.set([u for u in co_units if u.pk != lead_unit.pk])
    audit_record(actor=by, action="oversight.task.create", obj=task, organisation=lead_unit,
                 after={"deadline": deadline.isoformat() if deadline else None, "lead": lead_unit.code})
    return task


@transaction.atomic
def task_report(*, task: PlanTask, by: User | None, text: str, on: dt.date | None = None,
                evidence: Any = None, completes: bool = False) -> TaskProgress:
    """A progress report by the lead or a co-responsible unit; `completes` marks the task done that day."""
    _task_member(by, task)
    if task.state != PlanTask.State.OPEN:
        raise ValidationError("该任务已完成或已取消。")
    if not text.strip():
        raise ValidationError("请填写进展情况。")
    on = on or timezone.localdate()
    links = _links(evidence)
    if completes and not links:
        raise ValidationError("报告完成时请附佐证材料链接。")
    report = TaskProgress.objects.create(task=task, on=on, text=text.strip(), evidence=links, completes=completes, by=by)
    if completes:
        task.state, task.done_on = PlanTask.State.DONE, on
        task.save(update_fields=["state", "done_on"])
    audit_record(actor=by, action="oversight.task.report", obj=task, organisation=task.lead_unit,
                 after={"on": on.isoformat(), "completes": completes})
    return report


def plan_draft(*, plan: WorkPlan):
    """The draft task tree read from the plan's published document (nothing is stored)."""
    from .plan_text import parse_plan_text  # noqa: PLC0415

    if plan.document is None:
        raise ValidationError("该工作要点没有关联印发文件。")
    if plan.document.status != "published":
        raise ValidationError("只能从已发布的文件生成任务。")
    return parse_plan_text(plan.document.body)


@transaction.atomic
def plan_tasks_from_draft(*, plan: WorkPlan, by: User | None, choices: dict[str, dict]) -> list[PlanTask]:
    """Staff confirm the draft: each chosen task (`choices[key]` = {"lead_unit", "deadline", "co_units"})
    is created through `task_create`, under its nearest chosen ancestor, citing its paragraph. The draft
    is read again from the document, so what is created is what the document says."""
    from .plan_text import draft_rows  # noqa: PLC0415

    _require_office(by, plan.organisation)
    if plan.tasks.exists():
        raise ValidationError("该工作要点已有任务，不能再次从文件生成。")
    rows = draft_rows(plan_draft(plan=plan))
    unknown = set(choices) - {d.key for d, _ in rows}
    if unknown:
        raise ValidationError("草稿与印发文件不一致，请重新生成。")
    if not choices:
        raise ValidationError("请至少选择一项任务。")
    created: dict[str, PlanTask] = {}
    out = []
    for draft, _ in rows:
        chosen = choices.get(draft.key)
        if chosen is None:
            continue
        parent_key = draft.key.rpartition(".")[0]
        while parent_key and parent_key not in created:
            parent_key = parent_key.rpartition(".")[0]
        task = task_create(plan=plan, by=by, number=draft.number, title=draft.title, paragraph=draft.paragraph,
                           lead_unit=chosen["lead_unit"], co_units=chosen.get("co_units", ()),
                           deadline=chosen.get("deadline"), parent=created.get(parent_key))
        created[draft.key] = task
        out.append(task)
    return out


def _task_member(by: User | None, task: PlanTask) -> None:
    units = [task.lead_unit, *task.co_units.all()]
    if by is not None and not any(organisations_for_user(user=by).filter(pk=u.pk).exists() for u in units):
        raise PermissionDenied("只有牵头或配合单位可以报送进展。")


@transaction.atomic
def task_milestone_add(*, task: PlanTask, by: User | None, title: str, due_on: dt.date) -> PlanTask:
    """A milestone (节点) of a task, set by the office: a title and a date not after the task's deadline."""
    task = PlanTask.objects.select_for_update().select_related("plan__organisation").get(pk=task.pk)
    _require_office(by, task.plan.organisation)
    if task.state != PlanTask.State.OPEN:
        raise ValidationError("该任务已完成或已取消。")
    if not title.strip():
        raise ValidationError("请填写节点内容。")
    if task.deadline is not None and due_on > task.deadline:
        raise ValidationError(f"节点日期不能晚于任务完成时限 {task.deadline:%Y-%m-%d}。")
    task.milestones = sorted([*task.milestones, {"title": title.strip()[:200], "due_on": due_on.isoformat(),
                                                 "done_on": None}], key=lambda m: m["due_on"])
    task.save(update_fields=["milestones"])
    audit_record(actor=by, action="oversight.task.milestone", obj=task, organisation=task.lead_unit,
                 after={"title": title.strip()[:200], "due_on": due_on.isoformat()})
    return task


@transaction.atomic
def task_milestone_done(*, task: PlanTask, by: User | None, index: int, on: dt.date | None = None) -> PlanTask:
    """The lead or a co-responsible unit marks a milestone reached (once; the date is kept)."""
    task = PlanTask.objects.select_for_update().select_related("lead_unit").get(pk=task.pk)
    _task_member(by, task)
    if not 0 <= index < len(task.milestones):
        raise ValidationError("没有该节点。")
    if task.milestones[index].get("done_on"):
        raise ValidationError("该节点已完成。")
    on = on or timezone.localdate()
    milestones = [dict(m) for m in task.milestones]
    milestones[index]["done_on"] = on.isoformat()
    task.milestones = milestones
    task.save(update_fields=["milestones"])
    audit_record(actor=by, action="oversight.task.milestone_done", obj=task, organisation=task.lead_unit,
                 after={"title": milestones[index]["title"], "done_on": on.isoformat()})
    return task


@transaction.atomic
def task_cancel(*, task: PlanTask, by: User | None, reason: str) -> PlanTask:
    _require_office(by, task.plan.organisation)
    if not reason.strip():
        raise ValidationError("请说明取消理由。")
    task.state, task.cancelled_on = PlanTask.State.CANCELLED, timezone.localdate()
    task.save(update_fields=["state", "cancelled_on"])
    audit_record(actor=by, action="oversight.task.cancel", obj=task, organisation=task.lead_unit, note=reason.strip())
    return task


# --- Rectification (整改) ---------------------------------------------------------------------------------------
def _event(r: Rectification, kind: str, by: User | None, note: str = "", on: dt.date | None = None) -> None:
    RectificationEvent.objects.create(rectification=r, kind=kind, on=on or timezone.localdate(), note=note, by=by)
    audit_record(actor=by, action=f"oversight.rectification.{kind}", obj=r, organisation=r.organisation,
                 after={"state": r.state}, note=note[:300])


@transaction.atomic
def rectification_create(*, organisation: Organisation, by: User | None, source: str, title: str,
                         found_on: dt.date, deadline: dt.date | None = None, detail: str = "", url: str = "",
                         reference: str = "", owner: User | None = None, fingerprint: str = "") -> Rectification:
    """Enter a finding and assign it to the responsible unit with a deadline (default: N working days)."""
    _require_office(by, organisation)
    if source not in Rectification.Source.values:
        raise ValidationError(f"未知的问题来源“{source}”。")
    if not title.strip():
        raise ValidationError("请填写问题。")
    deadline = deadline or workdays.add_working_days(found_on, conf.RECTIFICATION_DEFAULT_WORKING_DAYS)
    if deadline < found_on:
        raise ValidationError("整改期限不能早于发现日期。")
    r = Rectification.objects.create(organisation=organisation, source=source, title=title.strip()[:300],
                                     detail=detail.strip(), url=url.strip(), reference=reference.strip(),
                                     found_on=found_on, deadline=deadline, owner=owner, fingerprint=fingerprint)
    _event(r, "created", by, f"整改期限 {deadline:%Y-%m-%d}", on=found_on)
    return r


@transaction.atomic
def rectification_answer(*, rectification: Rectification, by: User | None, answer: str, evidence: Any,
                         on: dt.date | None = None) -> Rectification:
    """The unit reports what it did, with evidence (a page link, a screenshot link, a document)."""
    r = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _require_member(by, r.organisation)
    if r.state == Rectification.State.CLOSED:
        raise ValidationError("该问题已办结。")
    links = _links(evidence)
    if not answer.strip():
        raise ValidationError("请填写整改情况。")
    if not links:
        raise ValidationError("请提供整改佐证（如整改后页面的链接）。")
    r.answer, r.evidence, r.answered_on, r.state = answer.strip(), links, on or timezone.localdate(), Rectification.State.ANSWERED
    r.save(update_fields=["answer", "evidence", "answered_on", "state"])
    _event(r, "answered", by, answer.strip(), on=r.answered_on)
    return r


@transaction.atomic
def rectification_recheck(*, rectification: Rectification, by: User | None, accept: bool, note: str = "",
                          on: dt.date | None = None) -> Rectification:
    """The office re-checks: accepted (closed — only with an answer and its evidence) or rejected back."""
    r = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _require_office(by, r.organisation)
    if r.state != Rectification.State.ANSWERED:
        raise ValidationError("只有已反馈的问题可以复核。")
    on = on or timezone.localdate()
    if accept:
        if not (r.answer and r.evidence):
            raise ValidationError("没有整改佐证，不能办结。")
        r.state, r.closed_on = Rectification.State.CLOSED, on
        r.save(update_fields=["state", "closed_on"])
        _event(r, "accepted", by, note, on=on)
    else:
        if not note.strip():
            raise ValidationError("退回时请说明理由。")
        r.state, r.rejections = Rectification.State.ASSIGNED, r.rejections + 1
        r.save(update_fields=["state", "rejections"])
        _event(r, "rejected", by, note.strip(), on=on)
    return r


IMPORT_COLUMNS = {"责任单位": "organisation", "问题": "title", "问题描述": "detail", "来源": "source", "问题页面": "url",
                  "问题编号": "reference", "发现日期": "found_on", "整改期限": "deadline"}


def _as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))


def rectification_import_xlsx(*, file, by: User | None, default_source: str = Rectification.Source.THIRD_PARTY,
                              today: dt.date | None = None) -> dict:
    """Import a third party's finding list (XLSX; first row headers: 责任单位 问题 问题描述 来源 问题页面 问题编号
    发现日期 整改期限). A row already imported (same 问题编号 or unit + problem + page) is skipped.
    Returns {"created": n, "skipped": n, "errors": ["第 N 行：…"]}."""
    import openpyxl  # noqa: PLC0415 - heavy, only for imports

    _require_office(by)
    sources = {label: value for value, label in Rectification.Source.choices}
    wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    rows = wb.active.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, [])]
    if "责任单位" not in header or "问题" not in header:
        raise ValidationError("表头应包含“责任单位”和“问题”列。")
    fields = [IMPORT_COLUMNS.get(h) for h in header]
    report = {"created": 0, "skipped": 0, "errors": []}
    today = today or timezone.localdate()
    for n, row in enumerate(rows, start=2):
        data = {f: v for f, v in zip(fields, row, strict=False) if f}
        if not any(v not in (None, "") for v in data.values()):
            continue
        name = str(data.get("organisation") or "").strip()
        org = Organisation.objects.filter(name=name).first() or Organisation.objects.filter(short_name=name).first()
        if org is None:
            report["errors"].append(f"第 {n} 行：找不到责任单位“{name}”。")
            continue
        title = str(data.get("title") or "").strip()
        reference = str(data.get("reference") or "").strip()
        fingerprint = f"ref:{reference}" if reference else f"{org.pk}:{title}:{data.get('url') or ''}"[:200]
        if Rectification.objects.filter(fingerprint=fingerprint).exists():
            report["skipped"] += 1
            continue
        try:
            with transaction.atomic():
                rectification_create(
                    organisation=org, by=by, source=sources.get(str(data.get("source") or "").strip(), default_source),
                    title=title, detail=str(data.get("detail") or ""), url=str(data.get("url") or ""),
                    reference=reference, found_on=_as_date(data.get("found_on")) or today,
                    deadline=_as_date(data.get("deadline")), fingerprint=fingerprint)
        except (ValidationError, ValueError, PermissionDenied) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            report["errors"].append(f"第 {n} 行：{message}")
            continue
        report["created"] += 1
    return report


def rectification_from_content_checks(*, organisations, by: User | None = None, today: dt.date | None = None) -> int:
    """The platform's own content checks feed the same list: each open severe finding becomes (once) a
    rectification item of its organisation."""
    today = today or timezone.localdate()
    created = 0
    for org in organisations:
        for f in compliance.findings_open(organisation=org).filter(severity="severe"):
            fingerprint = f"finding:{f.pk}"
            if Rectification.objects.filter(fingerprint=fingerprint).exists():
                continue
            rectification_create(organisation=org, by=by, source=Rectification.Source.CONTENT_CHECK,
                                 title=f"{f.item_title}：{f.message or f.text}"[:300],
                                 detail=f"{f.location} 原文“{f.text}”，建议“{f.suggestion}”".strip(),
                                 found_on=timezone.localtime(f.first_seen).date(), fingerprint=fingerprint)
            created += 1
    return created


# --- Public opinion (政务舆情) ------------------------------------------------------------------------------------
@transaction.atomic
def incident_create(*, organisation: Organisation, by: User | None, title: str, source: str, level: str,
                    first_seen_at: dt.datetime, summary: str = "", owner: User | None = None) -> Incident:
    _require_member(by, organisation)
    if level not in conf.LEVELS:
        raise ValidationError("请选择舆情级别。")
    if not title.strip() or not source.strip():
        raise ValidationError("请填写舆情标题和来源。")
    if first_seen_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError("首次发现时间不能晚于现在。")
    incident = Incident.objects.create(organisation=organisation, title=title.strip(), source=source.strip(), level=level,
                                       first_seen_at=first_seen_at, summary=summary.strip(), owner=owner or by)
    audit_record(actor=by, action="oversight.incident.create", obj=incident, organisation=organisation,
                 after={"level": level, "first_seen_at": first_seen_at.isoformat()})
    return incident


@transaction.atomic
def incident_act(*, incident: Incident, by: User | None, kind: str, at: dt.datetime, text: str, url: str = "",
                 document=None) -> IncidentAction:
    _require_member(by, incident.organisation)
    if kind not in IncidentAction.Kind.values:
        raise ValidationError("未知的处置类型。")
    if at < incident.first_seen_at:
        raise ValidationError("处置时间不能早于首次发现时间。")
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError("处置时间不能晚于现在。")
    if not text.strip():
        raise ValidationError("请填写处置内容。")
    if kind == IncidentAction.Kind.INFO and not (url.strip() or document):
        raise ValidationError("发布权威信息请填写发布链接或选择文件库中的文件。")
    action = IncidentAction.objects.create(incident=incident, kind=kind, at=at, text=text.strip(), url=url.strip(),
                                           document=document, by=by)
    audit_record(actor=by, action="oversight.incident.act", obj=incident, organisation=incident.organisation,
                 after={"kind": kind, "at": at.isoformat()})
    return action


@transaction.atomic
def incident_close(*, incident: Incident, by: User | None, at: dt.datetime | None = None) -> Incident:
    _require_member(by, incident.organisation)
    incident.closed_at = at or timezone.now()
    incident.save(update_fields=["closed_at"])
    audit_record(actor=by, action="oversight.incident.close", obj=incident, organisation=incident.organisation)
    return incident


def opinion_clocks_seed() -> int:
    created = 0
    for level, rule in conf.OPINION_CLOCKS.items():
        _, new = OpinionClock.objects.get_or_create(level=level, defaults={**rule, "source": conf.OPINION_CLOCK_SOURCE})
        created += new
    return created


@transaction.atomic
def conference_plan(*, organisation: Organisation, by: User | None, topic: str, speakers: str, held_on: dt.date,
                    kind: str = PressConference.Kind.CONFERENCE, plan_filed_on: dt.date | None = None,
                    incident: Incident | None = None) -> PressConference:
    _require_member(by, organisation)
    if not topic.strip() or not speakers.strip():
        raise ValidationError("请填写主题和发布人。")
    if plan_filed_on and plan_filed_on > held_on:
        raise ValidationError("方案报送日期不能晚于举行日期。")
    c = PressConference.objects.create(organisation=organisation, kind=kind, topic=topic.strip(), speakers=speakers.strip(),
                                       held_on=held_on, plan_filed_on=plan_filed_on, incident=incident)
    audit_record(actor=by, action="oversight.conference.plan", obj=c, organisation=organisation,
                 after={"held_on": held_on.isoformat(), "plan_filed_on": plan_filed_on.isoformat() if plan_filed_on else None})
    return c


@transaction.atomic
def conference_transcript(*, conference: PressConference, by: User | None, url: str = "", document=None) -> PressConference:
    _require_member(by, conference.organisation)
    if not (url.strip() or document):
        raise ValidationError("请填写文字实录链接或选择文件库中的文件。")
    conference.transcript_url, conference.transcript_document = url.strip(), document
    conference.save(update_fields=["transcript_url", "transcript_document"])
    audit_record(actor=by, action="oversight.conference.transcript", obj=conference, organisation=conference.organisation)
    return conference


# --- Usage statistics --------------------------------------------------------------------------------------------
# Hits are counted in memory per process (no IP, no cookie, no user): the cost of a page view is a few
# dictionary increments. No database write happens on the request path: when the buffer is due (every N hits
# or every S seconds) the request only wakes this process's flusher thread, which writes every key in one
# transaction (bench/usage_overhead.py measures the cost; a flush inline cost the cached page 12–28 %).
_buffer: Counter = Counter()
_lock = threading.Lock()
_state = {"pending": 0, "last_flush": time.monotonic(), "second": -1, "day": None, "limits": None}
_wake = threading.Event()
_flusher: dict = {"thread": None, "pid": None}


def _limits() -> tuple[int, float, bool]:
    """The flush thresholds, read from the settings once (and again after a test changes them)."""
    if _state["limits"] is None:
        _state["limits"] = (getattr(settings, "OVERSIGHT_USAGE_FLUSH_EVERY", conf.USAGE_FLUSH_EVERY),
                            getattr(settings, "OVERSIGHT_USAGE_FLUSH_SECONDS", conf.USAGE_FLUSH_SECONDS),
                            getattr(settings, "OVERSIGHT_USAGE_FLUSH_IN_THREAD", True))
    return _state["limits"]


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs) -> None:
    if setting.startswith("OVERSIGHT_USAGE") or setting in ("TIME_ZONE", "USE_TZ"):
        _state["limits"] = None
        _state["second"] = -1


def _today() -> dt.date:
    """Today's local date, recomputed at most once a second (the time-zone conversion is the dearest step)."""
    second = int(time.time())
    if second != _state["second"]:
        _state["day"], _state["second"] = timezone.localdate(), second
    return _state["day"]


def _flush_loop() -> None:
    while True:
        _wake.wait(timeout=_limits()[1])
        _wake.clear()
        try:
            usage_flush()
        except Exception:  # noqa: BLE001 — statistics only; the hits were put back and are retried
            pass
        finally:
            close_old_connections()


def _wake_flusher() -> None:
    """Start this process's flusher thread (once per process, also after a fork) and wake it."""
    thread = _flusher["thread"]
    if thread is None or _flusher["pid"] != os.getpid() or not thread.is_alive():
        with _lock:
            if _flusher["thread"] is thread:
                thread = threading.Thread(target=_flush_loop, name="usage-flush", daemon=True)
                _flusher["thread"], _flusher["pid"] = thread, os.getpid()
                thread.start()
    _wake.set()


def usage_hits(hits: list[tuple[str, str]], *, day: dt.date | None = None) -> None:
    """Count the (kind, key) pairs of one request; written by `usage_flush` when the buffer is due — in the
    flusher thread, not on the request path (inline only when OVERSIGHT_USAGE_FLUSH_IN_THREAD is False)."""
    day = day or _today()
    every, seconds, in_thread = _limits()
    with _lock:
        for kind, key in hits:
            _buffer[(day, kind, key[:200])] += 1
        _state["pending"] += len(hits)
        due = _state["pending"] >= every or time.monotonic() - _state["last_flush"] > seconds
        if due:
            _state["pending"], _state["last_flush"] = 0, time.monotonic()  # one wake-up per due buffer
    if due and in_thread:
        _wake_flusher()
    elif due:
        usage_flush()


def usage_record(*, kind: str, key: str, day: dt.date | None = None) -> None:
    key = (key or "").strip()
    if key:
        usage_hits([(kind, key)], day=day)


def usage_record_search(*, query: str, results: int) -> None:
    """A search and, when nothing was found, the query itself (normalised, no personal context)."""
    q = " ".join((query or "").split())[: conf.USAGE_QUERY_MAX_CHARS]
    if not q:
        return
    usage_record(kind=UsageDaily.Kind.SEARCH, key=q)
    if results == 0:
        usage_record(kind=UsageDaily.Kind.SEARCH_ZERO, key=q)


def usage_record_referrer(*, referrer: str, own_host: str) -> None:
    """Only the referring site's domain is kept (no path, no query)."""
    host = (urlsplit(referrer or "").hostname or "").lower()
    if host and host != (own_host or "").split(":")[0].lower():
        usage_record(kind=UsageDaily.Kind.REFERRER, key=host)


def usage_flush() -> int:
    """Write the buffered counts (one upsert per key, all in one transaction); returns the hits written.
    On a database error the counts go back into the buffer for the next flush."""
    with _lock:
        pending = dict(_buffer)
        _buffer.clear()
        _state["pending"], _state["last_flush"] = 0, time.monotonic()
    if not pending:
        return 0
    try:
        with transaction.atomic():
            for (day, kind, key), n in pending.items():
                updated = UsageDaily.objects.filter(day=day, kind=kind, key=key).update(count=F("count") + n)
                if not updated:
                    with transaction.atomic():  # a concurrent insert by another process: add to its row
                        _, created = UsageDaily.objects.get_or_create(day=day, kind=kind, key=key, defaults={"count": n})
                    if not created:
                        UsageDaily.objects.filter(day=day, kind=kind, key=key).update(count=F("count") + n)
    except Exception:
        with _lock:
            _buffer.update(pending)
        raise
    return sum(pending.values())


def usage_discard() -> None:
    """Forget the buffered hits of this process (tests start from an empty buffer)."""
    with _lock:
        _buffer.clear()
        _state["pending"] = 0


@atexit.register
def _flush_at_exit() -> None:
    try:
        usage_flush()
    except Exception:  # noqa: BLE001 — at interpreter exit the database may be gone; statistics only
        pass


def usage_prune(*, today: dt.date | None = None, keep_days: int = conf.USAGE_RETENTION_DAYS) -> int:
    today = today or timezone.localdate()
    deleted, _ = UsageDaily.objects.filter(day__lt=today - dt.timedelta(days=keep_days)).delete()
    return deleted
