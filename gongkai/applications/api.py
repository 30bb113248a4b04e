"""Staff API for disclosure applications, under /api/v1/applications/.

Authenticated staff only, scoped by `application_visible_to`: a case outside the caller's
organisations is answered 404. Lists show the applicant masked; events go through the one door
(`services.application_record_event`), exactly as the workspace's steps do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.core.services import audit_personal_data_read

from . import selectors, services
from .clock import CONSULTATION_RESPONSES, EVENT_TYPES, PAUSE_LABELS, STATE_LABELS
from .models import Application
from .outcomes import OUTCOMES, REPLY_TYPES


class Refused(APIException):
    status_code = 400
    default_code = "refused"
    default_detail = "请求未被接受。"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _summary(application: Application, today: dt.date) -> dict[str, Any]:
    state = selectors.application_state(application=application, today=today)
    return {
        "id": application.pk,
        "tracking_code": application.tracking_code,
        "organisation": {"code": application.organisation.code, "name": application.organisation.name},
        "applicant": selectors.applicant_masked(application=application),
        "channel": application.channel,
        "info_title": application.info_title,
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
        "pause_reason": application.pause_reason,
        "received_on": _date(application.received_on),
        "due_on": _date(application.due_on),
        "outcome": application.outcome,
        "outcome_label": OUTCOMES[application.outcome].full_label if application.outcome else "",
        "concluded_on": _date(application.concluded_on),
        "assignee": {"id": application.assignee_id, "name": str(application.assignee)} if application.assignee_id else None,
        "version": application.version,
    }


def _detail(application: Application, user, today: dt.date) -> dict[str, Any]:
    clock = selectors.application_clock(application=application, today=today)
    data = _summary(application, today)
    data.update(
        applicant=selectors.applicant_for(user=user, application=application),
        description=application.description,
        requested_forms=application.requested_forms,
        delivery_methods=application.delivery_methods,
        reply_type=application.reply_type,
        reply_type_label=REPLY_TYPES.get(application.reply_type, ""),
        on_time=application.on_time,
        clock={
            "state": clock.state,
            "state_label": STATE_LABELS.get(clock.state, clock.state),
            "pause_label": PAUSE_LABELS.get(clock.pause_reason, ""),
            "received_on": _date(clock.received_on),
            "anchor_on": _date(clock.anchor_on),
            "due_on": _date(clock.due_on),
            "working_days_left": clock.working_days_left,
            "period_days": clock.period_days,
            "paused_working_days": clock.paused_working_days,
            "extension_days": clock.extension_days,
            "supplement_notice_deadline": _date(clock.supplement_notice_deadline),
            "supplement_due_on": _date(clock.supplement_due_on),
            "fee_payment_due_on": _date(clock.fee_payment_due_on),
            "consultations": [
                {"party": c.party, "kind": c.kind, "started_on": _date(c.started_on), "reply_due_on": _date(c.reply_due_on),
                 "ended_on": _date(c.ended_on), "response": CONSULTATION_RESPONSES.get(c.response, ""), "effect": c.effect}
                for c in clock.consultations
            ],
            "explanation": clock.explanation,
            "calendar_version": clock.calendar_version,
            "problem": clock.problem,
            "missing_calendar_year": clock.missing_year,
            "calendar_help": selectors.calendar_missing_help(year=clock.missing_year) if clock.missing_year else "",
        },
        events=[
            {"seq": e.seq, "type": e.type, "type_label": EVENT_TYPES[e.type], "occurred_on": _date(e.occurred_on),
             "recorded_at": e.recorded_at.isoformat(), "by": e.by_name, "organisation": e.organisation.code,
             "note": e.note, "fields": e.fields}
            for e in application.events.select_related("organisation")
        ],
        attachments=[
            {"id": a.pk, "name": a.name, "sha256": a.sha256, "uploaded_at": a.uploaded_at.isoformat()}
            for a in application.attachments.all()
        ],
        remedies=[
            {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "filed_on": _date(r.filed_on), "body": r.body,
             "case_no": r.case_no, "result": r.result, "result_label": r.get_result_display(),
             "decided_on": _date(r.decided_on), "follows": r.follows_id,
             "warnings": selectors.remedy_counting_notes(remedy=r)}
            for r in application.remedies.all()
        ],
    )
    return data


def _parse_date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"参数 {name} 应为日期（YYYY-MM-DD）。", "invalid") from None


DB_INT_MAX = 2**63 - 1  # SQLite INTEGER and PostgreSQL bigint: larger values overflow the query (issue 15.6)


def _int(value: str | None, name: str, default: int | None = None, maximum: int = DB_INT_MAX) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise Refused(f"参数 {name} 应为整数。", "invalid") from None
    if not -DB_INT_MAX <= number <= maximum:
        raise Refused(f"参数 {name} 超出范围（最大 {maximum}）。", "invalid")
    return number


class ApplicationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="applications_list",
        summary="依申请公开案件列表（本人可办理的机关）",
        parameters=[
            OpenApiParameter("state", str, enum=["pending", "open", "in_progress", "due_soon", "overdue", "paused", "closed"]),
            OpenApiParameter("due_before", OpenApiTypes.DATE),
            OpenApiParameter("assignee", int),
            OpenApiParameter("organisation", int),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        today = timezone.localdate()
        qs = selectors.applications_filter(
            user=request.user,
            state=request.query_params.get("state") or None,
            due_before=_parse_date(request.query_params.get("due_before"), "due_before"),
            assignee=_int(request.query_params.get("assignee"), "assignee"),
            organisation=_int(request.query_params.get("organisation"), "organisation"),
            today=today,
        ).order_by("due_on", "id")
        page = max(_int(request.query_params.get("page"), "page", 1, maximum=DB_INT_MAX // settings.API_MAX_PAGE_SIZE), 1)
        size = min(max(_int(request.query_params.get("page_size"), "page_size", 50), 1), settings.API_MAX_PAGE_SIZE)
        total = qs.count()
        items = [_summary(a, today) for a in qs[(page - 1) * size : page * size]]
        return Response({"count": total, "page": page, "page_size": size, "results": items})


class ApplicationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="applications_detail", summary="案件详情：事件、答复期限及其计算过程", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        application = get_object_or_404(selectors.application_visible_to(request.user).select_related("organisation"), pk=pk)
        if selectors.application_may_handle(user=request.user, application=application):
            # The full applicant is in the answer: recorded (issue 15.8).
            audit_personal_data_read(actor=request.user, obj=application, organisation=application.organisation,
                                     what="接口：申请人信息", ip_address=request.META.get("REMOTE_ADDR"))
        return Response(_detail(application, request.user, timezone.localdate()))


class ApplicationEventView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="记录办理事件（与办理页面相同的校验）",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, pk: int):
        application = selectors.application_visible_to(request.user).filter(pk=pk).first()
        if application is None:
            raise NotFound("案件不存在或您无权查看。")
        body = request.data if isinstance(request.data, dict) else {}
        fields = body.get("fields") or {}
        if not isinstance(fields, dict):
            raise Refused("fields 应为对象。", "invalid")
        try:
            expected = _int(str(body["expected_version"]), "expected_version") if "expected_version" in body else None
            application = services.application_record_event(
                application=application, by=request.user, type=str(body.get("type") or ""),
                occurred_on=body.get("occurred_on") or None, fields=fields, note=str(body.get("note") or ""),
                expected_version=expected,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc) or "无权操作。") from None
        except ValidationError as exc:
            code = getattr(exc, "code", None) or "refused"
            status_code = 409 if code == "stale" else 400
            error = Refused("；".join(exc.messages), code)
            error.status_code = status_code
            raise error from None
        return Response(_detail(application, request.user, timezone.localdate()), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", ApplicationListView.as_view(), name="application-list"),
    path("<int:pk>/", ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/events/", ApplicationEventView.as_view(), name="application-event"),
]
