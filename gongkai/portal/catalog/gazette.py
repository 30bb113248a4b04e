"""政府公报: the archive by year, an issue's contents, its PDF, and search restricted to the gazette."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.catalog import selectors as catalog
from gongkai.catalog.gazette_pdf import gazette_title
from gongkai.search.selectors import search_documents

from ..caching import public_page, public_search_page


@require_GET
@public_page
def archive(request):
    years = catalog.gazette_years()
    try:
        year = int(request.GET.get("year") or (years[0][0] if years else 0))
    except ValueError:
        year = years[0][0] if years else 0
    issues = list(catalog.gazette_issues_public(year=year)) if year else []
    return render(request, "portal/catalog/gazette.html", {
        "nav": "gongbao", "years": years, "year": year, "issues": issues,
        "title": gazette_title(issues[0]) if issues else "政府公报"})


def _issue(year: int, number: int):
    issue = catalog.gazette_issue_public(year=year, number=number)
    if issue is None:
        raise Http404("该期公报不存在")
    return issue


@require_GET
@public_page
def issue(request, year: int, number: int):
    it = _issue(year, number)
    articles = catalog.gazette_articles(issue=it)
    sections: list[tuple[str, list]] = []
    for a in articles:
        if not sections or sections[-1][0] != a.section:
            sections.append((a.section, []))
        sections[-1][1].append(a)
    return render(request, "portal/catalog/gazette_issue.html", {
        "nav": "gongbao", "issue": it, "sections": sections, "title": gazette_title(it)})


@require_GET
def issue_pdf(request, year: int, number: int):
    it = _issue(year, number)
    if not it.pdf:
        raise Http404("本期 PDF 尚未生成")
    return FileResponse(it.pdf.open("rb"), filename=f"{gazette_title(it)}{it.year}年第{it.number}期.pdf",
                        content_type="application/pdf")


@require_GET
@public_search_page
def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    result = None
    if q:
        result = search_documents(q=q, page=page, page_size=20, facets=False, within=catalog.gazette_documents())
    refs = {}
    if result:
        for hit in result.hits:
            refs[hit.document.pk] = catalog.gazette_refs(document=hit.document)
    return render(request, "portal/catalog/gazette_search.html", {
        "nav": "gongbao", "q": q, "result": result, "hits": [(h, refs.get(h.document.pk, [])) for h in (result.hits if result else [])]})
