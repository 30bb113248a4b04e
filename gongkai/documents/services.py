"""Writes of the policy library: creating, reviewing, publishing and retiring documents.

Every function records a lifecycle event (when the document's life changes) and an audit event, then
re-derives the document's status and validity from its events (`document_refresh_state`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.html import sanitize_html
from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record, index_no_next

from . import hooks
from .doc_numbers import doc_number_problems
from .models import (
    Attachment,
    DisclosureAttribute,
    Document,
    DocumentIssuer,
    Interpretation,
    LifecycleEvent,
    Status,
    Validity,
)

Kind = LifecycleEvent.Kind

# Fields staff may set on a document; everything else is derived.
EDITABLE_FIELDS = [
    "title", "doc_number", "written_on", "effective_on", "expires_on", "topic", "genre", "audiences",
    "life_stages", "subject_words", "summary", "consultation_department", "consultation_phone",
    "registration_no", "source", "category", "body", "disclosure_attribute", "disclosure_reason",
]
AUDITED_FIELDS = [*EDITABLE_FIELDS, "status", "validity", "published_at", "repealed_on", "index_no"]

DRAFTING_ROLES = {Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
REVIEWING_ROLES = {Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
PUBLISHING_ROLES = {Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}


@dataclass(frozen=True)
class IssuerInput:
    """A 发文机关 given when creating a document: an organisation on the platform, or a name."""

    organisation: Organisation | None = None
    name: str = ""


def _snapshot(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in AUDITED_FIELDS:
        value = getattr(document, field if field != "topic" else "topic_id")
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        if field == "body" and value:
            value = hashlib.sha256(value.encode()).hexdigest()[:16]  # bodies are large: keep a fingerprint
        data[field] = value
    return data


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def _require_role(user: User | None, organisation: Organisation, roles: set[str], action: str) -> None:
    if user is None:  # system actions (imports, scheduled publication)
        return
    if not user_roles(user=user, organisation=organisation) & roles:
        raise PermissionDenied(f"您没有权限在“{organisation.name}”{action}。")


def _validate(document: Document) -> None:
    errors: dict[str, list[str]] = {}
    if not document.title.strip():
        errors.setdefault("title", []).append("标题不能为空。")
    if document.doc_number and (problems := doc_number_problems(document.doc_number)):
        errors.setdefault("doc_number", []).extend(problems)
    if document.disclosure_attribute != DisclosureAttribute.PROACTIVE and not document.disclosure_reason.strip():
        errors.setdefault("disclosure_reason", []).append("依申请公开或不予公开的文件必须说明理由。")
    if document.effective_on and document.expires_on and document.expires_on < document.effective_on:
        errors.setdefault("expires_on", []).append("有效期不能早于生效日期。")
    if errors:
        raise ValidationError(errors)


def _event(document: Document, kind: str, *, by: User | None, at: dt.datetime | None = None, **fields) -> LifecycleEvent:
    return LifecycleEvent.objects.create(document=document, kind=kind, at=at or timezone.now(), actor=by, **fields)


def document_derive_status(events: list[LifecycleEvent]) -> str:
    """The workflow status a list of events (in order) leads to."""
    status = Status.DRAFT
    for event in events:
        match event.kind:
            case Kind.SUBMITTED:
                status = Status.IN_REVIEW
            case Kind.RETURNED | Kind.DRAFTED:
                status = Status.DRAFT
            case Kind.APPROVED:
                status = Status.APPROVED
            case Kind.SCHEDULED:
                status = Status.SCHEDULED
            case Kind.PUBLISHED:
                status = Status.PUBLISHED
            case Kind.WITHDRAWN:
                status = Status.WITHDRAWN
    return status


def document_derive_validity(
    *, events: list[LifecycleEvent], effective_on: dt.date | None, expires_on: dt.date | None, today: dt.date
) -> tuple[str, dt.date | None]:
    """有效性 on `today` from the events and dates, and the 废止日期 if repealed. Never typed by hand."""
    repealed_on = None
    for event in events:
        if event.kind in (Kind.REPEALED, Kind.REPEALED_BY):
            day = event.effective_on or event.at.date()
            repealed_on = day if repealed_on is None else min(repealed_on, day)
    if repealed_on is not None and repealed_on <= today:
        return Validity.REPEALED, repealed_on
    expired = any(e.kind == Kind.EXPIRED and (e.effective_on or e.at.date()) <= today for e in events)
    if expired or (expires_on is not None and expires_on < today):
        return Validity.EXPIRED, repealed_on
    if any(e.kind == Kind.AMENDED_BY and (e.effective_on or e.at.date()) <= today for e in events):
        return Validity.AMENDED, repealed_on
    if effective_on is not None and effective_on > today:
        return Validity.NOT_YET, repealed_on
    return Validity.VALID, repealed_on


def document_refresh_state(*, document: Document, today: dt.date | None = None) -> Document:
    """Re-derive status, validity and 废止日期 from the events and store them."""
    today = today or timezone.localdate()
    # Recording order, not `at`: a publication recorded with its historical date still comes after
    # the drafting and approval recorded before it.
    events = list(document.events.order_by("id"))
    status = document_derive_status(events)
    validity, repealed_on = document_derive_validity(
        events=events, effective_on=document.effective_on, expires_on=document.expires_on, today=today
    )
    changed = []
    for field, value in (("status", status), ("validity", validity), ("repealed_on", repealed_on)):
        if getattr(document, field) != value:
            setattr(document, field, value)
            changed.append(field)
    if changed:
        # update() skips auto_now; a lifecycle step is a change, so lists sorted by update see it.
        document.updated_at = timezone.now()
        Document.objects.filter(pk=document.pk).update(
            updated_at=document.updated_at, **{f: getattr(document, f) for f in changed}
        )
    # Every change of a document passes here (search re-indexes it once the transaction commits).
    hooks.document_changed(document_id=document.pk)
    return document


def _set_issuers(document: Document, issuers: list[IssuerInput]) -> None:
    document.issuers.all().delete()
    DocumentIssuer.objects.bulk_create(
        [
            DocumentIssuer(document=document, organisation=i.organisation, name="" if i.organisation else i.name, position=n)
            for n, i in enumerate(issuers)
            if i.organisation or i.name.strip()
        ]
    )


@transaction.atomic
def document_create(
    *,
    organisation: Organisation,
    by: User | None,
    title: str,
    issuers: list[IssuerInput] | None = None,
    index_no: str = "",
    external_id: str | None = None,
    **fields: Any,
) -> Document:
    """Create a draft document of `organisation` and give it the organisation's next 索引号."""
    _require_role(by, organisation, DRAFTING_ROLES, "起草文件")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    document = Document(organisation=organisation, title=title.strip(), created_by=by, external_id=external_id, **fields)
    document.body = sanitize_html(document.body)
    _validate(document)
    # The 索引号 carries the year of a date the document has (成文日期, else 生效日期, 有效期至), the same
    # order as the importers' index_date; today only for a draft without any date.
    on = document.written_on or document.effective_on or document.expires_on or timezone.localdate()
    document.index_no = index_no or index_no_next(organisation=organisation, on=on)
    document.save()
    _set_issuers(document, issuers or [IssuerInput(organisation=organisation)])
    _event(document, Kind.DRAFTED, by=by)
    document_refresh_state(document=document)
    audit_record(actor=by, action="document.create", obj=document, organisation=organisation, after=_snapshot(document))
    _compliance_saved(document, by)
    return document


@transaction.atomic
def document_update(
    *, document: Document, by: User | None, issuers: list[IssuerInput] | None = None, reason: str = "", **fields: Any
) -> Document:
    """Change a document's metadata or body.

    Drafts change freely. Once a document is in review or later, a change is a correction (更正):
    it needs a reason and is shown in the document's history.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_role(by, document.organisation, DRAFTING_ROLES, "修改文件")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    is_draft = document.status == Status.DRAFT
    if not is_draft and not reason.strip():
        raise ValidationError("已提交审核或已发布的文件，修改时必须说明更正理由。")
    if document.status == Status.WITHDRAWN:
        raise ValidationError("已撤回的文件不能再修改。")
    before = _snapshot(document)
    for field, value in fields.items():
        setattr(document, field, value)
    if "body" in fields:
        document.body = sanitize_html(document.body)
    if "title" in fields:
        document.title = document.title.strip()
    _validate(document)
    document.save()
    if issuers is not None:
        _set_issuers(document, issuers)
    if not is_draft:
        _event(document, Kind.CORRECTED, by=by, reason=reason)
    document_refresh_state(document=document)
    old, new = _diff(before, _snapshot(document))
    audit_record(actor=by, action="document.update", obj=document, organisation=document.organisation, before=old, after=new, note=reason)
    _compliance_saved(document, by)
    return document


def _transition(document: Document, *, by: User | None, kind: str, allowed_from: set[str], roles: set[str],
                action: str, verb: str, reason: str = "", at: dt.datetime | None = None, **event_fields) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_role(by, document.organisation, roles, verb)
    if document.status not in allowed_from:
        raise ValidationError(f"文件当前状态为“{document.get_status_display()}”，不能{verb}。")
    before = _snapshot(document)
    event = _event(document, kind, by=by, at=at, reason=reason, **event_fields)
    document_refresh_state(document=document)
    hooks.lifecycle_recorded(document=document, event=event)
    old, new = _diff(before, _snapshot(document))
    audit_record(actor=by, action=action, obj=document, organisation=document.organisation, before=old, after=new, note=reason)
    return document


@transaction.atomic
def document_submit(*, document: Document, by: User | None) -> Document:
    """Send a draft to review."""
    return _transition(document, by=by, kind=Kind.SUBMITTED, allowed_from={Status.DRAFT}, roles=DRAFTING_ROLES,
                       action="document.submit", verb="提交审核")


@transaction.atomic
def document_return(*, document: Document, by: User | None, reason: str) -> Document:
    """Send a document in review back to its drafter."""
    if not reason.strip():
        raise ValidationError("退回修改必须说明理由。")
    return _transition(document, by=by, kind=Kind.RETURNED, allowed_from={Status.IN_REVIEW}, roles=REVIEWING_ROLES,
                       action="document.return", verb="退回", reason=reason)


def document_interpretation_missing(*, document: Document) -> bool:
    """不解读不运转: a normative document needs an interpretation before it can be approved."""
    if not document.is_normative:
        return False
    return not document.interpretations.exclude(state=Interpretation.State.WITHDRAWN).exists()


@transaction.atomic
def document_approve(*, document: Document, by: User | None) -> Document:
    """Approve a document for publication, after the interpretation gate."""
    document = Document.objects.get(pk=document.pk)
    if document_interpretation_missing(document=document):
        raise ValidationError("规章和行政规范性文件必须同步起草政策解读后才能审核通过（不解读不运转）。")
    if document.disclosure_attribute != DisclosureAttribute.PROACTIVE and not document.disclosure_reason.strip():
        raise ValidationError("依申请公开或不予公开的文件必须说明理由。")
    return _transition(document, by=by, kind=Kind.APPROVED, allowed_from={Status.IN_REVIEW}, roles=REVIEWING_ROLES,
                       action="document.approve", verb="审核通过")


def _check_publishable(document: Document, by: User | None = None, *, allowed_from: set[str] | None = None) -> None:
    document.refresh_from_db()
    if allowed_from is not None and document.status not in allowed_from:
        # The state comes first: a draft is "not publishable yet", whatever its review says.
        raise ValidationError(f"文件当前状态为“{document.get_status_display()}”，不能发布。")
    if document.disclosure_attribute != DisclosureAttribute.PROACTIVE:
        raise ValidationError(f"公开属性为“{document.get_disclosure_attribute_display()}”的文件不在网站发布。")
    # Review before publication and severe content findings (gongkai.compliance). A system action on an
    # approved document records a past publication (imports) and is not reviewed again.
    if by is not None or document.status == Status.SCHEDULED:
        hooks.publication_gate(document=document)


def _compliance_saved(item, by: User | None) -> None:
    """Content checks at save (gongkai.compliance); the findings are stored, nothing is refused here."""
    hooks.item_saved(item=item, by=by)


@transaction.atomic
def document_schedule(*, document: Document, by: User | None, publish_at: dt.datetime) -> Document:
    """Schedule an approved document to be published at `publish_at` (by the scheduled task)."""
    if publish_at <= timezone.now():
        raise ValidationError("定时发布时间必须晚于当前时间。")
    _check_publishable(document, by, allowed_from={Status.APPROVED})
    document = _transition(document, by=by, kind=Kind.SCHEDULED, allowed_from={Status.APPROVED}, roles=PUBLISHING_ROLES,
                           action="document.schedule", verb="定时发布", reason=f"定于 {timezone.localtime(publish_at):%Y-%m-%d %H:%M} 发布")
    Document.objects.filter(pk=document.pk).update(scheduled_for=publish_at)
    document.scheduled_for = publish_at
    return document


@transaction.atomic
def document_publish(*, document: Document, by: User | None, at: dt.datetime | None = None) -> Document:
    """Publish an approved (or due scheduled) document now, or record a past publication (imports)."""
    _check_publishable(document, by, allowed_from={Status.APPROVED, Status.SCHEDULED})
    at = at or timezone.now()
    document = _transition(document, by=by, kind=Kind.PUBLISHED, allowed_from={Status.APPROVED, Status.SCHEDULED},
                           roles=PUBLISHING_ROLES, action="document.publish", verb="发布", at=at)
    Document.objects.filter(pk=document.pk).update(published_at=at, scheduled_for=None)
    document.published_at, document.scheduled_for = at, None
    return document


def documents_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled document whose time has come. Run by the periodic task."""
    now = now or timezone.now()
    count = 0
    for document in Document.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=now):
        try:
            with transaction.atomic():
                document_publish(document=document, by=None, at=document.scheduled_for)
        except ValidationError as exc:  # e.g. a severe finding appeared after scheduling: stays scheduled
            audit_record(actor=None, action="document.publish_blocked", obj=document,
                         organisation=document.organisation, note="；".join(exc.messages))
            continue
        count += 1
    return count


def _require_published(document: Document, verb: str) -> None:
    if document.status != Status.PUBLISHED:
        raise ValidationError(f"只有已发布的文件才能{verb}。")


@transaction.atomic
def document_amend(*, document: Document, by: User | None, amended_by: Document, effective_on: dt.date | None = None,
                   reason: str = "") -> Document:
    """Record that `amended_by` amends `document` (修改), effective on `effective_on`."""
    _require_published(document, "标记为被修改")
    if amended_by.pk == document.pk:
        raise ValidationError("文件不能修改它自己。")
    return _transition(document, by=by, kind=Kind.AMENDED_BY, allowed_from={Status.PUBLISHED}, roles=PUBLISHING_ROLES,
                       action="document.amend", verb="标记修改", reason=reason, related_document=amended_by,
                       effective_on=effective_on or amended_by.effective_on or timezone.localdate())


@transaction.atomic
def document_repeal(*, document: Document, by: User | None, effective_on: dt.date, reason: str,
                    repealed_by: Document | None = None) -> Document:
    """Repeal (废止) a published document from `effective_on`, optionally by a newer document."""
    _require_published(document, "废止")
    if not reason.strip():
        raise ValidationError("废止文件必须说明理由。")
    if repealed_by is not None and repealed_by.pk == document.pk:
        raise ValidationError("文件不能废止它自己。")
    return _transition(document, by=by, kind=Kind.REPEALED_BY if repealed_by else Kind.REPEALED,
                       allowed_from={Status.PUBLISHED}, roles=PUBLISHING_ROLES, action="document.repeal", verb="废止",
                       reason=reason, related_document=repealed_by, effective_on=effective_on)


@transaction.atomic
def document_expire(*, document: Document, by: User | None, effective_on: dt.date, reason: str = "") -> Document:
    """Record that a published document lost force (失效) on `effective_on`."""
    _require_published(document, "标记失效")
    return _transition(document, by=by, kind=Kind.EXPIRED, allowed_from={Status.PUBLISHED}, roles=PUBLISHING_ROLES,
                       action="document.expire", verb="标记失效", reason=reason or "有效期届满", effective_on=effective_on)


@transaction.atomic
def document_withdraw(*, document: Document, by: User | None, reason: str) -> Document:
    """Withdraw (撤回) a document from the public site. The record stays; nothing is deleted."""
    if not reason.strip():
        raise ValidationError("撤回文件必须说明理由。")
    return _transition(document, by=by, kind=Kind.WITHDRAWN,
                       allowed_from={Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED},
                       roles=PUBLISHING_ROLES, action="document.withdraw", verb="撤回", reason=reason)


def documents_refresh_validity(*, today: dt.date | None = None) -> int:
    """Daily: re-derive validity where a dated event or date takes effect (repeal or expiry on a future date)."""
    today = today or timezone.localdate()
    window = today - dt.timedelta(days=7)
    candidates = Document.objects.filter(status=Status.PUBLISHED).filter(_dated_between(window, today)).distinct()
    changed = 0
    for document in candidates:
        before = document.validity
        document_refresh_state(document=document, today=today)
        if document.validity != before:
            changed += 1
            audit_record(actor=None, action="document.validity", obj=document, organisation=document.organisation,
                         before={"validity": before}, after={"validity": document.validity})
    return changed


def _dated_between(start: dt.date, end: dt.date) -> Q:
    return (
        Q(events__effective_on__range=(start, end))
        | Q(expires_on__range=(start, end))
        | Q(effective_on__range=(start, end))
    )


# --- Interpretations -------------------------------------------------------------------------------------


@transaction.atomic
def interpretation_create(*, documents: list[Document], organisation: Organisation, by: User | None, title: str,
                          form: str = Interpretation.Form.TEXT, body: str = "", media_url: str = "") -> Interpretation:
    """Draft an interpretation (政策解读) of one or more documents."""
    _require_role(by, organisation, DRAFTING_ROLES, "起草政策解读")
    if not documents:
        raise ValidationError("政策解读必须关联至少一份文件。")
    if not title.strip():
        raise ValidationError("标题不能为空。")
    interpretation = Interpretation.objects.create(
        organisation=organisation, title=title.strip(), form=form, body=sanitize_html(body), media_url=media_url, created_by=by
    )
    interpretation.documents.set(documents)
    audit_record(actor=by, action="interpretation.create", obj=interpretation, organisation=organisation,
                 after={"title": interpretation.title, "documents": [d.pk for d in documents]})
    _compliance_saved(interpretation, by)
    return interpretation


@transaction.atomic
def interpretation_update(*, interpretation: Interpretation, by: User | None, documents: list[Document] | None = None,
                          **fields: Any) -> Interpretation:
    """Change a draft interpretation: title, form, body, media address and the documents it interprets."""
    interpretation = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    _require_role(by, interpretation.organisation, DRAFTING_ROLES, "修改政策解读")
    if interpretation.state != Interpretation.State.DRAFT:
        raise ValidationError("只有草稿状态的解读可以修改。")
    unknown = set(fields) - {"title", "form", "body", "media_url"}
    if unknown:
        raise TypeError(f"unknown interpretation fields: {sorted(unknown)}")
    if "title" in fields and not fields["title"].strip():
        raise ValidationError({"title": "标题不能为空。"})
    if documents is not None and not documents:
        raise ValidationError("政策解读必须关联至少一份文件。")
    before = {"title": interpretation.title, "form": interpretation.form, "media_url": interpretation.media_url,
              "body": hashlib.sha256(interpretation.body.encode()).hexdigest()[:16],
              "documents": sorted(interpretation.documents.values_list("pk", flat=True))}
    for field, value in fields.items():
        setattr(interpretation, field, value.strip() if field == "title" else value)
    interpretation.body = sanitize_html(interpretation.body)
    interpretation.save()
    if documents is not None:
        interpretation.documents.set(documents)
    after = {"title": interpretation.title, "form": interpretation.form, "media_url": interpretation.media_url,
             "body": hashlib.sha256(interpretation.body.encode()).hexdigest()[:16],
             "documents": sorted(interpretation.documents.values_list("pk", flat=True))}
    old, new = _diff(before, after)
    audit_record(actor=by, action="interpretation.update", obj=interpretation, organisation=interpretation.organisation,
                 before=old, after=new)
    return interpretation


@transaction.atomic
def interpretation_publish(*, interpretation: Interpretation, by: User | None, at: dt.datetime | None = None) -> Interpretation:
    _require_role(by, interpretation.organisation, PUBLISHING_ROLES, "发布政策解读")
    if interpretation.state != Interpretation.State.DRAFT:
        raise ValidationError("只有草稿状态的解读可以发布。")
    hooks.interpretation_publication_gate(interpretation=interpretation)
    interpretation.state = Interpretation.State.PUBLISHED
    interpretation.published_at = at or timezone.now()
    interpretation.save(update_fields=["state", "published_at"])
    audit_record(actor=by, action="interpretation.publish", obj=interpretation, organisation=interpretation.organisation,
                 after={"state": interpretation.state, "published_at": interpretation.published_at.isoformat()})
    hooks.interpretation_published(interpretation=interpretation)
    return interpretation


@transaction.atomic
def interpretation_withdraw(*, interpretation: Interpretation, by: User | None, reason: str) -> Interpretation:
    _require_role(by, interpretation.organisation, PUBLISHING_ROLES, "撤回政策解读")
    if not reason.strip():
        raise ValidationError("撤回必须说明理由。")
    before = interpretation.state
    interpretation.state = Interpretation.State.WITHDRAWN
    interpretation.save(update_fields=["state"])
    audit_record(actor=by, action="interpretation.withdraw", obj=interpretation, organisation=interpretation.organisation,
                 before={"state": before}, after={"state": interpretation.state}, note=reason)
    return interpretation


# --- Attachments -----------------------------------------------------------------------------------------


def attachment_validate(*, name: str, size: int) -> str:
    """Check an upload's name and size; return its lower-case extension (with the dot)."""
    original = PurePath(name.replace("\\", "/")).name.strip()
    if not original or original in {".", ".."}:
        raise ValidationError("文件名无效。")
    extension = PurePath(original).suffix.lower()
    if extension.lstrip(".") not in settings.ATTACHMENT_EXTENSIONS:
        raise ValidationError(f"不支持的附件类型“{extension or '无扩展名'}”；允许：{'、'.join(settings.ATTACHMENT_EXTENSIONS)}。")
    if size > settings.ATTACHMENT_MAX_MB * 1024 * 1024:
        raise ValidationError(f"附件超过 {settings.ATTACHMENT_MAX_MB} MB 的大小限制。")
    if size == 0:
        raise ValidationError("附件是空文件。")
    return extension


@transaction.atomic
def attachment_add(*, document: Document | None = None, interpretation: Interpretation | None = None, by: User | None,
                   file: File, name: str, content_type: str = "application/octet-stream") -> Attachment:
    """Store an uploaded file under a generated name; keep the original filename for display."""
    owner = document or interpretation
    if owner is None:
        raise ValueError("an attachment needs a document or an interpretation")
    _require_role(by, owner.organisation, DRAFTING_ROLES, "上传附件")
    extension = attachment_validate(name=name, size=file.size)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        document=document, interpretation=interpretation, token=secrets.token_hex(16), extension=extension,
        original_name=PurePath(name.replace("\\", "/")).name[:255], content_type=content_type[:100], size=file.size,
        sha256=digest.hexdigest(), uploaded_at=timezone.now(), uploaded_by=by,
    )
    attachment.file.save("upload", file, save=False)
    attachment.save()
    audit_record(actor=by, action="attachment.add", obj=owner, organisation=owner.organisation,
                 after={"attachment": attachment.original_name, "sha256": attachment.sha256, "size": attachment.size})
    return attachment


# --- Bulk import support ---------------------------------------------------------------------------------


# The year of the 索引号 of a document that has no date at all (some cases of the laws corpus): "0000",
# so the number never claims the year it happened to be imported in.
UNDATED_YEAR = 0


def index_nos_allocate(*, organisation: Organisation, year: int, dates: list[dt.date | None]) -> list[str]:
    """Hand out one 索引号 per date (all in `year`) with a single counter update under a row lock.

    The batch counterpart of `core.services.index_no_next`: the numbers are consecutive, so they stay
    gap-free and unique, and a rolled-back import transaction gives the whole block back.
    """
    from gongkai.core.models import IndexNoCounter

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index_nos_allocate must run inside a transaction")
    if not dates:
        return []
    if any((day.year if day else UNDATED_YEAR) != year for day in dates):
        raise ValueError("every date must fall in the allocated year")
    counter, _ = IndexNoCounter.objects.get_or_create(organisation=organisation, year=year)
    counter = IndexNoCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last_value + 1
    counter.last_value += len(dates)
    counter.save(update_fields=["last_value"])
    pattern = organisation.index_no_pattern or settings.DEFAULT_INDEX_NO_PATTERN
    return [
        pattern.format(code=organisation.code, year=year or "0000", month=f"{day.month:02d}" if day else "00",
                       seq=first + n)
        for n, day in enumerate(dates)
    ]
