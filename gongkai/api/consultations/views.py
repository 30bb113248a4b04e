"""The consultation API: public reads of consultations and the decision catalogue, the public comment
endpoint (the same rules as the form, through the same service), and staff endpoints to create, close,
moderate and answer. Commenters' contact data is never returned."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api.errors import refusal
from gongkai.consultations import selectors, services
from gongkai.consultations.models import Consultation, DecisionItem, Opinion, OpinionGroup
from gongkai.core.models import Organisation

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["consultations"]


def _refusal(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, services.RateLimited):
        return exceptions.Throttled(detail=exc.message)
    return refusal(exc)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _summary(c: Consultation, today) -> dict:
    st = selectors.consultation_status(consultation=c, today=today)
    return {
        "id": c.pk, "title": c.title, "kind": c.kind, "document_type": selectors.STATUS_GOVUK.get(st, ""),
        "status": st, "organisation": {"code": c.organisation.code, "name": c.organisation.name},
        "opens_on": c.starts_on.isoformat(), "closes_on": c.last_day.isoformat(),
        "days_left": selectors.consultation_days_left(consultation=c, today=today),
        "opinions_received": selectors.opinion_counts(consultation=c)["received"],
        "url": reverse("portal:consultation", args=[c.pk]),
    }


def _detail(c: Consultation, today) -> dict:
    data = _summary(c, today)
    rule = selectors.period_rule(kind=c.kind)
    outcome = data["status"] == "outcome"
    groups = []
    page = list(selectors.published_groups(consultation=c)[:500])
    counts = selectors.published_counts(groups=page)
    texts = selectors.group_texts(groups=page)
    for g in page:
        g.published = counts.get(g.pk, 0)
        groups.append({
            "id": g.pk, "article": g.article.label if g.article else None, "text": texts.get(g.pk, ""),
            "identical_count": g.published, "outcome": g.outcome if outcome else None,
            "outcome_label": g.get_outcome_display() if outcome else None, "reason": g.reason if outcome else None,
        })
    feedback = None
    if outcome:
        summary = selectors.adoption_summary(consultation=c)
        feedback = {"published_at": c.feedback_published_at.isoformat(), "summary": c.feedback_summary,
                    "per_outcome": summary.per_outcome}
    data.update(
        draft_text=c.draft_text, explanation=c.explanation, channels=c.channels,
        articles=[{"id": a.pk, "label": a.label, "text": a.text} for a in c.articles.all()],
        attachments=[{"name": f.name, "format": f.extension.lstrip("."), "size": f.size, "sha256": f.sha256,
                      "url": reverse("portal:consultation_attachment", args=[f.token])} for f in c.attachments.all()],
        short_period_reason=c.short_period_reason,
        original_closes_on=c.original_ends_on.isoformat() if c.original_ends_on else None,
        extension_reason=c.extension_reason, minimum_period=rule.text if rule else None,
        feedback_due_on=selectors.feedback_due_on(consultation=c).isoformat(), opinions=groups, feedback=feedback,
    )
    return data


class Base(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


class StaffBase(Base):
    permission_classes = [IsAuthenticated]

    def consultation(self, pk: int) -> Consultation:
        return get_object_or_404(selectors.consultations_for_user(user=self.request.user)
                                 .select_related("organisation"), pk=pk)


class ConsultationListView(Base):
    @extend_schema(tags=TAGS, operation_id="consultations_list", summary="征求意见列表", responses=s.ConsultationList, parameters=[
        OpenApiParameter("status", str, enum=["open", "closed", "outcome"]),
        OpenApiParameter("organisation", str, description="起草单位机构代码"),
        OpenApiParameter("year", int, description="开始年份"),
    ])
    def get(self, request):
        today = selectors.today_local()
        org = None
        if request.query_params.get("organisation"):
            org = Organisation.objects.filter(code=request.query_params["organisation"]).first()
            if org is None:
                raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
        year = request.query_params.get("year")
        if year and not year.isdigit():
            raise exceptions.ValidationError({"year": "年份应为数字。"})
        qs = selectors.consultations_public(status=request.query_params.get("status", ""), organisation=org,
                                            year=int(year) if year else None, today=today)
        rows = list(qs[:200])
        return Response({"count": qs.count(), "results": [_summary(c, today) for c in rows]})


class ConsultationDetailView(Base):
    @extend_schema(tags=TAGS, operation_id="consultations_detail", summary="征求意见详情（含已公开的意见与采纳情况）", responses=s.ConsultationDetail)
    def get(self, request, pk: int):
        c = get_object_or_404(Consultation.objects.select_related("organisation").exclude(
            state=Consultation.State.DRAFT), pk=pk)
        return Response(_detail(c, selectors.today_local()))


class CommentView(Base):
    @extend_schema(tags=TAGS, operation_id="consultations_comment", summary="提交意见（公众，无需账号；与网页表单同一规则）", request=s.CommentInput,
                   responses={201: s.CommentReceipt, 200: s.CommentReceipt})
    def post(self, request, pk: int):
        c = get_object_or_404(Consultation.objects.exclude(state=Consultation.State.DRAFT), pk=pk)
        body = s.CommentInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            opinion, replayed = services.opinion_submit(
                consultation=c, body=d["body"], idempotency_key=d["idempotency_key"],
                client_address=_client_address(request), article=d.get("article"),
                contact={k: d.get(k, "") for k in ("name", "phone", "email")})
        except (ValidationError, services.RateLimited) as exc:
            raise _refusal(exc) from exc
        return Response({"id": opinion.pk, "state": opinion.state, "replayed": replayed},
                        status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


class DecisionListView(Base):
    @extend_schema(tags=TAGS, operation_id="decisions_list", summary="重大行政决策事项目录（已公布）", responses=s.DecisionList, parameters=[
        OpenApiParameter("year", int), OpenApiParameter("organisation", str, description="目录编制机关机构代码")])
    def get(self, request):
        qs = DecisionItem.objects.filter(catalogue_published_at__isnull=False).select_related(
            "catalogue_owner", "owner_unit").prefetch_related("consultations").order_by("-year", "number")
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise exceptions.ValidationError({"year": "年份应为数字。"})
            qs = qs.filter(year=int(year))
        if request.query_params.get("organisation"):
            qs = qs.filter(catalogue_owner__code=request.query_params["organisation"])
        rows = [{
            "id": i.pk, "year": i.year, "number": i.number, "title": i.title,
            "catalogue_owner": {"code": i.catalogue_owner.code, "name": i.catalogue_owner.name},
            "owner_unit": {"code": i.owner_unit.code, "name": i.owner_unit.name}, "legal_basis": i.legal_basis,
            "planned_schedule": i.planned_schedule, "state": i.state, "state_label": i.get_state_display(),
            "consultations": [c.pk for c in i.consultations.all() if c.state == Consultation.State.PUBLISHED],
        } for i in qs[:500]]
        return Response({"count": len(rows), "results": rows})


# --- Staff ------------------------------------------------------------------------------------------------------

class StaffCreateView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="consultations_create", summary="发起征求意见（工作人员）", request=s.ConsultationInput,
                   responses={201: s.ConsultationDetail})
    def post(self, request):
        body = s.ConsultationInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        org = Organisation.objects.filter(code=d.pop("organisation")).first()
        if org is None:
            raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
        publish = d.pop("publish", True)
        try:
            c = services.consultation_create(organisation=org, by=request.user, **d)
            if publish:
                services.consultation_publish(consultation=c, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        return Response(_detail(c, selectors.today_local()), status=status.HTTP_201_CREATED)


class StaffCloseView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="consultations_close", summary="提前结束征求意见（工作人员）", request=s.ReasonInput, responses=s.ConsultationDetail)
    def post(self, request, pk: int):
        c = self.consultation(pk)
        body = s.ReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.consultation_close(consultation=c, by=request.user, reason=body.validated_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        return Response(_detail(c, selectors.today_local()))


class StaffOpinionsView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="consultations_opinions", summary="意见（工作人员，含待审核；不含联系方式）", responses=s.StaffOpinion(many=True),
                   parameters=[OpenApiParameter("state", str, enum=Opinion.State.values)])
    def get(self, request, pk: int):
        c = self.consultation(pk)
        qs = c.opinions.select_related("article").order_by("id")
        if request.query_params.get("state") in Opinion.State.values:
            qs = qs.filter(state=request.query_params["state"])
        return Response([{
            "id": o.pk, "group": o.group_id, "article": o.article.label if o.article else None, "channel": o.channel,
            "body": o.body, "state": o.state, "personal_data_flagged": bool(o.personal_data_hits),
            "submitted_at": o.submitted_at.isoformat(),
        } for o in qs[:1000]])


class StaffModerateView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="opinions_moderate", summary="审核意见（工作人员）", request=s.ModerateInput, responses=s.StaffOpinion)
    def post(self, request, pk: int):
        opinion = get_object_or_404(Opinion.objects.filter(
            consultation__in=selectors.consultations_for_user(user=request.user)), pk=pk)
        body = s.ModerateInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            services.opinion_moderate(opinion=opinion, by=request.user, publish=d["publish"], reason=d.get("reason", ""),
                                      public_body=d.get("public_body", ""))
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        return Response({"id": opinion.pk, "group": opinion.group_id, "article": None, "channel": opinion.channel,
                         "body": opinion.body, "state": opinion.state,
                         "personal_data_flagged": bool(opinion.personal_data_hits),
                         "submitted_at": opinion.submitted_at.isoformat()})


class StaffAnswerView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="opinion_groups_answer", summary="答复一条（组）意见的采纳情况（工作人员）", request=s.AnswerInput,
                   responses=s.GroupSerializer)
    def post(self, request, pk: int):
        group = get_object_or_404(OpinionGroup.objects.filter(
            consultation__in=selectors.consultations_for_user(user=request.user)).select_related("article"), pk=pk)
        body = s.AnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.group_answer(group=group, by=request.user, outcome=body.validated_data["outcome"],
                                  reason=body.validated_data.get("reason", ""))
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        return Response({"id": group.pk, "article": group.article.label if group.article else None,
                         "text": selectors.group_text(group=group), "identical_count": group.size,
                         "outcome": group.outcome, "outcome_label": group.get_outcome_display(),
                         "reason": group.reason})


class StaffFeedbackView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="consultations_feedback", summary="公布意见采纳情况（工作人员）", request=s.FeedbackInput,
                   responses=s.ConsultationDetail)
    def post(self, request, pk: int):
        c = self.consultation(pk)
        body = s.FeedbackInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.feedback_publish(consultation=c, by=request.user, summary=body.validated_data["summary"])
        except (ValidationError, PermissionDenied) as exc:
            raise _refusal(exc) from exc
        return Response(_detail(c, selectors.today_local()))
