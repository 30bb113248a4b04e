"""The statutory clock of a disclosure application, derived from its events.

`derive(events, ...)` is a pure function: the ordered events of a case (plus its channel, the clock
rules in force and today's date) go in; the state, the due date, the working days paused and a
line-by-line explanation come out. It raises `ClockError` with a Chinese message at the first event
that the law does not allow at that point, so checking a new event is `derive(events + [new])`.
Nothing here touches the database; all working-day arithmetic goes through `gongkai.core.workdays`.

Counting (条例 第三十一条、第三十三条; RULES §1): the receipt day is not counted, the reply is due
`reply_days` working days after the *anchor* (the receipt date, the day a supplemented application is
received, or the day of re-handling after a reconsideration/court decision). Time consulting a third
party or another agency (第三十二条、第三十四条) — and, by configuration, time waiting for a fee
payment — is not counted: a pause from day S to day E adds the working days after S up to and
including E (`working_days_between(S, E)`). One extension of at most `extension_max_days`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from gongkai.core import workdays

from .outcomes import OUTCOMES, REPLY_TYPES, WITHHOLDING_REASON_CODES

# --- The event catalogue --------------------------------------------------------------------------------
EVENT_TYPES: dict[str, str] = {
    "submitted": "提交申请",
    "received": "收到申请",
    "assigned": "分派办理人",
    "transferred": "转交其他机关",
    "supplement_requested": "通知补正",
    "supplement_received": "收到补正",
    "supplement_lapsed": "逾期未补正",
    "consultation_started": "征求意见",
    "consultation_ended": "征求意见结束",
    "extension": "延期答复",
    "reasonable_period": "确定合理答复期限（第三十五条）",
    "fee_notice": "收费通知",
    "fee_paid": "缴纳信息处理费",
    "fee_lapsed": "逾期未缴费",
    "determination": "作出答复",
    "delivery": "送达",
    "archived": "归档",
    "reopened": "重新办理",
}
# Events that may come before the receipt date is known.
BEFORE_RECEIPT = {"submitted", "received", "assigned", "transferred"}

CHANNELS: dict[str, str] = {
    "online": "网上申请",
    "letter": "邮寄（挂号信、快递等需签收）",
    "ordinary_letter": "平常信函",
    "fax": "传真",
    "in_person": "当面提交",
    "oral": "口头提出（工作人员代填）",
}
# 第三十一条: which date is the receipt date, by channel.
RECEIPT_EVIDENCE: dict[str, tuple[str | None, str]] = {
    "online": ("confirmed_on", "网上提交的申请以双方确认之日为收到申请之日（第三十一条），请填写确认日期 confirmed_on。"),
    "fax": ("confirmed_on", "传真提交的申请以双方确认之日为收到申请之日（第三十一条），请填写确认日期 confirmed_on。"),
    "letter": ("signed_on", "邮寄的申请以行政机关签收之日为收到申请之日（第三十一条），请填写签收日期 signed_on。"),
    "ordinary_letter": (
        "confirmed_on",
        "平常信函以行政机关于收到当日与申请人确认之日为收到申请之日（第三十一条），请填写确认日期 confirmed_on。",
    ),
    "in_person": (None, "当面提交的申请以提交之日为收到申请之日（第三十一条）。"),
    "oral": (None, "口头提出的申请以提出之日为收到申请之日（第三十一条）。"),
}
CONSULTATION_KINDS = {"third_party": "第三方（第三十二条）", "agency": "其他机关（第三十四条）"}
CONSULTATION_RESPONSES = {"agreed": "同意公开", "objected": "不同意公开", "silent": "逾期未提出意见"}
DELIVERY_METHODS = {"post": "邮寄", "pick_up": "自取", "email": "电子邮件", "online": "网上送达", "in_person": "当面送达"}
FEE_BASES = {"by_item": "按件计收", "by_volume": "按量计收"}
# Closings caused by the applicant's default (第三十条 补正; 109号 payment), not by a determination of the agency.
LAPSE_OUTCOMES = frozenset({"other_no_supplement", "other_unpaid_fee"})
REOPEN_BASES = {"reconsideration": "行政复议决定", "litigation": "法院裁判", "other": "其他"}


class ClockError(Exception):
    """An event that the law does not allow at this point of the case."""

    def __init__(self, message: str, index: int | None = None):
        self.message = message
        self.index = index
        super().__init__(message)


@dataclass(frozen=True)
class ClockRules:
    """The time limits in force for one organisation (条例 defaults; local rules may differ)."""

    reply_days: int = 20  # 第三十三条
    extension_max_days: int = 20  # 第三十三条
    supplement_notice_days: int = 7  # 第三十条
    consultation_days: int = 15  # 第三十二条、第三十四条
    fee_payment_days: int = 20  # RULES §2, unverified: from the day after the notice is received
    fee_pauses_clock: bool = True  # RULES §2, unverified
    due_soon_days: int = 5  # "due soon" when this many working days or fewer are left


class EventLike(Protocol):
    type: str
    occurred_on: dt.date
    fields: dict[str, Any]


@dataclass(frozen=True)
class Event:
    """A plain event, for callers without a model instance (tests, import checks)."""

    type: str
    occurred_on: dt.date
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Consultation:
    party: str
    kind: str
    started_on: dt.date
    reply_due_on: dt.date | None  # None while it lies in a year the calendar does not have yet
    ended_on: dt.date | None = None
    response: str = ""
    effect: str = ""
    paused_working_days: int = 0


@dataclass
class Clock:
    """What the events say about the case on `today`."""

    state: str = "pending"  # pending, in_progress, due_soon, overdue, paused, closed
    status: str = "pending"  # the part that does not depend on today: pending, open, paused, closed
    pause_reason: str = ""  # supplement, consultation, fee
    organisation: str = ""
    received_on: dt.date | None = None
    anchor_on: dt.date | None = None
    anchor_reason: str = ""
    period_days: int = 0
    extension_days: int = 0
    paused_working_days: int = 0
    due_on: dt.date | None = None
    working_days_left: int | None = None
    supplement_notice_deadline: dt.date | None = None
    supplement_due_on: dt.date | None = None
    fee_payment_due_on: dt.date | None = None
    consultations: list[Consultation] = field(default_factory=list)
    outcome: str = ""
    reply_type: str = ""
    concluded_on: dt.date | None = None
    on_time: bool | None = None
    delivered_on: dt.date | None = None
    archived: bool = False
    assignee: Any = None
    explanation: list[str] = field(default_factory=list)
    calendar_version: str = ""
    problem: str = ""  # e.g. a missing calendar year: the due date cannot be computed
    missing_year: int | None = None  # the calendar year a date needs and the calendar does not have

    @property
    def explanation_text(self) -> str:
        return "；".join(self.explanation)

    @property
    def is_open(self) -> bool:
        return self.status in {"open", "paused"}


STATE_LABELS = {
    "pending": "待确认收到",
    "in_progress": "办理中",
    "due_soon": "即将到期",
    "overdue": "已逾期",
    "paused": "暂停计时",
    "closed": "已办结",
}
PAUSE_LABELS = {"supplement": "待补正", "consultation": "征求意见中", "fee": "待缴费"}


def _d(value: Any, name: str, index: int) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ClockError(f"{name} 应为日期（如 2026-09-28），收到的是“{value}”。", index) from None


def _fmt(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


class _Run:
    """The mutable state while the events are replayed."""

    def __init__(self, channel: str, today: dt.date, rules_for: Callable[[str], ClockRules], organisation: str,
                 imported: bool):
        self.channel = channel
        self.today = today
        self.rules_for = rules_for
        self.imported = imported
        self.c = Clock(organisation=organisation)
        self.rules = rules_for(organisation)
        self.submitted_on: dt.date | None = None
        self.last_on: dt.date | None = None
        self.transferred_since_receipt = False
        self.supplement_requested = False
        self.extended = False
        self.reasonable_period_set = False
        self.open_consultations: dict[str, Consultation] = {}
        self.fee_pending = False
        self.pause_started_on: dt.date | None = None  # while any pause is running
        self.pause_counts = True  # False when the pause began after the due date had passed
        # 第三十二条、第三十四条: a consultation pauses the clock for the party's 15 working days at most.
        self.pause_caps: list[dt.date] = []  # the reply dates of the consultations in the running pause
        self.pause_uncapped = False  # a fee wait, or a reply date not yet computable, is in the pause
        self.closed = False

    # -- helpers ----------------------------------------------------------------------------------------
    def due(self) -> dt.date:
        c = self.c
        return workdays.add_working_days(c.anchor_on, c.period_days + c.extension_days + c.paused_working_days)

    def due_or_none(self) -> dt.date | None:
        """The due date, or None when it lies in a year the calendar does not have yet.

        Recording a fact (a receipt, a reply) never waits for the calendar; only checks that need a date
        beyond the calendar are refused. An unknown due date lies after every date the calendar knows.
        """
        try:
            return self.due() if self.c.anchor_on else None
        except workdays.CalendarYearMissing as exc:
            self.missing(exc)
            return None

    def missing(self, exc: workdays.CalendarYearMissing) -> None:
        self.c.problem, self.c.missing_year = str(exc), exc.year

    def start_pause(self, on: dt.date, cap: dt.date | None = None, capped: bool = False) -> None:
        if self.pause_started_on is None:
            self.pause_started_on = on
            due = self.due_or_none()
            self.pause_counts = due is None or on <= due
            self.pause_caps, self.pause_uncapped = [], False
        if capped and cap is not None:
            self.pause_caps.append(cap)
        else:
            self.pause_uncapped = True

    def pause_cap(self) -> dt.date | None:
        """The last day the running pause may exclude: the latest reply date of its consultations
        (第三十二条、第三十四条: 15 working days; silence then has its legal effect). None: no cap."""
        if self.pause_uncapped or not self.pause_caps:
            return None
        return max(self.pause_caps)

    def end_pause_if_idle(self, on: dt.date, label: str) -> int:
        if self.pause_started_on is None or self.open_consultations or self.fee_pending:
            return 0
        cap = self.pause_cap()
        end = min(on, cap) if cap is not None else on
        days = max(workdays.working_days_between(self.pause_started_on, end), 0) if self.pause_counts else 0
        self.c.paused_working_days += days
        if not self.pause_counts:
            self.c.explanation.append(f"{label}开始时答复期限已届满，不扣除")
        elif cap is not None and on > cap:
            self.c.explanation.append(f"征求意见的答复期限 {cap} 届满后的时间不再扣除（第三十二条、第三十四条：15 个工作日）")
        self.pause_started_on = None
        return days

    def restart(self, on: dt.date, reason: str, days: int) -> None:
        c = self.c
        c.anchor_on, c.anchor_reason = on, reason
        c.period_days, c.extension_days, c.paused_working_days = days, 0, 0
        self.extended = False

    def close(self, on: dt.date, outcome: str, reply_type: str = "") -> None:
        c = self.c
        due = self.due_or_none()
        self.closed = True
        c.outcome, c.reply_type, c.concluded_on = outcome, reply_type, on
        if outcome in LAPSE_OUTCOMES:
            # 第三十条 / 109号: the applicant let the 补正 or payment period pass. That is the applicant's default,
            # not the agency's delay: such a case is neither on time nor late (left out of the on-time share).
            c.on_time = None
            c.explanation.append("因申请人逾期未补正或未缴费办结，不属于行政机关逾期，不计入按时办结统计")
        else:
            c.on_time = (on <= due) if due else None
        c.due_on = due
        self.open_consultations.clear()
        self.fee_pending = False
        self.pause_started_on = None
        c.supplement_due_on = None

    # -- the events ---------------------------------------------------------------------------------------
    def apply(self, i: int, ev: EventLike) -> None:
        c = self.c
        kind, on, f = ev.type, ev.occurred_on, ev.fields or {}
        label = EVENT_TYPES.get(kind)
        if label is None:
            raise ClockError(f"未知的事件类型“{kind}”。", i)
        if not isinstance(on, dt.date):
            on = _d(on, "事件日期", i)
        if on > self.today:
            raise ClockError(f"“{label}”的日期 {on} 晚于今天，不能预先记录。", i)
        if self.last_on and on < self.last_on:
            raise ClockError(f"“{label}”的日期 {on} 早于上一事件（{self.last_on}），请按发生顺序记录。", i)
        if self.closed and kind not in {"delivery", "archived", "reopened"}:
            raise ClockError(
                f"案件已办结（{_fmt(c.concluded_on)}），不能再记录“{label}”；如经复议或诉讼需要重新答复，请先记录“重新办理”。",
                i,
            )
        if c.received_on is None and kind not in BEFORE_RECEIPT:
            raise ClockError(f"尚未记录收到申请，不能记录“{label}”；答复期限自收到申请之日起计算。", i)
        getattr(self, f"on_{kind}")(i, on, f)
        self.last_on = on

    def on_submitted(self, i, on, f):
        if self.submitted_on or self.c.received_on:
            raise ClockError("提交申请只能记录一次，且须在收到申请之前。", i)
        self.submitted_on = on
        self.c.explanation.append(f"提交申请 {on}")

    def on_received(self, i, on, f):
        c = self.c
        if c.received_on and not self.transferred_since_receipt:
            raise ClockError(f"已于 {c.received_on} 记录收到申请，不能重复记录（转交其他机关后由新机关重新记录的除外）。", i)
        if self.submitted_on and on < self.submitted_on:
            raise ClockError(f"收到申请之日（{on}）不能早于提交之日（{self.submitted_on}）。", i)
        evidence, message = RECEIPT_EVIDENCE.get(self.channel, (None, ""))
        basis = CHANNELS.get(self.channel, self.channel)
        if evidence:
            if f.get(evidence):
                if _d(f[evidence], evidence, i) != on:
                    raise ClockError(message + f"（收到日期 {on} 与 {evidence} {f[evidence]} 不一致）", i)
                basis += "，双方确认之日" if evidence == "confirmed_on" else "，签收之日"
            elif not self.imported:
                raise ClockError(message, i)
        elif self.submitted_on and on != self.submitted_on and not self.imported:
            raise ClockError(message + f"（提交于 {self.submitted_on}，收到日期却为 {on}）", i)
        again = c.received_on is not None
        c.received_on = on
        self.transferred_since_receipt = False
        self.supplement_requested = False
        self.restart(on, "收到申请", self.rules.reply_days)
        try:
            c.supplement_notice_deadline = workdays.add_working_days(on, self.rules.supplement_notice_days)
        except workdays.CalendarYearMissing as exc:
            c.supplement_notice_deadline = None
            self.missing(exc)
        who = f"（{c.organisation}）" if again else ""
        c.explanation.append(f"收到申请{who} {on}（{basis}）；+{self.rules.reply_days} 个工作日（收到当日不计）")

    def on_assigned(self, i, on, f):
        if not (f.get("assignee") or f.get("assignee_name")):
            raise ClockError("分派须指明办理人。", i)
        self.c.assignee = f.get("assignee") or f.get("assignee_name")

    def on_transferred(self, i, on, f):
        c = self.c
        to, reason = f.get("to_organisation"), (f.get("reason") or "").strip()
        if not to or not reason:
            raise ClockError("转交须指明接收机关（to_organisation）并说明原因（reason）。", i)
        if to == c.organisation:
            raise ClockError("不能转交给本机关。", i)
        if self.open_consultations or self.fee_pending or c.supplement_due_on:
            raise ClockError("征求意见、待补正或待缴费期间不能转交，请先记录其结果。", i)
        c.organisation = to
        self.rules = self.rules_for(to)
        if c.received_on:
            self.transferred_since_receipt = True
            c.period_days = self.rules.reply_days
        c.explanation.append(f"{on} 转交 {to}（{reason}），适用接收机关的期限规则")

    def on_supplement_requested(self, i, on, f):
        c = self.c
        if self.supplement_requested:
            raise ClockError("补正通知应一次性告知（第三十条），本申请已通知过补正。", i)
        if self.open_consultations or self.fee_pending:
            raise ClockError("征求意见或待缴费期间不能通知补正。", i)
        # 第三十条: within 7 working days of receipt. The window is checked over the days the calendar knows:
        # a notice dated in a known year needs no future calendar (late December, next year's arrangement
        # not yet published), only the count of working days from the receipt to the notice.
        try:
            c.supplement_notice_deadline = workdays.add_working_days(c.received_on, self.rules.supplement_notice_days)
            late = on > c.supplement_notice_deadline
            deadline = str(c.supplement_notice_deadline)
        except workdays.CalendarYearMissing as exc:
            c.supplement_notice_deadline = None
            self.missing(exc)
            late = workdays.working_days_between(c.received_on, on) > self.rules.supplement_notice_days
            deadline = f"第 {self.rules.supplement_notice_days} 个工作日"
        if late:
            raise ClockError(
                f"补正通知应在收到申请之日起 {self.rules.supplement_notice_days} 个工作日内发出（第三十条），"
                f"期限 {deadline} 已过。",
                i,
            )
        items = (f.get("items") or "").strip()
        if not items or not f.get("due_on"):
            raise ClockError("补正通知须写明需要补正的事项（items）和合理的补正期限（due_on）。", i)
        due = _d(f["due_on"], "补正期限", i)
        if due <= on:
            raise ClockError("补正期限应晚于通知之日。", i)
        self.supplement_requested = True
        c.supplement_due_on = due
        c.explanation.append(f"{on} 通知补正（补正期限 {due}），答复期限自收到补正之日起重新计算")

    def on_supplement_received(self, i, on, f):
        c = self.c
        if not c.supplement_due_on:
            raise ClockError("没有待补正的通知，不能记录收到补正。", i)
        if on > c.supplement_due_on and not (f.get("late_reason") or "").strip() and not self.imported:
            raise ClockError(f"补正期限（{c.supplement_due_on}）已过；逾期补正须写明正当理由（late_reason）。", i)
        c.supplement_due_on = None
        self.restart(on, "收到补正", self.rules.reply_days)
        c.explanation.append(f"收到补正 {on}，答复期限重新起算：+{self.rules.reply_days} 个工作日")

    def on_supplement_lapsed(self, i, on, f):
        c = self.c
        if not c.supplement_due_on:
            raise ClockError("没有待补正的通知，不能按逾期不补正处理。", i)
        if on <= c.supplement_due_on:
            raise ClockError(f"补正期限（{c.supplement_due_on}）尚未届满，不能按逾期不补正处理。", i)
        c.explanation.append(f"{on} 申请人逾期未补正，视为放弃申请（第三十条）")
        self.close(on, "other_no_supplement")

    def on_consultation_started(self, i, on, f):
        c = self.c
        kind, party = f.get("kind"), (f.get("party") or "").strip()
        if kind not in CONSULTATION_KINDS:
            raise ClockError("征求意见须指明对象类型 kind：third_party（第三方）或 agency（其他机关）。", i)
        if not party:
            raise ClockError("征求意见须写明被征求意见的第三方或机关（party）。", i)
        if c.supplement_due_on:
            raise ClockError("待补正期间不能征求意见。", i)
        if party in self.open_consultations:
            raise ClockError(f"向“{party}”的征求意见尚未结束。", i)
        served = _d(f.get("served_on") or on, "送达日期", i)
        # The party's reply date is computed when the calendar has its days; starting the consultation
        # never waits for next year's calendar (only a step that needs the date does).
        try:
            reply_due = workdays.add_working_days(served, self.rules.consultation_days)
        except workdays.CalendarYearMissing as exc:
            reply_due = None
            self.missing(exc)
        cons = Consultation(party=party, kind=kind, started_on=on, reply_due_on=reply_due)
        self.start_pause(on, cap=reply_due, capped=True)
        self.open_consultations[party] = cons
        c.consultations.append(cons)

    def on_consultation_ended(self, i, on, f):
        c = self.c
        party = (f.get("party") or "").strip()
        if not party and len(self.open_consultations) == 1:
            party = next(iter(self.open_consultations))
        cons = self.open_consultations.get(party)
        if cons is None:
            raise ClockError("没有进行中的征求意见" + (f"（{party}）" if party else "") + "，不能记录结束。", i)
        response = f.get("response")
        if response not in CONSULTATION_RESPONSES:
            raise ClockError("请记录征求意见的结果 response：agreed（同意）、objected（不同意）或 silent（逾期未提出意见）。", i)
        if response == "silent" and cons.reply_due_on is None:
            # Needs the unknown days: whether the 15 working days have passed cannot be told yet.
            workdays.add_working_days(_d(f.get("served_on") or cons.started_on, "送达日期", i), self.rules.consultation_days)
        if response == "silent" and on <= cons.reply_due_on:
            raise ClockError(f"“{party}”的答复期限（{cons.reply_due_on}）尚未届满，不能记录为逾期未提出意见。", i)
        cons.ended_on, cons.response = on, response
        cons.effect = _consultation_effect(cons.kind, response)
        del self.open_consultations[party]
        cons_end = min(on, cons.reply_due_on) if cons.reply_due_on else on
        cons.paused_working_days = workdays.working_days_between(cons.started_on, cons_end)
        paused = self.end_pause_if_idle(on, "征求意见")
        what = "征求第三方意见" if cons.kind == "third_party" else "征求其他机关意见"
        text = f"{what}（{party}）{cons.started_on} 至 {on}，{CONSULTATION_RESPONSES[response]}"
        if self.open_consultations:
            text += "（其他征求意见仍在进行，继续暂停）"
        elif self.pause_started_on is not None:
            text += "（仍在等待缴费，继续暂停）"
        elif self.pause_counts:
            text += f"；暂停计时 {paused} 个工作日"
        c.explanation.append(text)

    def on_extension(self, i, on, f):
        c = self.c
        if self.extended:
            raise ClockError("每件申请只能延期一次（第三十三条），本申请已延期。", i)
        if c.supplement_due_on:
            raise ClockError("待补正期间不能延期：收到补正后答复期限重新计算。", i)
        try:
            days = int(f.get("days", self.rules.extension_max_days))
        except (TypeError, ValueError):
            raise ClockError("延期天数 days 应为整数。", i) from None
        if not 1 <= days <= self.rules.extension_max_days:
            raise ClockError(f"延长答复的期限最长不得超过 {self.rules.extension_max_days} 个工作日（第三十三条）。", i)
        approver = (f.get("approver") or "").strip()
        if not approver:
            raise ClockError("延期须经政府信息公开工作机构负责人同意（第三十三条），请记录批准人（approver）。", i)
        if not f.get("notice_sent_on") and not self.imported:
            raise ClockError("延期须告知申请人（第三十三条），请记录告知日期（notice_sent_on）。", i)
        if f.get("notice_sent_on") and _d(f["notice_sent_on"], "告知日期", i) < on:
            raise ClockError("告知申请人的日期不能早于延期决定之日。", i)
        due = self.due_or_none()
        if due is not None and on > due and self.pause_started_on is None:
            raise ClockError(f"答复期限（{due}）已届满，不能再延期。", i)
        # 第三十三条: the extension is decided *and notified* within the period; a notice dated after the
        # original due date arrives when the applicant may already treat the silence as a failure to reply.
        notice_on = _d(f["notice_sent_on"], "告知日期", i) if f.get("notice_sent_on") else None
        if (due is not None and notice_on is not None and notice_on > due and self.pause_started_on is None
                and not self.imported):  # an imported case records what happened
            raise ClockError(f"延期告知须在原答复期限（{due}）内送达申请人（第三十三条），"
                             f"告知日期 {notice_on} 已在期限之后。", i)
        self.extended = True
        c.extension_days = days
        c.explanation.append(f"{on} 延期 +{days} 个工作日（批准人：{approver}）")

    def on_reasonable_period(self, i, on, f):
        """第三十五条: the applicant's numerous or repeated applications clearly exceed a reasonable range; the
        agency required reasons; the reasons are reasonable but the period of 第三十三条 cannot be met, so the
        agency sets a longer reasonable period and tells the applicant (unreasonable reasons: 不予处理·大量反复,
        a determination). The new period replaces the 20 (+20) working days from the same anchor."""
        c = self.c
        if self.reasonable_period_set:
            raise ClockError("本申请已依第三十五条确定过合理答复期限。", i)
        if c.supplement_due_on:
            raise ClockError("待补正期间不能确定答复期限：收到补正后答复期限重新计算。", i)
        asked = f.get("reasons_requested_on")
        if not asked or not (f.get("reasons") or "").strip():
            raise ClockError("依第三十五条确定合理期限，须记录要求申请人说明理由之日（reasons_requested_on）"
                             "及申请人说明的理由（reasons）。", i)
        if _d(asked, "要求说明理由之日", i) > on:
            raise ClockError("要求申请人说明理由之日不能晚于确定合理期限之日。", i)
        try:
            days = int(f.get("days"))
        except (TypeError, ValueError):
            raise ClockError("请填写合理答复期限（days，自起算日起的工作日数）。", i) from None
        if days <= c.period_days + c.extension_days:
            raise ClockError(f"合理答复期限应长于现有期限（{c.period_days + c.extension_days} 个工作日）。", i)
        if not f.get("notice_sent_on") and not self.imported:
            raise ClockError("确定的合理期限须告知申请人（第三十五条），请记录告知日期（notice_sent_on）。", i)
        due = self.due_or_none()
        if due is not None and on > due and self.pause_started_on is None and not self.imported:
            raise ClockError(f"答复期限（{due}）已届满，不能再确定更长的答复期限。", i)
        self.reasonable_period_set = True
        self.extended = True  # the reasonable period takes the place of the extension of 第三十三条
        c.period_days, c.extension_days = days, 0
        c.explanation.append(f"{on} 依第三十五条确定合理答复期限：自{c.anchor_reason} {c.anchor_on} 起 {days} 个工作日")

    def on_fee_notice(self, i, on, f):
        c = self.c
        if self.fee_pending:
            raise ClockError("已有未结的收费通知。", i)
        if c.supplement_due_on:
            raise ClockError("待补正期间不能发出收费通知。", i)
        try:
            amount = float(f.get("amount"))
        except (TypeError, ValueError):
            raise ClockError("收费通知须写明金额（amount，元）。", i) from None
        if amount <= 0:
            raise ClockError("收费金额应大于零。", i)
        if f.get("basis") and f["basis"] not in FEE_BASES:
            raise ClockError("计收方式 basis 应为 by_item（按件）或 by_volume（按量）。", i)
        due = self.due_or_none()
        if due is not None and on > due and self.pause_started_on is None:
            raise ClockError(f"收费通知应在答复期限内发出，答复期限（{due}）已届满。", i)
        received = _d(f.get("notice_received_on") or on, "申请人收到通知日期", i)
        c.fee_payment_due_on = workdays.add_working_days(received, self.rules.fee_payment_days)
        self.fee_pending = True
        if self.rules.fee_pauses_clock:
            self.start_pause(on)  # a fee wait has no cap: it ends with the payment or the lapse
        c.explanation.append(
            f"{on} 收费通知 {amount:g} 元，缴费期限 {c.fee_payment_due_on}"
            + ("（等待缴费期间暂停计时）" if self.rules.fee_pauses_clock else "")
        )

    def on_fee_paid(self, i, on, f):
        c = self.c
        if not self.fee_pending:
            raise ClockError("没有待缴的收费通知。", i)
        self.fee_pending = False
        c.fee_payment_due_on = None
        paused = self.end_pause_if_idle(on, "等待缴费") if self.rules.fee_pauses_clock else 0
        c.explanation.append(f"{on} 已缴费" + (f"；暂停计时 {paused} 个工作日" if paused else ""))

    def on_fee_lapsed(self, i, on, f):
        c = self.c
        if not self.fee_pending:
            raise ClockError("没有待缴的收费通知，不能按逾期未缴费处理。", i)
        if on <= c.fee_payment_due_on:
            raise ClockError(f"缴费期限（{c.fee_payment_due_on}）尚未届满，不能按逾期未缴费处理。", i)
        c.explanation.append(f"{on} 申请人逾期未缴费，不再处理其申请")
        c.fee_payment_due_on = None
        self.close(on, "other_unpaid_fee")

    def on_determination(self, i, on, f):
        c = self.c
        if self.open_consultations:
            raise ClockError(f"向“{next(iter(self.open_consultations))}”的征求意见尚未结束，请先记录其结果。", i)
        if self.fee_pending:
            raise ClockError("收费通知尚未了结，请先记录缴费或逾期未缴费。", i)
        _check_determination(f, i, self.imported)
        outcome = OUTCOMES[f["outcome"]]
        reply_type = f.get("reply_type") or outcome.default_reply_type
        due = self.due_or_none()
        late = due is not None and on > due
        c.explanation.append(f"{on} 作出答复：{outcome.full_label}" + ("（逾期）" if late else ""))
        self.close(on, outcome.code, reply_type)

    def on_delivery(self, i, on, f):
        c = self.c
        if not self.closed:
            raise ClockError("尚未作出答复，不能记录送达。", i)
        method = f.get("method")
        if method not in DELIVERY_METHODS:
            raise ClockError("送达方式 method 应为：" + "、".join(f"{k}（{v}）" for k, v in DELIVERY_METHODS.items()) + "。", i)
        if method == "post" and not (f.get("tracking_no") or "").strip() and not self.imported:
            raise ClockError("邮寄送达请记录邮件单号（tracking_no）。", i)
        c.delivered_on = c.delivered_on or on
        c.explanation.append(f"{on} {DELIVERY_METHODS[method]}送达")

    def on_archived(self, i, on, f):
        if not self.closed:
            raise ClockError("案件尚未办结，不能归档。", i)
        if self.c.archived:
            raise ClockError("案件已归档。", i)
        self.c.archived = True

    def on_reopened(self, i, on, f):
        c = self.c
        if not self.closed:
            raise ClockError("案件尚未办结，无需重新办理。", i)
        reason = (f.get("reason") or "").strip()
        if not reason or f.get("basis") not in REOPEN_BASES:
            raise ClockError("重新办理须写明原因（reason）和依据（basis：reconsideration、litigation 或 other）。", i)
        try:
            days = int(f.get("days") or self.rules.reply_days)
        except (TypeError, ValueError):
            raise ClockError("重新办理的期限 days 应为整数。", i) from None
        if days < 1:
            raise ClockError("重新办理的期限应至少 1 个工作日。", i)
        self.closed = False
        c.outcome, c.reply_type, c.concluded_on, c.on_time, c.archived = "", "", None, None, False
        self.restart(on, "重新办理", days)
        c.explanation.append(f"{on} 依{REOPEN_BASES[f['basis']]}重新办理：+{days} 个工作日")


def _consultation_effect(kind: str, response: str) -> str:
    if kind == "agency":
        return {
            "agreed": "有关机关同意公开。",
            "objected": "有关机关不同意公开，应综合考虑其意见决定是否公开（第三十四条）。",
            "silent": "有关机关逾期未提出意见，视为同意公开（第三十四条）。",
        }[response]
    return {
        "agreed": "第三方同意公开。",
        "objected": "第三方不同意公开且有合理理由的，行政机关不予公开；认为不公开可能对公共利益造成重大影响的，"
        "可以决定予以公开，并将决定公开的内容和理由书面告知第三方（第三十二条）。",
        "silent": "第三方逾期未提出意见，由行政机关依照条例的规定决定是否公开（第三十二条）。",
    }[response]


def _check_determination(f: Mapping[str, Any], i: int, imported: bool = False) -> None:
    code = f.get("outcome")
    if code not in OUTCOMES:
        raise ClockError(f"答复须选择办理结果（outcome），“{code}”不是年报表三中的结果代码。", i)
    outcome = OUTCOMES[code]
    reply_type = f.get("reply_type") or outcome.default_reply_type
    if reply_type and reply_type not in REPLY_TYPES:
        raise ClockError(f"“{reply_type}”不是第三十六条规定的答复类型。", i)
    if imported:  # older systems kept the outcome but not always the reasons
        return
    if reply_type == "not_responsible" and not (f.get("responsible_agency") or "").strip() and not f.get(
        "responsible_agency_unknown"
    ):
        raise ClockError("不属于本机关负责公开的，应告知申请人并说明负责公开的机关（responsible_agency）；确实不能确定的请标明。", i)
    if outcome.group == "withheld" and not (f.get("reason") or "").strip():
        raise ClockError("不予公开的，应告知申请人并说明理由（第三十六条第（三）项），请填写理由（reason）。", i)
    if outcome.group == "partial":
        parts = f.get("withheld_parts")
        if not isinstance(parts, list) or not parts:
            raise ClockError("部分公开（区分处理）须逐项写明不予公开的部分及理由（withheld_parts，第三十七条）。", i)
        for n, part in enumerate(parts, 1):
            if not isinstance(part, Mapping) or not (part.get("part") or "").strip() or not (
                part.get("reason") or ""
            ).strip():
                raise ClockError(f"不予公开的第 {n} 部分须写明内容（part）和理由（reason）。", i)
            if part.get("reason_code") and part["reason_code"] not in WITHHOLDING_REASON_CODES:
                raise ClockError(f"不予公开的第 {n} 部分的理由代码“{part['reason_code']}”无效。", i)


def derive(
    events: Sequence[EventLike],
    *,
    channel: str,
    organisation: str,
    today: dt.date,
    rules_for: Callable[[str], ClockRules] | None = None,
    imported: bool = False,
) -> Clock:
    """Replay `events` (in recorded order) and return the clock on `today`.

    `organisation` is the code of the organisation the application was first addressed to; transfers
    change it. Raises `ClockError` (with the index of the offending event) for an invalid sequence and
    `workdays.CalendarYearMissing` when a checked date needs a year the calendar does not have.
    """
    run = _Run(channel, today, rules_for or (lambda code: ClockRules()), organisation, imported)
    for i, ev in enumerate(events):
        run.apply(i, ev)
    c = run.c
    c.calendar_version = workdays.calendar_version()
    if run.closed:
        c.state = c.status = "closed"
        return c
    if c.received_on is None:
        c.state = c.status = "pending"
        return c
    if c.supplement_due_on:
        c.state = c.status = "paused"
        c.pause_reason = "supplement"
        c.explanation.append(f"待申请人补正（补正期限 {c.supplement_due_on}）")
        return c
    try:
        if run.pause_started_on is not None:
            c.status = c.state = "paused"
            c.pause_reason = "consultation" if run.open_consultations else "fee"
            cap = run.pause_cap()
            until = min(today, cap) if cap is not None else today
            so_far = workdays.working_days_between(run.pause_started_on, until) if run.pause_counts else 0
            c.due_on = workdays.add_working_days(
                c.anchor_on, c.period_days + c.extension_days + c.paused_working_days + max(so_far, 0)
            )
            if cap is not None and today > cap:
                c.explanation.append(
                    f"{PAUSE_LABELS[c.pause_reason]}，自 {run.pause_started_on} 起暂停计时，至征求意见答复期限 {cap} 止"
                    f"（{max(so_far, 0)} 个工作日，第三十二条、第三十四条）；此后照常计算 → 答复期限 {c.due_on}，"
                    "请记录征求意见结果（逾期未提出意见的按条例规定处理）"
                )
            else:
                c.explanation.append(
                    f"{PAUSE_LABELS[c.pause_reason]}，自 {run.pause_started_on} 起暂停计时（至今 {max(so_far, 0)} 个工作日）"
                    f"→ 若今日恢复，答复期限 {c.due_on}"
                )
            return c
        c.status = "open"
        c.due_on = run.due()
        parts = [f"共 {c.period_days} 个工作日"]
        if c.paused_working_days:
            parts.append(f"暂停 {c.paused_working_days} 个工作日")
        if c.extension_days:
            parts.append(f"延期 {c.extension_days} 个工作日")
        c.explanation.append(f"自{c.anchor_reason} {c.anchor_on} 起" + "，".join(parts) + f" → 答复期限 {c.due_on}")
        c.working_days_left = workdays.working_days_between(today, c.due_on)
        rules = run.rules
        if today > c.due_on:
            c.state = "overdue"
        elif c.working_days_left <= rules.due_soon_days:
            c.state = "due_soon"
        else:
            c.state = "in_progress"
    except workdays.CalendarYearMissing as exc:
        c.status = c.status if c.status != "pending" else "open"
        c.state = c.status if c.status == "paused" else "in_progress"
        c.due_on = None
        run.missing(exc)
        c.explanation.append(f"无法计算答复期限：{exc}")
    return c


def rules_for_settings(settings_obj: Any) -> Callable[[str], ClockRules]:
    """The rules of each organisation: the APPLICATION_* settings, overridden per organisation code."""
    base = ClockRules(
        reply_days=settings_obj.APPLICATION_REPLY_WORKING_DAYS,
        extension_max_days=settings_obj.APPLICATION_EXTENSION_MAX_WORKING_DAYS,
        supplement_notice_days=settings_obj.APPLICATION_SUPPLEMENT_NOTICE_WORKING_DAYS,
        consultation_days=settings_obj.APPLICATION_CONSULTATION_WORKING_DAYS,
        fee_payment_days=settings_obj.APPLICATION_FEE_PAYMENT_WORKING_DAYS,
        fee_pauses_clock=settings_obj.APPLICATION_FEE_PAUSES_CLOCK,
        due_soon_days=settings_obj.APPLICATION_DUE_SOON_WORKING_DAYS,
    )
    overrides: Mapping[str, Mapping[str, Any]] = settings_obj.APPLICATION_RULES_BY_ORGANISATION

    def rules_for(code: str) -> ClockRules:
        if code in overrides:
            return ClockRules(**{**base.__dict__, **overrides[code]})
        return base

    return rules_for
