"""The reply clock of a message, derived from its events (the pattern of the applications' clock).

Pure: events + the box's reply standard + today in; status, due date, on-time and an explanation out.
The submission day is not counted; the reply is due `reply_days` working days later on the 调休 calendar
(`gongkai.core.workdays`, the one calendar). 转办 and a department's hand-back do not stop the clock.
A re-opening after a poor rating starts a new period from the re-opening day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils import timezone

from gongkai.core import workdays

from .conf import INVALID_REASONS

EVENT_TYPES = {
    "submitted": "提交留言", "accepted": "受理", "rejected": "不予受理（无效留言）", "forwarded": "转办",
    "handed_back": "退回", "replied": "答复", "published": "公开答复", "rated": "评价", "reopened": "重新办理",
    "assigned": "分配承办人", "unpublished": "撤回公开",
}


class ClockError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class EventLike(Protocol):
    type: str
    at: dt.datetime
    fields: dict[str, Any]


@dataclass(frozen=True)
class Event:
    type: str
    at: dt.datetime
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Clock:
    status: str = "submitted"
    due_on: dt.date | None = None
    replied_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    on_time: bool | None = None
    overdue: bool = False
    working_days_left: int | None = None
    rating: int | None = None
    reopened: bool = False
    late_replies: int = 0
    invalid_reason: str = ""
    explanation: list[str] = field(default_factory=list)


ALLOWED = {
    "submitted": {"accepted", "rejected", "forwarded", "replied", "assigned"},
    "accepted": {"forwarded", "handed_back", "replied", "rejected", "assigned"},
    "invalid": set(),
    "replied": {"published", "rated"},
    "published": {"rated", "unpublished"},
}


def _day(value: dt.datetime) -> dt.date:
    """The local (TIME_ZONE, Asia/Shanghai) calendar day of a moment: a message sent at 01:00 Beijing time is
    stored as 17:00 UTC of the day before, and its clock must start from the Beijing day."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass
class ReportClock:
    """The clock of a 找错 report: forward within `forward_days`, reply within `reply_days` of the forwarding."""

    status: str = "received"
    forward_due_on: dt.date | None = None
    reply_due_on: dt.date | None = None
    forwarded_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    on_time: bool | None = None
    overdue: bool = False
    explanation: list[str] = field(default_factory=list)


REPORT_ALLOWED = {"received": {"forwarded", "replied"}, "forwarded": {"forwarded", "replied"}, "closed": set()}


def derive_report(events: list[EventLike], *, forward_days: int, reply_days: int, today: dt.date) -> ReportClock:
    """Submission day not counted; 转办 due `forward_days` working days later; the reply `reply_days` working
    days after the day of the (first) forwarding, or after the forwarding due date while not yet forwarded.
    The operator may reply itself without forwarding: then both periods run from receipt."""
    c = ReportClock()
    for i, e in enumerate(events):
        day = _day(e.at)
        if i == 0:
            if e.type != "submitted":
                raise ClockError("第一个事件必须是“提交”。")
            c.forward_due_on = workdays.add_working_days(day, forward_days)
            c.reply_due_on = workdays.add_working_days(c.forward_due_on, reply_days)
            c.explanation.append(f"{day} 收到，当日不计：{forward_days} 个工作日内（{c.forward_due_on} 前）转办，"
                                 f"转办后 {reply_days} 个工作日内答复")
            continue
        if e.type not in REPORT_ALLOWED.get(c.status, set()):
            raise ClockError(f"找错留言处于“{c.status}”状态，不能办理该步骤。")
        if e.type == "forwarded":
            if c.forwarded_at is None:
                c.forwarded_at = e.at
                late = " （逾期转办）" if day > c.forward_due_on else ""
                c.reply_due_on = workdays.add_working_days(day, reply_days)
                c.explanation.append(f"{day} 转办{e.fields.get('to_name', '')}{late}，答复期限 {c.reply_due_on}")
            else:
                c.explanation.append(f"{day} 再转办{e.fields.get('to_name', '')}，期限照常计算")
            c.status = "forwarded"
        elif e.type == "replied":
            c.status, c.closed_at = "closed", e.at
            c.on_time = day <= c.reply_due_on and (c.forwarded_at is None or _day(c.forwarded_at) <= c.forward_due_on)
            c.explanation.append(f"{day} 办结，{'按期' if c.on_time else '逾期'}")
    if c.status != "closed":
        due = c.forward_due_on if c.status == "received" else c.reply_due_on
        c.overdue = today > due
    return c


def derive(events: list[EventLike], *, reply_days: int, today: dt.date) -> Clock:
    c = Clock()
    for i, e in enumerate(events):
        day = _day(e.at)
        if i == 0:
            if e.type != "submitted":
                raise ClockError("第一个事件必须是“提交留言”。")
            c.due_on = workdays.add_working_days(day, reply_days)
            c.explanation.append(f"{day} 提交留言，当日不计，{reply_days} 个工作日后 {c.due_on} 为答复期限")
            continue
        if e.type == "reopened":
            if c.status not in {"replied", "published"} or c.reopened:
                raise ClockError("只有已答复的留言可因评价不满意重新办理一次。")
            c.reopened, c.status, c.replied_at, c.on_time = True, "accepted", None, None
            c.due_on = workdays.add_working_days(day, reply_days)
            c.explanation.append(f"{day} 因评价不满意重新办理，新的答复期限为 {c.due_on}")
            continue
        if e.type not in ALLOWED.get(c.status, set()):
            raise ClockError(f"留言处于“{c.status}”状态，不能{EVENT_TYPES.get(e.type, e.type)}。")
        if e.type == "accepted":
            c.status = "accepted"
        elif e.type == "rejected":
            reason = e.fields.get("reason", "")
            if reason not in INVALID_REASONS:
                raise ClockError("不予受理须选择原因：" + "、".join(INVALID_REASONS.values()))
            c.status, c.invalid_reason, c.due_on = "invalid", reason, None
            c.explanation.append(f"{day} 认定为无效留言（{INVALID_REASONS[reason]}），不计答复期限")
        elif e.type == "forwarded":
            c.status = "accepted"
            c.explanation.append(f"{day} 转办{e.fields.get('to_name', '')}，期限照常计算")
        elif e.type == "handed_back":
            c.explanation.append(f"{day} 退回：{e.fields.get('reason', '')}，期限照常计算")
        elif e.type == "replied":
            c.status, c.replied_at = "replied", e.at
            c.on_time = c.due_on is None or day <= c.due_on
            c.late_replies += 0 if c.on_time else 1
            c.explanation.append(f"{day} 答复，{'按期' if c.on_time else '逾期'}")
        elif e.type == "published":
            c.status, c.published_at = "published", e.at
        elif e.type == "unpublished":
            c.status, c.published_at = "replied", None
            c.explanation.append(f"{day} 撤回公开：{e.fields.get('reason', '')}")
        elif e.type == "rated":
            c.rating = int(e.fields.get("rating", 0)) or None
    if c.status in {"submitted", "accepted"} and c.due_on is not None:
        c.working_days_left = workdays.working_days_between(today, c.due_on)
        c.overdue = today > c.due_on
    return c
