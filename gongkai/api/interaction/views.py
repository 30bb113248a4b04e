"""The 政民互动 API (issue 21): public reads of the boxes and the published replies (masked), the message
and 找错 endpoints (the same rules as the forms, through the same services), the tracking query, and staff
endpoints: the inbox, a step of a message, the 3-month rule. Contact data is never returned."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api.errors import refusal
from gongkai.core.models import Organisation
from gongkai.core.selectors import organisations_for_user
from gongkai.interaction import conf, selectors, services
from gongkai.interaction.models import Message

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["interaction"]


def _refusal(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, services.RateLimited):
        return exceptions.Throttled(detail=exc.message)
    return refusal(exc)


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _org(o: Organisation) -> dict:
    return {"code": o.code, "name": o.name}


class Base(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


class BoxListView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_boxes", summary="留言信箱（领导信箱、咨询、投诉建议）",
                   responses=s.InteractionBoxList)
    def get(self, request):
        return Response({"results": [
            {"slug": b.slug, "name": b.name, "kind": b.kind, "organisation": _org(b.organisation),
             "reply_days": b.reply_days, "publish_replies": b.publish_replies,
             "url": reverse("portal:interaction_box", args=[b.slug])} for b in selectors.boxes_public()]})


class MessageSubmitView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_message_submit", summary="留言（公众，无需账号；与网页表单同一规则）",
                   request=s.InteractionMessageInput, responses={201: s.InteractionMessageReceipt})
    def post(self, request, slug: str):
        box = get_object_or_404(selectors.boxes_public(), slug=slug)
        body = s.InteractionMessageInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            done = services.message_submit(mailbox=box, subject=d["subject"], text=d["text"],
                                           consent_publish=d["consent_publish"], client_address=_address(request),
                                           contact={k: d.get(k, "") for k in ("name", "phone", "email")},
                                           idempotency_key=d.get("idempotency_key"))
        except (ValidationError, services.RateLimited) as exc:
            raise _refusal(exc) from exc
        return Response({"tracking_code": done.message.tracking_code, "secret": done.secret,
                         "due_on": done.message.due_on.isoformat(), "replayed": done.replayed},
                        status=status.HTTP_200_OK if done.replayed else status.HTTP_201_CREATED)


class TrackView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_track", summary="查询留言办理情况（查询码 + 查询密码）",
                   request=s.InteractionTrackInput, responses=s.InteractionTrackResult)
    def post(self, request):
        body = s.InteractionTrackInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            m = services.message_by_secret(client_address=_address(request), **body.validated_data)
        except services.RateLimited as exc:
            raise _refusal(exc) from exc
        if m is None:
            raise exceptions.NotFound("查询码或查询密码不正确。")
        c = selectors.message_clock(message=m)
        replied = m.status in {"replied", "published"}
        return Response({"tracking_code": m.tracking_code, "subject": m.subject, "status": m.status,
                         "organisation": _org(m.organisation), "due_on": m.due_on, "overdue": c.overdue,
                         "explanation": c.explanation, "reply": m.reply_text if replied else None,
                         "replied_at": m.replied_at if replied else None})


def _reply(m: Message) -> dict:
    return {"id": m.pk, "subject": m.subject, "text": services.mask_personal_data(m.text),
            "reply": services.mask_personal_data(m.reply_text), "mailbox": m.mailbox.name,
            "organisation": _org(m.organisation), "submitted_at": m.submitted_at, "replied_at": m.replied_at,
            "late": bool(m.late_replies), "url": reverse("portal:interaction_reply", args=[m.pk])}


class ReplyListView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_replies", summary="已公开的答复（个人信息已遮盖）",
                   responses=s.InteractionReplyList, parameters=[
                       OpenApiParameter("q", str, description="关键词（主题、留言、答复）"),
                       OpenApiParameter("organisation", str, description="办理机关机构代码（含下级）")])
    def get(self, request):
        org = None
        if request.query_params.get("organisation"):
            org = Organisation.objects.filter(code=request.query_params["organisation"]).first()
            if org is None:
                raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
        qs = selectors.published_replies(q=request.query_params.get("q", "")[:100], organisation=org)
        return Response({"count": qs.count(), "results": [_reply(m) for m in qs[:100]]})


class ReplyDetailView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_reply", summary="一条已公开的答复", responses=s.InteractionReply)
    def get(self, request, pk: int):
        return Response(_reply(get_object_or_404(selectors.published_replies(), pk=pk)))


class ErrorReportView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_error_report", summary="我为政府网站找错（公众）",
                   request=s.InteractionErrorReportInput, responses={201: s.InteractionErrorReportReceipt})
    def post(self, request):
        body = s.InteractionErrorReportInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        contact = d.get("contact", "")
        try:
            r = services.error_report_submit(kind=d["kind"], page_url=d["page_url"], description=d["description"],
                                             contact={("email" if "@" in contact else "phone"): contact},
                                             client_address=_address(request))
        except (ValidationError, services.RateLimited) as exc:
            raise _refusal(exc) from exc
        return Response({"tracking_code": r.tracking_code, "forward_due_on": r.forward_due_on,
                         "reply_due_on": r.reply_due_on}, status=status.HTTP_201_CREATED)


class StaffBase(Base):
    permission_classes = [IsAuthenticated]


class StaffMessagesView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="interaction_staff_messages", summary="待办留言（工作人员）",
                   responses=s.InteractionStaffMessageList, parameters=[OpenApiParameter("overdue", bool)])
    def get(self, request):
        today = timezone.localdate()
        qs = selectors.messages_for_user(user=request.user).filter(status__in=["submitted", "accepted"])
        if request.query_params.get("overdue") in {"1", "true"}:
            qs = qs.filter(due_on__lt=today)
        qs = qs.order_by("due_on", "submitted_at")
        return Response({"count": qs.count(), "results": [
            {"id": m.pk, "tracking_code": m.tracking_code, "subject": m.subject, "status": m.status,
             "mailbox": m.mailbox.name, "organisation": _org(m.organisation), "submitted_at": m.submitted_at,
             "due_on": m.due_on, "overdue": bool(m.due_on and today > m.due_on)} for m in qs[:200]]})


class StaffStepView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="interaction_staff_step", summary="办理一步（受理、不予受理、转办、退回、答复、公开、撤回公开）",
                   request=s.InteractionStepInput, responses=s.InteractionStaffMessage)
    def post(self, request, pk: int):
        m = get_object_or_404(selectors.messages_for_user(user=request.user), pk=pk)
        body = s.InteractionStepInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        type_ = d.pop("type")
        fields = {}
        if type_ in {"rejected", "handed_back", "unpublished"}:
            fields["reason"] = d.get("reason", "")
        if type_ == "forwarded":
            to = Organisation.objects.filter(code=d.get("to", "")).first()
            if to is None:
                raise exceptions.ValidationError({"to": "未知的机构代码。"})
            fields["to"] = to
        if type_ == "replied":
            fields["text"] = d.get("text", "")
        try:
            m = services.message_act(message=m, type=type_, by=request.user, **fields)
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        today = timezone.localdate()
        return Response({"id": m.pk, "tracking_code": m.tracking_code, "subject": m.subject, "status": m.status,
                         "mailbox": m.mailbox.name, "organisation": _org(m.organisation),
                         "submitted_at": m.submitted_at, "due_on": m.due_on,
                         "overdue": bool(m.due_on and m.status in {"submitted", "accepted"} and today > m.due_on)})


class StaffOverdueView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="interaction_staff_overdue",
                   summary="超过 3 个月未答复的有效留言（近一年；RULES §5 互动回应差）", responses=s.InteractionOverdueList)
    def get(self, request):
        ids = set(organisations_for_user(user=request.user).values_list("pk", flat=True))
        found = selectors.unanswered_over_limit(organisation_ids=ids)
        return Response({"count": len(found), "months": conf.UNANSWERED_LIMIT_MONTHS, "results": [
            {"tracking_code": o.message.tracking_code, "subject": o.message.subject,
             "organisation": o.message.organisation.name, "mailbox": o.message.mailbox.name,
             "submitted_at": o.message.submitted_at, "days": o.days_waiting, "replied_late": o.replied_late}
            for o in found]})


class InterviewListView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_interviews", summary="在线访谈（预告、文字实录）",
                   responses=s.InteractionInterviewList)
    def get(self, request):
        rows = []
        for i in selectors.interviews_public()[:100]:
            st = selectors.interview_status(interview=i)
            rows.append({"id": i.pk, "title": i.title, "organisation": _org(i.organisation), "status": st,
                         "starts_at": i.starts_at, "ends_at": i.ends_at, "guests": i.guest_list,
                         "transcript": [{"speaker": t.speaker, "text": t.text} for t in i.turns.all()]
                         if st == "archived" else [], "url": reverse("portal:interview", args=[i.pk]),
                         "photos": [{"url": reverse("portal:interview_photo", args=[i.pk, p.pk]), "alt": p.alt,
                                     "caption": p.caption} for p in i.photos.all()]})
        return Response({"results": rows})


class SurveyListView(Base):
    @extend_schema(tags=TAGS, operation_id="interaction_surveys", summary="网上调查（结束后公开的结果）",
                   responses=s.InteractionSurveyList)
    def get(self, request):
        rows = []
        for sv in selectors.surveys_public()[:100]:
            st = selectors.survey_status(survey=sv)
            results = None
            if st == "closed" and sv.results_public:
                r = selectors.survey_results(survey=sv)
                results = {"sheets": r["sheets"], "questions": [
                    {"text": row["question"].text, "kind": row["question"].kind,
                     "options": [{"label": o["label"], "count": o["count"]} for o in row["options"]]}
                    for row in r["rows"]]}
            rows.append({"id": sv.pk, "title": sv.title, "organisation": _org(sv.organisation), "status": st,
                         "opens_on": sv.opens_on, "closes_on": sv.closes_on, "results": results,
                         "url": reverse("portal:survey", args=[sv.pk])})
        return Response({"results": rows})
