"""Reminders and supervision: e-mails before the due date and when something is late; follow-up visits.

`reminders_send` is run once a day by the task layer (`tasks.send_application_reminders`). Each
reminder is sent once: a `ReminderSent` row (case, kind, what it was about) is written in the same
transaction as the e-mail is handed over, so the next run skips it and a failed send is retried.

* due_soon — to the assignee (the office when nobody is assigned) when `APPLICATION_REMINDER_WORKING_DAYS`
  (default 5 and 1) or fewer working days are left; one e-mail per threshold and due date, so a
  new due date (extension, supplement) starts afresh.
* overdue — to the office and the assignee, once per due date, when the reply period has passed.
* consultation_late — the consulted third party or agency has not answered within its 15 working days
  (第三十二条、第三十四条): the office and the assignee, so that the case goes on (silence rules).
* fee_unpaid — the payment period of a fee notice has passed: the assignee records payment or lapse.

The e-mails carry the tracking code, the organisation and the dates only — never the applicant's
name, contact details or request text.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import Membership, Organisation, Role, User
from gongkai.core.services import audit_record

from .dates import date_cn
from .letter_models import FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, FollowUp, ReminderSent
from .models import Application
from .selectors import application_clock, application_may_handle

logger = logging.getLogger(__name__)
DEFAULT_THRESHOLDS = (5, 1)


def reminder_thresholds() -> tuple[int, ...]:
    return tuple(sorted(getattr(settings, "APPLICATION_REMINDER_WORKING_DAYS", DEFAULT_THRESHOLDS)))


def office_emails(*, organisation: Organisation) -> list[str]:
    """The disclosure office of the organisation: its office e-mail and the office administrators of it
    and of the organisations above it."""
    chain, org = [], organisation
    while org is not None:
        chain.append(org.pk)
        org = org.parent
    emails = [organisation.disclosure_office_email] if organisation.disclosure_office_email else []
    emails += Membership.objects.filter(role=Role.OFFICE_ADMIN, organisation_id__in=chain).exclude(
        user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


@dataclass(frozen=True)
class Reminder:
    application: Application
    kind: str
    key: str
    to: tuple[str, ...]
    subject: str
    body: str


def _assignee_emails(application: Application) -> list[str]:
    user = application.assignee
    return [user.email] if user is not None and user.email and user.is_active else []


def _reminders_for(application: Application, today: dt.date) -> list[Reminder]:
    clock = application_clock(application=application, today=today)
    office = office_emails(organisation=application.organisation)
    assignee = _assignee_emails(application)
    code, org = application.tracking_code, application.organisation.name
    head = f"申请查询码：{code}\n受理机关：{org}\n收到申请之日：{date_cn(clock.received_on)}\n"
    foot = "\n请登录工作台办理。本邮件由系统自动发送，不含申请人个人信息。"
    found: list[Reminder] = []
    if clock.status == "open" and clock.due_on is not None:
        if today > clock.due_on:
            found.append(Reminder(application, "overdue", clock.due_on.isoformat(), tuple(sorted({*office, *assignee})),
                                  f"【依申请公开】申请 {code} 已超过答复期限",
                                  head + f"答复期限：{date_cn(clock.due_on)}（已逾期）\n" + foot))
        else:
            left = workdays.working_days_between(today, clock.due_on)
            due = [t for t in reminder_thresholds() if left <= t]
            if due:
                found.append(Reminder(application, "due_soon", f"{due[0]}:{clock.due_on.isoformat()}",
                                      tuple(assignee or office),
                                      f"【依申请公开】申请 {code} 将于{date_cn(clock.due_on)}到期（剩余 {left} 个工作日）",
                                      head + f"答复期限：{date_cn(clock.due_on)}，剩余 {left} 个工作日\n" + foot))
    for cons in clock.consultations:
        if cons.ended_on is None and cons.reply_due_on is not None and today > cons.reply_due_on:
            found.append(Reminder(application, "consultation_late", f"{cons.party}:{cons.reply_due_on.isoformat()}",
                                  tuple(sorted({*office, *assignee})),
                                  f"【依申请公开】申请 {code} 征求意见逾期未复",
                                  head + f"被征求意见方：{cons.party}\n答复期限：{date_cn(cons.reply_due_on)}（已逾期未复）\n"
                                  "请依照条例第三十二条、第三十四条的规定记录征求意见结果并继续办理。\n" + foot))
    if clock.fee_payment_due_on is not None and today > clock.fee_payment_due_on:
        found.append(Reminder(application, "fee_unpaid", clock.fee_payment_due_on.isoformat(),
                              tuple(assignee or office), f"【依申请公开】申请 {code} 缴费期限已届满",
                              head + f"缴费期限：{date_cn(clock.fee_payment_due_on)}（已届满）\n"
                              "请记录缴费情况，或按逾期未缴费处理。\n" + foot))
    return found


def reminders_due(*, today: dt.date | None = None) -> list[Reminder]:
    """Reminders that the cases call for today and that have not been sent yet."""
    today = today or timezone.localdate()
    cases = (Application.objects.filter(status__in=[Application.Status.OPEN, Application.Status.PAUSED],
                                        received_on__isnull=False, archived=False)
             .select_related("organisation__parent", "assignee"))
    sent = set(ReminderSent.objects.filter(application__in=cases).values_list("application_id", "kind", "key"))
    found = []
    for application in cases.iterator():
        try:
            reminders = _reminders_for(application, today)
        except workdays.CalendarYearMissing as exc:
            logger.warning("reminders skipped for application %s: %s", application.pk, exc)
            continue
        found += [r for r in reminders if (application.pk, r.kind, r.key) not in sent]
    return found


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminders, each once; returns how many of each kind went out."""
    counts: dict[str, int] = {}
    for reminder in reminders_due(today=today):
        if not reminder.to:
            logger.warning("no recipient for %s reminder of application %s", reminder.kind, reminder.application.pk)
            continue
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(
                application=reminder.application, kind=reminder.kind, key=reminder.key,
                defaults={"recipients": len(reminder.to)},
            )
            if not created:  # another worker sent it meanwhile
                continue
            send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, list(reminder.to))
        counts[reminder.kind] = counts.get(reminder.kind, 0) + 1
    return counts


# --- Follow-up visits (回访) -------------------------------------------------------------------------------

@transaction.atomic
def follow_up_record(
    *, application: Application, by: User, visited_on: dt.date, method: str, result: str, note: str = ""
) -> FollowUp:
    """Record a follow-up visit after the reply. The note stays with the case (not in the audit log)."""
    if not application_may_handle(user=by, application=application):
        raise ValidationError("您不是该机关的依申请公开办理人员。")
    if application.concluded_on is None:
        raise ValidationError("答复后方可回访。")
    if visited_on < application.concluded_on:
        raise ValidationError("回访日期不能早于答复日期。")
    if visited_on > timezone.localdate():
        raise ValidationError("回访日期不能晚于今天。")
    if method not in FOLLOW_UP_METHODS or result not in FOLLOW_UP_RESULTS:
        raise ValidationError("请选择回访方式和回访结果。")
    follow_up = FollowUp.objects.create(application=application, visited_on=visited_on, method=method, result=result,
                                        note=note.strip(), by=by, by_name=str(by))
    audit_record(actor=by, action="application.follow_up", obj=application, organisation=application.organisation,
                 after={"follow_up": follow_up.pk, "method": method, "result": result,
                        "visited_on": visited_on.isoformat()})
    return follow_up


def follow_ups_for(*, application: Application):
    return FollowUp.objects.filter(application=application)
