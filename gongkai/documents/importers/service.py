"""The bulk import service: parse every line, order the documents so that links point backwards, then
write them in batches (one transaction per batch, bulk inserts, one 索引号 counter update per
organisation and year). A batch that fails in the database is retried one document at a time, each in
its own savepoint, so a bad line is reported with its number and never leaves half a document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from gongkai.core.models import Organisation, User
from gongkai.core.services import audit_record

from .. import hooks
from ..models import Document, DocumentIssuer, LifecycleEvent, Status
from ..services import (
    UNDATED_YEAR,
    document_derive_status,
    document_derive_validity,
    document_refresh_state,
    index_nos_allocate,
)
from .canonical import DocumentSpec, EventSpec, Lookups, RecordError, parse_canonical
from .laws import laws_to_canonical
from .reader import RawLine, read_jsonl

Kind = LifecycleEvent.Kind
FORMATS = ("auto", "canonical", "laws")
BATCH_SIZE = 500
PROGRESS_EVERY = 500
COMPARED_FIELDS = [
    "title", "doc_number", "written_on", "published_at", "effective_on", "expires_on", "topic_id", "genre",
    "audiences", "life_stages", "subject_words", "summary", "consultation_department", "consultation_phone",
    "registration_no", "source", "category", "body", "disclosure_attribute", "disclosure_reason", "organisation_id",
]


@dataclass
class ImportReport:
    """What an import run did; `errors` holds (line number, reason) for every line not imported."""

    source: str = ""
    format: str = ""
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    bytes_read: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes_read / 1e6 / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (
            f"读取 {self.lines} 行：新建 {self.created}，更新 {self.updated}，未变 {self.unchanged}，"
            f"错误 {len(self.errors)}；用时 {self.seconds:.1f} 秒，{self.docs_per_second:.0f} 篇/秒，"
            f"{self.megabytes_per_second:.2f} MB/秒"
        )


Progress = Callable[[str], None]


def _detect_format(lines: list[RawLine]) -> str:
    for raw in lines:
        if raw.data is not None:
            return "laws" if "source_path" in raw.data and "meta_lines" in raw.data else "canonical"
    return "canonical"


def documents_import_file(
    *, path: Path, fmt: str = "auto", organisation: Organisation | None = None, by: User | None = None,
    limit: int | None = None, progress: Progress | None = None, batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import a JSON Lines file (plain or .gz) in the canonical or the laws format."""
    started = time.perf_counter()
    lines = list(read_jsonl(Path(path), limit=limit))
    return documents_import(lines=lines, fmt=fmt, organisation=organisation, by=by, progress=progress,
                            batch_size=batch_size, source=Path(path).name, started=started)


def documents_import(
    *, lines: Iterable[RawLine], fmt: str = "auto", organisation: Organisation | None = None, by: User | None = None,
    progress: Progress | None = None, batch_size: int = BATCH_SIZE, source: str = "", started: float | None = None,
) -> ImportReport:
    """Import already-read lines. Idempotent by `external_id`: unchanged documents are left alone."""
    started = time.perf_counter() if started is None else started
    say = progress or (lambda message: None)
    lines = list(lines)
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}")
    fmt = _detect_format(lines) if fmt == "auto" else fmt
    report = ImportReport(source=source, format=fmt, lines=len(lines), bytes_read=sum(raw.size for raw in lines))
    if fmt == "laws":
        lines = laws_to_canonical(lines)

    lookups = Lookups(default_organisation=organisation)
    stored = _stored_digests(lines)
    specs: list[DocumentSpec] = []
    first_line: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        if raw.data is None:
            report.errors.append((raw.line_no, raw.error))
        else:
            try:
                external_id = str(raw.data.get("external_id") or "").strip()
                if external_id in first_line:
                    raise RecordError(f"外部编号“{external_id}”与第 {first_line[external_id]} 行重复。")
                digest = _digest(raw.data, organisation)
                if external_id and stored.get(external_id) == digest:
                    first_line[external_id] = raw.line_no
                    report.unchanged += 1  # this very record was imported before: nothing to parse
                else:
                    spec = parse_canonical(raw.data, line_no=raw.line_no, lookups=lookups, size=raw.size)
                    spec.digest = digest
                    first_line[spec.external_id] = raw.line_no
                    specs.append(spec)
            except RecordError as exc:
                report.errors.append((raw.line_no, str(exc)))
        if n % PROGRESS_EVERY == 0:
            say(f"已解析 {n}/{len(lines)} 行")

    writer = _Writer(by=by, report=report)
    ordered = writer.resolve(specs)
    say(f"解析完成：{len(ordered)} 篇待写入，{len(report.errors)} 行有错误")
    for start in range(0, len(ordered), batch_size):
        writer.write_batch(ordered[start : start + batch_size])
        done = min(start + batch_size, len(ordered))
        elapsed = time.perf_counter() - started
        say(f"已写入 {done}/{len(ordered)} 篇（新建 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
            f"错误 {len(report.errors)}，{done / elapsed if elapsed else 0:.0f} 篇/秒）")

    report.errors.sort()
    report.seconds = time.perf_counter() - started
    if report.created or report.updated:  # the audit log records changes: a run that changed nothing adds none
        audit_record(
            actor=by, action="documents.import", organisation=organisation,
            after={"source": source, "format": fmt, "lines": report.lines, "created": report.created,
                   "updated": report.updated, "unchanged": report.unchanged, "errors": len(report.errors),
                   "error_lines": [line for line, _ in report.errors[:200]]},
            note=report.summary(),
        )
    return report


def _digest(data: dict[str, Any], organisation: Organisation | None) -> str:
    """Fingerprint of a source record (and the owner it defaults to): equal fingerprints, same import."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{organisation.code if organisation else ''}|{text}".encode()).hexdigest()


def _stored_digests(lines: list[RawLine]) -> dict[str, str]:
    ids = sorted({str(raw.data.get("external_id") or "").strip() for raw in lines if raw.data is not None} - {""})
    stored: dict[str, str] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's variable limit
        stored.update(Document.objects.filter(external_id__in=ids[start : start + 900])
                      .values_list("external_id", "import_digest"))
    return stored


class _Writer:
    def __init__(self, *, by: User | None, report: ImportReport) -> None:
        self.by = by
        self.report = report
        self.pk_by_external: dict[str, int] = {}
        self.today = timezone.localdate()
        self.written: list[int] = []  # documents created or changed, to (re)index for search

    # -- before writing ------------------------------------------------------------------------------------

    def resolve(self, specs: list[DocumentSpec]) -> list[DocumentSpec]:
        """Drop lines whose links cannot be resolved; order the rest so every link target comes first."""
        wanted = {s.external_id for s in specs} | {ref for s in specs for ref in s.references}
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), 900):  # stay under SQLite's variable limit
            chunk = wanted_list[start : start + 900]
            self.pk_by_external.update(
                Document.objects.filter(external_id__in=chunk).values_list("external_id", "pk")
            )
        by_id = {s.external_id: s for s in specs}
        failed: dict[str, str] = {}
        changed = True
        while changed:
            changed = False
            for spec in specs:
                if spec.external_id in failed:
                    continue
                for ref in spec.references:
                    if ref in failed or (ref not in by_id and ref not in self.pk_by_external):
                        failed[spec.external_id] = (f"引用的文件“{ref}”导入失败。" if ref in failed
                                                    else f"引用的文件“{ref}”不存在（文件中和系统中都没有）。")
                        changed = True
                        break
        ordered: list[DocumentSpec] = []
        state: dict[str, int] = {}  # 1 = on the path, 2 = placed
        for spec in specs:
            if spec.external_id in failed or state.get(spec.external_id):
                continue
            stack = [(spec, iter(sorted(spec.references)))]
            state[spec.external_id] = 1
            while stack:
                node, refs = stack[-1]
                ref = next(refs, None)
                if ref is None:
                    stack.pop()
                    state[node.external_id] = 2
                    ordered.append(node)
                    continue
                target = by_id.get(ref)
                if target is None or state.get(ref) == 2 or ref in failed:
                    continue
                if state.get(ref) == 1:
                    failed[node.external_id] = f"与“{ref}”循环引用。"
                    continue
                state[ref] = 1
                stack.append((target, iter(sorted(target.references))))
        ordered = [s for s in ordered if s.external_id not in failed]
        for spec in specs:
            if spec.external_id in failed:
                self.report.errors.append((spec.line_no, failed[spec.external_id]))
        return ordered

    # -- writing -------------------------------------------------------------------------------------------

    def write_batch(self, batch: list[DocumentSpec]) -> None:
        snapshot = dict(self.pk_by_external)
        counts = (self.report.created, self.report.updated, self.report.unchanged)
        self.written = []
        try:
            with transaction.atomic():
                self._write(batch)
        except (DatabaseError, ValidationError, RecordError):
            self.pk_by_external = snapshot
            self.report.created, self.report.updated, self.report.unchanged = counts
            self.written = []
            for spec in batch:  # find the bad line(s): one savepoint per document
                try:
                    with transaction.atomic():
                        self._write([spec])
                except (DatabaseError, ValidationError, RecordError) as exc:
                    self.pk_by_external.pop(spec.external_id, None)
                    self.report.errors.append((spec.line_no, _reason(exc)))
        # Bulk writes bypass the per-document hook: the batch is announced here, once committed.
        hooks.documents_written(document_ids=self.written)

    def _write(self, batch: list[DocumentSpec]) -> None:
        existing = [s for s in batch if s.external_id in self.pk_by_external]
        new = [s for s in batch if s.external_id not in self.pk_by_external]
        if new:
            self._create(new)
        if existing:
            self._update(existing)

    def _create(self, specs: list[DocumentSpec]) -> None:
        numbers = self._index_numbers(specs)
        documents, event_lists = [], []
        for spec in specs:
            document = Document(organisation=spec.organisation, external_id=spec.external_id, created_by=self.by,
                                import_digest=spec.digest, index_no=spec.fields["index_no"] or numbers[id(spec)],
                                **{k: v for k, v in spec.fields.items() if k != "index_no"})
            # Inserted in date order, so recording order (which derives the status) matches history.
            events = [self._event(e) for e in sorted(spec.events, key=lambda e: e.at)]
            document.status = document_derive_status(events)
            document.validity, document.repealed_on = document_derive_validity(
                events=events, effective_on=document.effective_on, expires_on=document.expires_on, today=self.today
            )
            documents.append(document)
            event_lists.append(events)
        Document.objects.bulk_create(documents)
        self.written += [document.pk for document in documents]
        issuers, events = [], []
        for spec, document, document_events in zip(specs, documents, event_lists, strict=True):
            self.pk_by_external[spec.external_id] = document.pk
            issuers += [DocumentIssuer(document_id=document.pk, organisation_id=org_id, name=name, position=n)
                        for n, (org_id, name) in enumerate(spec.issuers)]
            for event, source in zip(document_events, sorted(spec.events, key=lambda e: e.at), strict=True):
                event.document_id = document.pk
                event.related_document_id = self._pk(source.related)
            events += document_events
        DocumentIssuer.objects.bulk_create(issuers)
        LifecycleEvent.objects.bulk_create(events)
        self.report.created += len(specs)

    def _index_numbers(self, specs: list[DocumentSpec]) -> dict[int, str]:
        """One counter update per organisation and year for the whole batch."""
        groups: dict[tuple[int, int], list[DocumentSpec]] = defaultdict(list)
        for spec in specs:
            if not spec.fields["index_no"]:
                day = spec.index_date()
                groups[(spec.organisation.pk, day.year if day else UNDATED_YEAR)].append(spec)
        numbers: dict[int, str] = {}
        for (_, year), members in groups.items():
            allocated = index_nos_allocate(organisation=members[0].organisation, year=year,
                                           dates=[m.index_date() for m in members])
            numbers.update({id(m): number for m, number in zip(members, allocated, strict=True)})
        return numbers

    def _pk(self, external_id: str | None) -> int | None:
        if external_id is None:
            return None
        if external_id not in self.pk_by_external:
            raise RecordError(f"引用的文件“{external_id}”未能导入。")
        return self.pk_by_external[external_id]

    def _event(self, spec: EventSpec) -> LifecycleEvent:
        return LifecycleEvent(kind=spec.kind, at=spec.at, effective_on=spec.effective_on, reason=spec.reason,
                              actor=self.by)

    def _update(self, specs: list[DocumentSpec]) -> None:
        pks = [self.pk_by_external[s.external_id] for s in specs]
        rows = {row["pk"]: row for row in Document.objects.filter(pk__in=pks).values("pk", "index_no", "status", "import_digest",
                                                                                     *COMPARED_FIELDS)}
        issuers: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
        for row in DocumentIssuer.objects.filter(document_id__in=pks).order_by("position", "id").values_list(
            "document_id", "organisation_id", "name"
        ):
            issuers[row[0]].append((row[1], row[2] if row[1] is None else ""))
        event_keys: dict[int, set[tuple]] = defaultdict(set)
        for document_id, kind, at, effective_on, related in LifecycleEvent.objects.filter(
            document_id__in=pks
        ).values_list("document_id", "kind", "at", "effective_on", "related_document__external_id"):
            event_keys[document_id].add(EventSpec(kind, at, effective_on, related).key())
        for spec, pk in zip(specs, pks, strict=True):
            row = rows[pk]
            wanted = self._row_values(spec)
            changed = {f: v for f, v in wanted.items() if row[f] != v}
            if spec.fields["index_no"] and spec.fields["index_no"] != row["index_no"]:
                changed["index_no"] = spec.fields["index_no"]
            issuers_changed = issuers[pk] != spec.issuers
            missing = [e for e in spec.events if e.key() not in event_keys[pk]]
            if row["status"] != Status.DRAFT and any(e.kind == Kind.DRAFTED for e in spec.events):
                raise RecordError("系统中该文件已进入审核或发布流程，不能通过导入改回草稿。")
            # Events keep their historical dates: status is derived in recording order, so a publication
            # recorded now still follows the drafting recorded before it.
            if not changed and not issuers_changed and not missing:
                if row["import_digest"] != spec.digest:  # same content, differently written source
                    Document.objects.filter(pk=pk).update(import_digest=spec.digest)
                self.report.unchanged += 1
                continue
            self._apply_update(spec, pk, row, changed, issuers_changed, missing)
            self.report.updated += 1

    @staticmethod
    def _row_values(spec: DocumentSpec) -> dict[str, Any]:
        values = {k: v for k, v in spec.fields.items() if k not in ("index_no", "topic")}
        values["topic_id"] = spec.fields["topic"].pk if spec.fields["topic"] else None
        values["organisation_id"] = spec.organisation.pk
        return values

    def _apply_update(self, spec: DocumentSpec, pk: int, row: dict, changed: dict, issuers_changed: bool,
                      missing: list[EventSpec]) -> None:
        Document.objects.filter(pk=pk).update(**changed, import_digest=spec.digest, updated_at=timezone.now())
        self.written.append(pk)
        if issuers_changed:
            DocumentIssuer.objects.filter(document_id=pk).delete()
            DocumentIssuer.objects.bulk_create([
                DocumentIssuer(document_id=pk, organisation_id=org_id, name=name, position=n)
                for n, (org_id, name) in enumerate(spec.issuers)
            ])
        new_events = []
        for source in missing:
            event = self._event(source)
            event.document_id, event.related_document_id = pk, self._pk(source.related)
            new_events.append(event)
        if (changed or issuers_changed) and row["status"] != Status.DRAFT:
            note = "、".join(sorted(changed)) or "发文机关"
            new_events.append(LifecycleEvent(document_id=pk, kind=Kind.CORRECTED, at=timezone.now(), actor=self.by,
                                             reason=f"导入更新：{note}"))
        LifecycleEvent.objects.bulk_create(new_events)
        document = Document.objects.get(pk=pk)
        document_refresh_state(document=document, today=self.today)
        before = {k: _plain(row[k], k) for k in changed}
        after = {k: _plain(v, k) for k, v in changed.items()}
        if issuers_changed:
            after["issuers"] = [name or org_id for org_id, name in spec.issuers]
        if missing:
            after["events"] = [e.kind for e in missing]
        audit_record(actor=self.by, action="document.import_update", obj=document, organisation=document.organisation,
                     before=before, after=after, note=f"导入（第 {spec.line_no} 行）")


def _plain(value: Any, name: str) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if name == "body" and value:
        return hashlib.sha256(value.encode()).hexdigest()[:16]
    return value


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, RecordError):
        return str(exc)
    text = str(exc).lower()
    if "unique" in text or "duplicate" in text:
        if "index_no" in text:
            return "索引号与已有文件重复。"
        return f"与已有记录冲突（唯一性约束）：{str(exc)[:200]}"
    return f"数据库拒绝写入：{str(exc)[:200]}"
