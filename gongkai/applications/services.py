"""Writes of disclosure applications: intake, the one door for every step of a case, applicant data, remedies.

Every event goes through `application_record_event` — from the workspace, the staff API, the portal,
the import and the tasks alike: the case row is locked, the event is checked against the rules of its
type (legal review, fees, references) and, by replaying all events through `clock.derive`, against the
law's sequence; then it is stored with what the rules ask for (FeeNotice rows, drafts), the cached
state is refreshed, the audit log gets the old and the new state, and the applicant is told. Audit
entries never carry the applicant's personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from gongkai.compliance.identifiers import resident_id_compact, resident_id_is_valid
from gongkai.core import workdays
from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record
from gongkai.core.tracking import tracking_code_new

from .attachments import decrypted_chunks, encrypted_file, is_encrypted
from .clock import CHANNELS, EVENT_TYPES, FEE_BASES, Clock, ClockError, Event, derive, rules_for_settings
from .fees import FeeQuote, fee_quote
from .letter_models import FeeNotice, LetterAttachment
from .letters import letter_draft
from .models import (
    DELIVERY_CHOICES,
    ID_TYPES,
    REQUESTED_FORMS,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Remedy,
)
from .models_intake import LegalReview
from .notices import applicant_notify, notice_for
from .outcomes import APPLICANT_KINDS, OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS
from .selectors import (
    application_may_handle,
    first_organisation_code,
    legal_review_required,
    remedy_counting_notes,
)

NATURAL_PERSON_FIELDS = ("name", "id_type", "id_number", "phone", "email", "address", "postcode")
ORGANISATION_FIELDS = (
    "name", "uscc", "legal_representative", "contact_person", "phone", "email", "address", "postcode",
)


def _tracking_code(on: dt.date) -> str:
    return tracking_code_new(f"YSQ{on:%Y}", taken=lambda code: Application.objects.filter(tracking_code=code).exists())


def applicant_clean(*, kind: str, data: dict[str, Any], required: bool = True) -> dict[str, Any]:
    """Check and normalise the applicant's details (条例 第二十九条). Returns only known keys."""
    if kind not in APPLICANT_KINDS:
        raise ValidationError(f"申请人类型“{kind}”无效，应为：" + "、".join(f"{k}（{v}）" for k, v in APPLICANT_KINDS.items()))
    allowed = NATURAL_PERSON_FIELDS if kind == "natural_person" else ORGANISATION_FIELDS
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"申请人信息含未知字段：{'、'.join(sorted(unknown))}")
    clean = {k: str(v).strip() for k, v in data.items() if v not in (None, "")}
    errors: dict[str, str] = {}
    if required and not clean.get("name"):
        errors["name"] = "请填写申请人姓名或名称。"
    if kind == "natural_person":
        id_type = clean.get("id_type")
        if id_type and id_type not in ID_TYPES:
            errors["id_type"] = "证件类型无效。"
        if id_type == "resident_id" and clean.get("id_number"):
            if not resident_id_is_valid(clean["id_number"]):
                errors["id_number"] = "居民身份证号码无效。"
            else:
                clean["id_number"] = resident_id_compact(clean["id_number"])
    elif clean.get("uscc"):
        if not uscc.is_valid(clean["uscc"]):
            errors["uscc"] = "统一社会信用代码无效。"
        else:
            clean["uscc"] = uscc.compact(clean["uscc"])
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确。"
    if required and not (clean.get("phone") or clean.get("email") or clean.get("address")):
        errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）。"
    if errors:
        raise ValidationError(errors)
    return clean


def _check_choices(values: list[str], allowed: dict[str, str], label: str) -> list[str]:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError(f"{label}无效：{'、'.join(bad)}；可选：{'、'.join(allowed)}")
    return list(dict.fromkeys(values))


def _require_handler(by: User | None, organisation: Organisation) -> None:
    """`by` None is the system (import, tasks); a person must handle applications of `organisation`."""
    if by is None:
        return
    if not (user_roles(user=by, organisation=organisation) & {Role.HANDLER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}):
        raise PermissionDenied("您不是该机关的依申请公开办理人员。")


@transaction.atomic
def application_create(
    *,
    organisation: Organisation,
    by: User | None,
    applicant_kind: str,
    applicant: dict[str, Any] | None = None,
    channel: str,
    description: str,
    info_title: str = "",
    requested_forms: list[str] | None = None,
    delivery_methods: list[str] | None = None,
    submitted_at: dt.datetime | None = None,
    external_id: str | None = None,
    imported: bool = False,
) -> Application:
    """Register an application addressed to `organisation` (登记, 条例 第四十五条).

    Records a `submitted` event when `submitted_at` is given; the clock starts with `received`.
    Imported historic cases may carry no personal data.
    """
    _require_handler(by, organisation)
    if channel not in CHANNELS:
        raise ValidationError(f"申请方式“{channel}”无效，应为：" + "、".join(CHANNELS))
    if not (description or "").strip():
        raise ValidationError("请填写所需信息的内容描述（第二十九条）。")
    applicant_data = applicant_clean(kind=applicant_kind, data=applicant or {}, required=not imported)
    application = Application.objects.create(
        organisation=organisation,
        tracking_code=_tracking_code((submitted_at or timezone.now()).date()),
        external_id=external_id or None,
        applicant_kind=applicant_kind,
        applicant=applicant_data,
        channel=channel,
        description=description.strip(),
        info_title=info_title.strip(),
        requested_forms=_check_choices(requested_forms or [], REQUESTED_FORMS, "指定提供形式"),
        delivery_methods=_check_choices(delivery_methods or [], DELIVERY_CHOICES, "获取信息的方式"),
        submitted_at=submitted_at,
        imported=imported,
    )
    audit_record(
        actor=by,
        action="application.create",
        obj=application,
        organisation=organisation,
        after={"tracking_code": application.tracking_code, "applicant_kind": applicant_kind, "channel": channel,
               "imported": imported},
    )
    if submitted_at is not None:
        application = application_record_event(
            application=application, by=by, type="submitted",
            occurred_on=timezone.localtime(submitted_at).date() if timezone.is_aware(submitted_at) else submitted_at.date(),
        )
    return application


DERIVED_FIELDS = [
    "status", "pause_reason", "received_on", "due_on", "supplement_notice_deadline", "due_explanation",
    "calendar_version", "outcome", "reply_type", "concluded_on", "on_time", "archived",
]


def _refresh(application: Application, clock: Clock) -> None:
    """Write the derived fields — the only place they are written."""
    application.status = clock.status
    application.pause_reason = clock.pause_reason
    application.received_on = clock.received_on
    application.due_on = clock.due_on
    application.supplement_notice_deadline = clock.supplement_notice_deadline
    application.due_explanation = clock.explanation_text
    application.calendar_version = clock.calendar_version
    application.outcome = clock.outcome
    application.reply_type = clock.reply_type
    application.concluded_on = clock.concluded_on
    application.on_time = clock.on_time
    application.archived = clock.archived


def _state_snapshot(application: Application) -> dict[str, Any]:
    return {
        "organisation": application.organisation.code,
        "status": application.status,
        "due_on": application.due_on.isoformat() if application.due_on else None,
        "outcome": application.outcome,
        "assignee": application.assignee_id,
        "calendar_version": application.calendar_version,
        "version": application.version,
    }


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}


# --- The one door ---------------------------------------------------------------------------------------------
#
# Every change of a case goes through `application_record_event`: the workspace, the staff API, the online
# supplement, the import and the tasks. It checks, in this order and under the row lock: who acts, the
# version the caller saw, the rules of the event type (`STEP_RULES`: the legal-review gate, the fee rules,
# the references an event names), the law's sequence (`clock.derive` over all events), then writes the
# event, what the rules asked for (the FeeNotice row, the 收费通知书 draft, the review marked used) and the
# audit entry, and last tells the applicant. `_event_write` below is its private recorder.


@dataclass
class _Step:
    """One event on its way through the door: what the rules read and what they ask to do afterwards."""

    app: Application
    by: User | None
    type: str
    occurred_on: dt.date
    fields: dict[str, Any]
    today: dt.date
    draft_letter: bool = True
    target: Any = None  # the organisation or user the event names
    after: list[Callable[[Application, Clock], None]] = field(default_factory=list)

    @property
    def imported(self) -> bool:  # a historic case records what happened; the checks of the day are not redone
        return self.app.imported


def _no_rule(step: _Step) -> None:
    """The event needs nothing beyond the law's sequence (checked by the clock)."""


def _rule_assigned(step: _Step) -> None:
    user = User.objects.filter(pk=step.fields.get("assignee")).first() if step.fields.get("assignee") else None
    if user is None:
        raise ValidationError("分派须指明办理人（assignee，用户编号）。")
    if not application_may_handle(user=user, application=step.app):
        raise ValidationError(f"“{user}”不是该机关的依申请公开办理人员。")
    step.fields["assignee_name"] = str(user)
    step.target = user


def _rule_transferred(step: _Step) -> None:
    code = step.fields.get("to_organisation")
    target = Organisation.objects.filter(code=code, is_active=True).first() if code else None
    if target is None:
        raise ValidationError(f"接收机关“{code}”不存在。" if code else "转交须指明接收机关（to_organisation）。")
    step.fields["to_organisation_name"] = target.name
    step.target = target


def _rule_extension(step: _Step) -> None:
    """第三十三条第二款: an extension needs the consent of the head of the disclosure office (政府信息公开工作机构
    负责人) — a person the platform knows in that role, whichever face records it; an imported case keeps the
    name it had."""
    approver_id = step.fields.get("approver_id")
    if not approver_id:
        if step.imported:
            return
        raise ValidationError("延期须经政府信息公开工作机构负责人同意（第三十三条），请选择批准人（approver_id：政务公开办负责人的用户编号）。",
                              code="approver")
    approver = User.objects.filter(pk=approver_id, is_active=True).first()
    roles = user_roles(user=approver, organisation=step.app.organisation) if approver else set()
    if not roles & {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}:
        raise ValidationError("延期须经政府信息公开工作机构负责人同意（第三十三条），所选批准人不是政务公开办负责人。",
                              code="approver")
    step.fields["approver"] = str(approver)


def _rule_determination(step: _Step) -> None:
    """The legal adviser's approval before a withholding determination (settings.APPLICATION_LEGAL_REVIEW_GROUPS);
    the approval is for one outcome and is used once."""
    outcome = step.fields.get("outcome", "")
    if step.imported or not legal_review_required(outcome=outcome):
        return
    review = (LegalReview.objects.select_for_update()
              .filter(application=step.app, status=LegalReview.Status.APPROVED, used_at__isnull=True, outcome=outcome)
              .last())
    if review is None:
        raise ValidationError(f"“{OUTCOMES[outcome].full_label}”的答复须先经法律顾问审核通过，请先提交法律审核。",
                              code="legal_review")
    step.fields["legal_review"] = review.pk
    step.fields["legal_reviewer"] = review.reviewer_name

    def used(app: Application, clock: Clock) -> None:
        review.used_at = timezone.now()
        review.save(update_fields=["used_at"])

    step.after.append(used)


def _rule_fee_notice(step: _Step) -> None:
    """The fee rules of 国办函〔2020〕109号: one standard per application (第三条), the amount computed by that
    standard (第四条 按件, 第五条 按量) — never a figure typed in — and the FeeNotice row that the 收费通知书,
    the payment and the annual report (`fees_collected`) read."""
    f = step.fields
    basis = f.get("basis")
    if basis not in FEE_BASES:
        raise ValidationError("收费通知须写明计收方式（basis：by_item 按件计收或 by_volume 按量计收，国办函〔2020〕109号 第三条）。",
                              code="fee")
    other = FeeNotice.objects.filter(application=step.app).exclude(basis=basis).first()
    if other is not None:
        raise ValidationError(f"同一申请只能适用一种计收方式（国办函〔2020〕109号 第三条），本申请已按“{other.get_basis_display()}”计收。",
                              code="fee")
    if step.imported:  # the history as it happened: the amount charged then, the standard it named
        try:
            amount = int(float(f.get("amount")))
        except (TypeError, ValueError):
            raise ValidationError("收费通知须写明金额（amount，元）。", code="fee") from None
        quote = FeeQuote(basis, int(f.get("quantity") or f.get("pages") or 0), amount,
                         lines=["导入的历史记录，金额按原记录"])
    else:
        pages = f.get("pages", f.get("quantity") if basis == "by_volume" else None)
        try:
            pages = int(pages) if pages not in (None, "") else None
        except (TypeError, ValueError):
            raise ValidationError("页数（pages）应为整数。", code="fee") from None
        quote = fee_quote(application=step.app, basis=basis, pages=pages)
        if quote.amount <= 0:
            raise ValidationError(f"按本标准计算无需收费（{quote.explanation}）。", code="fee")
        given = f.get("amount")
        if given not in (None, ""):
            try:
                same = float(given) == quote.amount
            except (TypeError, ValueError):
                same = False
            if not same:
                raise ValidationError(f"收费金额按{quote.basis_label}标准计算为 {quote.amount} 元（{quote.explanation}），"
                                      f"不能记录为 {given} 元。", code="fee")
    f.update(amount=quote.amount, basis=basis, quantity=quote.quantity,
             notice_received_on=f.get("notice_received_on") or step.occurred_on.isoformat())
    f.pop("pages", None)
    if quote.month:
        f["month"] = quote.month

    def notice_row(app: Application, clock: Clock) -> None:
        notice = FeeNotice.objects.create(
            application=app, basis=basis, quantity=quote.quantity, month=quote.month, amount=quote.amount,
            explanation=quote.explanation, issued_on=step.occurred_on,
            notice_received_on=dt.date.fromisoformat(str(f["notice_received_on"])),
            payment_due_on=clock.fee_payment_due_on, created_by=step.by if step.by is not None else None,
        )
        if step.draft_letter and not step.imported:
            notice.letter = letter_draft(application=app, kind="fee_notice", by=step.by, fee_notice=notice)
            notice.save(update_fields=["letter"])

    step.after.append(notice_row)


def _pending_notice(step: _Step) -> FeeNotice | None:
    return (FeeNotice.objects.select_for_update()
            .filter(application=step.app, paid_on__isnull=True, lapsed_on__isnull=True).order_by("-id").first())


def _rule_fee_paid(step: _Step) -> None:
    notice = _pending_notice(step)
    if notice is None:
        return  # the clock refuses a payment without a pending notice
    if step.occurred_on < notice.issued_on:
        raise ValidationError("缴费日期不能早于收费通知日期。", code="fee")
    step.fields["fee_notice"] = notice.pk
    receipt = str(step.fields.get("receipt_no") or "").strip()

    def paid(app: Application, clock: Clock) -> None:
        notice.paid_on, notice.receipt_no = step.occurred_on, receipt
        notice.save(update_fields=["paid_on", "receipt_no"])

    step.after.append(paid)


def _rule_fee_lapsed(step: _Step) -> None:
    notice = _pending_notice(step)
    if notice is None:
        return
    step.fields["fee_notice"] = notice.pk

    def lapsed(app: Application, clock: Clock) -> None:
        notice.lapsed_on = step.occurred_on
        notice.save(update_fields=["lapsed_on"])

    step.after.append(lapsed)


# The rules of each event type. Every type of the clock's catalogue is listed (checked below), so a new
# event type cannot reach the records without someone deciding which rules it follows.
STEP_RULES: dict[str, Callable[[_Step], None]] = {
    "submitted": _no_rule,
    "received": _no_rule,
    "assigned": _rule_assigned,
    "transferred": _rule_transferred,
    "supplement_requested": _no_rule,
    "supplement_received": _no_rule,
    "supplement_lapsed": _no_rule,
    "consultation_started": _no_rule,
    "consultation_ended": _no_rule,
    "extension": _rule_extension,
    "reasonable_period": _no_rule,  # the clock checks 第三十五条's facts (reasons asked, notice, a longer period)
    "fee_notice": _rule_fee_notice,
    "fee_paid": _rule_fee_paid,
    "fee_lapsed": _rule_fee_lapsed,
    "determination": _rule_determination,
    "delivery": _no_rule,
    "archived": _no_rule,
    "reopened": _no_rule,
}
if set(STEP_RULES) != set(EVENT_TYPES):  # pragma: no cover — a programming error, caught at import
    raise ImproperlyConfigured(f"STEP_RULES and clock.EVENT_TYPES differ: {set(STEP_RULES) ^ set(EVENT_TYPES)}")


def application_record_event(
    *,
    application: Application,
    by: User | None,
    type: str,
    occurred_on: dt.date | str | None = None,
    fields: dict[str, Any] | None = None,
    note: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    draft_letter: bool = True,
) -> Application:
    """The one door: record one step of the case after checking every rule (see the comment above).

    Locks the case row for the whole check-and-write, so two staff acting at once are serialised and
    the second is checked against the first's event. With `expected_version` (the version the caller
    displayed) a stale form is refused instead of silently applied on top of a newer state. `by` None
    is the system (the portal's online supplement, the import, tasks). Returns the refreshed case.
    """
    if type not in EVENT_TYPES:
        raise ValidationError(f"未知的事件类型“{type}”。")
    fields = _jsonable(dict(fields or {}))
    today = today or timezone.localdate()
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
        _require_handler(by, app.organisation)
        if expected_version is not None and expected_version != app.version:
            raise ValidationError("该申请已被他人更新，请刷新页面后重试。", code="stale")
        if occurred_on is None:
            occurred_on = _default_date(app.channel, type, fields, today)
        if isinstance(occurred_on, str):
            try:
                occurred_on = dt.date.fromisoformat(occurred_on)
            except ValueError:
                raise ValidationError(f"日期“{occurred_on}”格式不正确，应为 YYYY-MM-DD。") from None
        step = _Step(app=app, by=by, type=type, occurred_on=occurred_on, fields=fields, today=today,
                     draft_letter=draft_letter)
        STEP_RULES[type](step)
        app, clock = _event_write(step, note=note)
        for then in step.after:
            then(app, clock)
    application.refresh_from_db()
    if not app.imported:
        notice = notice_for(app, type, step.fields)
        if notice:
            applicant_notify(application=app, subject=notice[0], text=notice[1])
    return app


def _event_write(step: _Step, *, note: str) -> tuple[Application, Clock]:
    """The private recorder: replay every event with the new one through the clock, store it, refresh the
    cached state and write the audit entry. Only the door calls it, inside its transaction."""
    app, type, occurred_on, fields = step.app, step.type, step.occurred_on, step.fields
    before = _state_snapshot(app)
    events = list(app.events.all())
    candidate = Event(type=type, occurred_on=occurred_on, fields=fields)
    try:
        clock = derive(
            [*events, candidate],
            channel=app.channel,
            organisation=first_organisation_code(app),
            today=step.today,
            rules_for=rules_for_settings(settings),
            imported=app.imported,
        )
    except ClockError as exc:
        raise ValidationError(exc.message, code="sequence") from None
    except workdays.CalendarYearMissing as exc:
        raise ValidationError(str(exc), code="calendar") from None
    if type == "consultation_ended":
        ended = [c for c in clock.consultations if c.ended_on == occurred_on and c.response == fields.get("response")]
        if ended:  # the legal effect (e.g. silence = consent, 第三十四条) is part of the record
            fields.update(party=ended[-1].party, legal_effect=ended[-1].effect)
    by = step.by
    ApplicationEvent.objects.create(
        application=app,
        seq=len(events) + 1,
        type=type,
        occurred_on=occurred_on,
        by=by if by is not None and by.is_authenticated else None,
        by_name=str(by) if by is not None else "系统",
        organisation=app.organisation,
        note=note,
        fields=fields,
    )
    if type == "transferred":
        app.organisation = step.target
    if type == "assigned":
        app.assignee = step.target
    _refresh(app, clock)
    app.version += 1
    app.save()
    audit_record(
        actor=by,
        action=f"application.{type}",
        obj=app,
        organisation=app.organisation,
        before=before,
        after={**_state_snapshot(app), "event": {"type": type, "occurred_on": occurred_on.isoformat(), **fields}},
        note=note[:500],
    )
    return app, clock


# --- Fees: the fees page's three steps, through the door ------------------------------------------------------

def fee_notice_issue(
    *,
    application: Application,
    by: User | None,
    basis: str,
    pages: int | None = None,
    issued_on: dt.date | None = None,
    notice_received_on: dt.date | None = None,
    draft_letter: bool = True,
) -> FeeNotice:
    """Charge the fee (国办函〔2020〕109号): the `fee_notice` step (the clock pauses), the FeeNotice row with the
    computed amount and the draft 收费通知书. One standard per application (第三条)."""
    issued_on = issued_on or timezone.localdate()
    fields: dict[str, Any] = {"basis": basis, "notice_received_on": notice_received_on or issued_on}
    if pages is not None:
        fields["pages"] = pages
    application_record_event(application=application, by=by, type="fee_notice", occurred_on=issued_on,
                             fields=fields, draft_letter=draft_letter)
    return FeeNotice.objects.filter(application=application).order_by("-id").first()


def fee_payment_record(*, fee_notice: FeeNotice, by: User | None, paid_on: dt.date, receipt_no: str = "") -> FeeNotice:
    """The applicant paid (recorded by staff from the payment voucher); the clock resumes."""
    if fee_notice.state != "pending":
        raise ValidationError("该收费通知已了结。")
    application_record_event(application=fee_notice.application, by=by, type="fee_paid", occurred_on=paid_on,
                             fields={"receipt_no": receipt_no.strip()})
    return FeeNotice.objects.get(pk=fee_notice.pk)


def fee_lapse_record(*, fee_notice: FeeNotice, by: User | None, on: dt.date | None = None) -> FeeNotice:
    """Not paid in time: the application is no longer handled (其他处理 2); the case closes."""
    if fee_notice.state != "pending":
        raise ValidationError("该收费通知已了结。")
    application_record_event(application=fee_notice.application, by=by, type="fee_lapsed",
                             occurred_on=on or timezone.localdate())
    return FeeNotice.objects.get(pk=fee_notice.pk)


def _default_date(channel: str, type: str, fields: dict[str, Any], today: dt.date) -> dt.date | str:
    """`received` takes its date from the channel's evidence (第三十一条); other events default to today."""
    if type == "received":
        for key in ("confirmed_on", "signed_on"):
            if fields.get(key):
                return fields[key]
    return today


def application_refresh_clock(*, application: Application, by: User | None = None) -> bool:
    """Re-derive a case's cached clock (after a calendar import or a change of local rules).

    Returns whether anything changed; a change is written to the audit log with the old and new
    due date and calendar version.
    """
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
        before = _state_snapshot(app)
        clock = derive(
            list(app.events.all()), channel=app.channel, organisation=first_organisation_code(app),
            today=timezone.localdate(), rules_for=rules_for_settings(settings), imported=app.imported,
        )
        old = [getattr(app, f) for f in DERIVED_FIELDS]
        _refresh(app, clock)
        if old == [getattr(app, f) for f in DERIVED_FIELDS]:
            return False
        app.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
        audit_record(actor=by, action="application.recompute", obj=app, organisation=app.organisation,
                     before=before, after=_state_snapshot(app), note="工作日历或期限规则变更后重新计算")
        return True


def applications_refresh_clocks(*, organisation_ids: list[int] | None = None, by: User | None = None) -> int:
    """Re-derive the clock of every case not yet archived; returns how many changed.

    Run after the working-day calendar gains or corrects a year (`gongkai refresh_application_clocks`).
    """
    qs = Application.objects.filter(archived=False)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return sum(application_refresh_clock(application=a, by=by) for a in qs.only("pk").iterator())


@transaction.atomic
def application_update_applicant(*, application: Application, by: User, applicant: dict[str, Any]) -> Application:
    """Correct the applicant's details. The audit log records which fields changed, never their values."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _require_handler(by, app.organisation)
    clean = applicant_clean(kind=app.applicant_kind, data=applicant, required=not app.imported)
    old = app.applicant or {}
    changed = sorted(k for k in set(old) | set(clean) if old.get(k) != clean.get(k))
    app.applicant = clean
    app.version += 1
    app.save(update_fields=["applicant", "version", "updated_at"])
    audit_record(actor=by, action="application.applicant_update", obj=app, organisation=app.organisation,
                 after={"changed_fields": changed})
    return app


def attachment_open(*, attachment: ApplicationAttachment, by: User) -> Iterator[bytes]:
    """The plain bytes of an attachment for a handler of its case, streamed; the reading is audited
    (personal data: 条例 第四十五条 registration and the platform's rule that reading it leaves a trace)."""
    _require_handler(by, attachment.application.organisation)
    audit_record(actor=by, action="application.attachment_read", obj=attachment.application,
                 organisation=attachment.application.organisation, after={"attachment": attachment.pk})
    stored = attachment.file.open("rb")

    def chunks() -> Iterator[bytes]:
        try:
            yield from decrypted_chunks(stored)
        finally:
            stored.close()

    return chunks()


@transaction.atomic
def application_attach(*, application: Application, by: User | None, file: File, name: str) -> ApplicationAttachment:
    _require_handler(by, application.organisation)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = ApplicationAttachment(application=application, name=name[:255], sha256=digest.hexdigest(),
                                       uploaded_by=by)
    # Encrypted at rest like the applicant's details (core.crypto); a random name without the original one.
    attachment.file.save(f"{secrets.token_hex(16)}.enc", encrypted_file(file.chunks()), save=False)
    attachment.save()
    audit_record(actor=by, action="application.attach", obj=application, organisation=application.organisation,
                 after={"attachment": attachment.pk, "sha256": attachment.sha256})
    return attachment


@dataclass
class EncryptRun:
    """Counts of one `encrypt-attachments` run."""

    encrypted: int = 0
    already: int = 0
    missing: int = 0
    mismatched: int = 0
    recovered: int = 0
    failed: list[str] = field(default_factory=list)


ENCRYPT_JOURNAL = ".encrypt-attachments.journal"


def _encrypt_journal_path() -> Path:
    return Path(settings.MEDIA_ROOT) / ENCRYPT_JOURNAL


def _encrypt_recover(models_: dict[str, Any]) -> int:
    """Finish what an interrupted run left (the journal names the old and the new file of the one row it was
    switching): keep the file the row points to, delete the other — so no plain copy survives a crash."""
    path = _encrypt_journal_path()
    if not path.exists():
        return 0
    done = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        model = models_[entry["model"]]
        row = model.objects.filter(pk=entry["pk"]).first()
        storage = model._meta.get_field("file").storage
        current = row.file.name if row is not None else None
        leftover = entry["old"] if current == entry["new"] else entry["new"]
        if current in (entry["old"], entry["new"]) and storage.exists(leftover):
            storage.delete(leftover)
            done += 1
    path.unlink()
    return done


def attachments_encrypt_at_rest(*, by: User | None = None, progress: Callable[[str], None] | None = None,
                                limit: int | None = None) -> EncryptRun:
    """Re-encrypt case and letter attachments stored in plain before encryption at rest (issue 14 §2.10), with
    the same key management (`core.crypto` via `attachments.encrypted_file`).

    Idempotent (an encrypted file is recognised by its header and skipped) and resumable (each file is
    switched on its own: the encrypted copy is written under a new random name, the row is pointed to it in
    a transaction, then the plain file is deleted; a journal lets the next run finish a switch a crash
    interrupted). The plain bytes are checked against the recorded SHA-256 before the plain file goes."""
    models_ = {"application": ApplicationAttachment, "letter": LetterAttachment}
    say = progress or (lambda _line: None)
    run = EncryptRun(recovered=_encrypt_recover(models_))
    if run.recovered:
        say(f"上次中断的转换已收尾：删除 {run.recovered} 个遗留文件。")
    journal = _encrypt_journal_path()
    journal.parent.mkdir(parents=True, exist_ok=True)
    rows = [(label, pk) for label, model in models_.items()
            for pk in model.objects.exclude(file="").order_by("pk").values_list("pk", flat=True)]
    total = len(rows)
    for number, (label, pk) in enumerate(rows, start=1):
        if limit is not None and run.encrypted >= limit:
            break
        model = models_[label]
        row = model.objects.get(pk=pk)
        storage = row.file.storage
        old = row.file.name
        tag = f"[{number}/{total}] {label}#{pk}"
        if not storage.exists(old):
            run.missing += 1
            say(f"{tag} 文件缺失：{old}")
            continue
        with storage.open(old, "rb") as stored:
            if is_encrypted(stored):
                run.already += 1
                continue
        digest = hashlib.sha256()

        def plain_chunks():
            with storage.open(old, "rb") as stored:  # noqa: B023 — consumed inside this iteration
                while chunk := stored.read(64 * 1024):
                    digest.update(chunk)  # noqa: B023
                    yield chunk

        folder = old.rsplit("/", 1)[0] if "/" in old else ""
        new = storage.save(f"{folder}/{secrets.token_hex(16)}.enc" if folder else f"{secrets.token_hex(16)}.enc",
                           encrypted_file(plain_chunks()))
        if row.sha256 and digest.hexdigest() != row.sha256:
            storage.delete(new)
            run.mismatched += 1
            run.failed.append(f"{label}#{pk}")
            say(f"{tag} SHA-256 与登记值不符，未转换（请核对文件）")
            continue
        with journal.open("a", encoding="utf-8") as j:
            j.write(json.dumps({"model": label, "pk": pk, "old": old, "new": new}) + "\n")
        with transaction.atomic():
            model.objects.filter(pk=pk).update(file=new, sha256=row.sha256 or digest.hexdigest())
        storage.delete(old)
        journal.unlink()
        run.encrypted += 1
        say(f"{tag} 已加密")
    audit_record(actor=by, action="application.attachments_encrypt",
                 after={"encrypted": run.encrypted, "already": run.already, "missing": run.missing,
                        "mismatched": run.mismatched, "recovered": run.recovered})
    return run


@transaction.atomic
def remedy_record(
    *,
    application: Application,
    by: User | None,
    kind: str,
    filed_on: dt.date,
    body: str = "",
    case_no: str = "",
    result: str = "pending",
    decided_on: dt.date | None = None,
    follows: Remedy | None = None,
    note: str = "",
) -> Remedy:
    """Record a reconsideration or lawsuit about the case (行政复议法、行政诉讼法; Table 四)."""
    _require_handler(by, application.organisation)
    if kind not in REMEDY_KINDS:
        raise ValidationError(f"复议诉讼类型“{kind}”无效，应为：" + "、".join(REMEDY_KINDS))
    if application.received_on and filed_on < application.received_on:
        raise ValidationError("复议或诉讼日期不能早于收到申请之日。")
    if follows is not None:
        follows = Remedy.objects.get(pk=follows.pk)
    if kind == "litigation_after_reconsideration":
        if follows is None or follows.kind != "reconsideration" or follows.application_id != application.pk:
            raise ValidationError("复议后起诉须关联本案的行政复议记录。")
        if follows.result == "pending":
            raise ValidationError("所关联的行政复议尚未审结，不能记录为复议后起诉。")
    elif follows is not None:
        raise ValidationError("只有复议后起诉才关联行政复议记录。")
    remedy = Remedy(application=application, kind=kind, filed_on=filed_on, body=body, case_no=case_no,
                    follows=follows, note=note)
    _set_result(remedy, result, decided_on)
    remedy.save()
    remedy.warnings = remedy_counting_notes(remedy=remedy)  # recorded as it happened; the caller shows them
    audit_record(actor=by, action="application.remedy", obj=application, organisation=application.organisation,
                 after={"remedy": remedy.pk, "kind": kind, "result": remedy.result, "warnings": len(remedy.warnings)})
    return remedy


def _set_result(remedy: Remedy, result: str, decided_on: dt.date | None) -> None:
    if result not in REMEDY_RESULTS:
        raise ValidationError(f"结果“{result}”无效，应为：" + "、".join(REMEDY_RESULTS))
    if result != "pending" and decided_on is None:
        raise ValidationError("已审结的复议或诉讼须填写审结日期。")
    if decided_on and decided_on < remedy.filed_on:
        raise ValidationError("审结日期不能早于申请或起诉日期。")
    remedy.result, remedy.decided_on = result, decided_on if result != "pending" else None


@transaction.atomic
def remedy_decide(*, remedy: Remedy, by: User | None, result: str, decided_on: dt.date) -> Remedy:
    remedy = Remedy.objects.select_for_update().select_related("application__organisation").get(pk=remedy.pk)
    _require_handler(by, remedy.application.organisation)
    before = {"result": remedy.result}
    _set_result(remedy, result, decided_on)
    remedy.save(update_fields=["result", "decided_on"])
    audit_record(actor=by, action="application.remedy_decide", obj=remedy.application,
                 organisation=remedy.application.organisation, before=before,
                 after={"remedy": remedy.pk, "result": result, "decided_on": decided_on.isoformat()})
    return remedy
