"""Writes of the Q&A base: the one write door for an entry (`qa_entry_save`), review and publication,
import, feedback, and the validity rule (a repealed or expired source flags the entry at once)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from gongkai.compliance.checks import HitKind, Severity
from gongkai.compliance.engine import check_text
from gongkai.core.services import audit_record
from gongkai.documents.models import Document, Validity

from .models import Entry, EntryState

INVALID = {Validity.REPEALED, Validity.EXPIRED}


def qa_digest(question: str, answer: str) -> str:
    return hashlib.sha256(f"{question.strip()}\n{answer.strip()}".encode()).hexdigest()


def qa_entry_save(
    *, question: str, answer: str, department: str = "", external_id: str = "", alternatives=(),
    topics=(), sources=(), entry: Entry | None = None, by=None,
) -> Entry:
    """Create or edit an entry. An edit of a published entry sends it back to review (draft)."""
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise ValidationError("问题和答复不能为空。")
    entry = entry or Entry()
    created = entry.pk is None
    entry.question, entry.answer, entry.department = question, answer, department.strip()
    entry.external_id = external_id.strip()
    entry.alternatives, entry.topics = [a for a in alternatives if a], list(topics)
    entry.digest = qa_digest(question, answer)
    entry.state = EntryState.DRAFT
    entry.save()
    if sources:
        entry.sources.set(sources)
    audit_record(actor=by, action="qa.entry_created" if created else "qa.entry_edited", obj=entry)
    return entry


def qa_entry_publish(*, entry: Entry, by) -> Entry:
    """Review gate (seed 003 一(二); compliance): wording and personal-data checks must pass, every
    source must be in force (国办发〔2017〕47号: a repealed policy is no answer)."""
    severe = [h for h in check_text(f"{entry.question}\n{entry.answer}", typos=False)
              if h.severity == Severity.SEVERE or (h.kind == HitKind.PERSONAL_DATA and h.severity != Severity.INFO)]
    if severe:
        raise ValidationError("内容检查未通过：" + "；".join(f"{h.text}（{h.message or h.rule}）" for h in severe))
    if entry.sources.filter(validity__in=INVALID).exists():
        raise ValidationError("来源文件已废止或失效，请先更新来源。")
    entry.state, entry.reviewer, entry.flag_reason = EntryState.PUBLISHED, by, ""
    entry.save(update_fields=["state", "reviewer", "flag_reason", "updated_at"])
    audit_record(actor=by, action="qa.entry_published", obj=entry)
    return entry


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
                entry = Entry(question=q, answer=a, department=str(row.get("department") or ""), external_id=ext,
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
