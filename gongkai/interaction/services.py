"""Writes of 政民互动: boxes, messages and the one door through which every step of a message passes.

`message_act` checks the step against the clock (`clock.derive(events + [new])`), the staff member's
roles, the content checks before a reply is sent or published, records the event, re-derives the
state and writes one audit event. The public form, the staff pages, the import and the commands all
come through here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.compliance.checks import HitKind, Severity
from gongkai.compliance.engine import check_text
from gongkai.compliance.services import attachment_hits, finding_reported, finding_reported_closed
from gongkai.core import tracking
from gongkai.core.models import Organisation, Role, User
from gongkai.core.ratelimit import RateLimited, rate_limit_check  # noqa: F401 (re-exported for the faces)
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record
from gongkai.core.tracking import secret_new, secret_normalise, tracking_code_new
from gongkai.documents.services import attachment_validate

from . import clock, conf, tasks
from .models import (
    ErrorReport,
    ErrorReportEvent,
    Interview,
    InterviewPhoto,
    InterviewQuestion,
    InterviewTurn,
    Mailbox,
    Message,
    MessageAttachment,
    MessageEvent,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)

HANDLING_ROLES = {Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN, Role.HANDLER}
PUBLISHING_ROLES = {Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
PUBLIC_STEPS = {"rated", "reopened"}
POOR_RATING = 2  # 1-5 stars; 1 or 2 may re-open the message once


def _random_code(prefix: str, length: int = 8) -> str:
    return tracking_code_new(prefix, length=length, taken=lambda code: Message.objects.filter(tracking_code=code).exists())


@transaction.atomic
def mailbox_create(*, organisation: Organisation, kind: str, name: str, slug: str, reply_days: int | None = None,
                   publish_replies: bool = True) -> Mailbox:
    """A box with the reply standard of its kind unless given (conf.DEFAULT_REPLY_DAYS)."""
    if kind not in conf.BOX_KINDS:
        raise ValidationError(f"未知信箱类型：{kind}")
    box = Mailbox(organisation=organisation, kind=kind, name=name, slug=slug, publish_replies=publish_replies,
                  reply_days=reply_days if reply_days is not None else conf.DEFAULT_REPLY_DAYS[kind])
    box.full_clean()
    box.save()
    audit_record(actor=None, action="interaction.mailbox_create", obj=box, organisation=organisation,
                 after={"kind": kind, "reply_days": box.reply_days, "publish_replies": publish_replies})
    return box


BOX_ADMIN_ROLES = {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}


@transaction.atomic
def mailbox_update(*, mailbox: Mailbox, by: User, name: str, reply_days: int, publish_replies: bool,
                   is_active: bool) -> Mailbox:
    """Staff edit a box's name, reply standard (working days), publication and whether it takes messages.
    Messages already received keep the standard they were received under (`Message.reply_days`)."""
    if by is None or not (user_roles(user=by, organisation=mailbox.organisation) & BOX_ADMIN_ROLES):
        raise PermissionDenied("只有政务公开办管理员可以修改信箱设置。")
    if not 1 <= int(reply_days) <= 60:
        raise ValidationError({"reply_days": "答复时限应为 1 至 60 个工作日。"})
    before = {"name": mailbox.name, "reply_days": mailbox.reply_days, "publish_replies": mailbox.publish_replies,
              "is_active": mailbox.is_active}
    mailbox.name, mailbox.reply_days = name.strip() or mailbox.name, int(reply_days)
    mailbox.publish_replies, mailbox.is_active = publish_replies, is_active
    mailbox.full_clean()
    mailbox.save()
    audit_record(actor=by, action="interaction.mailbox_update", obj=mailbox, organisation=mailbox.organisation,
                 before=before, after={"name": mailbox.name, "reply_days": mailbox.reply_days,
                                       "publish_replies": publish_replies, "is_active": is_active})
    return mailbox


@dataclass
class Submitted:
    message: Message
    secret: str
    replayed: bool = False


def _derive(message: Message, events: list[Any], today: dt.date | None = None) -> clock.Clock:
    """The standard the message was received under (older rows without one: the box's)."""
    return clock.derive(events, reply_days=message.reply_days or message.mailbox.reply_days,
                        today=today or timezone.localdate())


def _apply(message: Message, c: clock.Clock) -> None:
    message.status = c.status
    message.due_on = c.due_on
    message.replied_at = c.replied_at
    message.published_at = c.published_at
    message.rating = c.rating
    message.reopened = c.reopened
    message.late_replies = c.late_replies
    message.invalid_reason = c.invalid_reason
    message.save()


@transaction.atomic
def message_submit(*, mailbox: Mailbox, subject: str, text: str, contact: dict[str, str] | None = None,
                   consent_publish: bool = False, client_address: str = "",
                   files: list[UploadedFile] | None = None, now: dt.datetime | None = None,
                   idempotency_key: str | None = None) -> Submitted:
    """A message from the public form. Contact data is encrypted at rest and never shown in public.
    Raises ValidationError for bad input and RateLimited when the address is over the abuse limit.

    With `idempotency_key` (the public form always sends one, issued with the form and bound to the session
    by `portal/formkeys.py`, the mechanism of the application form, issue 15.4), a second call with the same
    key returns the first message (`replayed`, without its secret) and stores nothing."""
    digest = None
    if idempotency_key is not None:
        if not tracking.IDEMPOTENCY_KEY_RE.match(idempotency_key or ""):
            raise ValidationError("表单已失效，请刷新页面后重新提交。")
        digest = tracking.idempotency_digest(idempotency_key, scope="message:")
        existing = Message.objects.filter(idempotency_digest=digest).first()
        if existing is not None:
            return Submitted(existing, "", True)
    subject, text = (subject or "").strip(), (text or "").strip()
    errors = {}
    if not subject or len(subject) > conf.SUBJECT_MAX_CHARS:
        errors["subject"] = f"请填写主题（不超过 {conf.SUBJECT_MAX_CHARS} 字）。"
    if not text or len(text) > conf.TEXT_MAX_CHARS:
        errors["text"] = f"请填写留言内容（不超过 {conf.TEXT_MAX_CHARS} 字）。"
    if not mailbox.is_active:
        errors["mailbox"] = "该信箱已停用。"
    try:
        attachments_check(files or [])
    except ValidationError as exc:
        errors["attachments"] = exc.messages
    if errors:
        raise ValidationError(errors)
    rate_limit_check(scope="interaction_submit", key=client_address or "unknown",
                     limit=getattr(settings, "INTERACTION_SUBMIT_LIMIT_PER_ADDRESS", conf.SUBMIT_LIMIT_PER_ADDRESS),
                     message="留言提交过于频繁，请稍后再试。")
    now = now or timezone.now()
    secret = secret_new()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                mailbox=mailbox, organisation=mailbox.organisation, tracking_code=_random_code(f"LY{now:%Y}"),
                secret_hash=make_password(secret_normalise(secret)), subject=subject, text=text,
                contact={k: v for k, v in (contact or {}).items() if v}, consent_publish=consent_publish,
                submitted_at=now, reply_days=mailbox.reply_days, idempotency_digest=digest,
            )
    except IntegrityError:
        # The same form was sent at the same moment by another request: that one won.
        existing = Message.objects.filter(idempotency_digest=digest).first() if digest else None
        if existing is None:
            raise
        return Submitted(existing, "", True)
    event = MessageEvent.objects.create(message=message, type="submitted", at=now)
    for f in files or []:
        _attach(message, f)
    _apply(message, _derive(message, [event]))
    audit_record(actor=None, action="interaction.submitted", obj=message, organisation=message.organisation,
                 after={"tracking_code": message.tracking_code, "mailbox": mailbox.slug, "due_on": str(message.due_on)})
    return Submitted(message, secret)


MAGIC = {"pdf": (b"%PDF",), "png": (b"\x89PNG",), "jpg": (b"\xff\xd8",), "jpeg": (b"\xff\xd8",), "docx": (b"PK",),
         "gif": (b"GIF87a", b"GIF89a")}


def attachments_check(files: list[UploadedFile]) -> None:
    """Refuse too many, too large or unexpected files (by extension and, where known, by the first bytes)."""
    if len(files) > conf.ATTACHMENT_MAX_FILES:
        raise ValidationError(f"最多可上传 {conf.ATTACHMENT_MAX_FILES} 个附件。")
    for f in files:
        ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if ext not in conf.ATTACHMENT_EXTENSIONS:
            raise ValidationError(f"附件“{f.name}”的类型不支持，可上传：{'、'.join(conf.ATTACHMENT_EXTENSIONS)}。")
        if f.size > conf.ATTACHMENT_MAX_MB * 1024 * 1024:
            raise ValidationError(f"附件“{f.name}”超过 {conf.ATTACHMENT_MAX_MB} MB。")
        head = f.read(8)
        f.seek(0)
        if ext in MAGIC and not head.startswith(MAGIC[ext]):
            raise ValidationError(f"附件“{f.name}”的内容与扩展名不符。")


def _attach(message: Message, f: UploadedFile) -> MessageAttachment:
    """Store the file under a random name and record what the content checks find in it (personal data,
    wording; an unreadable file says so). Attachments are never public; the findings warn the staff."""
    digest = hashlib.sha256()
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    name = Path(f.name).name[-200:]
    attachment = MessageAttachment(message=message, name=name, size=f.size, sha256=digest.hexdigest())
    ext = attachment.extension
    attachment.file.save(f"{secrets.token_hex(12)}.{ext}", f, save=False)
    attachment.scan = [{"location": loc, "kind": str(hit.kind), "severity": str(hit.severity), "message": hit.message,
                        "text": hit.suggestion or ""} for _field, hit, loc in attachment_hits(attachment)][:50]
    attachment.save()
    return attachment


def contact_reveal(*, message: Message, by: User) -> dict[str, str]:
    """The citizen's contact data for a staff member who handles the message; every reading is audited."""
    _require(by, message, HANDLING_ROLES, "查看联系方式")
    audit_record(actor=by, action="interaction.contact_read", obj=message, organisation=message.organisation,
                 after={"fields": sorted(message.contact or {})})
    return dict(message.contact or {})


def message_by_secret(*, tracking_code: str, secret: str, client_address: str) -> Message | None:
    """The message whose code and secret match, else None; failed look-ups are rate-limited per address."""
    limit = getattr(settings, "INTERACTION_TRACKING_LIMIT_PER_ADDRESS", conf.TRACKING_LIMIT_PER_ADDRESS)
    rate_limit_check(scope="interaction_tracking", key=client_address or "unknown", limit=limit, record=False,
                     message="查询失败次数过多，请稍后再试。")
    code = re.sub(r"\s+", "", tracking_code or "").upper()
    message = Message.objects.select_related("mailbox").filter(tracking_code=code).first()
    ok = bool(message and message.secret_hash) and check_password(secret_normalise(secret), message.secret_hash)
    if ok:
        return message
    rate_limit_check(scope="interaction_tracking", key=client_address or "unknown", limit=limit,
                     message="查询失败次数过多，请稍后再试。")
    return None


def mask_personal_data(text: str) -> str:
    """The text with every personal-data hit of the content checks replaced by its masked form (RULES §5)."""
    hits = [h for h in check_text(text, typos=False) if h.kind == HitKind.PERSONAL_DATA]
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + (hit.suggestion or "*" * (hit.end - hit.start)) + text[hit.end :]
    return text


def _require(by: User | None, message: Message, roles: set[str], action: str) -> None:
    if by is None:
        raise PermissionDenied(f"{action}须由工作人员办理。")
    orgs = {message.organisation, message.mailbox.organisation}
    if not any(user_roles(user=by, organisation=org) & roles for org in orgs):
        raise PermissionDenied(f"您没有权限{action}。")


def _reply_gate(text: str) -> None:
    """Before a reply goes out: the wording and personal-data checks; a severe finding blocks it."""
    if not (text or "").strip():
        raise ValidationError("请填写答复意见。")
    severe = [h for h in check_text(text, typos=False) if h.severity == Severity.SEVERE]
    if severe:
        raise ValidationError([f"答复中“{h.text}”：{h.message}" for h in severe[:5]])


@transaction.atomic
def message_act(*, message: Message, type: str, by: User | None, at: dt.datetime | None = None,
                note: str = "", system: bool = False, **fields: Any) -> Message:
    """The one door for every step after submission (受理/不予受理/转办/退回/答复/公开/评价/重新办理)."""
    message = Message.objects.select_for_update().select_related("mailbox", "organisation").get(pk=message.pk)
    at = at or timezone.now()
    if type not in clock.EVENT_TYPES or type == "submitted":
        raise ValidationError(f"未知的办理步骤：{type}")
    if not system:
        if type in {"published", "unpublished"}:
            _require(by, message, PUBLISHING_ROLES, "公开或撤回答复（须审核人审核）")
        elif type not in PUBLIC_STEPS:
            _require(by, message, HANDLING_ROLES, clock.EVENT_TYPES[type])
    before = {"status": message.status, "due_on": str(message.due_on), "organisation": message.organisation.code}
    if type == "forwarded":
        to = fields.pop("to")
        if not to.path.startswith(message.mailbox.organisation.path):
            raise ValidationError("只能转办给本机关或其下级机关。")
        fields.update(to=to.pk, to_name=to.name)
        message.organisation = to
    elif type == "handed_back":
        if not fields.get("reason", "").strip():
            raise ValidationError("退回须说明理由。")
        parent = message.organisation.parent
        if message.organisation == message.mailbox.organisation or parent is None:
            raise ValidationError("留言尚未转办，不能退回。")
        message.organisation = message.mailbox.organisation
    elif type == "replied":
        text = fields.pop("text", "")
        if not system:
            _reply_gate(text)
        message.reply_text = text
        fields["by_name"] = str(by) if by else ""
    elif type == "published":
        if not message.mailbox.publish_replies:
            raise ValidationError("该信箱的答复不公开。")
        if not message.consent_publish:
            raise ValidationError("留言人未同意公开，不能公开。")
        replier = message.events.filter(type="replied").order_by("-at", "-id").first()
        if not system and replier is not None and replier.by_id == by.pk:
            raise ValidationError("答复人不能审核公开自己的答复（先审后发）。")
        if not system:
            _reply_gate(message.reply_text)
    elif type == "assigned":
        assignee = fields.pop("assignee")
        if not (user_roles(user=assignee, organisation=message.organisation) & HANDLING_ROLES):
            raise ValidationError("承办人须为办理机关的工作人员。")
        message.assignee = assignee
        fields.update(assignee=assignee.pk, assignee_name=str(assignee))
    elif type == "unpublished":
        if not (fields.get("reason") or "").strip():
            raise ValidationError("撤回公开须说明理由。")
    elif type == "rated":
        rating = int(fields.get("rating") or 0)
        if not 1 <= rating <= 5:
            raise ValidationError("评价应为 1 至 5 分。")
        if message.events.filter(type="rated").exists() and not message.reopened:
            raise ValidationError("已评价过。")
        fields["rating"] = rating
    elif type == "reopened":
        if (message.rating or 5) > POOR_RATING:
            raise ValidationError("只有评价为不满意的答复可以重新办理。")
    events = list(message.events.all())
    if events and at < events[-1].at:
        raise ValidationError("办理时间不能早于上一步的时间。")
    new = MessageEvent(message=message, type=type, at=at, by=by if by is not None and by.is_authenticated else None,
                       by_name=str(by) if by else "", fields=fields)
    try:
        c = _derive(message, [*events, new], today=timezone.localdate(at) if system else None)
    except clock.ClockError as exc:
        raise ValidationError(exc.message) from None
    new.save()
    _apply(message, c)
    audit_record(actor=by, action=f"interaction.{type}", obj=message, organisation=message.organisation,
                 before=before, after={"status": message.status, "due_on": str(message.due_on),
                                       "organisation": message.organisation.code}, note=note)
    if type in tasks.CITIZEN_NOTICES:  # the citizen hears of the reply (e-mail/SMS), after the commit
        transaction.on_commit(partial(tasks.citizen_notify, message.pk, type, f"{type}:{new.pk}"))
    elif type == "reopened":  # a poor rating re-opened it: the staff hear of it
        transaction.on_commit(partial(tasks.staff_notify_reopened, message.pk, f"reopened:{new.pk}"))
    if type == "replied":
        _reply_group(message, by=by, at=at, system=system)
    return message


@transaction.atomic
def message_group(*, message: Message, into: Message | None, by: User) -> Message:
    """Group an identical message under another (one reply to many), or take it out (`into=None`). When the
    main message is answered, every open message of its group gets the same reply, each through the door."""
    _require(by, message, HANDLING_ROLES, "合并相同留言")
    if into is not None:
        into = Message.objects.get(pk=into.pk)
        if into.pk == message.pk or into.group_of_id is not None or message.grouped.exists():
            raise ValidationError("只能并入一条主留言，且主留言本身不能已并入其他留言。")
        if into.mailbox.organisation.path.split("/")[1] != message.mailbox.organisation.path.split("/")[1]:
            raise ValidationError("只能合并同一机关体系内的留言。")
    before = {"group_of": message.group_of.tracking_code if message.group_of else ""}
    message.group_of = into
    message.save(update_fields=["group_of"])
    audit_record(actor=by, action="interaction.group", obj=message, organisation=message.organisation,
                 before=before, after={"group_of": into.tracking_code if into else ""})
    return message


def _reply_group(message: Message, *, by: User | None, at: dt.datetime, system: bool) -> None:
    for other in message.grouped.filter(status__in=["submitted", "accepted"]):
        message_act(message=other, type="replied", by=by, at=at, system=system, text=message.reply_text,
                    note=f"与 {message.tracking_code} 合并答复", grouped_with=message.tracking_code)


# --- An organisation merged away or abolished (机构撤并) -----------------------------------------------------

@dataclass
class Merged:
    mailboxes: int = 0
    open_messages: int = 0
    closed_messages: int = 0
    error_reports: int = 0
    interviews: int = 0
    surveys: int = 0


@transaction.atomic
def organisation_merge(*, organisation: Organisation, into: Organisation | None = None, by: User | None = None,
                       at: dt.datetime | None = None) -> Merged:
    """Move what 政民互动 holds for an organisation that is merged into another or abolished (default: its
    parent), so nothing is silently dropped (issue 21): its boxes, its open messages (each by a 转办 through
    `message_act`, so the clock keeps running and the step is audited), its answered messages and 找错 reports,
    its interviews and surveys (they count for `into` from now on). On PostgreSQL an organisation with audit
    history cannot be deleted (the append-only trigger); this is how its work moves on. Deleting an
    organisation without history does the same through `SET_PARENT_ORGANISATION`."""
    into = into or organisation.parent
    if into is None or into.pk == organisation.pk:
        raise ValidationError("请指定承接的机关（没有上级机关的机关须指定）。")
    if into.path.startswith(organisation.path):
        raise ValidationError("不能并入本机关的下级机关。")
    if by is not None and not (user_roles(user=by, organisation=into) & BOX_ADMIN_ROLES):
        raise PermissionDenied("只有政务公开办管理员可以办理机构撤并。")
    at = at or timezone.now()
    result = Merged()
    result.mailboxes = Mailbox.objects.filter(organisation=organisation).update(organisation=into)
    note = f"机构撤并：{organisation.name} 并入 {into.name}"
    for message in Message.objects.filter(organisation=organisation, status__in=["submitted", "accepted"]):
        if into.path.startswith(message.mailbox.organisation.path):
            message_act(message=message, type="forwarded", by=by, system=True, at=max(at, _last_at(message)),
                        note=note, to=into, reason=note)
        else:  # the box is outside `into`'s tree: the handling organisation changes without a 转办
            Message.objects.filter(pk=message.pk).update(organisation=into)
        result.open_messages += 1
    result.closed_messages = Message.objects.filter(organisation=organisation).update(organisation=into)
    result.error_reports = ErrorReport.objects.filter(organisation=organisation).update(organisation=into)
    ErrorReport.objects.filter(page_owner=organisation).update(page_owner=into)
    result.interviews = Interview.objects.filter(organisation=organisation).update(organisation=into)
    result.surveys = Survey.objects.filter(organisation=organisation).update(organisation=into)
    audit_record(actor=by, action="interaction.organisation_merge", obj=into, organisation=into,
                 before={"organisation": organisation.code}, after={"into": into.code, **result.__dict__}, note=note)
    return result


def _last_at(message: Message) -> dt.datetime:
    last = message.events.order_by("-at", "-id").first()
    return last.at if last else message.submitted_at


# --- Import of historical messages (the shape of messages_with_replies.jsonl) ------------------------------

def _parse_time(value: str) -> dt.datetime:
    value = (value or "").strip()
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return timezone.make_aware(dt.datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise ValueError(f"时间格式无法识别：“{value}”")


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    errors: list[str] | None = None


def messages_import(*, path: Path, mailbox: Mailbox, progress=None) -> ImportResult:
    """Import messages with replies (留言编号, 留言主题, 留言时间, 留言详情, 答复意见, 答复时间). Idempotent by
    留言编号; a bad line is reported with its number and skipped. The user id of the old board is kept
    encrypted as contact data, never shown."""
    result = ImportResult(errors=[])
    known = set(Message.objects.exclude(external_id=None).values_list("external_id", flat=True))
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                external_id = f"{mailbox.slug}:{row['留言编号']}"
                if external_id in known:
                    result.skipped += 1
                    continue
                _import_row(mailbox, row, external_id)
                known.add(external_id)
                result.created += 1
            except (ValueError, KeyError, ValidationError) as exc:
                text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                result.errors.append(f"第 {number} 行：{text}")
            if progress and number % 500 == 0:
                progress(number)
    audit_record(actor=None, action="interaction.import", obj=mailbox, organisation=mailbox.organisation,
                 after={"file": str(path), "created": result.created, "skipped": result.skipped,
                        "errors": len(result.errors)})
    return result


@transaction.atomic
def _import_row(mailbox: Mailbox, row: dict[str, Any], external_id: str) -> Message:
    submitted = _parse_time(row["留言时间"])
    subject = (row.get("留言主题") or "").strip()[:200]
    if not subject:
        raise ValueError("缺少留言主题")
    message = Message.objects.create(
        mailbox=mailbox, organisation=mailbox.organisation, tracking_code=_random_code("LYIMP", 10),
        external_id=external_id, subject=subject, text=(row.get("留言详情") or "").strip(),
        contact={"user": row.get("留言用户", "")} if row.get("留言用户") else {}, consent_publish=True,
        submitted_at=submitted, reply_days=mailbox.reply_days,
    )
    events = [MessageEvent(message=message, type="submitted", at=submitted),
              MessageEvent(message=message, type="accepted", at=submitted, fields={"imported": True})]
    reply = (row.get("答复意见") or "").strip()
    if reply and row.get("答复时间"):
        replied = _parse_time(row["答复时间"])
        if replied < submitted:
            raise ValueError("答复时间早于留言时间")
        message.reply_text = reply
        events.append(MessageEvent(message=message, type="replied", at=replied, fields={"imported": True}))
        if mailbox.publish_replies:
            events.append(MessageEvent(message=message, type="published", at=replied, fields={"imported": True}))
    c = _derive(message, events)
    MessageEvent.objects.bulk_create(events)
    _apply(message, c)
    return message




# --- 我为政府网站找错 ----------------------------------------------------------------------------------------

def site_operator(page_owner: Organisation | None = None) -> Organisation:
    """The site's operator (网站主办单位) for a page: the root government of the page owner's tree, so a
    platform hosting more than one government (or a demo loaded into an existing site) routes each report to
    the site the page belongs to. Without an owner: the first government at the root of the organisation tree
    (an external source such as the national law library is a root too, but not a government)."""
    if page_owner is not None:
        root_id = int(page_owner.path.strip("/").split("/")[0]) if page_owner.path.strip("/") else page_owner.pk
        root = Organisation.objects.filter(pk=root_id, parent=None).first()
        if root is not None and root.kind == Organisation.Kind.GOVERNMENT:
            return root
    roots = Organisation.objects.filter(parent=None).order_by("path", "id")
    operator = roots.filter(kind=Organisation.Kind.GOVERNMENT).first() or roots.first()
    if operator is None:
        raise ValidationError("尚未设置网站主办单位。")
    return operator


def _report_code() -> str:
    return tracking_code_new("ZC", length=10, taken=lambda code: ErrorReport.objects.filter(tracking_code=code).exists())


def _report_days() -> tuple[int, int]:
    return (getattr(settings, "INTERACTION_ERROR_REPORT_FORWARD_DAYS", conf.ERROR_REPORT_FORWARD_DAYS),
            getattr(settings, "INTERACTION_ERROR_REPORT_REPLY_DAYS", conf.ERROR_REPORT_REPLY_DAYS))


def _report_apply(report: ErrorReport, c: clock.ReportClock) -> None:
    report.status, report.forward_due_on, report.reply_due_on = c.status, c.forward_due_on, c.reply_due_on
    report.forwarded_at, report.closed_at, report.on_time = c.forwarded_at, c.closed_at, c.on_time
    report.save()


def report_clock(report: ErrorReport, events: list[Any] | None = None, today: dt.date | None = None) -> clock.ReportClock:
    return clock.derive_report(list(report.events.all()) if events is None else events,
                               forward_days=report.forward_days, reply_days=report.reply_days,
                               today=today or timezone.localdate())


_Q = r"[“\"「『]([^”\"」』]{1,30})[”\"」』]"
_WRITTEN_AS = re.compile(_Q + r"\s*(?:被|错|误)?(?:写成了?|写为|写作|打成了?|误写为|误作)\s*" + _Q)  # “right”写成了“wrong”
_SHOULD_BE = re.compile(_Q + r"\s*应(?:为|是|改为|写作|写为)\s*" + _Q)  # “wrong”应为“right”


def wording_in_report(*, kind: str, description: str) -> tuple[str, str] | None:
    """(wrong, right) of a wording report, or None when it is not one. A 错别字 report is one even when its
    description quotes nothing (then both are empty); another kind is one when it quotes both forms."""
    match = _WRITTEN_AS.search(description or "")
    if match:
        return match.group(2), match.group(1)
    match = _SHOULD_BE.search(description or "")
    if match:
        return match.group(1), match.group(2)
    return ("", "") if kind in conf.ERROR_REPORT_WORDING_KINDS else None


def _report_finding(report: ErrorReport, page_document: Any | None) -> None:
    """A wording report becomes a finding of the content checks (compliance's door `finding_reported`), of the
    page's document when the URL resolves to one, else of the report; at the page owner's organisation."""
    wording = wording_in_report(kind=report.kind, description=report.description)
    if wording is None:
        return
    wrong, right = wording
    item = page_document if page_document is not None else report
    organisation = getattr(page_document, "organisation", None) or report.page_owner or report.operator
    finding_reported(item=item, organisation=organisation, reference=report.tracking_code, kind=report.kind,
                     text=wrong, suggestion=right, description=report.description,
                     item_title=getattr(page_document, "title", "") or report.page_title or report.page_url,
                     location=report.page_url, body=getattr(page_document, "body", "") or "")


@transaction.atomic
def error_report_submit(*, kind: str, page_url: str, description: str, page_title: str = "",
                        page_owner: Organisation | None = None, contact: dict[str, str] | None = None,
                        client_address: str = "", now: dt.datetime | None = None,
                        page_document: Any | None = None) -> ErrorReport:
    """A report from the 找错 link of any page. It lands at the site's operator with the page's owner noted
    (the face resolves the page URL to its organisation and, for a document page, to the document); the clock
    starts on receipt. A wording report (错别字, or a quoted wrong/right pair) is also a content-check finding."""
    description = (description or "").strip()
    page_url = (page_url or "").strip()
    errors = {}
    if kind not in conf.ERROR_REPORT_KINDS:
        errors["kind"] = "请选择问题类型。"
    if not page_url or len(page_url) > 500:
        errors["page_url"] = "请填写出错页面的地址。"
    if not description or len(description) > conf.ERROR_REPORT_TEXT_MAX_CHARS:
        errors["description"] = f"请描述问题（不超过 {conf.ERROR_REPORT_TEXT_MAX_CHARS} 字）。"
    if errors:
        raise ValidationError(errors)
    rate_limit_check(scope="interaction_error_report", key=client_address or "unknown",
                     limit=getattr(settings, "INTERACTION_ERROR_REPORT_LIMIT_PER_ADDRESS",
                                   conf.ERROR_REPORT_LIMIT_PER_ADDRESS),
                     message="提交过于频繁，请稍后再试。")
    now = now or timezone.now()
    operator = site_operator(page_owner)
    forward_days, reply_days = _report_days()
    report = ErrorReport.objects.create(
        tracking_code=_report_code(), kind=kind, page_url=page_url, page_title=(page_title or "")[:300],
        description=description, contact={k: v for k, v in (contact or {}).items() if v}, operator=operator,
        page_owner=page_owner, organisation=operator, submitted_at=now, forward_days=forward_days,
        reply_days=reply_days)
    event = ErrorReportEvent.objects.create(report=report, type="submitted", at=now)
    _report_apply(report, report_clock(report, [event], today=timezone.localdate(now)))
    audit_record(actor=None, action="interaction.error_report_submitted", obj=report, organisation=operator,
                 after={"tracking_code": report.tracking_code, "kind": kind, "page_url": page_url,
                        "page_owner": page_owner.code if page_owner else ""})
    _report_finding(report, page_document)
    return report


def _require_org(by: User | None, organisations: set[Organisation], action: str) -> None:
    if by is None or not any(user_roles(user=by, organisation=o) & HANDLING_ROLES for o in organisations):
        raise PermissionDenied(f"您没有权限{action}。")


@transaction.atomic
def error_report_act(*, report: ErrorReport, type: str, by: User | None, at: dt.datetime | None = None,
                     system: bool = False, **fields: Any) -> ErrorReport:
    """转办 (to=Organisation) or 答复/办结 (outcome, resolution: what was done) of a 找错 report."""
    report = ErrorReport.objects.select_for_update().select_related("organisation", "operator").get(pk=report.pk)
    at = at or timezone.now()
    if not system:
        _require_org(by, {report.organisation, report.operator}, "办理找错留言")
    before = {"status": report.status, "organisation": report.organisation.code}
    if type == "forwarded":
        to = fields.pop("to")
        if not to.path.startswith(report.operator.path):
            raise ValidationError("只能转办给本网站主办单位或其下级机关。")
        report.organisation = to
        fields.update(to=to.pk, to_name=to.name)
    elif type == "replied":
        outcome, resolution = fields.get("outcome", ""), (fields.get("resolution") or "").strip()
        if outcome not in conf.ERROR_REPORT_OUTCOMES:
            raise ValidationError("请选择办理结果：" + "、".join(conf.ERROR_REPORT_OUTCOMES.values()))
        if not resolution:
            raise ValidationError("办结须说明处理情况（改了什么、在哪里改的）。")
        if not system:
            _reply_gate(resolution)
        report.outcome, report.resolution = outcome, resolution
    else:
        raise ValidationError(f"未知的办理步骤：{type}")
    events = list(report.events.all())
    if at < events[-1].at:
        raise ValidationError("办理时间不能早于上一步的时间。")
    new = ErrorReportEvent(report=report, type=type, at=at, by=by if by is not None and by.is_authenticated else None,
                           by_name=str(by) if by else "", fields=fields)
    try:
        c = report_clock(report, [*events, new], today=timezone.localdate(at) if system else None)
    except clock.ClockError as exc:
        raise ValidationError(exc.message) from None
    new.save()
    _report_apply(report, c)
    if type == "replied":  # the reported finding closes with the report: fixed, or kept with the reason
        finding_reported_closed(reference=report.tracking_code, fixed=report.outcome == "fixed",
                                reason=f"{conf.ERROR_REPORT_OUTCOMES[report.outcome]}：{report.resolution}", by=by)
    audit_record(actor=by, action=f"interaction.error_report_{type}", obj=report, organisation=report.organisation,
                 before=before, after={"status": report.status, "organisation": report.organisation.code})
    return report


# --- 在线访谈 --------------------------------------------------------------------------------------------------

TURN = re.compile(r"^\s*([^：:\n]{1,30})[：:]\s*(.+)$")


@transaction.atomic
def interview_create(*, by: User, organisation: Organisation, title: str, guests: str, starts_at: dt.datetime,
                     ends_at: dt.datetime, summary: str = "") -> Interview:
    """Announce an interview (预告): topic, guests, time. Questions are collected from then on."""
    _require_org(by, {organisation}, "发布在线访谈")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})
    if not (title or "").strip() or not (guests or "").strip():
        raise ValidationError("请填写访谈主题和嘉宾。")
    interview = Interview.objects.create(organisation=organisation, title=title.strip(), summary=summary.strip(),
                                         guests=guests.strip(), starts_at=starts_at, ends_at=ends_at)
    audit_record(actor=by, action="interaction.interview_create", obj=interview, organisation=organisation,
                 after={"title": interview.title, "starts_at": starts_at.isoformat()})
    return interview


@transaction.atomic
def interview_question_submit(*, interview: Interview, text: str, nickname: str = "", client_address: str = "",
                              now: dt.datetime | None = None) -> InterviewQuestion:
    """A question from the public, before or during the interview; shown only once a moderator adopts it."""
    now = now or timezone.now()
    text = (text or "").strip()
    if now > interview.ends_at:
        raise ValidationError("访谈已结束，不再接收提问。")
    if not text or len(text) > conf.INTERVIEW_QUESTION_MAX_CHARS:
        raise ValidationError({"text": f"请填写问题（不超过 {conf.INTERVIEW_QUESTION_MAX_CHARS} 字）。"})
    rate_limit_check(scope="interaction_interview_question", key=client_address or "unknown",
                     limit=getattr(settings, "INTERACTION_INTERVIEW_QUESTION_LIMIT_PER_ADDRESS",
                                   conf.INTERVIEW_QUESTION_LIMIT_PER_ADDRESS),
                     message="提问过于频繁，请稍后再试。")
    return InterviewQuestion.objects.create(interview=interview, text=text, nickname=(nickname or "").strip()[:30],
                                            submitted_at=now)


@transaction.atomic
def interview_question_moderate(*, question: InterviewQuestion, by: User, state: str, answer: str = "",
                                answered_by: str = "") -> InterviewQuestion:
    """Adopt (with the guest's answer, checked like any reply) or decline a question."""
    question = InterviewQuestion.objects.select_related("interview__organisation").get(pk=question.pk)
    _require_org(by, {question.interview.organisation}, "审核访谈提问")
    if state not in InterviewQuestion.State.values or state == InterviewQuestion.State.PENDING:
        raise ValidationError("请选择采用或不采用。")
    if state == InterviewQuestion.State.APPROVED and answer.strip():
        _reply_gate(answer)
    question.state, question.answer, question.answered_by = state, answer.strip(), answered_by.strip()[:100]
    question.save()
    audit_record(actor=by, action="interaction.interview_question_moderate", obj=question.interview,
                 organisation=question.interview.organisation, after={"question": question.pk, "state": state})
    return question


def transcript_parse(text: str) -> list[tuple[str, str]]:
    """“发言人：内容” per turn; a line without a speaker continues the previous turn."""
    turns: list[list[str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = TURN.match(line)
        if match:
            turns.append([match.group(1).strip(), match.group(2).strip()])
        elif turns:
            turns[-1][1] += "\n" + line.strip()
        else:
            raise ValidationError("实录第一行须以“发言人：”开头。")
    return [(speaker, body) for speaker, body in turns]


@transaction.atomic
def interview_transcript_save(*, interview: Interview, by: User, text: str) -> list[InterviewTurn]:
    """Replace the transcript with the turns of `text`; a published transcript stays published (the archive
    shows the corrected text)."""
    _require_org(by, {interview.organisation}, "编辑访谈实录")
    turns = transcript_parse(text)
    interview.turns.all().delete()
    rows = InterviewTurn.objects.bulk_create(
        [InterviewTurn(interview=interview, position=i, speaker=sp, text=body) for i, (sp, body) in enumerate(turns, 1)])
    audit_record(actor=by, action="interaction.interview_transcript_save", obj=interview,
                 organisation=interview.organisation, after={"turns": len(rows)})
    return rows


@transaction.atomic
def interview_transcript_publish(*, interview: Interview, by: User, now: dt.datetime | None = None) -> Interview:
    """Publish the text transcript after the interview, once it passes the wording and personal-data checks."""
    _require_org(by, {interview.organisation}, "发布访谈实录")
    now = now or timezone.now()
    if now < interview.ends_at:
        raise ValidationError("访谈结束后才能发布文字实录。")
    turns = list(interview.turns.all())
    if not turns:
        raise ValidationError("请先录入文字实录。")
    _reply_gate("\n".join(f"{t.speaker}：{t.text}" for t in turns))
    interview.transcript_published_at = now
    interview.save(update_fields=["transcript_published_at"])
    audit_record(actor=by, action="interaction.interview_transcript_publish", obj=interview,
                 organisation=interview.organisation, after={"turns": len(turns)})
    return interview


@transaction.atomic
def interview_photo_add(*, interview: Interview, by: User, file: UploadedFile, alt: str, caption: str = "") -> InterviewPhoto:
    """Add a photo to an interview. Size and type by the library's attachment rules
    (`documents.services.attachment_validate`: settings.ATTACHMENT_MAX_MB, ATTACHMENT_EXTENSIONS), narrowed to
    pictures (conf.INTERVIEW_PHOTO_EXTENSIONS) and checked by the first bytes; the alt text is required (GB/T
    37668—2019 非文本内容的替代文本) and, with the caption, passes the wording and personal-data checks; the file
    is scanned like every attachment (`compliance.services.attachment_hits`) and stored under a random name."""
    _require_org(by, {interview.organisation}, "上传访谈图片")
    alt, caption = (alt or "").strip(), (caption or "").strip()
    if not alt:
        raise ValidationError({"alt": "请填写图片说明（替代文本），供读屏软件朗读，如“局长在访谈现场回答网友提问”。"})
    if len(alt) > conf.INTERVIEW_PHOTO_ALT_MAX_CHARS:
        raise ValidationError({"alt": f"图片说明不超过 {conf.INTERVIEW_PHOTO_ALT_MAX_CHARS} 字。"})
    if interview.photos.count() >= conf.INTERVIEW_PHOTOS_MAX:
        raise ValidationError(f"每场访谈最多 {conf.INTERVIEW_PHOTOS_MAX} 张图片。")
    extension = attachment_validate(name=file.name, size=file.size).lstrip(".")
    if extension not in conf.INTERVIEW_PHOTO_EXTENSIONS:
        raise ValidationError(f"访谈图片只能是 {'、'.join(conf.INTERVIEW_PHOTO_EXTENSIONS)} 格式。")
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(m) for m in MAGIC[extension]):
        raise ValidationError(f"“{file.name}”的内容与扩展名不符。")
    _reply_gate(f"{alt}\n{caption}")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    photo = InterviewPhoto(interview=interview, name=Path(file.name).name[-200:], size=file.size,
                           sha256=digest.hexdigest(), alt=alt, caption=caption[:300], uploaded_by=by,
                           position=(interview.photos.count() + 1))
    photo.file.save(f"{secrets.token_hex(12)}.{extension}", file, save=False)
    photo.scan = [{"location": loc, "kind": str(hit.kind), "severity": str(hit.severity), "message": hit.message,
                   "text": hit.suggestion or ""} for _field, hit, loc in attachment_hits(photo)][:50]
    photo.save()
    audit_record(actor=by, action="interaction.interview_photo_add", obj=interview, organisation=interview.organisation,
                 after={"photo": photo.pk, "name": photo.name, "sha256": photo.sha256, "size": photo.size})
    return photo


@transaction.atomic
def interview_photo_remove(*, photo: InterviewPhoto, by: User) -> None:
    interview = photo.interview
    _require_org(by, {interview.organisation}, "删除访谈图片")
    audit_record(actor=by, action="interaction.interview_photo_remove", obj=interview,
                 organisation=interview.organisation, after={"photo": photo.pk, "name": photo.name})
    photo.file.delete(save=False)
    photo.delete()


# --- 网上调查 --------------------------------------------------------------------------------------------------

KIND_LABELS = {"单选": "single", "多选": "multiple", "填空": "text"}
QUESTION_HEAD = re.compile(r"^\s*[\[【](单选|多选|填空)[\]】]\s*(.+?)\s*$")


def survey_questions_parse(text: str) -> list[dict[str, Any]]:
    """Questions as staff type them: blocks separated by a blank line, each “[单选] 问题” / “[多选] …” /
    “[填空] …” followed by one option per line (choice questions need at least two)."""
    questions = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        match = QUESTION_HEAD.match(lines[0])
        if not match:
            raise ValidationError(f"“{lines[0][:30]}”：每题第一行须以 [单选]、[多选] 或 [填空] 开头。")
        kind, options = KIND_LABELS[match.group(1)], lines[1:]
        if kind != "text" and len(options) < 2:
            raise ValidationError(f"“{match.group(2)[:30]}”：选择题至少要有两个选项。")
        questions.append({"kind": kind, "text": match.group(2)[:300], "options": options if kind != "text" else []})
    if not questions:
        raise ValidationError("请至少填写一个问题。")
    return questions


@transaction.atomic
def survey_create(*, by: User, organisation: Organisation, title: str, opens_on: dt.date, closes_on: dt.date,
                  questions: str, intro: str = "", results_public: bool = True) -> Survey:
    _require_org(by, {organisation}, "发布网上调查")
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})
    parsed = survey_questions_parse(questions)
    survey = Survey.objects.create(organisation=organisation, title=(title or "").strip(), intro=(intro or "").strip(),
                                   opens_on=opens_on, closes_on=closes_on, results_public=results_public)
    SurveyQuestion.objects.bulk_create([SurveyQuestion(survey=survey, position=i, **q) for i, q in enumerate(parsed, 1)])
    audit_record(actor=by, action="interaction.survey_create", obj=survey, organisation=organisation,
                 after={"title": survey.title, "questions": len(parsed), "opens_on": str(opens_on),
                        "closes_on": str(closes_on)})
    return survey


def survey_voter(*, survey: Survey, token: str) -> str:
    """The stored form of a browser's token: keyed with the site's secret, so the table alone links nothing."""
    return hmac.new(settings.SECRET_KEY.encode(), f"survey:{survey.pk}:{token}".encode(), hashlib.sha256).hexdigest()


class AlreadyAnswered(ValidationError):
    pass


@transaction.atomic
def survey_respond(*, survey: Survey, token: str, answers: dict[str, Any], client_address: str = "",
                   today: dt.date | None = None) -> SurveyResponse:
    """One answer sheet per browser token within the open period; every required question answered with a
    valid option. Raises AlreadyAnswered when this browser has answered."""
    today = today or timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError("调查不在开放期内。")
    if not token or len(token) < 16:
        raise ValidationError("请允许浏览器保存本站的 Cookie 后再提交。")
    voter = survey_voter(survey=survey, token=token)
    if SurveyResponse.objects.filter(survey=survey, voter=voter).exists():
        raise AlreadyAnswered("您已参加过本次调查，谢谢！")
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in survey.questions.all():
        key, value = str(q.pk), answers.get(str(q.pk))
        if q.kind == "single":
            value = value if value in q.options else None
        elif q.kind == "multiple":
            value = [v for v in (value or []) if v in q.options] or None
        else:
            value = (value or "").strip()[: conf.SURVEY_TEXT_MAX_CHARS] or None
        if value is None:
            if q.required and q.kind != "text":
                errors[f"q{q.pk}"] = "请回答这一题。"
            continue
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    rate_limit_check(scope="interaction_survey", key=client_address or "unknown",
                     limit=getattr(settings, "INTERACTION_SURVEY_LIMIT_PER_ADDRESS", conf.SURVEY_LIMIT_PER_ADDRESS),
                     message="提交过于频繁，请稍后再试。")
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(survey=survey, voter=voter, submitted_at=timezone.now(), answers=clean)
    except IntegrityError:
        raise AlreadyAnswered("您已参加过本次调查，谢谢！") from None
