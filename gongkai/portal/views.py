"""Public pages (公众门户). Views only validate input, call selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from gongkai.catalog.selectors import guide_for as catalog_guide_for
from gongkai.documents.models import Genre, Validity
from gongkai.qa.selectors import qa_entries_citing
from gongkai.reports.selectors import reports_published

from . import disclosure, selectors
from .caching import public_page, public_search_page
from .preferences import ELDERLY_COOKIE, ELDERLY_COOKIE_AGE
from .search import (
    SORTS,
    SearchQuery,
    issuers_for_filter,
    portal_search,
    portal_suggest,
    query_string,
    search_links,
)
from .usage import SEARCH_RESULTS_HEADER


def _page(request, qs, per_page=20):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@require_GET
@public_page
def home(request):
    return render(request, "portal/home.html", {
        "nav": "home",
        "latest": selectors.documents_latest(limit=10),
        "interpretations": selectors.interpretations_latest(limit=5),
        "topics": selectors.topics_popular(limit=12),
    })


@require_GET
@public_search_page
def library(request):
    query = SearchQuery.from_params(request.GET)
    if query.legacy and not query.notices:
        # An address of the former page (organisation=<机关代码>, topic=<主题代码>, sort=written): one address per search.
        return HttpResponseRedirect(request.path + query_string(query))
    result = portal_search(query)
    links = search_links(query=query, result=result, path=request.path)
    response = render(request, "portal/library.html", {
        "nav": "library", "result": result, "query": query, "sorts": SORTS,
        "issuers": issuers_for_filter(query), "genres": Genre.choices, "validities": Validity.choices,
        "feed_query": query_string(query, page=None, sort=None).lstrip("?"), "crumbs": [("政策文件库", "")], **links,
    })
    if query.q:
        response[SEARCH_RESULTS_HEADER] = str(result.total)  # read (and removed) by portal.usage for the statistics
    return response


@require_GET
def suggest(request):
    """OpenSearch suggestions: ["query", ["suggestion", …]]."""
    q = request.GET.get("q", "")
    response = JsonResponse([q, portal_suggest(q)], safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
@public_page
def document(request, index_no: str):
    doc = selectors.document_public(index_no=index_no)
    if doc is None:
        notice = selectors.document_withdrawn_notice(index_no=index_no)
        if notice is None:
            raise Http404("文件不存在或未公开")
        # 410 Gone: the document was public and is not any more; crawlers drop it, people see why.
        return render(request, "portal/document_withdrawn.html", {"notice": notice}, status=410)
    return render(request, "portal/document.html", {"page": selectors.document_page(document=doc), "doc": doc,
                                                    "qa_entries": qa_entries_citing(doc)})


@require_GET
@public_page
def document_print(request, index_no: str):
    doc = selectors.document_public(index_no=index_no)
    if doc is None:
        raise Http404("文件不存在或未公开")
    return render(request, "portal/document_print.html", {"page": selectors.document_page(document=doc), "doc": doc})


@require_GET
@public_page
def interpretation(request, pk: int):
    item = selectors.interpretation_public(pk=pk)
    if item is None:
        raise Http404("解读不存在或未公开")
    return render(request, "portal/interpretation.html", {
        "item": item, "documents": selectors.interpretation_documents(interpretation=item),
        "attachments": list(item.attachments.all()),
    })


@require_GET
def attachment(request, token: str):
    item = selectors.attachment_public(token=token)
    if item is None:
        raise Http404("附件不存在或未公开")
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type=item.content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


# --- 政府信息公开专栏 ----------------------------------------------------------------------------------


def _organisation(code: str):
    org = selectors.organisation_public(code=code)
    if org is None:
        raise Http404("机关不存在")
    return org


@require_GET
@public_page
def organisations(request):
    return render(request, "portal/organisations.html", {
        "nav": "gongkai", "organisations": selectors.organisations_public(), "crumbs": [("政府信息公开", "")],
    })


@require_GET
@public_page
def column(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/index.html", {
        "nav": "gongkai", "org": org, "section": "index",
        "latest": selectors.organisation_documents(organisation=org).order_by("-published_at")[:8],
    })


@require_GET
@public_page
def column_guide(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/guide.html", {
        "nav": "gongkai", "org": org, "section": "guide", "guide": disclosure.guide_for(org), "categories": disclosure.DISPLAY_ORDER,
        "generated": catalog_guide_for(organisation=org),
    })


@require_GET
@public_page
def column_system(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/system.html", {"nav": "gongkai", "org": org, "section": "system"})


@require_GET
@public_page
def column_proactive(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/proactive.html", {
        "nav": "gongkai", "org": org, "section": "proactive", "groups": selectors.proactive_groups(organisation=org),
    })


@require_GET
@public_page
def column_category(request, code: str, key: str):
    org = _organisation(code)
    category = disclosure.BY_KEY.get(key)
    if category is None:
        raise Http404("没有这一类别")
    docs = None if category.from_organisation else _page(request, selectors.category_documents(organisation=org, key=key))
    return render(request, "portal/column/category.html", {
        "nav": "gongkai", "org": org, "section": "proactive", "category": category, "docs": docs,
    })


@require_GET
@public_page
def column_reports(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/reports.html", {
        "nav": "gongkai", "org": org, "section": "reports", "reports": reports_published(organisation=org),
    })


@require_GET
@public_page
def column_apply(request, code: str):
    org = _organisation(code)
    return render(request, "portal/column/apply.html", {
        "nav": "gongkai", "org": org, "section": "apply", "guide": disclosure.guide_for(org),
    })


# --- Preferences and discovery ------------------------------------------------------------------------


def elderly_toggle(request):
    """Switch 老年模式 on or off (a plain link: works without JavaScript) and go back where the visitor was."""
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target, status=303)
    if request.GET.get("mode") == "off":
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    else:
        response.set_cookie(ELDERLY_COOKIE, "1", max_age=ELDERLY_COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=settings.HTTPS)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("portal:sitemap_index"))
    lines = [
        "User-agent: *",
        "Disallow: /workspace/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /laonian/",
        "Disallow: /dayin/",
        "Disallow: /feeds/search.atom",
        "Allow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def opensearch(request):
    base = request.build_absolute_uri("/").rstrip("/")
    return render(request, "portal/opensearch.xml", {"base": base},
                  content_type="application/opensearchdescription+xml; charset=utf-8")

