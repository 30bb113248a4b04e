"""Read API endpoints: check the parameters, call the selectors, build the response. No rules here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.core.models import Organisation
from gongkai.core.pagecache import SEARCH_CACHE_SECONDS, cache_key, content_version, settled
from gongkai.documents.models import (
    Audience,
    DisclosureAttribute,
    Document,
    Genre,
    Interpretation,
    LifecycleEvent,
    Status,
    Validity,
)

from . import serializers as s
from .authentication import ApiKeyAuthentication
from .params import SORTS, check_known, parse_document_params, parse_organisation_code
from .selectors import (
    ListPage,
    Viewer,
    document_detail,
    document_events_for,
    documents_filter,
    documents_list_page,
    documents_search_page,
    documents_visible,
    organisation_detail,
    organisations_list,
    topics_tree,
    viewer_for,
)

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="参数有误；message 指明参数"),
    401: OpenApiResponse(s.ErrorSerializer, description="需要登录或 API 密钥"),
    403: OpenApiResponse(s.ErrorSerializer, description="无权使用该范围"),
    404: OpenApiResponse(s.ErrorSerializer, description="不存在、无权查看或页码超出范围"),
}


def _choices_text(choices) -> str:
    return "、".join(f"{value}（{label}）" for value, label in choices.choices)


class ReadOnlyApiView(APIView):
    # The key scheme first, so an anonymous request that needs a login gets 401 with WWW-Authenticate.
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]

    def viewer(self) -> Viewer:
        return viewer_for(user=self.request.user)


# --- Documents -----------------------------------------------------------------------------------------

DOCUMENT_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="全文检索词（中文分词；发文字号、索引号精确定位；“引号”内为短语；可识别发文机关与年份）。有 q 时返回 snippet、score 与 facets，默认按相关度排序"),
    OpenApiParameter("scope", str, enum=["public", "staff"], description="public（默认）：公众可见的文件；staff：另含本人所在机关的全部文件（需登录或 API 密钥）"),
    OpenApiParameter("issuer", str, description="发文机关：机关代码或发文机关名称（全称或简称，精确匹配）"),
    OpenApiParameter("organisation", str, description="所属机关代码"),
    OpenApiParameter("include_descendants", bool, description="与 organisation 合用：含其下级机关的文件（1/0）"),
    OpenApiParameter("topic", str, description="主题分类代码，如 04 或 04.02；一级分类同时匹配其下的二级分类"),
    OpenApiParameter("genre", str, enum=Genre.values, description=f"文种：{_choices_text(Genre)}"),
    OpenApiParameter("validity", str, enum=Validity.values, description=f"有效性：{_choices_text(Validity)}"),
    OpenApiParameter("year", int, description="发布年份（北京时间）"),
    OpenApiParameter("published_after", OpenApiTypes.DATE, description="发布日期不早于（含），YYYY-MM-DD"),
    OpenApiParameter("published_before", OpenApiTypes.DATE, description="发布日期不晚于（含），YYYY-MM-DD"),
    OpenApiParameter("doc_number", str, description="发文字号，精确匹配，如 国办发〔2018〕123号"),
    OpenApiParameter("index_no", str, description="索引号，精确匹配"),
    OpenApiParameter("sort", str, enum=list(SORTS), description="-date：发布日期从新到旧（无 q 时默认）；date：从旧到新；title：按标题（不能与 q 合用）；relevance：相关度（有 q 时默认）"),
    OpenApiParameter("page", int, description="页码，从 1 开始；超出最后一页返回 404"),
    OpenApiParameter("page_size", int, description="每页条数，默认 20，最大见 API_MAX_PAGE_SIZE（100）；超过返回 400"),
]


def document_list_response(request, listing: ListPage, viewer: Viewer) -> dict:
    """The one place that builds the list body; search results use it too."""

    def link(number: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")

    page = listing.page
    has_next = page.number * page.size < listing.count
    context = {"request": request, "viewer": viewer, "extras": listing.extras}
    return {
        "count": listing.count,
        "page": page.number,
        "page_size": page.size,
        "next": link(page.number + 1) if has_next else None,
        "previous": link(page.number - 1) if page.number > 1 else None,
        "results": s.DocumentListItemSerializer(listing.documents, many=True, context=context).data,
        "facets": listing.facets,
        **listing.notes,
    }


def cached_for_anonymous(request, build):
    """The body `build()` makes, kept for anonymous callers like the portal's search pages (issue 15.1):
    per content version, code, date, host and URL, stored only once the index has followed the newest
    write, for SEARCH_CACHE_SECONDS. A signed-in caller or an API key may see more: never cached."""
    if request.auth is not None or request.user.is_authenticated:
        return build()
    version = content_version()
    key = "api:search:" + cache_key(version, request.get_host(), request.get_full_path())
    body = cache.get(key)
    if body is None:
        body = build()
        if settled(version):
            cache.set(key, body, SEARCH_CACHE_SECONDS)
    return body


class DocumentListView(ReadOnlyApiView):
    @extend_schema(
        operation_id="documents_list",
        summary="政策文件列表",
        description="公开的政策文件，可按发文机关、主题分类、文种、有效性、年份、发布日期等筛选。",
        parameters=DOCUMENT_LIST_PARAMETERS,
        responses={200: s.DocumentListResponseSerializer, **ERRORS},
        tags=["documents"],
    )
    def get(self, request):
        params = parse_document_params(request.query_params)
        viewer = self.viewer()
        if params.scope == "staff":
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated("scope=staff 需要登录或 API 密钥。")
            if not viewer.is_staff_member:
                raise exceptions.PermissionDenied("scope=staff 仅供机关工作人员使用。")
        if params.q:
            return Response(cached_for_anonymous(request, lambda: document_list_response(
                request, documents_search_page(viewer=viewer, params=params), viewer)))
        qs = documents_filter(documents_visible(viewer=viewer, scope=params.scope), params)
        return Response(document_list_response(request, documents_list_page(qs, params), viewer))


def document_detail_response(request, document: Document, viewer: Viewer) -> dict:
    context = {"request": request, "viewer": viewer, "events": document_events_for(viewer=viewer, document=document)}
    return s.DocumentDetailSerializer(document, context=context).data


DETAIL_DESCRIPTION = "公众可看到已发布的主动公开文件；机关工作人员另可看到本机关的全部文件。其他情况返回 404。"


class DocumentDetailView(ReadOnlyApiView):
    @extend_schema(operation_id="documents_retrieve", summary="政策文件详情", description=DETAIL_DESCRIPTION,
                   responses={200: s.DocumentDetailSerializer, **ERRORS}, tags=["documents"])
    def get(self, request, pk: int):
        check_known(request.query_params, ())
        viewer = self.viewer()
        return Response(document_detail_response(request, document_detail(viewer=viewer, pk=pk), viewer))


class DocumentByIndexNoView(ReadOnlyApiView):
    @extend_schema(
        operation_id="documents_by_index_no",
        summary="按索引号查政策文件",
        description=DETAIL_DESCRIPTION + " 索引号中的“/”可直接写在路径里，如 /api/v1/documents/by-index-no/000014349/2018-00221。",
        responses={200: s.DocumentDetailSerializer, **ERRORS},
        tags=["documents"],
    )
    def get(self, request, index_no: str):
        check_known(request.query_params, ())
        viewer = self.viewer()
        return Response(document_detail_response(request, document_detail(viewer=viewer, index_no=index_no), viewer))


# --- Organisations, topics, enumerations ----------------------------------------------------------------


class OrganisationListView(ReadOnlyApiView):
    @extend_schema(
        operation_id="organisations_list",
        summary="机关列表（树序）",
        description="启用的机关，按机关树顺序（上级在前）；depth 为层级。",
        parameters=[OpenApiParameter("parent", str, description="只列出该机关代码的直接下级")],
        responses={200: s.OrganisationListResponseSerializer, **ERRORS},
        tags=["organisations"],
    )
    def get(self, request):
        check_known(request.query_params, ("parent",))
        organisations = list(organisations_list(parent=parse_organisation_code(request.query_params, "parent")))
        data = s.OrganisationSerializer(organisations, many=True, context={"request": request}).data
        return Response({"count": len(organisations), "results": data})


class OrganisationDetailView(ReadOnlyApiView):
    @extend_schema(operation_id="organisations_retrieve", summary="机关详情（含联系方式和公开指南信息）",
                   responses={200: s.OrganisationDetailSerializer, **ERRORS}, tags=["organisations"])
    def get(self, request, code: str):
        check_known(request.query_params, ())
        return Response(s.OrganisationDetailSerializer(organisation_detail(code=code), context={"request": request}).data)


class TopicListView(ReadOnlyApiView):
    @extend_schema(operation_id="topics_list", summary="主题分类（22 个一级分类及其二级分类）",
                   responses={200: s.TopicListResponseSerializer, **ERRORS}, tags=["reference"])
    def get(self, request):
        check_known(request.query_params, ())
        topics = topics_tree()
        return Response({"count": len(topics), "results": s.TopicSerializer(topics, many=True).data})


def _choices(choices) -> list[dict[str, str]]:
    return [{"value": value, "label": str(label)} for value, label in choices.choices]


class EnumerationsView(ReadOnlyApiView):
    @extend_schema(operation_id="enumerations", summary="代码表：文种、有效性、状态等的取值和中文名称",
                   responses={200: s.EnumerationsSerializer}, tags=["reference"])
    def get(self, request):
        return Response({
            "genre": _choices(Genre),
            "validity": _choices(Validity),
            "status": _choices(Status),
            "disclosure_attribute": _choices(DisclosureAttribute),
            "audience": _choices(Audience),
            "event_kind": _choices(LifecycleEvent.Kind),
            "interpretation_form": _choices(Interpretation.Form),
            "organisation_kind": _choices(Organisation.Kind),
        })


class DocumentSuggestView(ReadOnlyApiView):
    @extend_schema(
        operation_id="documents_suggest",
        summary="标题联想",
        description="输入时的标题提示：标题（含去掉“关于”等开头的简称）或发文字号以 q 开头的公开文件，最多 10 条。",
        parameters=[OpenApiParameter("q", str, required=True, description="已输入的文字"),
                    OpenApiParameter("limit", int, description="条数，1-10，默认 8")],
        responses={200: OpenApiResponse(description='[{"id", "title", "doc_number"}]'), **ERRORS},
        tags=["documents"],
    )
    def get(self, request):
        from gongkai.search.selectors import search_suggest

        check_known(request.query_params, ("q", "limit"))
        q = request.query_params.get("q", "").strip()
        if len(q) > 100:
            raise exceptions.ValidationError({"q": ["参数 q 最长 100 个字符。"]})
        try:
            limit = int(request.query_params.get("limit") or 8)
        except ValueError:
            raise exceptions.ValidationError({"limit": ["参数 limit 应为 1 到 10 的整数。"]}) from None
        if not 1 <= limit <= 10:
            raise exceptions.ValidationError({"limit": ["参数 limit 应为 1 到 10 的整数。"]})
        return Response(cached_for_anonymous(request, lambda: {"results": search_suggest(prefix=q, limit=limit)}))
