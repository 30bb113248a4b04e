"""Public pages of published annual reports, in each organisation's 政府信息公开专栏."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai.core.models import Organisation
from gongkai.reports.builder import report_data
from gongkai.reports.models import AnnualReport
from gongkai.reports.render import CONTENT_TYPES, report_file
from gongkai.reports.render.html import report_html_blocks
from gongkai.reports.selectors import report_latest


def _published(code: str, year: int) -> tuple[Organisation, AnnualReport]:
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    report = report_latest(organisation=organisation, year=year, published_only=True)
    if report is None or report.source != AnnualReport.Source.PLATFORM:
        raise Http404
    return organisation, report


@require_GET
def report_page(request, code: str, year: int):
    organisation, report = _published(code, year)
    data = report_data(report)
    earlier = AnnualReport.objects.filter(organisation=organisation, year=year, status=AnnualReport.Status.PUBLISHED,
                                          version__lt=report.version).order_by("-version")
    return render(request, "portal/reports/detail.html", {
        "nav": "gongkai", "org": organisation, "section": "reports", "report": report, "data": data,
        "blocks": report_html_blocks(data), "earlier": earlier,
    })


@require_GET
def report_download(request, code: str, year: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    organisation, report = _published(code, year)
    response = HttpResponse(report_file(report_data(report), fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{organisation.code}-{year}-annual-report.{fmt}"'
    return response
