"""Writes of the compliance package: findings of the content checks, and the review before publication.

Content checks run on every document and interpretation at save, before publication (the gate) and in
the nightly sweep; `item_check` turns the checkers' hits into findings and moves them along
open → fixed (no longer found) or accepted (a person says why it stays).

The review before publication (seed 001 §(四)(五), seed 002 §15): the drafter proposes the disclosure
attribute, the signer decides it, a named confidentiality reviewer approves the very text that will be
published, and `COMPLIANCE_REQUIRED_APPROVALS` distinct reviewers approve it. `publication_gate` is
called by the documents package before a document is scheduled or published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record
from gongkai.documents.doc_numbers import doc_number_problems
from gongkai.documents.models import DisclosureAttribute, Document, Interpretation, Status

from . import engine, extract, hooks, lm_tasks
from .checks import CheckContext, Hit, HitKind, Severity
from .models import FalseAlarm, Finding, ReviewStep, SelfReview, WordingRule

PUBLIC_ANNOTATION = "（此件公开发布）"
ALL_KINDS = frozenset({HitKind.WORDING, HitKind.FORMAT, HitKind.PERSONAL_DATA, HitKind.TYPO, HitKind.SECRET,
                       HitKind.LINK})
RULE_KINDS = ALL_KINDS - {HitKind.TYPO}
FIELD_LABELS = {"title": "标题", "summary": "内容概述", "body": "正文", "doc_number": "发文字号", "attachment": "附件"}

DRAFTING_ROLES = {Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
SIGNING_ROLES = {Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
APPROVING_ROLES = {Role.REVIEWER, Role.SIGNER, Role.CONFIDENTIALITY_REVIEWER, Role.LEGAL_REVIEWER,
                   Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
OVERRIDE_ROLES = {Role.REVIEWER, Role.SIGNER, Role.CONFIDENTIALITY_REVIEWER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}

_TAG = re.compile(r"<[^>]*>|&[a-zA-Z#0-9]+;")
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def html_to_checkable(value: str) -> str:
    """The text of an HTML field with tags and entities blanked out, so offsets stay those of the HTML."""
    return _TAG.sub(lambda m: " " * len(m.group(0)), value)


def _require(user: User, organisation: Organisation, roles: set[str], action: str) -> None:
    if not user_roles(user=user, organisation=organisation) & roles:
        raise PermissionDenied(f"您没有权限在“{organisation.name}”{action}。")


# --- Content checks and findings ---------------------------------------------------------------------


def _item_fields(item: Document | Interpretation) -> list[tuple[str, str]]:
    if isinstance(item, Document):
        return [("title", item.title), ("summary", item.summary), ("body", html_to_checkable(item.body))]
    return [("title", item.title), ("body", html_to_checkable(item.body))]


def _item_written_on(item: Document | Interpretation) -> dt.date | None:
    if isinstance(item, Document) and item.written_on:
        return item.written_on
    if item.published_at:
        return timezone.localdate(item.published_at)
    if item.created_at:
        return timezone.localdate(item.created_at)
    return None


def _link_hits(body: str) -> list[Hit]:
    """Broken internal links (a path this platform does not serve)."""
    from django.urls import Resolver404, resolve

    hits = []
    site = settings.SITE_URL
    for m in _HREF.finditer(body):
        href = html.unescape(m.group(1)).strip()
        path = href[len(site):] if href.startswith(site) else href
        if not path.startswith("/") or path.startswith("//"):
            continue
        path = path.split("#", 1)[0].split("?", 1)[0] or "/"
        if path.startswith((settings.MEDIA_URL, settings.STATIC_URL)):
            continue
        try:
            resolve(path)
        except Resolver404:
            start = m.start(1)
            hits.append(Hit(kind=HitKind.LINK, rule="broken_internal_link", start=start, end=start + len(m.group(1)),
                            text=m.group(1)[:200], suggestion="", severity=Severity.WARNING,
                            message="站内链接指向不存在的页面"))
    return hits


def item_hits(item: Document | Interpretation, *, typos: bool = True) -> list[tuple[str, Hit, str]]:
    """Every problem the checks find in the item's fields and attachments, as (field, hit, location)."""
    context = CheckContext(written_on=_item_written_on(item), title=item.title,
                           exempt_phones=frozenset(filter(None, [getattr(item, "consultation_phone", "")])))
    checker = engine.checker()
    found: list[tuple[str, Hit, str]] = []
    for field, text in _item_fields(item):
        for hit in checker.check(text, context, typos=typos):
            found.append((field, hit, ""))
    if isinstance(item, Document) and item.doc_number and (problems := doc_number_problems(item.doc_number)):
        from gongkai.documents.doc_numbers import doc_number_normalise

        found.append(("doc_number", Hit(kind=HitKind.FORMAT, rule="doc_number", start=0, end=len(item.doc_number),
                                        text=item.doc_number, suggestion=doc_number_normalise(item.doc_number) or "",
                                        severity=Severity.WARNING, message=" ".join(problems)), ""))
    found += [("body", hit, "") for hit in _link_hits(item.body)]
    for attachment in item.attachments.all():
        found += attachment_hits(attachment, context=context)
    return found


# A leaking spreadsheet can hold a personal number in every one of a million rows: the first hits of each
# rule are listed with their cells, the rest is one finding that counts them (memory stays bounded:
# bench/attachment_scan.py).
ATTACHMENT_HITS_PER_RULE = 100


def attachment_hits(attachment, *, context: CheckContext | None = None) -> list[tuple[str, Hit, str]]:
    """Personal data, wording and formats in an attached file, each with its file, page, sheet or cell.

    The wrong-character model is not run on attachments (tables and scans make it noisy). A file whose
    text cannot be read is reported as such (an INFO finding), never passed silently.
    """
    checker = engine.checker()
    found: list[tuple[str, Hit, str]] = []
    name = attachment.original_name
    beyond: Counter[str] = Counter()  # rule → hits not listed one by one
    first: dict[str, Hit] = {}
    per_rule: Counter[str] = Counter()
    try:
        with attachment.file.open("rb") as stream:
            for piece in extract.pieces(stream, attachment.extension):
                for hit in checker.check(piece.text, context, typos=False):
                    per_rule[hit.rule] += 1
                    if per_rule[hit.rule] > ATTACHMENT_HITS_PER_RULE:
                        beyond[hit.rule] += 1
                        first.setdefault(hit.rule, hit)
                        continue
                    found.append(("attachment", hit, f"{name} {piece.place(hit.start)}".strip()[:300]))
        for rule, count in beyond.items():
            hit = first[rule]
            found.append(("attachment", Hit(kind=hit.kind, rule=rule, start=0, end=0, text=name[:200], suggestion="",
                                            severity=hit.severity,
                                            message=f"此附件另有 {count} 处同类问题未逐条列出（已列出前 "
                                                    f"{ATTACHMENT_HITS_PER_RULE} 处），请整体处理后重新上传。"),
                          f"{name} 其余 {count} 处"[:300]))
    except extract.Unreadable as exc:
        if attachment.extension.lower().lstrip(".") in extract.READABLE:
            found.append(("attachment", Hit(kind=HitKind.FORMAT, rule="attachment_unreadable", start=0, end=0,
                                            text=name[:200], suggestion="", severity=Severity.INFO,
                                            message=f"附件未能检查：{exc}。请人工核对其中是否有个人信息。"), name[:300]))
    except OSError as exc:
        found.append(("attachment", Hit(kind=HitKind.FORMAT, rule="attachment_missing", start=0, end=0,
                                        text=name[:200], suggestion="", severity=Severity.WARNING,
                                        message=f"附件文件无法打开：{exc}"), name[:300]))
    return found


def _fingerprints(found: list[tuple[str, Hit, str]]) -> list[tuple[str, str, Hit, str]]:
    seen: Counter[tuple[str, str, str, str]] = Counter()
    result = []
    for field, hit, location in found:
        key = (field, location, hit.rule, hit.text)
        seen[key] += 1
        place = f"{field}@{location}" if location else field
        result.append((f"{place}|{hit.rule}|{hit.text}|{seen[key]}"[:255], field, hit, location))
    return result


@transaction.atomic
def item_check(*, item: Document | Interpretation, kinds: frozenset[str] = ALL_KINDS,
               now: dt.datetime | None = None) -> list[Finding]:
    """Check an item and bring its findings up to date; returns the open findings.

    Findings of kinds that were not checked this time (the sweep leaves out the slow wrong-character
    model) are left as they are.
    """
    now = now or timezone.now()
    if HitKind.TYPO in kinds:
        lm_tasks.typo_model_ensure()  # missing model: a background build is queued, never silently skipped
    content_type = ContentType.objects.get_for_model(item)
    # A rule marked as a false alarm on this text of this item is not reported again (finding_false_alarm).
    marked = set(FalseAlarm.objects.filter(content_type=content_type, object_id=str(item.pk)).values_list(
        "rule", "text"))
    found = [(f, h, loc) for f, h, loc in item_hits(item, typos=HitKind.TYPO in kinds)
             if h.kind in kinds and (h.rule[:120], h.text[:200]) not in marked]
    existing = {f.fingerprint: f for f in Finding.objects.select_for_update().filter(
        content_type=content_type, object_id=str(item.pk))}
    seen = set()
    for fingerprint, field, hit, location in _fingerprints(found):
        seen.add(fingerprint)
        values = dict(field=field, location=location, start=hit.start, end=hit.end, kind=hit.kind, rule=hit.rule[:120], text=hit.text[:200],
                      suggestion=hit.suggestion[:200], message=hit.message[:300], severity=hit.severity,
                      last_seen=now, item_title=item.title[:500], organisation=item.organisation)
        finding = existing.get(fingerprint)
        if finding is None:
            Finding.objects.create(content_type=content_type, object_id=str(item.pk), fingerprint=fingerprint, **values)
            continue
        if finding.status == Finding.Status.FIXED:  # it came back
            values.update(status=Finding.Status.OPEN, resolved_at=None, resolved_by=None, resolution_reason="")
        for key, value in values.items():
            setattr(finding, key, value)
        finding.save()
    fixed = [f for fp, f in existing.items()
             if fp not in seen and f.status == Finding.Status.OPEN and f.kind in kinds]
    for finding in fixed:
        finding.status = Finding.Status.FIXED
        finding.resolved_at = now
        finding.resolution_reason = "重新检查时未再发现"
        finding.save(update_fields=["status", "resolved_at", "resolution_reason"])
    if fixed:
        audit_record(actor=None, action="compliance.findings_fixed", obj=item, organisation=item.organisation,
                     after={"fixed": [f.pk for f in fixed]})
    return list(Finding.objects.filter(content_type=content_type, object_id=str(item.pk), status=Finding.Status.OPEN))


def _reported_fingerprint(reference: str) -> str:
    return f"reported|{reference}"[:255]


@transaction.atomic
def finding_reported(*, item: Any, organisation: Organisation, reference: str, kind: str, text: str = "",
                     suggestion: str = "", description: str = "", item_title: str = "", location: str = "",
                     body: str = "") -> Finding:
    """A wording problem reported from outside the checks (the public's 我为政府网站找错 of issue 21), kept as a
    finding of `item` (the reported page's document, else the report itself) like the checks' findings: the
    same list, explanation, counts and score. `reference` (the report's tracking code) makes it once per report.
    A later check never closes it (its kind is not checked); `finding_reported_closed` or a person does.
    RULES §5 / 国办秘函〔2019〕19号: 错别字 are a finding of the national website check."""
    content_type = ContentType.objects.get_for_model(item)
    fingerprint = _reported_fingerprint(reference)
    existing = Finding.objects.filter(content_type=content_type, object_id=str(item.pk), fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    start = body.find(text) if text and body else -1
    start = max(start, 0)
    finding = Finding.objects.create(
        organisation=organisation, content_type=content_type, object_id=str(item.pk), fingerprint=fingerprint,
        item_title=(item_title or str(item))[:500], field="body" if body and text and text in body else "reported",
        location=location[:300], start=start, end=start + len(text), kind=HitKind.REPORTED,
        rule=f"public_report:{kind}"[:120], text=(text or description)[:200], suggestion=suggestion[:200],
        message=f"网民报告（{reference}）：{description}"[:300], severity=Severity.WARNING, last_seen=timezone.now())
    audit_record(actor=None, action="compliance.finding_reported", obj=finding, organisation=organisation,
                 after={"reference": reference, "rule": finding.rule, "item": f"{content_type.model}:{item.pk}"})
    return finding


@transaction.atomic
def finding_reported_closed(*, reference: str, fixed: bool, reason: str, by: User | None = None) -> Finding | None:
    """The reported finding when its report is closed: fixed, or kept with the reason (经核实无误 / 非本网站问题)."""
    finding = Finding.objects.select_for_update().filter(fingerprint=_reported_fingerprint(reference),
                                                         kind=HitKind.REPORTED).first()
    if finding is None or finding.status != Finding.Status.OPEN:
        return finding
    finding.status = Finding.Status.FIXED if fixed else Finding.Status.ACCEPTED
    finding.resolution_reason = (reason or "").strip()[:1000]
    finding.resolved_by = by if by is not None and by.is_authenticated else None
    finding.resolved_at = timezone.now()
    finding.save(update_fields=["status", "resolution_reason", "resolved_by", "resolved_at"])
    audit_record(actor=by, action="compliance.finding_reported_closed", obj=finding, organisation=finding.organisation,
                 before={"status": Finding.Status.OPEN}, after={"status": finding.status, "reference": reference})
    return finding


@transaction.atomic
def _audit_text(finding: Finding) -> str:
    """What the audit trail keeps of a finding's text: personal data never in clear, its masked form instead."""
    return finding.suggestion if finding.kind == HitKind.PERSONAL_DATA else finding.text


def finding_accept(*, finding: Finding, by: User, reason: str) -> Finding:
    """Keep a finding as it is, with a reason. For a severe finding this is a reviewer's override."""
    if not reason.strip():
        raise ValidationError("确认保留必须说明理由。")
    if finding.status != Finding.Status.OPEN:
        raise ValidationError("只有待处理的问题可以确认保留。")
    roles = OVERRIDE_ROLES if finding.severity == Severity.SEVERE else DRAFTING_ROLES
    _require(by, finding.organisation, roles, "确认保留该问题" if finding.severity != Severity.SEVERE else "放行严重问题")
    finding.status = Finding.Status.ACCEPTED
    finding.resolution_reason = reason.strip()
    finding.resolved_by = by
    finding.resolved_at = timezone.now()
    finding.save(update_fields=["status", "resolution_reason", "resolved_by", "resolved_at"])
    audit_record(actor=by, action="compliance.finding_override" if finding.severity == Severity.SEVERE
                 else "compliance.finding_accept", obj=finding, organisation=finding.organisation,
                 before={"status": Finding.Status.OPEN},
                 after={"status": finding.status, "rule": finding.rule, "text": _audit_text(finding)}, note=reason)
    return finding


@transaction.atomic
def finding_false_alarm(*, finding: Finding, by: User, reason: str) -> FalseAlarm:
    """Mark a finding as a false alarm (误报), with a reason: once per item, rule and text.

    Every open finding of the item with the same rule and text is closed as a false alarm, and later
    checks of the item do not report it again. Severe findings (personal data, classification marks)
    can be marked only by those who may override them, like `finding_accept`.
    """
    if not reason.strip():
        raise ValidationError("标记误报必须说明理由。")
    if finding.status != Finding.Status.OPEN:
        raise ValidationError("只有待处理的问题可以标记为误报。")
    roles = OVERRIDE_ROLES if finding.severity == Severity.SEVERE else DRAFTING_ROLES
    _require(by, finding.organisation, roles, "将该问题标记为误报")
    if FalseAlarm.objects.filter(content_type=finding.content_type, object_id=finding.object_id,
                                 rule=finding.rule, text=finding.text).exists():
        raise ValidationError("该条目的这一规则已就同一原文标记过误报。")
    mark = FalseAlarm.objects.create(
        organisation=finding.organisation, content_type=finding.content_type, object_id=finding.object_id,
        item_title=finding.item_title, kind=finding.kind, rule=finding.rule, text=finding.text,
        reason=reason.strip(), marked_by=by)
    now = timezone.now()
    same = Finding.objects.select_for_update().filter(
        content_type=finding.content_type, object_id=finding.object_id, rule=finding.rule, text=finding.text,
        status=Finding.Status.OPEN)
    closed = [f.pk for f in same]
    same.update(status=Finding.Status.FALSE_ALARM, resolution_reason=reason.strip(), resolved_by=by, resolved_at=now)
    audit_record(actor=by, action="compliance.finding_false_alarm", obj=mark, organisation=finding.organisation,
                 before={"status": Finding.Status.OPEN},
                 after={"status": Finding.Status.FALSE_ALARM, "rule": finding.rule,
                        "text": _audit_text(finding),
                        "findings": closed, "item": f"{finding.content_type.model}:{finding.object_id}"},
                 note=reason.strip())
    finding.refresh_from_db()
    return mark


@transaction.atomic
def finding_reopen(*, finding: Finding, by: User, reason: str) -> Finding:
    _require(by, finding.organisation, OVERRIDE_ROLES, "重新打开问题")
    before = finding.status
    finding.status = Finding.Status.OPEN
    finding.resolution_reason = ""
    finding.resolved_by = None
    finding.resolved_at = None
    finding.save(update_fields=["status", "resolution_reason", "resolved_by", "resolved_at"])
    audit_record(actor=by, action="compliance.finding_reopen", obj=finding, organisation=finding.organisation,
                 before={"status": before}, after={"status": finding.status}, note=reason)
    return finding


def findings_sweep(*, typos: bool | None = None) -> dict[str, int]:
    """Nightly: re-check everything published (documents and interpretations)."""
    if typos is None:
        typos = settings.COMPLIANCE_SWEEP_TYPOS
    kinds = ALL_KINDS if typos else RULE_KINDS
    counts = {"items": 0, "open": 0}
    for document in Document.objects.filter(status=Status.PUBLISHED).select_related("organisation").iterator():
        counts["open"] += len(item_check(item=document, kinds=kinds))
        counts["items"] += 1
    for interpretation in Interpretation.objects.filter(state=Interpretation.State.PUBLISHED).select_related(
            "organisation").iterator():
        counts["open"] += len(item_check(item=interpretation, kinds=kinds))
        counts["items"] += 1
    return counts


def wording_rule_save(*, by: User | None, pattern: str, suggestion: str, **fields: Any) -> WordingRule:
    """Add or override a wording rule (administrators); the checker picks it up at once."""
    pattern = pattern.strip()
    if not pattern:
        raise ValidationError("规则的错误写法不能为空。")
    rule, created = WordingRule.objects.update_or_create(pattern=pattern, defaults={"suggestion": suggestion, **fields})
    engine.checker_reset()
    audit_record(actor=by, action="compliance.rule_create" if created else "compliance.rule_update", obj=rule,
                 after={"pattern": pattern, "suggestion": suggestion, **{k: str(v) for k, v in fields.items()}})
    return rule


# --- Review before publication -----------------------------------------------------------------------


def document_content_hash(document: Document) -> str:
    parts = [document.title, document.doc_number, document.summary, document.body, document.disclosure_attribute]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _step(document: Document, kind: str, by: User, *, attribute: str = "", reason: str = "") -> ReviewStep:
    step = ReviewStep.objects.create(document=document, kind=kind, actor=by, attribute=attribute, reason=reason,
                                     content_hash=document_content_hash(document))
    audit_record(actor=by, action=f"review.{kind}", obj=document, organisation=document.organisation,
                 after={"step": kind, "attribute": attribute, "content_hash": step.content_hash[:16]}, note=reason)
    return step


def _reviewable(document: Document) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status in (Status.PUBLISHED, Status.WITHDRAWN):
        raise ValidationError(f"文件当前状态为“{document.get_status_display()}”，不能再审查。")
    return document


def _validate_attribute(attribute: str, reason: str) -> None:
    if attribute not in DisclosureAttribute.values:
        raise ValidationError("公开属性无效。")
    if attribute != DisclosureAttribute.PROACTIVE and not reason.strip():
        raise ValidationError("依申请公开或不予公开必须说明理由。")


@transaction.atomic
def review_propose(*, document: Document, by: User, attribute: str, reason: str = "") -> ReviewStep:
    """The drafter proposes the disclosure attribute (主动公开 / 依申请公开 / 不予公开, with reasons)."""
    document = _reviewable(document)
    _require(by, document.organisation, DRAFTING_ROLES, "提出公开属性")
    _validate_attribute(attribute, reason)
    _set_attribute(document, attribute, reason, by)
    return _step(document, ReviewStep.Kind.PROPOSE, by, attribute=attribute, reason=reason)


def _set_attribute(document: Document, attribute: str, reason: str, by: User) -> None:
    before = {"disclosure_attribute": document.disclosure_attribute, "disclosure_reason": document.disclosure_reason}
    document.disclosure_attribute = attribute
    document.disclosure_reason = reason if attribute != DisclosureAttribute.PROACTIVE else document.disclosure_reason
    if attribute == DisclosureAttribute.PROACTIVE and PUBLIC_ANNOTATION not in document.body:
        document.body = f"{document.body}<p>{PUBLIC_ANNOTATION}</p>"
    after = {"disclosure_attribute": document.disclosure_attribute, "disclosure_reason": document.disclosure_reason}
    Document.objects.filter(pk=document.pk).update(disclosure_attribute=document.disclosure_attribute,
                                                   disclosure_reason=document.disclosure_reason, body=document.body)
    if before != after:
        audit_record(actor=by, action="document.disclosure_attribute", obj=document, organisation=document.organisation,
                     before=before, after=after)


@transaction.atomic
def review_decide(*, document: Document, by: User, attribute: str, reason: str = "") -> ReviewStep:
    """The signer decides the disclosure attribute; 主动公开 documents get the annotation （此件公开发布）."""
    document = _reviewable(document)
    _require(by, document.organisation, SIGNING_ROLES, "确定公开属性")
    if not document.review_steps.filter(kind=ReviewStep.Kind.PROPOSE).exists():
        raise ValidationError("起草人尚未提出公开属性。")
    _validate_attribute(attribute, reason or document.disclosure_reason)
    _set_attribute(document, attribute, reason or document.disclosure_reason, by)
    return _step(document, ReviewStep.Kind.DECIDE, by, attribute=attribute, reason=reason)


@transaction.atomic
def review_confidentiality(*, document: Document, by: User, approved: bool, reason: str = "") -> ReviewStep:
    """The named confidentiality reviewer (保密审查人) approves or rejects this very text."""
    document = _reviewable(document)
    _require(by, document.organisation, {Role.CONFIDENTIALITY_REVIEWER}, "进行保密审查")
    if not approved and not reason.strip():
        raise ValidationError("保密审查不通过必须说明理由。")
    return _step(document, ReviewStep.Kind.CONFIDENTIALITY if approved else ReviewStep.Kind.REJECT, by, reason=reason)


@transaction.atomic
def review_approve(*, document: Document, by: User, reason: str = "") -> ReviewStep:
    """One reviewer's approval of this very text for publication (多人审核)."""
    document = _reviewable(document)
    _require(by, document.organisation, APPROVING_ROLES, "审核发布")
    if document.created_by_id == by.pk:
        raise ValidationError("起草人不能审核自己起草的文件。")
    return _step(document, ReviewStep.Kind.APPROVE, by, reason=reason)


def review_problems(*, document: Document) -> list[str]:
    """What still stands between the document and publication, in plain Chinese; empty when none."""
    problems: list[str] = []
    document = Document.objects.get(pk=document.pk)
    steps = list(document.review_steps.all())
    current = document_content_hash(document)
    if not any(s.kind == ReviewStep.Kind.PROPOSE for s in steps):
        problems.append("起草人尚未提出公开属性。")
    decisions = [s for s in steps if s.kind == ReviewStep.Kind.DECIDE]
    if not decisions or decisions[-1].attribute != document.disclosure_attribute:
        problems.append("签发人尚未确定公开属性。")
    if document.disclosure_attribute == DisclosureAttribute.PROACTIVE and PUBLIC_ANNOTATION not in document.body:
        problems.append(f"主动公开的文件应标注“{PUBLIC_ANNOTATION}”。")
    valid = [s for s in steps if s.content_hash == current]
    last_reject = max((s.at for s in valid if s.kind == ReviewStep.Kind.REJECT), default=None)
    confidential = [s for s in valid if s.kind == ReviewStep.Kind.CONFIDENTIALITY
                    and (last_reject is None or s.at > last_reject)]
    if not confidential:
        problems.append("尚未通过保密审查（或审查后文件又有改动）。")
    approvers = {s.actor_id for s in valid if s.kind in (ReviewStep.Kind.APPROVE, ReviewStep.Kind.CONFIDENTIALITY)}
    approvers.discard(document.created_by_id)
    required = settings.COMPLIANCE_REQUIRED_APPROVALS
    if len(approvers) < required:
        problems.append(f"需要 {required} 名审核人同意发布，目前 {len(approvers)} 名。")
    return problems


def _severe_problems(open_findings: list[Finding]) -> list[str]:
    severe = [f for f in open_findings if f.severity == Severity.SEVERE]
    problems = []
    for finding in severe[:5]:
        label = FIELD_LABELS.get(finding.field, finding.field)
        if finding.location:
            label += f"（{finding.location}）"
        problems.append(f"严重问题未处理：{label}中“{finding.text}”— {finding.message}")
    if len(severe) > 5:
        problems.append(f"另有 {len(severe) - 5} 个严重问题未处理。")
    return problems


def interpretation_publication_gate(*, interpretation: Interpretation) -> None:
    """An interpretation is not reviewed like a document, but severe findings block it too."""
    if problems := _severe_problems(item_check(item=interpretation)):
        raise ValidationError(problems)


def publication_gate(*, document: Document) -> None:
    """Raise ValidationError unless the review is complete and no severe finding is open.

    Called by the documents package before scheduling and publishing. Runs the content checks first,
    so findings fixed since the last save are closed and new ones block.
    """
    problems = review_problems(document=document) if settings.COMPLIANCE_REVIEW_REQUIRED else []
    problems += _severe_problems(item_check(item=document))
    if problems:
        raise ValidationError(problems)


def item_saved(*, item: Document | Interpretation, by: User | None = None) -> None:
    """Called by the documents package after an item is saved: check it (the result is stored).

    System saves (imports of thousands of documents) leave out the slower wrong-character model; it
    runs before publication and, if configured, in the sweep.
    """
    if settings.COMPLIANCE_CHECK_ON_SAVE:
        item_check(item=item, kinds=ALL_KINDS if by is not None else RULE_KINDS)


# --- Yearly self-review (seed 001 §(五)) ------------------------------------------------------------


@transaction.atomic
def self_review_open(*, organisation: Organisation, year: int) -> SelfReview:
    """Every November: list the organisation's withheld items for reconsideration."""
    withheld = Document.objects.filter(organisation=organisation).exclude(
        disclosure_attribute=DisclosureAttribute.PROACTIVE).order_by("id")
    items = [{"document": d.pk, "title": d.title, "attribute": d.disclosure_attribute, "reason": d.disclosure_reason}
             for d in withheld]
    # 依申请转主动 (条例 第四十四条): the applications package answers, through the hook.
    requested = [row for rows in hooks.frequently_requested(organisation=organisation, since=dt.date(year - 1, 11, 1))
                 for row in rows]
    review, created = SelfReview.objects.get_or_create(
        organisation=organisation, year=year, defaults={"items": items, "frequently_requested": requested})
    if not created:
        review.items, review.frequently_requested = items, requested
        review.save(update_fields=["items", "frequently_requested"])
    audit_record(actor=None, action="compliance.self_review", obj=review, organisation=organisation,
                 after={"year": year, "withheld": len(items), "frequently_requested": len(requested)})
    return review


def self_reviews_open_all(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    count = 0
    for organisation in Organisation.objects.filter(is_active=True):
        self_review_open(organisation=organisation, year=today.year)
        count += 1
    return count
