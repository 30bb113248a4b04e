"""The audit log for administrators: filter, page through, export (CSV for Excel, JSON Lines)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.core.services import audit_record

from .. import forms
from ..access import audit_events_for_user, staff_required, user_is_audit_viewer

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    ("at", "时间"), ("actor_name", "操作人"), ("action", "操作"), ("object_type", "对象类型"), ("object_id", "对象编号"),
    ("object_repr", "对象名称"), ("organisation", "机关"), ("before", "变更前"), ("after", "变更后"), ("note", "说明"),
    ("ip_address", "IP 地址"),
]
# Cells Excel would read as a formula (CSV injection) are prefixed with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _forbidden(request):
    return render(request, "workspace/forbidden.html", {"reason": "审计日志仅平台管理员和政务公开办管理员可以查看。"},
                  status=403)


def _filtered(request) -> tuple[forms.AuditFilterForm, QuerySet[AuditEvent]]:
    form = forms.AuditFilterForm(request.GET or None)
    qs = audit_events_for_user(user=request.user).select_related("organisation").order_by("-at", "-id")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            qs = qs.filter(action__icontains=data["action"].strip())
        if data["actor"]:
            qs = qs.filter(actor_name__icontains=data["actor"].strip())
        if data["object"]:
            term = data["object"].strip()
            qs = qs.filter(Q(object_repr__icontains=term) | Q(object_id=term))
        tz = timezone.get_current_timezone()
        if data["start"]:
            qs = qs.filter(at__gte=dt.datetime.combine(data["start"], dt.time.min, tzinfo=tz))
        if data["end"]:
            qs = qs.filter(at__lt=dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    elif form.is_bound:
        qs = qs.none()
    return form, qs


@staff_required
def audit_list(request):
    if not user_is_audit_viewer(request.user):
        return _forbidden(request)
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/audit/list.html", {"form": form, "page": page})


def _row(event: AuditEvent) -> dict:
    return {
        "at": timezone.localtime(event.at).isoformat(),
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organisation": event.organisation.name if event.organisation_id else "",
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "ip_address": event.ip_address or "",
    }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(qs: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte order mark tells Excel the file is UTF-8, so Chinese text opens correctly.
    yield "\ufeff" + writer.writerow([label for _, label in EXPORT_COLUMNS])
    for event in qs.iterator(chunk_size=2000):
        row = _row(event)
        yield writer.writerow([_csv_cell(row[key]) for key, _ in EXPORT_COLUMNS])


def _jsonl_lines(qs: QuerySet[AuditEvent]) -> Iterator[str]:
    for event in qs.iterator(chunk_size=2000):
        yield json.dumps(_row(event), ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


@staff_required
def audit_export(request, fmt: str):
    if not user_is_audit_viewer(request.user):
        return _forbidden(request)
    form, qs = _filtered(request)
    audit_record(actor=request.user, action="audit.export", note=f"格式：{fmt}；条件：{request.GET.urlencode()}",
                 ip_address=request.META.get("REMOTE_ADDR"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(qs), content_type="text/csv; charset=utf-8")
        filename = f"audit-{stamp}.csv"
    else:
        response = StreamingHttpResponse(_jsonl_lines(qs), content_type="application/x-ndjson; charset=utf-8")
        filename = f"audit-{stamp}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
