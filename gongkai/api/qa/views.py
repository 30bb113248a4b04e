"""The policy Q&A API: published entries (list, search, detail) and the matcher (`ask`, the same function
as the portal and `gongkai ask`); staff endpoints to create, edit and review (publish) entries through
the one write door, with its review gate (roles, four eyes, content checks, source validity)."""

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
from gongkai.core.models import Organisation
from gongkai.documents.models import Document
from gongkai.qa import selectors, services
from gongkai.qa.models import Entry

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["qa"]
PAGE = 50



def _entry(e: Entry) -> dict:
    return {
        "id": e.pk, "external_id": e.external_id, "question": e.question, "alternatives": e.alternatives,
        "answer": e.answer, "department": e.department, "topics": e.topics, "audiences": e.audiences,
        "sources": [{"id": d.pk, "title": d.title, "index_no": d.index_no, "article": e.source_articles.get(str(d.pk), ""),
                     "url": reverse("portal:document", kwargs={"index_no": d.index_no})} for d in e.sources.all()],
        "updated_at": e.updated_at.isoformat(), "url": reverse("portal:qa_entry", args=[e.pk]),
    }


def _staff_entry(e: Entry) -> dict:
    return {**_entry(e), "state": e.state, "flag_reason": e.flag_reason, "problems": services.qa_review_problems(e)}


class Base(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


class StaffBase(Base):
    permission_classes = [IsAuthenticated]


class EntryListView(Base):
    @extend_schema(tags=TAGS, operation_id="qa_list", summary="政策问答条目（已发布）：列表与检索", responses=s.EntryList, parameters=[
        OpenApiParameter("q", str, description="检索：按匹配度排序（与 ask 同一匹配器，不弃答）"),
        OpenApiParameter("topic", str), OpenApiParameter("audience", str, description="服务对象/人生阶段"),
        OpenApiParameter("department", str), OpenApiParameter("page", int),
    ])
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()[:200]
        page = request.query_params.get("page") or "1"
        if not page.isdigit() or int(page) < 1:
            raise exceptions.ValidationError({"page": "页码应为正整数。"})
        if q:
            result = selectors.qa_ask(q, limit=PAGE, threshold=0.0)
            rows = selectors.qa_entries_by_ids([a["id"] for a in result["answers"]])
            return Response({"count": len(rows), "results": [_entry(e) for e in rows]})
        qs = selectors.qa_browse(topic=request.query_params.get("topic", ""), audience=request.query_params.get("audience", ""),
                                 department=request.query_params.get("department", "")).prefetch_related("sources")
        start = (int(page) - 1) * PAGE
        return Response({"count": qs.count(), "results": [_entry(e) for e in qs[start:start + PAGE]]})


class EntryDetailView(Base):
    @extend_schema(tags=TAGS, operation_id="qa_detail", summary="政策问答条目详情", responses=s.EntrySerializer)
    def get(self, request, pk: int):
        e = selectors.qa_entry_public(pk)
        if e is None:
            raise exceptions.NotFound("没有该问答条目。")
        return Response(_entry(e))


class AskView(Base):
    @extend_schema(tags=TAGS, operation_id="qa_ask", summary="提问：最多 10 条答复，问答库答不了时 abstained=true",
                   responses=s.AskResult, parameters=[OpenApiParameter("question", str, required=True)])
    def get(self, request):
        question = (request.query_params.get("question") or "").strip()
        if not question:
            raise exceptions.ValidationError({"question": "请提供问题。"})
        return Response(selectors.qa_ask(question[:200]))

    @extend_schema(tags=TAGS, operation_id="qa_ask_post", summary="提问（POST，问题较长时）", request=s.AskInput, responses=s.AskResult)
    def post(self, request):
        body = s.AskInput(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(selectors.qa_ask(body.validated_data["question"]))


def _save(request, entry: Entry | None) -> Entry:
    body = s.EntryInput(data=request.data)
    body.is_valid(raise_exception=True)
    d = dict(body.validated_data)
    organisation, code = None, d.pop("organisation")
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
    sources = d.pop("sources")
    if len(set(sources)) != Document.objects.filter(pk__in=sources).count():
        raise exceptions.ValidationError({"sources": "有不存在的文件。"})
    try:
        return services.qa_entry_save(**d, sources=sources, organisation=organisation or (entry.organisation if entry else None),
                                      entry=entry, by=request.user, check_roles=True,
                                      external_id=entry.external_id if entry else "")
    except (ValidationError, PermissionDenied) as exc:
        raise refusal(exc) from exc


class StaffCreateView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="qa_create", summary="新建问答条目（工作人员；草稿，待审核发布）", request=s.EntryInput,
                   responses={201: s.StaffEntrySerializer})
    def post(self, request):
        return Response(_staff_entry(_save(request, None)), status=status.HTTP_201_CREATED)


class StaffEntryView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="qa_staff_detail", summary="问答条目（工作人员：含草稿、待复核）", responses=s.StaffEntrySerializer)
    def get(self, request, pk: int):
        return Response(_staff_entry(get_object_or_404(Entry, pk=pk)))

    @extend_schema(tags=TAGS, operation_id="qa_update", summary="修改问答条目（退回草稿，须重新审核）", request=s.EntryInput,
                   responses=s.StaffEntrySerializer)
    def put(self, request, pk: int):
        return Response(_staff_entry(_save(request, get_object_or_404(Entry, pk=pk))))


class StaffPublishView(StaffBase):
    @extend_schema(tags=TAGS, operation_id="qa_publish", summary="审核发布问答条目（审核人，非编辑人；内容检查与来源效力）",
                   request=None, responses=s.StaffEntrySerializer)
    def post(self, request, pk: int):
        entry = get_object_or_404(Entry, pk=pk)
        try:
            services.qa_entry_publish(entry=entry, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        return Response(_staff_entry(entry))
