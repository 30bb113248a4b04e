"""Writes of the Q&A base: the one write door for an entry (`qa_entry_save`), review and publication,
import, feedback, and the validity rule (a repealed or expired source flags the entry at once)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.compliance.checks import HitKind, Severity
from gongkai.compliance.engine import check_text
from gongkai.core.models import Organisation, Role
from gongkai.core.selectors import user_is_platform_admin, user_roles
from gongkai.core.services import audit_record
from gongkai.documents.models import Document, Interpretation, Validity

from .models import Entry, EntryState

INVALID = {Validity.REPEALED, Validity.EXPIRED}
# Who may write entries and who may publish them: the roles of the documents' own review (seed 003 一(二):
# the base is curated by the answering body; publication is a review step, not the writer's own).
EDITING_ROLES = {Role.EDITOR, Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
REVIEWING_ROLES = {Role.REVIEWER, Role.SIGNER, Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}


def _holds(user, organisation: Organisation | None, roles: set[str]) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if organisation is None:  # an entry without an answering body: any membership with the role
        return user_is_platform_admin(user) or user.memberships.filter(role__in=roles).exists()
    return bool(user_roles(user=user, organisation=organisation) & roles)


def qa_can_edit(*, user, entry: Entry | None = None, organisation: Organisation | None = None) -> bool:
    return _holds(user, entry.organisation if entry else organisation, EDITING_ROLES)


def qa_can_review(*, user, entry: Entry) -> bool:
    return _holds(user, entry.organisation, REVIEWING_ROLES)


def qa_digest(question: str, answer: str) -> str:
    return hashlib.sha256(f"{question.strip()}\n{answer.strip()}".encode()).hexdigest()


def qa_entry_save(
    *, question: str, answer: str, department: str = "", external_id: str = "", alternatives=(),
    topics=(), audiences=(), sources=None, source_articles=None, organisation: Organisation | None = None,
    origin: str = "", entry: Entry | None = None, by=None, check_roles: bool = False,
) -> Entry:
    """Create or edit an entry. An edit of a published entry sends it back to review (draft): the text
    that is answered must be the text a reviewer saw. `check_roles` (the faces) requires an editing role
    of the answering body; imports and the demo are system writes."""
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise ValidationError("问题和答复不能为空。")
    if check_roles and not qa_can_edit(user=by, entry=entry, organisation=organisation):
        raise PermissionDenied("您没有编辑该问答条目的权限。")
    entry = entry or Entry()
    created = entry.pk is None
    digest = qa_digest(question, answer)
    if Entry.objects.filter(digest=digest).exclude(pk=entry.pk).exists():
        raise ValidationError("已有相同问题和答复的条目。")
    entry.question, entry.answer, entry.department = question, answer, department.strip()
    entry.external_id = external_id.strip()
    entry.alternatives = [a.strip() for a in alternatives if a and a.strip()]
    entry.topics, entry.audiences = [t for t in topics if t], [a for a in audiences if a]
    if organisation is not None or created:
        entry.organisation = organisation
    if origin or created:
        entry.origin = origin or ("staff" if by else "import")
    if source_articles is not None:
        entry.source_articles = {str(k): v for k, v in source_articles.items() if v}
    entry.digest = digest
    entry.state = EntryState.DRAFT
    entry.edited_by = by if by is not None and by.is_authenticated else None
    entry.save()
    if sources is not None:
        entry.sources.set(sources)
    audit_record(actor=by, action="qa.entry_created" if created else "qa.entry_edited", obj=entry)
    return entry


_QUESTION_RE = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．)）]\s*|问[:：]\s*|q[:：]\s*)?(.{4,120}?[？?])$", re.IGNORECASE)
_ANSWER_PREFIX_RE = re.compile(r"^(?:答[:：]|a[:：])\s*", re.IGNORECASE)


def qa_questions_of(body: str) -> list[tuple[str, str]]:
    """The question-and-answer pairs of an interpretation's text: a line (or heading) that is a question
    (ends in ？, optionally numbered or "问："), and the lines after it up to the next question."""
    plain = html.unescape(re.sub(r"<(br|/p|/h\d|/li|/div)[^>]*>", "\n", body or "", flags=re.IGNORECASE))
    plain = re.sub(r"<[^>]+>", "", plain)
    pairs: list[tuple[str, list[str]]] = []
    for line in (x.strip() for x in plain.splitlines()):
        if not line:
            continue
        if m := _QUESTION_RE.match(line):
            pairs.append((m.group(1).strip(), []))
        elif pairs:
            pairs[-1][1].append(_ANSWER_PREFIX_RE.sub("", line))
    return [(q, "\n".join(a)) for q, a in pairs if a]


def qa_drafts_from_interpretation(*, interpretation: Interpretation, by) -> list[Entry]:
    """Offer drafts from an interpretation's questions (issue 20): one draft per question, citing the
    interpretation's documents, answered by its body. Drafts go through the normal review."""
    if not qa_can_edit(user=by, organisation=interpretation.organisation):
        raise PermissionDenied("您没有为该解读机关编辑问答的权限。")
    pairs = qa_questions_of(interpretation.body)
    if not pairs:
        raise ValidationError("解读正文中没有找到问答（以“？”结尾的问题及其后的回答）。")
    documents = list(interpretation.documents.all())
    made = []
    with transaction.atomic():
        for question, answer in pairs:
            if Entry.objects.filter(digest=qa_digest(question, answer)).exists():
                continue
            made.append(qa_entry_save(
                question=question, answer=answer, department=interpretation.organisation.name,
                organisation=interpretation.organisation, sources=documents,
                origin=f"interpretation:{interpretation.pk}", by=by))
    return made


def qa_draft_from_reply(*, question: str, answer: str, organisation: Organisation | None, origin: str, by) -> Entry:
    """An answered citizen question becomes a draft in one step (issue 20). The faces pass the message's
    subject and the official reply (this package does not read the mailbox: interaction reads the Q&A
    base, so the arrow points one way). The personal-data check of the review gate applies."""
    if not qa_can_edit(user=by, organisation=organisation):
        raise PermissionDenied("您没有为该机关编辑问答的权限。")
    existing = Entry.objects.filter(origin=origin).first() if origin else None
    if existing is not None:
        return existing
    return qa_entry_save(question=question, answer=answer, department=organisation.name if organisation else "",
                         organisation=organisation, origin=origin, by=by)


def qa_review_problems(entry: Entry) -> list[str]:
    """What blocks publication: wording and personal-data findings (compliance.engine.check_text), and a
    source that is repealed or expired (国办发〔2017〕47号: a repealed policy is no answer)."""
    problems = [f"{h.text}（{h.message or h.rule}）" for h in check_text(f"{entry.question}\n{entry.answer}", typos=False)
                if h.severity == Severity.SEVERE or (h.kind == HitKind.PERSONAL_DATA and h.severity != Severity.INFO)]
    problems += [f"来源文件《{d.title}》{d.get_validity_display()}" for d in entry.sources.filter(validity__in=INVALID)]
    return problems


def qa_entry_publish(*, entry: Entry, by, check_roles: bool = True) -> Entry:
    """Review gate (seed 003 一(二); compliance): a reviewer of the answering body, not the entry's last
    editor (four eyes, as for documents), and the wording and personal-data checks must pass, every
    source must be in force (国办发〔2017〕47号: a repealed policy is no answer). Re-approving a flagged
    entry is the same step."""
    if check_roles:
        if not qa_can_review(user=by, entry=entry):
            raise PermissionDenied("您没有审核该问答条目的权限。")
        if entry.edited_by_id is not None and entry.edited_by_id == by.pk:
            raise PermissionDenied("条目须由编辑人以外的审核人发布。")
    severe = [h for h in check_text(f"{entry.question}\n{entry.answer}", typos=False)
              if h.severity == Severity.SEVERE or (h.kind == HitKind.PERSONAL_DATA and h.severity != Severity.INFO)]
    if severe:
        raise ValidationError("内容检查未通过：" + "；".join(f"{h.text}（{h.message or h.rule}）" for h in severe))
    if entry.sources.filter(validity__in=INVALID).exists():
        raise ValidationError("来源文件已废止或失效，请先更新来源。")
    entry.state, entry.reviewer, entry.flag_reason = EntryState.PUBLISHED, by, ""
    entry.reviewed_at = timezone.now()
    entry.save(update_fields=["state", "reviewer", "flag_reason", "reviewed_at", "updated_at"])
    audit_record(actor=by, action="qa.entry_published", obj=entry)
    return entry


def qa_entry_unpublish(*, entry: Entry, by, reason: str = "") -> Entry:
    """Take an entry out of the answers (back to draft), e.g. when a duplicate is merged into another."""
    if not qa_can_review(user=by, entry=entry):
        raise PermissionDenied("您没有审核该问答条目的权限。")
    entry.state = EntryState.DRAFT
    entry.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="qa.entry_unpublished", obj=entry, note=reason)
    return entry


def qa_entries_merge(*, keep: Entry, other: Entry, by) -> Entry:
    """Merge a duplicate into `keep`: its question becomes an alternative phrasing, its sources are
    added, and it is deleted. `keep` goes back to review (its content changed)."""
    if keep.pk == other.pk:
        raise ValidationError("不能与自身合并。")
    if not (qa_can_edit(user=by, entry=keep) and qa_can_edit(user=by, entry=other)):
        raise PermissionDenied("您没有编辑这两个条目的权限。")
    with transaction.atomic():
        alternatives = list(dict.fromkeys([*keep.alternatives, other.question, *other.alternatives]))
        alternatives = [a for a in alternatives if a != keep.question]
        sources = {*keep.sources.values_list("pk", flat=True), *other.sources.values_list("pk", flat=True)}
        audit_record(actor=by, action="qa.entry_merged", obj=keep, note=f"并入条目 {other.pk}：{other.question[:60]}")
        other.delete()
        return qa_entry_save(question=keep.question, answer=keep.answer, department=keep.department,
                             external_id=keep.external_id, alternatives=alternatives, topics=keep.topics,
                             audiences=keep.audiences, sources=sorted(sources), entry=keep, by=by)


def qa_feedback(*, entry: Entry, helpful: bool) -> None:
    """Counted only: no personal data is stored with the vote."""
    column = "helpful_yes" if helpful else "helpful_no"
    Entry.objects.filter(pk=entry.pk).update(**{column: F(column) + 1})


def qa_flag_for_document(document: Document) -> int:
    if document.validity not in INVALID:
        return 0
    return Entry.objects.filter(sources=document).exclude(state=EntryState.FLAGGED).update(
        state=EntryState.FLAGGED, flag_reason=f"来源文件《{document.title}》{document.get_validity_display()}"
    )


def qa_on_lifecycle(*, document, event, **_) -> None:
    qa_flag_for_document(document)


def qa_on_document_changed(*, document_id, **_) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is not None:
        qa_flag_for_document(document)


def qa_on_documents_written(*, document_ids, **_) -> None:
    """A batch import of documents may repeal or expire sources too."""
    for document in Document.objects.filter(pk__in=document_ids, validity__in=INVALID, qa_entries__isnull=False).distinct():
        qa_flag_for_document(document)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def qa_import(lines, *, by=None, publish: bool = False) -> ImportReport:
    """JSON Lines (`question`, `answer`, optional `department`, `external_id`, `sources`: document ids).
    Idempotent by external_id, else by the question+answer digest. Every line is checked first; if any
    line is wrong nothing is written (the import-documents guarantee) and the errors name their lines."""
    report = ImportReport()
    rows = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            if not isinstance(row, dict):
                raise ValueError("不是 JSON 对象")
            for key in ("question", "answer"):
                if not isinstance(row.get(key), str) or not row[key].strip():
                    raise ValueError(f"缺少 {key}")
            sources = [int(s) for s in row.get("sources") or []]
            if len(set(sources)) != Document.objects.filter(pk__in=sources).count():
                raise ValueError("sources 中有不存在的文件")
            rows.append((number, row, sources))
        except (ValueError, TypeError) as exc:
            report.errors.append((number, str(exc)))
    if report.errors:
        return report
    with transaction.atomic():
        by_ext = {e.external_id: e for e in Entry.objects.exclude(external_id="")}
        by_digest = {e.digest: e for e in Entry.objects.all()}
        new = []
        for _number, row, sources in rows:
            q, a = row["question"].strip(), row["answer"].strip()
            ext = str(row.get("external_id") or "").strip()
            digest = qa_digest(q, a)
            existing = by_ext.get(ext) if ext else by_digest.get(digest)
            if existing is None and digest in by_digest:
                existing = by_digest[digest]
            if existing is None:
                entry = Entry(question=q, answer=a, department=str(row.get("department") or ""), external_id=ext, origin="import",
                              digest=digest, state=EntryState.PUBLISHED if publish else EntryState.DRAFT)
                new.append((entry, sources))
                by_digest[digest] = entry
                if ext:
                    by_ext[ext] = entry
            elif existing.digest == digest and existing.department == str(row.get("department") or ""):
                report.unchanged += 1
            else:
                qa_entry_save(question=q, answer=a, department=str(row.get("department") or ""), external_id=ext,
                              sources=sources, entry=existing, by=by)
                report.updated += 1
        Entry.objects.bulk_create([e for e, _ in new], batch_size=500)
        for entry, sources in new:
            if sources:
                entry.sources.set(sources)
        report.created = len(new)
        audit_record(actor=by, action="qa.imported", note=f"新增 {report.created}，更新 {report.updated}")
    return report
