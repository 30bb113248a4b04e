"""Import of historical applications from JSON Lines (docs/import-applications.md).

Each line is one case, imported in its own transaction through the same services staff use, so every
event is checked exactly as if it were recorded by hand. A line that fails leaves nothing behind; a
line whose `external_id` is already on the platform is skipped, so re-running an import is harmless.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.core.models import Organisation

from . import services
from .models import Application, Remedy
from .outcomes import OUTCOMES

RECORD_KEYS = {
    "external_id", "organisation", "applicant_kind", "channel", "description", "info_title", "requested_forms",
    "delivery_methods", "applicant", "submitted_at", "events", "outcome", "reply_type", "concluded_on", "remedies",
}
CLOSING_EVENTS = {"determination", "supplement_lapsed", "fee_lapsed"}


class RecordError(Exception):
    """A line that cannot be imported, with the reason in Chinese."""


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (external_id, counting note)

    @property
    def summary(self) -> str:
        return f"新导入 {self.created} 件，已存在跳过 {self.skipped} 件，出错 {len(self.errors)} 行。"


def open_lines(path: Path) -> IO[str]:
    """Open a .jsonl or .jsonl.gz file (gzip recognised by its magic bytes, whatever the name)."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def _date(value: Any, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"{what}“{value}”不是日期（YYYY-MM-DD）。") from None


def _message(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "；".join(f"{k}：{'，'.join(v)}" for k, v in exc.message_dict.items())
        return "；".join(exc.messages)
    return str(exc)


def application_import_record(
    *, record: dict[str, Any], warnings: list[tuple[str, str]] | None = None
) -> tuple[Application | None, bool]:
    """Import one case atomically. Returns (application, created); created is False when it existed.
    Counting notes about its remedies (e.g. 复议前置) are appended to `warnings` as (external_id, text)."""
    if not isinstance(record, dict):
        raise RecordError("每行应是一个 JSON 对象。")
    unknown = set(record) - RECORD_KEYS
    if unknown:
        raise RecordError(f"未知字段：{'、'.join(sorted(unknown))}")
    for key in ("external_id", "organisation", "applicant_kind", "channel", "description"):
        if not record.get(key):
            raise RecordError(f"缺少必填字段 {key}。")
    external_id = str(record["external_id"])
    existing = Application.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing, False
    organisation = Organisation.objects.filter(code=record["organisation"]).first()
    if organisation is None:
        raise RecordError(f"机关代码“{record['organisation']}”不存在。")
    events = record.get("events") or []
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise RecordError("events 应是事件对象的列表。")
    events = list(events)
    outcome = record.get("outcome")
    if outcome:
        if outcome not in OUTCOMES:
            raise RecordError(f"办理结果代码“{outcome}”无效。")
        closing = [e for e in events if e.get("type") in CLOSING_EVENTS]
        if not closing:
            if not record.get("concluded_on"):
                raise RecordError("有办理结果（outcome）但没有答复事件时，须提供办结日期 concluded_on。")
            fields = {"outcome": outcome}
            if record.get("reply_type"):
                fields["reply_type"] = record["reply_type"]
            events.append({"type": "determination", "date": record["concluded_on"], "fields": fields})
        elif closing[-1].get("type") == "determination" and closing[-1].get("fields", {}).get("outcome") != outcome:
            raise RecordError("outcome 与答复事件中的办理结果不一致。")
    try:
        with transaction.atomic():
            application = services.application_create(
                organisation=organisation, by=None, applicant_kind=record["applicant_kind"],
                applicant=record.get("applicant") or {}, channel=record["channel"],
                description=str(record["description"]), info_title=str(record.get("info_title") or ""),
                requested_forms=record.get("requested_forms") or [], delivery_methods=record.get("delivery_methods") or [],
                external_id=external_id, imported=True,
            )
            for n, event in enumerate(events, 1):
                if not event.get("type") or not event.get("date"):
                    raise RecordError(f"第 {n} 个事件缺少 type 或 date。")
                try:
                    application = services.application_record_event(
                        application=application, by=None, type=event["type"],
                        occurred_on=_date(event["date"], f"第 {n} 个事件的日期"),
                        fields=event.get("fields") or {}, note=str(event.get("note") or ""),
                    )
                except ValidationError as exc:
                    raise RecordError(f"第 {n} 个事件（{event['type']}）：{_message(exc)}") from None
            concluded_on = record.get("concluded_on")
            if concluded_on and application.concluded_on != _date(concluded_on, "办结日期"):
                raise RecordError(f"concluded_on {concluded_on} 与事件推算的办结日期 {application.concluded_on} 不一致。")
            last_reconsideration: Remedy | None = None
            for n, remedy in enumerate(record.get("remedies") or [], 1):
                if not isinstance(remedy, dict):
                    raise RecordError(f"第 {n} 个复议诉讼记录应是对象。")
                try:
                    created = services.remedy_record(
                        application=application, by=None, kind=remedy.get("kind", ""),
                        filed_on=_date(remedy.get("filed_on"), f"第 {n} 个复议诉讼的日期"),
                        body=str(remedy.get("body") or ""), case_no=str(remedy.get("case_no") or ""),
                        result=remedy.get("result") or "pending",
                        decided_on=_date(remedy["decided_on"], "审结日期") if remedy.get("decided_on") else None,
                        follows=last_reconsideration if remedy.get("kind") == "litigation_after_reconsideration" else None,
                        note=str(remedy.get("note") or ""),
                    )
                except ValidationError as exc:
                    raise RecordError(f"第 {n} 个复议诉讼：{_message(exc)}") from None
                if created.kind == "reconsideration":
                    last_reconsideration = created
                if warnings is not None:
                    warnings.extend((external_id, w) for w in created.warnings)
    except (ValidationError, PermissionDenied) as exc:
        raise RecordError(_message(exc)) from None
    return application, True


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line


def applications_import(
    *, lines: Iterable[str], progress: Callable[[int, ImportReport], None] | None = None, every: int = 100
) -> ImportReport:
    """Import every line; errors are collected with their line numbers, good lines are kept."""
    report = ImportReport()
    for number, line in _numbered(lines):
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError(f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）") from None
            _, created = application_import_record(record=record, warnings=report.warnings)
            if created:
                report.created += 1
            else:
                report.skipped += 1
        except RecordError as exc:
            report.errors.append((number, str(exc)))
        if progress and number % every == 0:
            progress(number, report)
    return report
