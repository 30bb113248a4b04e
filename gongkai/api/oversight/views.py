"""The oversight API (issue 24), staff only: indicator definitions, schemes, scores per organisation and
period (with the items behind each number), rectification items (create / answer / re-check through
gongkai.oversight.services, the one write door), work-plan tasks with progress (report through the same
service), and the public-opinion log with its clocks. Everything is scoped by the org tree exactly like
the workspace pages: an agency sees itself, the disclosure office every agency below it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api.errors import refusal
from gongkai.core.models import Organisation
from gongkai.oversight import conf, selectors, services
from gongkai.oversight.clocks import incident_clocks
from gongkai.oversight.indicators import indicator_value, module_available
from gongkai.oversight.models import Rectification, Scheme
from gongkai.oversight.periods import Period, period_parse
from gongkai.oversight.scoring import Score, organisation_score

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["oversight"]
PERIOD = OpenApiParameter("period", str, description="考核期：2026、2026-Q3 或 2026-09（默认本年）")
SCHEME = OpenApiParameter("scheme", int, description="考核方案 id（默认：考核期所在年度的最新版本）")



def _org(o: Organisation) -> dict:
    return {"code": o.code, "name": o.name}


def _definition(d: conf.IndicatorDefinition) -> dict:
    return {"code": d.code, "label": d.label, "group": d.group, "kind": d.kind, "definition": d.definition,
            "formula": d.formula, "source": d.source, "available": module_available(d.module)}


class StaffBase(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def period(self) -> Period:
        try:
            return period_parse(self.request.query_params.get("period") or str(timezone.localdate().year))
        except ValidationError as exc:
            raise exceptions.ValidationError({"period": exc.messages[0]}) from exc

    def scheme(self, period: Period) -> Scheme:
        pk = self.request.query_params.get("scheme")
        if pk:
            if not pk.isdigit():
                raise exceptions.ValidationError({"scheme": "考核方案 id 应为数字。"})
            return get_object_or_404(selectors.schemes(), pk=int(pk))
        scheme = selectors.scheme_for_year(period.start.year)
        if scheme is None:
            raise exceptions.NotFound("还没有考核方案。")
        return scheme

    def agency(self, code: str) -> Organisation:
        return get_object_or_404(selectors.agencies_for_user(self.request.user), code=code)


class IndicatorListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_indicators", summary="考核指标：定义、公式、依据",
                   responses=s.OversightIndicatorList)
    def get(self, request):
        return Response({"results": [_definition(d) for d in conf.INDICATORS]})


def _scheme(scheme: Scheme) -> dict:
    return {"id": scheme.pk, "year": scheme.year, "version": scheme.version, "name": scheme.name,
            "source": scheme.source, "frozen": scheme.frozen, "indicators": [
                {"code": r.code, "weight": float(r.weight), "target": float(r.target) if r.target is not None else None,
                 "deduction": float(r.deduction) if r.deduction is not None else None, "veto": r.veto}
                for r in scheme.indicators.all()]}


class SchemeListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_schemes", summary="考核方案（各年度、各版本）",
                   responses=s.OversightSchemeList)
    def get(self, request):
        return Response({"results": [_scheme(x) for x in selectors.schemes().prefetch_related("indicators")]})


def _score(score: Score) -> dict:
    return {"organisation": _org(score.organisation), "total": score.total, "vetoed": score.vetoed, "lines": [
        {"code": line.rule.code, "label": line.value.definition.label, "kind": line.value.definition.kind,
         "available": line.value.available, "numerator": line.value.numerator,
         "denominator": line.value.denominator, "count": line.value.count, "rate": line.value.rate,
         "weight": line.weight, "points": line.points, "vetoed": line.vetoed, "display": line.value.display}
        for line in score.lines]}


class ScoreListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_scores", summary="考核得分与排名（本人可见的单位）",
                   parameters=[PERIOD, SCHEME], responses=s.OversightScoreList)
    def get(self, request):
        period = self.period()
        scheme = self.scheme(period)
        scores = selectors.assessment_ranking(scheme=scheme, organisations=selectors.agencies_for_user(request.user),
                                              period=period)
        return Response({"period": period.key, "period_label": period.label, "scheme": scheme.pk,
                         "results": [_score(x) for x in scores]})


class ScoreDetailView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_score", summary="一个单位的考核得分",
                   parameters=[PERIOD, SCHEME], responses=s.OversightScore)
    def get(self, request, code: str):
        organisation = self.agency(code)
        period = self.period()
        return Response(_score(organisation_score(scheme=self.scheme(period), organisation=organisation, period=period)))


class ScoreItemsView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_score_items", summary="一项指标背后的事项（可逐项核对）",
                   parameters=[PERIOD], responses=s.OversightScoreItems)
    def get(self, request, code: str, indicator: str):
        organisation = self.agency(code)
        if indicator not in conf.INDICATOR_BY_CODE:
            raise exceptions.NotFound("未知的指标。")
        period = self.period()
        value = indicator_value(code=indicator, organisation_ids=[organisation.pk], period=period)
        return Response({"organisation": _org(organisation), "period": period.key,
                         "indicator": _definition(value.definition), "display": value.display, "extra": value.extra,
                         "items": [{"key": i.key, "label": i.label, "ok": i.ok, "note": i.note,
                                    "organisation": i.organisation} for i in value.items]})


# --- Rectification ---------------------------------------------------------------------------------------
def _rectification(r: Rectification, today) -> dict:
    return {"id": r.pk, "organisation": _org(r.organisation), "source": r.source, "reference": r.reference,
            "title": r.title, "detail": r.detail, "url": r.url, "found_on": r.found_on, "deadline": r.deadline,
            "state": r.state, "overdue": selectors.rectification_overdue(r, today), "answer": r.answer,
            "evidence": r.evidence, "answered_on": r.answered_on, "closed_on": r.closed_on,
            "rejections": r.rejections}


class RectificationListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_rectifications", summary="整改问题清单（本人可见的单位）",
                   parameters=[OpenApiParameter("state", str, enum=Rectification.State.values),
                               OpenApiParameter("overdue", bool)], responses=s.OversightRectificationList)
    def get(self, request):
        today = timezone.localdate()
        qs = selectors.rectifications_for_user(request.user)
        state = request.query_params.get("state", "")
        if state:
            if state not in Rectification.State.values:
                raise exceptions.ValidationError({"state": "未知的状态。"})
            qs = qs.filter(state=state)
        if request.query_params.get("overdue") in {"1", "true"}:
            qs = qs.exclude(state=Rectification.State.CLOSED).filter(deadline__lt=today)
        qs = qs.order_by("deadline", "id")
        return Response({"count": qs.count(), "results": [_rectification(r, today) for r in qs[:500]]})

    @extend_schema(tags=TAGS, operation_id="oversight_rectification_create",
                   summary="录入问题并交办（政务公开办；与工作台同一规则）", request=s.OversightRectificationInput,
                   responses={201: s.OversightRectification})
    def post(self, request):
        body = s.OversightRectificationInput(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        organisation = Organisation.objects.filter(code=d.pop("organisation")).first()
        if organisation is None:
            raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
        try:
            r = services.rectification_create(organisation=organisation, by=request.user, **d)
        except (ValidationError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        return Response(_rectification(r, timezone.localdate()), status=status.HTTP_201_CREATED)


class RectificationDetailView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_rectification", summary="一个整改问题",
                   responses=s.OversightRectification)
    def get(self, request, pk: int):
        r = get_object_or_404(selectors.rectifications_for_user(request.user), pk=pk)
        return Response(_rectification(r, timezone.localdate()))


class RectificationAnswerView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_rectification_answer", summary="反馈整改情况（责任单位，须附佐证）",
                   request=s.OversightAnswerInput, responses=s.OversightRectification)
    def post(self, request, pk: int):
        r = get_object_or_404(selectors.rectifications_for_user(request.user), pk=pk)
        body = s.OversightAnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            r = services.rectification_answer(rectification=r, by=request.user, **body.validated_data)
        except (ValidationError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        return Response(_rectification(r, timezone.localdate()))


class RectificationRecheckView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_rectification_recheck",
                   summary="复核（政务公开办：通过办结或退回，退回须说明理由）", request=s.OversightRecheckInput,
                   responses=s.OversightRectification)
    def post(self, request, pk: int):
        r = get_object_or_404(selectors.rectifications_for_user(request.user), pk=pk)
        body = s.OversightRecheckInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            r = services.rectification_recheck(rectification=r, by=request.user, **body.validated_data)
        except (ValidationError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        return Response(_rectification(r, timezone.localdate()))


# --- Work plan -------------------------------------------------------------------------------------------
def _plan(plan) -> dict:
    return {"id": plan.pk, "organisation": _org(plan.organisation), "year": plan.year, "title": plan.title,
            "document": plan.document_id}


class PlanListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_plans", summary="工作要点（本人单位制定或承担任务的）",
                   parameters=[OpenApiParameter("year", int)], responses=s.OversightPlanList)
    def get(self, request):
        qs = selectors.plans_for_user(request.user).select_related("organisation")
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise exceptions.ValidationError({"year": "年份应为数字。"})
            qs = qs.filter(year=int(year))
        return Response({"results": [_plan(p) for p in qs]})


class PlanDetailView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_plan", summary="工作要点的任务树、节点和进展",
                   responses=s.OversightPlanDetail)
    def get(self, request, pk: int):
        plan = get_object_or_404(selectors.plans_for_user(request.user).select_related("organisation"), pk=pk)
        today = timezone.localdate()
        tasks = []
        for t, depth in selectors.plan_tree(plan):
            tasks.append({
                "id": t.pk, "parent": t.parent_id, "depth": depth, "number": t.number, "title": t.title,
                "paragraph": t.paragraph, "lead_unit": _org(t.lead_unit), "co_units": [_org(u) for u in t.co_units.all()],
                "deadline": t.deadline, "state": t.state, "done_on": t.done_on,
                "overdue": selectors.task_overdue(t, today),
                "milestones": [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on, "overdue": m.overdue}
                               for m in selectors.task_milestones(t, today)],
                "reports": [{"on": r.on, "text": r.text, "evidence": r.evidence, "completes": r.completes}
                            for r in t.reports.all()]})
        return Response({**_plan(plan), "summary": selectors.plan_summary(plan=plan, today=today), "tasks": tasks})


class TaskProgressView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_task_progress",
                   summary="报送任务进展（牵头或配合单位；报告完成须附佐证）", request=s.OversightProgressInput,
                   responses={201: s.OversightProgress})
    def post(self, request, pk: int):
        plans = selectors.plans_for_user(request.user)
        task = get_object_or_404(selectors.tasks_in(plans=plans), pk=pk)
        body = s.OversightProgressInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            r = services.task_report(task=task, by=request.user, **body.validated_data)
        except (ValidationError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        return Response({"on": r.on, "text": r.text, "evidence": r.evidence, "completes": r.completes},
                        status=status.HTTP_201_CREATED)


# --- Public opinion --------------------------------------------------------------------------------------
class IncidentListView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="oversight_incidents", summary="政务舆情台账与回应时钟",
                   parameters=[OpenApiParameter("open", bool, description="只列未处置完毕的")],
                   responses=s.OversightIncidentList)
    def get(self, request):
        qs = selectors.incidents_for_user(request.user)
        if request.query_params.get("open") in {"1", "true"}:
            qs = qs.filter(closed_at__isnull=True)
        now = timezone.now()
        rows = []
        for i in qs.prefetch_related("actions")[:500]:
            rows.append({"id": i.pk, "organisation": _org(i.organisation), "title": i.title, "source": i.source,
                         "level": i.level, "first_seen_at": i.first_seen_at, "closed_at": i.closed_at,
                         "clocks": [{"key": c.key, "label": c.label, "due_at": c.due_at, "latest_at": c.latest_at,
                                     "done_at": c.done_at, "state": c.state}
                                    for c in incident_clocks(incident=i, now=now)],
                         "actions": [{"kind": a.kind, "at": a.at, "text": a.text, "url": a.url} for a in i.actions.all()]})
        return Response({"count": len(rows), "results": rows})
