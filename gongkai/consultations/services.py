"""The one write door of consultations and of the decision catalogue: every change passes here.

Views, the API, the demo and the tasks call these functions; each checks its rules (the minimum period
per kind, the comment window, moderation, grouping of identical opinions, the adoption answers and the
feedback) and writes an audit event. Commenters' contact data is encrypted at rest (core.crypto) and
never written to the audit trail or the logs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import unicodedata
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.compliance.engine import check_text
from gongkai.compliance.services import attachment_hits
from gongkai.core.models import Organisation, User
from gongkai.core.ratelimit import RateLimited, rate_limit_check
from gongkai.core.services import audit_record
from gongkai.documents.models import Document
from gongkai.documents.services import attachment_validate
from gongkai.text import normalise

from . import conf, selectors
from .models import (
    Article,
    Attachment,
    Consultation,
    DecisionEvent,
    DecisionItem,
    DecisionMaterial,
    Hearing,
    Opinion,
    OpinionGroup,
)
from .tasks import feedback_notify

__all__ = ["RateLimited"]  # re-exported for the faces

logger = logging.getLogger("gongkai.consultations")

CHANNELS = dict(Opinion.Channel.choices)
ARTICLE_RE = re.compile(r"^[ \t\u3000]*(第[一二三四五六七八九十百千零〇两\d]+条)", re.M)
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
# Characters that change nothing a reader sees: grouping ignores them (and punctuation, spacing, case).
_GROUP_STRIP_RE = re.compile(r"[\s\W_]+", re.U)
NOT_ADOPTED = {OpinionGroup.Outcome.NOT_ADOPTED, OpinionGroup.Outcome.PARTLY, OpinionGroup.Outcome.ALREADY,
               OpinionGroup.Outcome.OUT_OF_SCOPE}


def _require(user: User, organisation: Organisation, *, catalogue: bool = False) -> None:
    ok = (selectors.user_may_keep_catalogue(user=user, organisation=organisation) if catalogue
          else selectors.user_may_run(user=user, organisation=organisation))
    if not ok:
        raise PermissionDenied("您没有该单位的征求意见办理权限。" if not catalogue else "您没有编制该机关决策事项目录的权限。")


def articles_cut(text: str) -> list[tuple[str, str]]:
    """The articles (第X条) of a draft as (label, text); [] when the draft has none."""
    marks = list(ARTICLE_RE.finditer(text or ""))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((m.group(1), text[m.start():end].strip()))
    return out


def _period_check(*, kind: str, starts_on: dt.date, ends_on: dt.date, short_period_reason: str) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "截止日期不能早于开始日期。"})
    rule = selectors.period_rule(kind=kind)
    if rule is None:
        return
    length = selectors.period_length(unit=rule.unit, starts_on=starts_on, ends_on=ends_on)
    if length < rule.amount and not short_period_reason.strip():
        raise ValidationError({"short_period_reason": (
            f"征求意见期限为 {length}{'个工作日' if rule.unit == 'working_days' else '日'}，少于 {rule.text}"
            f"（{rule.source}）。确需缩短的，请说明理由，理由将与草案一并公布。")})


def _channels_clean(channels: list[str]) -> list[str]:
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown or not channels:
        raise ValidationError({"channels": "请至少选择一种征求意见方式。"})
    return [c for c in CHANNELS if c in channels]


def _articles_write(consultation: Consultation) -> None:
    consultation.articles.all().delete()
    Article.objects.bulk_create([
        Article(consultation=consultation, position=i, label=label, text=text)
        for i, (label, text) in enumerate(articles_cut(consultation.draft_text), start=1)
    ])


def _snapshot(c: Consultation) -> dict[str, Any]:
    return {"title": c.title, "kind": c.kind, "state": c.state, "starts_on": str(c.starts_on), "ends_on": str(c.ends_on),
            "short_period_reason": c.short_period_reason, "channels": c.channels}


# --- Consultations ---------------------------------------------------------------------------------------------

@transaction.atomic
def consultation_create(*, organisation: Organisation, by: User, kind: str, title: str, draft_text: str,
                        explanation: str, channels: list[str], starts_on: dt.date, ends_on: dt.date,
                        contact: str = "", short_period_reason: str = "", decision_item: DecisionItem | None = None,
                        document: Document | None = None) -> Consultation:
    """Prepare a consultation (a draft, not yet public). The period is checked against the rule of its kind."""
    _require(by, organisation)
    if kind not in Consultation.Kind.values:
        raise ValidationError({"kind": "未知的草案类别。"})
    if not title.strip() or not draft_text.strip() or not explanation.strip():
        raise ValidationError("标题、草案全文和起草说明都必须填写（重大行政决策程序暂行条例 第十四条）。")
    _period_check(kind=kind, starts_on=starts_on, ends_on=ends_on, short_period_reason=short_period_reason)
    consultation = Consultation.objects.create(
        organisation=organisation, kind=kind, title=title.strip(), draft_text=draft_text, explanation=explanation,
        channels=_channels_clean(channels), contact=contact, starts_on=starts_on, ends_on=ends_on,
        short_period_reason=short_period_reason.strip(), decision_item=decision_item, document=document,
        created_by=by,
    )
    _articles_write(consultation)
    audit_record(actor=by, action="consultation.create", obj=consultation, organisation=organisation,
                 after=_snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, by: User, **fields: Any) -> Consultation:
    """Change a consultation that is not yet public."""
    _require(by, consultation.organisation)
    if consultation.state != Consultation.State.DRAFT:
        raise ValidationError("已发布的征求意见不能修改草案和期限；如有错误请撤回后重新发布。")
    before = _snapshot(consultation)
    allowed = {"kind", "title", "draft_text", "explanation", "channels", "contact", "starts_on", "ends_on",
               "short_period_reason", "decision_item", "document"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(consultation, name, value)
    consultation.channels = _channels_clean(consultation.channels)
    _period_check(kind=consultation.kind, starts_on=consultation.starts_on, ends_on=consultation.ends_on,
                  short_period_reason=consultation.short_period_reason)
    consultation.save()
    _articles_write(consultation)
    audit_record(actor=by, action="consultation.update", obj=consultation, organisation=consultation.organisation,
                 before=before, after=_snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_publish(*, consultation: Consultation, by: User, today: dt.date | None = None) -> Consultation:
    """Publish the draft, its explanation, channels and period (a shortened period with its reason)."""
    _require(by, consultation.organisation)
    today = today or selectors.today_local()
    if consultation.state != Consultation.State.DRAFT:
        raise ValidationError("该征求意见已发布或已撤回。")
    if consultation.ends_on < today:
        raise ValidationError({"ends_on": "截止日期已过，请先修改征求意见期限。"})
    blocked = [a.name for a in consultation.attachments.all() if a.blocks_publication]
    if blocked:  # RULES §5: no personal data on a public page or in a public file
        raise ValidationError(f"附件含个人信息，请删除或替换后再发布：{'、'.join(blocked)}")
    _period_check(kind=consultation.kind, starts_on=max(consultation.starts_on, today), ends_on=consultation.ends_on,
                  short_period_reason=consultation.short_period_reason)
    consultation.state = Consultation.State.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["state", "published_at"])
    item = consultation.decision_item
    if item is not None and item.state in (DecisionItem.State.LISTED, DecisionItem.State.DRAFTING):
        _item_state(item=item, by=by, state=DecisionItem.State.CONSULTING, reason=f"发布征求意见：{consultation.title}")
    audit_record(actor=by, action="consultation.publish", obj=consultation, organisation=consultation.organisation,
                 after=_snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_close(*, consultation: Consultation, by: User, reason: str, today: dt.date | None = None) -> Consultation:
    """End the consultation before its end date, with a stated reason (published on the page)."""
    _require(by, consultation.organisation)
    today = today or selectors.today_local()
    if selectors.consultation_status(consultation=consultation, today=today) != "open":
        raise ValidationError("只有正在征求意见的草案可以提前结束。")
    if not reason.strip():
        raise ValidationError({"reason": "提前结束必须说明理由。"})
    consultation.closed_early_on = today - dt.timedelta(days=1) if today > consultation.starts_on else today
    consultation.closed_reason = reason.strip()
    consultation.save(update_fields=["closed_early_on", "closed_reason"])
    audit_record(actor=by, action="consultation.close", obj=consultation, organisation=consultation.organisation,
                 after={"closed_early_on": str(consultation.closed_early_on)}, note=reason.strip())
    return consultation


@transaction.atomic
def consultation_extend(*, consultation: Consultation, by: User, ends_on: dt.date, reason: str,
                        today: dt.date | None = None) -> Consultation:
    """Give the public more time: a later end date for an open consultation, with a reason published on
    its page (the first published end date is kept and shown). Shortening is not an edit: it is
    `consultation_close` with its own reason."""
    _require(by, consultation.organisation)
    today = today or selectors.today_local()
    if selectors.consultation_status(consultation=consultation, today=today) != "open":
        raise ValidationError("只有正在征求意见的草案可以延长期限。")
    if ends_on <= consultation.ends_on:
        raise ValidationError({"ends_on": f"新的截止日期须晚于 {consultation.ends_on:%Y-%m-%d}。"})
    if not reason.strip():
        raise ValidationError({"reason": "延长期限必须说明理由。"})
    before = str(consultation.ends_on)
    consultation.original_ends_on = consultation.original_ends_on or consultation.ends_on
    consultation.ends_on = ends_on
    consultation.extension_reason = reason.strip()[:500]
    consultation.save(update_fields=["original_ends_on", "ends_on", "extension_reason"])
    audit_record(actor=by, action="consultation.extend", obj=consultation, organisation=consultation.organisation,
                 before={"ends_on": before}, after={"ends_on": str(ends_on)}, note=reason.strip())
    return consultation


@transaction.atomic
def consultation_withdraw(*, consultation: Consultation, by: User, reason: str) -> Consultation:
    """Withdraw a consultation (nothing published is deleted: the page says it was withdrawn and why)."""
    _require(by, consultation.organisation)
    if not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    if consultation.state == Consultation.State.WITHDRAWN:
        raise ValidationError("已撤回。")
    consultation.state = Consultation.State.WITHDRAWN
    consultation.closed_reason = reason.strip()
    consultation.save(update_fields=["state", "closed_reason"])
    audit_record(actor=by, action="consultation.withdraw", obj=consultation, organisation=consultation.organisation,
                 note=reason.strip())
    return consultation


@transaction.atomic
def consultation_decision_issued(*, consultation: Consultation, by: User, issued_on: dt.date,
                                 document: Document | None = None) -> Consultation:
    """Record that the decision or document was issued (starts the 10-working-day feedback clock) and
    link the final text in the library."""
    _require(by, consultation.organisation)
    if consultation.state != Consultation.State.PUBLISHED:
        raise ValidationError("草案尚未发布征求意见。")
    if issued_on < consultation.starts_on:
        raise ValidationError({"issued_on": "印发日期不能早于征求意见开始日期。"})
    consultation.decision_issued_on = issued_on
    if document is not None:
        consultation.document = document
    consultation.save(update_fields=["decision_issued_on", "document"])
    audit_record(actor=by, action="consultation.decision_issued", obj=consultation,
                 organisation=consultation.organisation,
                 after={"issued_on": str(issued_on), "document": document.pk if document else None})
    return consultation


@transaction.atomic
def consultation_attach(*, consultation: Consultation, by: User, file, name: str = "",
                        content_type: str = "application/octet-stream") -> Attachment:
    """Add a file (the draft as a file, background material) with the library's type and size limits. Its
    text is checked for personal data, wording and format at once (RULES §5); personal data in it keeps
    the consultation from being published (`consultation_publish`) until the file is removed."""
    _require(by, consultation.organisation)
    if consultation.state == Consultation.State.WITHDRAWN or consultation.feedback_published_at is not None:
        raise ValidationError("已撤回或已公布采纳情况的征求意见不能再添加附件。")
    upload_name = PurePath((file.name or "").replace("\\", "/")).name
    extension = attachment_validate(name=upload_name, size=file.size)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(consultation=consultation, name=(name.strip() or upload_name)[:200],
                            token=secrets.token_hex(16), extension=extension, content_type=content_type[:100],
                            size=file.size, sha256=digest.hexdigest(), added_by=by)
    attachment.file.save(f"upload{extension}", file, save=False)
    attachment.findings = [{"kind": hit.kind, "rule": hit.rule, "message": hit.message, "location": location}
                           for _, hit, location in attachment_hits(attachment)]
    attachment.save()
    audit_record(actor=by, action="consultation.attach", obj=consultation, organisation=consultation.organisation,
                 after={"name": attachment.name, "sha256": attachment.sha256, "size": attachment.size,
                        "findings": len(attachment.findings)})
    return attachment


@transaction.atomic
def consultation_detach(*, attachment: Attachment, by: User, reason: str = "") -> None:
    """Remove an attachment. Before publication freely; once the public has seen it, only with a reason
    (kept in the audit trail with the file's digest)."""
    consultation = attachment.consultation
    _require(by, consultation.organisation)
    public = consultation.state != Consultation.State.DRAFT
    if public and not reason.strip():
        raise ValidationError({"reason": "已公开的附件须说明删除理由。"})
    audit_record(actor=by, action="consultation.detach", obj=consultation, organisation=consultation.organisation,
                 before={"name": attachment.name, "sha256": attachment.sha256}, note=reason.strip())
    attachment.file.delete(save=False)
    attachment.delete()


# --- Hearings ---------------------------------------------------------------------------------------------------

@transaction.atomic
def hearing_announce(*, consultation: Consultation, by: User, held_at: dt.datetime, place: str,
                     participants_selection: str, announced_on: dt.date | None = None) -> Hearing:
    """Announce a hearing: time, place and how participants are selected, at least 30 days before
    (规章制定程序条例 第十六条; configurable)."""
    _require(by, consultation.organisation)
    announced_on = announced_on or selectors.today_local()
    rule = selectors.rule_get(key=conf.HEARING_NOTICE.key)
    held_on = timezone.localtime(held_at).date() if timezone.is_aware(held_at) else held_at.date()
    if (held_on - announced_on).days < rule.amount:
        raise ValidationError({"held_at": f"听证会应当在举行 {rule.text}前公告（{rule.source}）。"})
    if not place.strip() or not participants_selection.strip():
        raise ValidationError("请填写听证会地点和参加人员产生方式。")
    hearing = Hearing.objects.create(consultation=consultation, held_at=held_at, place=place.strip(),
                                     participants_selection=participants_selection.strip(), announced_on=announced_on)
    if Opinion.Channel.HEARING not in consultation.channels:
        consultation.channels = [c for c in CHANNELS if c in {*consultation.channels, Opinion.Channel.HEARING}]
        consultation.save(update_fields=["channels"])
    audit_record(actor=by, action="consultation.hearing_announce", obj=consultation,
                 organisation=consultation.organisation, after={"held_at": held_at.isoformat(), "place": place})
    return hearing


@transaction.atomic
def hearing_minutes(*, hearing: Hearing, by: User, minutes: str) -> Hearing:
    _require(by, hearing.consultation.organisation)
    if timezone.now() < hearing.held_at:
        raise ValidationError("听证会尚未举行。")
    if not minutes.strip():
        raise ValidationError({"minutes": "请填写听证笔录。"})
    hearing.minutes = minutes.strip()
    hearing.save(update_fields=["minutes"])
    audit_record(actor=by, action="consultation.hearing_minutes", obj=hearing.consultation,
                 organisation=hearing.consultation.organisation)
    return hearing


# --- Opinions ---------------------------------------------------------------------------------------------------

def idempotency_key_new() -> str:
    return secrets.token_urlsafe(24)


def opinion_text_hash(body: str) -> str:
    """What identical opinions share: the text normalised (full/half width, traditional, case) with
    spacing and punctuation removed."""
    key = _GROUP_STRIP_RE.sub("", normalise(body))
    return hashlib.sha256(key.encode()).hexdigest()


def _body_clean(body: str) -> str:
    # Control characters (except line breaks) are dropped; HTML stays as typed and is shown as text.
    text = "".join(ch for ch in (body or "") if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.replace("\r\n", "\n").strip()
    if len(text) < conf.OPINION_MIN_CHARS:
        raise ValidationError({"body": "请填写意见内容。"})
    if len(text) > conf.OPINION_MAX_CHARS:
        raise ValidationError({"body": f"意见内容不能超过 {conf.OPINION_MAX_CHARS} 字（现为 {len(text)} 字）。"})
    return text


def _contact_clean(contact: dict[str, str] | None) -> dict[str, str]:
    clean = {k: (v or "").strip() for k, v in (contact or {}).items() if k in ("name", "phone", "email") and v}
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            raise ValidationError({"email": "电子邮箱格式不正确。"}) from None
        clean["email"] = clean["email"].lower()
    if clean.get("phone"):
        clean["phone"] = re.sub(r"[\s]", "", clean["phone"])
        if not PHONE_RE.match(clean["phone"]):
            raise ValidationError({"phone": "电话号码格式不正确。"})
    if len(clean.get("name", "")) > 64:
        raise ValidationError({"name": "姓名过长。"})
    return clean


def _personal_data(body: str) -> list[dict]:
    return [{"rule": h.rule, "start": h.start, "end": h.end, "message": h.message}
            for h in check_text(body, typos=False) if h.kind == "personal_data"]


def _group_for(consultation: Consultation, article: Article | None, body: str) -> OpinionGroup:
    digest = opinion_text_hash(body)
    try:
        with transaction.atomic():
            group, _ = OpinionGroup.objects.get_or_create(consultation=consultation, article=article, text_hash=digest)
    except IntegrityError:
        group = OpinionGroup.objects.get(consultation=consultation, article=article, text_hash=digest)
    OpinionGroup.objects.filter(pk=group.pk).update(size=F("size") + 1)
    return group


def _opinion_store(*, consultation: Consultation, article: Article | None, body: str, channel: str,
                   contact: dict[str, str], submitted_at: dt.datetime, entered_by: User | None,
                   idempotency_digest: str | None) -> Opinion:
    hits = _personal_data(body)
    return Opinion.objects.create(
        consultation=consultation, article=article, group=_group_for(consultation, article, body), channel=channel,
        body=body, contact=contact, wants_answer=bool(contact.get("phone") or contact.get("email")),
        personal_data_hits=hits, submitted_at=submitted_at, entered_by=entered_by,
        idempotency_digest=idempotency_digest,
    )


def _article_of(consultation: Consultation, article: Article | int | None) -> Article | None:
    if article is None or article == "":
        return None
    pk = article.pk if isinstance(article, Article) else int(article)
    found = consultation.articles.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"article": "所选条款不属于该草案。"})
    return found


def opinion_submit(*, consultation: Consultation, body: str, idempotency_key: str, client_address: str,
                   article: Article | int | None = None, contact: dict[str, str] | None = None,
                   today: dt.date | None = None) -> tuple[Opinion, bool]:
    """A member of the public comments online, on the whole draft or on one article; no account needed.

    Returns (opinion, replayed): a second call with the same `idempotency_key` stores nothing and
    returns the first opinion. Refuses (ValidationError, nothing stored) outside the comment window,
    an empty or oversize text, a bad contact; raises RateLimited over the limits per client, per client
    and consultation, per consultation and per contact. The opinion waits for moderation.
    """
    if not IDEMPOTENCY_KEY_RE.match(idempotency_key or ""):
        raise ValidationError("表单已失效，请刷新页面后重新提交。")
    digest = hashlib.sha256(f"opinion:{idempotency_key}".encode()).hexdigest()
    existing = Opinion.objects.filter(idempotency_digest=digest).first()
    if existing is not None:
        if existing.consultation_id != consultation.pk:
            raise ValidationError("表单已失效，请刷新页面后重新提交。")
        return existing, True
    today = today or selectors.today_local()
    status = selectors.consultation_status(consultation=consultation, today=today)
    if status != "open":
        if status == "forthcoming":
            raise ValidationError(f"征求意见将于 {consultation.starts_on:%Y年%m月%d日} 开始，届时欢迎提出意见。")
        raise ValidationError(
            f"征求意见已于 {consultation.last_day:%Y年%m月%d日} 结束，不再接收意见。" if status in ("closed", "outcome")
            else "该草案不在征求意见期内。")
    if "online" not in consultation.channels:
        raise ValidationError("该草案不通过网上征集意见，请按页面所列方式提出。")
    text = _body_clean(body)
    clean = _contact_clean(contact)
    target = _article_of(consultation, article)
    address = client_address or "unknown"
    try:
        with transaction.atomic():
            rate_limit_check(scope="opinion_client", key=address, limit=conf.LIMIT_PER_CLIENT)
            rate_limit_check(scope="opinion_client_consultation", key=f"{consultation.pk}:{address}",
                             limit=conf.LIMIT_PER_CLIENT_CONSULTATION,
                             message="您对该草案提交的意见已较多，请明天再提交。")
            rate_limit_check(scope="opinion_consultation", key=str(consultation.pk), limit=conf.LIMIT_PER_CONSULTATION,
                             message="当前提交意见的人数较多，请稍后再试。")
            for value in (clean.get("phone"), clean.get("email")):
                if value:
                    rate_limit_check(scope="opinion_contact", key=value, limit=conf.LIMIT_PER_CONTACT)
            opinion = _opinion_store(consultation=consultation, article=target, body=text, channel="online",
                                     contact=clean, submitted_at=timezone.now(), entered_by=None,
                                     idempotency_digest=digest)
    except IntegrityError:
        # The same form posted twice at the same moment: the other request stored it.
        existing = Opinion.objects.filter(idempotency_digest=digest).first()
        if existing is None:
            raise
        return existing, True
    logger.info("opinion %s received on consultation %s", opinion.pk, consultation.pk)
    return opinion, False


@transaction.atomic
def opinion_enter(*, consultation: Consultation, by: User, body: str, channel: str, received_on: dt.date,
                  article: Article | int | None = None, contact: dict[str, str] | None = None) -> Opinion:
    """Staff enter an opinion received offline (letter, e-mail, fax, hearing minutes, survey, symposium)."""
    _require(by, consultation.organisation)
    if consultation.state != Consultation.State.PUBLISHED:
        raise ValidationError("草案尚未发布征求意见。")
    if channel not in CHANNELS or channel == Opinion.Channel.ONLINE:
        raise ValidationError({"channel": "请选择线下收到意见的渠道。"})
    if not consultation.starts_on <= received_on <= consultation.last_day:
        raise ValidationError({"received_on": "收到日期不在征求意见期内（以邮戳、发送日期为准）。"})
    opinion = _opinion_store(
        consultation=consultation, article=_article_of(consultation, article), body=_body_clean(body), channel=channel,
        contact=_contact_clean(contact), entered_by=by, idempotency_digest=None,
        submitted_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(12))),
    )
    audit_record(actor=by, action="consultation.opinion_enter", obj=consultation,
                 organisation=consultation.organisation, after={"opinion": opinion.pk, "channel": channel})
    return opinion


@transaction.atomic
def opinion_moderate(*, opinion: Opinion, by: User, publish: bool, reason: str = "", public_body: str = "",
                     note: str = "") -> Opinion:
    """Publish an opinion, or set it aside with a reason (spam, abuse, off-topic, personal data).

    An opinion in which the personal-data check found something is published only with a masked text
    that passes the same check.
    """
    consultation = opinion.consultation
    _require(by, consultation.organisation)
    before = {"state": opinion.state, "reject_reason": opinion.reject_reason}
    if publish:
        masked = public_body.strip()
        if masked:
            if _personal_data(masked):
                raise ValidationError({"public_body": "公开文本仍含个人信息，请进一步去除。"})
        elif opinion.personal_data_hits and not masked:
            raise ValidationError({"public_body": "该意见含个人信息（如手机号、身份证号），请填写去除个人信息后的公开文本，"
                                                  "或以“含个人信息”为由不予公开。"})
        opinion.state = Opinion.State.PUBLISHED
        opinion.public_body = masked
        opinion.reject_reason = ""
    else:
        if reason not in Opinion.RejectReason.values:
            raise ValidationError({"reason": "不予公开必须选择理由。"})
        opinion.state = Opinion.State.REJECTED
        opinion.reject_reason = reason
    opinion.moderation_note = note.strip()[:500]
    opinion.moderated_at = timezone.now()
    opinion.moderated_by = by
    opinion.save(update_fields=["state", "public_body", "reject_reason", "moderation_note", "moderated_at",
                                "moderated_by"])
    audit_record(actor=by, action="consultation.opinion_moderate", obj=consultation,
                 organisation=consultation.organisation, before=before,
                 after={"opinion": opinion.pk, "state": opinion.state, "reject_reason": opinion.reject_reason})
    return opinion


@transaction.atomic
def opinion_moderate_group(*, group: OpinionGroup, by: User, publish: bool, reason: str = "") -> int:
    """Moderate every pending opinion of a group of identical opinions at once (a campaign is one decision).
    Opinions with personal data stay pending for one-by-one masking. Returns how many were moderated."""
    _require(by, group.consultation.organisation)
    if not publish and reason not in Opinion.RejectReason.values:
        raise ValidationError({"reason": "不予公开必须选择理由。"})
    pending = group.opinions.filter(state=Opinion.State.PENDING)
    if publish:
        pending = pending.filter(personal_data_hits=[])
    now = timezone.now()
    n = pending.update(state=Opinion.State.PUBLISHED if publish else Opinion.State.REJECTED,
                       reject_reason="" if publish else reason, moderated_at=now, moderated_by=by)
    audit_record(actor=by, action="consultation.opinion_moderate_group", obj=group.consultation,
                 organisation=group.consultation.organisation,
                 after={"group": group.pk, "published": publish, "reason": reason, "count": n})
    return n


@transaction.atomic
def group_answer(*, group: OpinionGroup, by: User, outcome: str, reason: str = "") -> OpinionGroup:
    """The staff answer to one opinion or one group of identical opinions; a reason is required unless
    adopted (seeds 001, 002: give reasons when opinions are not adopted)."""
    consultation = group.consultation
    _require(by, consultation.organisation)
    if outcome not in OpinionGroup.Outcome.values:
        raise ValidationError({"outcome": "请选择采纳情况。"})
    if outcome in NOT_ADOPTED and not reason.strip():
        raise ValidationError({"reason": "未采纳或部分采纳的，必须说明理由。"})
    if consultation.feedback_published_at is not None:
        raise ValidationError("意见采纳情况已公布，不能再修改答复。")
    before = {"outcome": group.outcome, "reason": group.reason}
    group.outcome = outcome
    group.reason = reason.strip()
    group.answered_at = timezone.now()
    group.answered_by = by
    group.save(update_fields=["outcome", "reason", "answered_at", "answered_by"])
    audit_record(actor=by, action="consultation.answer", obj=consultation, organisation=consultation.organisation,
                 before=before, after={"group": group.pk, "outcome": outcome, "reason": group.reason})
    return group


@transaction.atomic
def feedback_publish(*, consultation: Consultation, by: User, summary: str, today: dt.date | None = None) -> Consultation:
    """Publish the 意见采纳情况: every opinion moderated, every distinct opinion answered, a summary written.
    Commenters who left contact data are told (after the commit, by a background task)."""
    _require(by, consultation.organisation)
    today = today or selectors.today_local()
    status = selectors.consultation_status(consultation=consultation, today=today)
    if status != "closed":
        raise ValidationError("征求意见结束后才能公布采纳情况。" if status == "open" else "当前状态不能公布采纳情况。")
    if consultation.opinions.filter(state=Opinion.State.PENDING).exists():
        raise ValidationError("还有待审核的意见，请先审核。")
    missing = selectors.groups_needing_answer(consultation=consultation).count()
    if missing:
        raise ValidationError(f"还有 {missing} 条意见未答复采纳情况。")
    if not summary.strip():
        raise ValidationError({"summary": "请填写意见采纳情况说明。"})
    consultation.feedback_summary = summary.strip()
    consultation.feedback_published_at = timezone.now()
    consultation.save(update_fields=["feedback_summary", "feedback_published_at"])
    item = consultation.decision_item
    if item is not None:
        DecisionEvent.objects.create(item=item, kind="material", reason=f"公布意见采纳情况：{consultation.title}", by=by)
    late = selectors.feedback_late(consultation=consultation, today=today)
    audit_record(actor=by, action="consultation.feedback_publish", obj=consultation,
                 organisation=consultation.organisation,
                 after={"due_on": str(selectors.feedback_due_on(consultation=consultation)), "late": late})
    transaction.on_commit(lambda: feedback_notify(consultation.pk))
    return consultation


# --- The decision catalogue -----------------------------------------------------------------------------------------

def _item_state(*, item: DecisionItem, by: User | None, state: str, reason: str) -> None:
    item.state = state
    item.save(update_fields=["state"])
    DecisionEvent.objects.create(item=item, kind="state", state=state, reason=reason, by=by)


@transaction.atomic
def decision_item_create(*, catalogue_owner: Organisation, by: User, year: int, title: str, owner_unit: Organisation,
                         legal_basis: str = "", planned_schedule: str = "", reason: str = "") -> DecisionItem:
    """Add an item to the yearly catalogue; after the catalogue is published, only with a recorded reason."""
    _require(by, catalogue_owner, catalogue=True)
    if not title.strip():
        raise ValidationError({"title": "请填写决策事项名称。"})
    published = DecisionItem.objects.filter(catalogue_owner=catalogue_owner, year=year,
                                            catalogue_published_at__isnull=False).exists()
    if published and not reason.strip():
        raise ValidationError({"reason": "目录已公布，年中增补事项必须说明理由。"})
    last = DecisionItem.objects.filter(catalogue_owner=catalogue_owner, year=year).order_by("-number").first()
    item = DecisionItem.objects.create(
        catalogue_owner=catalogue_owner, year=year, number=(last.number + 1) if last else 1, title=title.strip(),
        owner_unit=owner_unit, legal_basis=legal_basis.strip(), planned_schedule=planned_schedule.strip(),
        added_reason=reason.strip(), catalogue_published_at=timezone.now() if published else None,
    )
    DecisionEvent.objects.create(item=item, kind="added", reason=reason.strip(), by=by)
    audit_record(actor=by, action="decision.create", obj=item, organisation=catalogue_owner,
                 after={"year": year, "title": item.title}, note=reason.strip())
    return item


@transaction.atomic
def decision_item_adjust(*, item: DecisionItem, by: User, reason: str, **changes: Any) -> DecisionItem:
    """Adjust an item (title, owner unit, legal basis, schedule) with a recorded reason."""
    _require(by, item.catalogue_owner, catalogue=True)
    if not reason.strip():
        raise ValidationError({"reason": "调整决策事项必须说明理由。"})
    allowed = {"title", "owner_unit", "legal_basis", "planned_schedule"}
    recorded = {}
    for name, value in changes.items():
        if name not in allowed:
            raise TypeError(name)
        old = getattr(item, name)
        if old != value:
            recorded[name] = [str(old), str(value)]
            setattr(item, name, value)
    if recorded:
        item.save(update_fields=list(recorded))
    DecisionEvent.objects.create(item=item, kind="adjusted", reason=reason.strip(), changes=recorded, by=by)
    audit_record(actor=by, action="decision.adjust", obj=item, organisation=item.catalogue_owner,
                 after=recorded, note=reason.strip())
    return item


STATE_ORDER = [s for s in DecisionItem.State.values if s != DecisionItem.State.REMOVED]


@transaction.atomic
def decision_item_advance(*, item: DecisionItem, by: User, state: str, reason: str = "") -> DecisionItem:
    """Move an item to a later step of the procedure, or out of the catalogue (with a reason)."""
    if not (selectors.user_may_keep_catalogue(user=by, organisation=item.catalogue_owner)
            or selectors.user_may_run(user=by, organisation=item.owner_unit)):
        raise PermissionDenied("您没有办理该决策事项的权限。")
    if state not in DecisionItem.State.values:
        raise ValidationError({"state": "未知的办理阶段。"})
    if item.state == DecisionItem.State.REMOVED:
        raise ValidationError("该事项已调出目录。")
    if state == DecisionItem.State.REMOVED:
        if not reason.strip():
            raise ValidationError({"reason": "调出目录必须说明理由。"})
    elif STATE_ORDER.index(state) <= STATE_ORDER.index(item.state):
        raise ValidationError({"state": "只能推进到后续阶段。"})
    before = item.state
    _item_state(item=item, by=by, state=state, reason=reason.strip())
    audit_record(actor=by, action="decision.advance", obj=item, organisation=item.catalogue_owner,
                 before={"state": before}, after={"state": state}, note=reason.strip())
    return item


@transaction.atomic
def decision_catalogue_publish(*, catalogue_owner: Organisation, year: int, by: User) -> int:
    """Publish the year's catalogue; later additions are published as they are made."""
    _require(by, catalogue_owner, catalogue=True)
    items = DecisionItem.objects.filter(catalogue_owner=catalogue_owner, year=year, catalogue_published_at__isnull=True)
    if not DecisionItem.objects.filter(catalogue_owner=catalogue_owner, year=year).exists():
        raise ValidationError("该年度目录还没有事项。")
    now = timezone.now()
    ids = list(items.values_list("pk", flat=True))
    items.update(catalogue_published_at=now)
    DecisionEvent.objects.bulk_create([DecisionEvent(item_id=pk, kind="published", by=by) for pk in ids])
    audit_record(actor=by, action="decision.catalogue_publish", organisation=catalogue_owner,
                 after={"year": year, "items": len(ids)})
    return len(ids)


@transaction.atomic
def decision_material_add(*, item: DecisionItem, by: User, kind: str, title: str, url: str = "",
                          document: Document | None = None, body: str = "") -> DecisionMaterial:
    if not (selectors.user_may_keep_catalogue(user=by, organisation=item.catalogue_owner)
            or selectors.user_may_run(user=by, organisation=item.owner_unit)):
        raise PermissionDenied("您没有办理该决策事项的权限。")
    if kind not in DecisionMaterial.Kind.values:
        raise ValidationError({"kind": "未知的材料类别。"})
    if not title.strip() or not (url or document or body.strip()):
        raise ValidationError("请填写材料标题，并提供链接、文件库文件或内容。")
    material = DecisionMaterial.objects.create(item=item, kind=kind, title=title.strip(), url=url, document=document,
                                               body=body.strip())
    audit_record(actor=by, action="decision.material_add", obj=item, organisation=item.catalogue_owner,
                 after={"kind": kind, "title": material.title})
    return material
