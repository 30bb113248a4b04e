"""政府信息公开目录 and the generated 公开指南 of an organisation (条例 第十二条), in its 公开专栏."""

from __future__ import annotations

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.catalog import selectors as catalog
from gongkai.catalog.exports import catalogue_xlsx
from gongkai.catalog.pdf import catalogue_pdf, guide_pdf

from .. import selectors
from ..caching import public_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisation(code: str):
    org = selectors.organisation_public(code=code)
    if org is None:
        raise Http404("机关不存在")
    return org


@require_GET
@public_page
def catalogue(request, code: str):
    """The headings with their counts; one heading's entries (paginated) when `?h=` names it."""
    org = _organisation(code)
    headings = catalog.catalogue_headings(organisation=org)
    current = next((h for h in headings if h.name == request.GET.get("h")), None)
    if current is None and headings:
        current = headings[0]
    entries = None
    if current is not None:
        qs = catalog.heading_documents(organisation=org, heading=current)
        entries = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "portal/catalog/catalogue.html", {
        "nav": "gongkai", "org": org, "section": "catalogue", "headings": headings, "current": current,
        "entries": entries, "total": sum(h.count for h in headings),
    })


@require_GET
def catalogue_export(request, code: str):
    """The whole catalogue as XLSX, written to a spooled temporary file (bounded memory) and streamed."""
    org = _organisation(code)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    catalogue_xlsx(organisation=org, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{org.code}-政府信息公开目录.xlsx", content_type=XLSX)


@require_GET
@public_page
def catalogue_changes(request, code: str):
    org = _organisation(code)
    changes = Paginator(catalog.catalogue_changes(organisation=org), 50).get_page(request.GET.get("page"))
    return render(request, "portal/catalog/changes.html", {
        "nav": "gongkai", "org": org, "section": "catalogue", "changes": changes,
    })


@require_GET
def catalogue_export_pdf(request, code: str):
    """The catalogue as PDF (CJK fonts embedded, page numbers), for printing and filing."""
    org = _organisation(code)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    catalogue_pdf(organisation=org, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{org.code}-政府信息公开目录.pdf", content_type="application/pdf")


@require_GET
def guide_export_pdf(request, code: str):
    """The generated 公开指南 as PDF."""
    org = _organisation(code)
    out = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)
    guide_pdf(organisation=org, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{org.code}-政府信息公开指南.pdf", content_type="application/pdf")
