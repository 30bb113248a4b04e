"""The catalogue API, read-only and public: published service guides (filter by department, life stage,
audience), the key-area columns of an organisation with their state, and the published gazette issues with
their contents and page numbers."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.catalog import selectors
from gongkai.catalog.models import ServiceItem
from gongkai.core.models import Organisation

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["catalog"]


class Base(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


def _org(code: str | None) -> Organisation | None:
    if not code:
        return None
    org = Organisation.objects.filter(code=code, is_active=True).first()
    if org is None:
        raise exceptions.ValidationError({"organisation": "未知的机构代码。"})
    return org


def _guide(i: ServiceItem) -> dict:
    return {
        "code": i.code, "name": i.name, "kind": i.kind, "organisation": {"code": i.organisation.code, "name": i.organisation.name},
        "basis": i.basis_text, "basis_documents": [d.index_no for d in i.basis_documents.all()],
        "conditions": i.conditions, "materials": i.materials, "location": i.location, "hours": i.hours, "phone": i.phone,
        "process": i.process, "legal_limit": i.legal_limit, "promised_limit": i.promised_limit, "fee": i.fee,
        "fee_basis": i.fee_basis, "consult": i.consult, "complaint": i.complaint, "audiences": i.audiences,
        "life_stages": i.life_stages, "url": reverse("portal:service", kwargs={"code": i.code}),
    }


class ServiceGuideListView(Base):
    @extend_schema(tags=TAGS, operation_id="service_guides_list", summary="办事指南列表（已发布）",
                   responses=s.ServiceGuideList, parameters=[
                       OpenApiParameter("organisation", str, description="实施机关机构代码"),
                       OpenApiParameter("life_stage", str, description="生命周期，如 上学、开办"),
                       OpenApiParameter("audience", str, enum=["person", "legal_person"])])
    def get(self, request):
        p = request.query_params
        items = selectors.service_items_public(organisation=_org(p.get("organisation")), life_stage=p.get("life_stage"),
                                               audience=p.get("audience"))
        return Response({"count": len(items), "results": [_guide(i) for i in items]})


class ServiceGuideDetailView(Base):
    @extend_schema(tags=TAGS, operation_id="service_guides_detail", summary="办事指南详情", responses=s.ServiceGuide)
    def get(self, request, code: str):
        item = selectors.service_item_public(code=code)
        if item is None:
            raise exceptions.NotFound("办事指南不存在或已撤回。")
        return Response(_guide(item))


class ColumnListView(Base):
    @extend_schema(tags=TAGS, operation_id="key_area_columns", summary="某机关的重点领域专栏及其更新情况",
                   responses=s.ColumnList)
    def get(self, request, code: str):
        org = _org(code)
        states = selectors.columns_check(organisation=org).states
        return Response({"organisation": {"code": org.code, "name": org.name}, "results": [{
            "slug": st.column.slug, "name": st.column.name, "count": st.count,
            "latest": st.latest.isoformat() if st.latest else None, "stale": st.stale, "empty": st.empty,
            "findings": st.findings,
            "url": reverse("portal:key_area_column", kwargs={"code": org.code, "slug": st.column.slug})} for st in states]})


class GazetteListView(Base):
    @extend_schema(tags=TAGS, operation_id="gazette_issues", summary="政府公报（已出版各期及目录）",
                   responses=s.GazetteIssueList, parameters=[OpenApiParameter("year", int)])
    def get(self, request):
        year = request.query_params.get("year")
        if year and not year.isdigit():
            raise exceptions.ValidationError({"year": "年份应为数字。"})
        issues = list(selectors.gazette_issues_public(year=int(year) if year else None)[:100])
        return Response({"count": len(issues), "results": [{
            "year": i.year, "number": i.number, "total_number": i.total_number, "published_on": i.published_on.isoformat(),
            "pages": i.pages, "pdf": reverse("portal:gazette_pdf", kwargs={"year": i.year, "number": i.number}),
            "url": reverse("portal:gazette_issue", kwargs={"year": i.year, "number": i.number}),
            "articles": [{"section": a.section, "title": a.document.title, "index_no": a.document.index_no,
                          "doc_number": a.document.doc_number, "page": a.page,
                          "url": reverse("portal:document", kwargs={"index_no": a.document.index_no})}
                         for a in selectors.gazette_articles(issue=i)]} for i in issues]})
