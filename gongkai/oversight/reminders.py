"""Reminders of oversight, run by the task layer (`tasks.py`):

* opinion clocks — every `conf.OPINION_CHECK_MINUTES`: an open incident whose clock is missed (or has
  under an hour left) is alerted once per clock to its owner and the disclosure office (RULES §8);
* work-plan tasks — daily: a task `conf.TASK_REMIND_WORKING_DAYS` working days before its deadline, and
  once when overdue, to the lead unit's office administrators.
Each alert is recorded (the incident's `alerts_sent`, the task's `reminded_on`) and audited, so a run
twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import Membership, Organisation, Role
from gongkai.core.services import audit_record

from . import conf
from .clocks import incident_clocks
from .models import Incident, PlanTask

logger = logging.getLogger(__name__)


def _office_addresses(organisation: Organisation) -> list[str]:
    """Office administrators of the organisation and of its ancestors (the disclosure office above it)."""
    ancestor_ids = [int(p) for p in organisation.path.strip("/").split("/") if p]
    rows = Membership.objects.filter(role=Role.OFFICE_ADMIN, organisation_id__in=ancestor_ids).select_related("user")
    return sorted({m.user.email for m in rows if m.user.email})


def _send(subject: str, text: str, to: list[str]) -> bool:
    if not to:
        return False
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    return True


def opinion_alerts_send(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for incident in Incident.objects.filter(closed_at__isnull=True).select_related("organisation", "owner"):
        for clock in incident_clocks(incident=incident, now=now):
            if clock.done_at is not None:
                continue
            if clock.state == "missed":
                key = f"{clock.key}:missed"
                subject = f"【舆情回应超时】{incident.title}：{clock.label}已超过时限"
            elif clock.latest_at - now <= dt.timedelta(hours=1):
                key = f"{clock.key}:soon"
                subject = f"【舆情回应提醒】{incident.title}：{clock.label}还剩不到 1 小时"
            else:
                continue
            with transaction.atomic():
                locked = Incident.objects.select_for_update().get(pk=incident.pk)
                if key in locked.alerts_sent:
                    continue
                to = _office_addresses(incident.organisation)
                if incident.owner and incident.owner.email:
                    to = sorted({*to, incident.owner.email})
                text = (f"{incident.organisation.name}：舆情“{incident.title}”（{conf.LEVELS[incident.level]}）"
                        f"首次发现于 {timezone.localtime(incident.first_seen_at):%Y-%m-%d %H:%M}，"
                        f"{clock.label}最迟应在 {timezone.localtime(clock.latest_at):%Y-%m-%d %H:%M} 前完成。"
                        f"依据：{conf.OPINION_CLOCK_SOURCE}")
                _send(subject, text, to)
                locked.alerts_sent = [*locked.alerts_sent, key]
                locked.save(update_fields=["alerts_sent"])
                audit_record(actor=None, action="oversight.incident.alert", obj=locked, organisation=incident.organisation,
                             after={"clock": key})
                sent += 1
    return sent


def task_reminders_send(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for task in PlanTask.objects.filter(state=PlanTask.State.OPEN, deadline__isnull=False).select_related("lead_unit", "plan"):
        try:
            left = workdays.working_days_between(today, task.deadline)
        except workdays.CalendarYearMissing:
            logger.warning("task %s: deadline outside the working-day calendar", task.pk)
            continue
        if left < 0:
            kind, subject = "overdue", f"【工作要点逾期】{task.number} {task.title}"
        elif left <= conf.TASK_REMIND_WORKING_DAYS:
            kind, subject = "soon", f"【工作要点提醒】{task.number} {task.title}：还有 {left} 个工作日到期"
        else:
            continue
        # One reminder before the deadline and one after it.
        if task.reminded_on and ((kind == "soon" and task.reminded_on <= task.deadline)
                                 or (kind == "overdue" and task.reminded_on > task.deadline)):
            continue
        text = (f"《{task.plan.title}》任务 {task.number}“{task.title}”，牵头单位 {task.lead_unit.name}，"
                f"完成时限 {task.deadline:%Y-%m-%d}。请在工作台报送进展。")
        _send(subject, text, _office_addresses(task.lead_unit))
        PlanTask.objects.filter(pk=task.pk).update(reminded_on=today)
        audit_record(actor=None, action=f"oversight.task.remind_{kind}", obj=task, organisation=task.lead_unit)
        sent += 1
    return sent
