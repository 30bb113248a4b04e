"""Reads of annual reports: the current version, last year's, peers of the same year, checks."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.core.models import Organisation

from .builder import report_data
from .checks import CheckResult, run_checks
from .models import AnnualReport


def report_latest(*, organisation: Organisation, year: int, published_only: bool = False) -> AnnualReport | None:
    qs = AnnualReport.objects.filter(organisation=organisation, year=year)
    if published_only:
        qs = qs.filter(status=AnnualReport.Status.PUBLISHED)
    return qs.order_by("-version").first()


def report_last_year_data(*, report: AnnualReport) -> dict | None:
    previous = report_latest(organisation=report.organisation, year=report.year - 1, published_only=True)
    return report_data(previous) if previous else None


def reports_published(*, organisation: Organisation | None = None) -> QuerySet[AnnualReport]:
    """The current published version of each (organisation, year), newest year first."""
    qs = AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED, source=AnnualReport.Source.PLATFORM)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    latest: dict[tuple[int, int], AnnualReport] = {}
    for report in qs.select_related("organisation").order_by("version"):
        latest[(report.organisation_id, report.year)] = report
    ids = [r.pk for r in latest.values()]
    return AnnualReport.objects.filter(pk__in=ids).select_related("organisation").order_by("-year", "organisation__path")


def report_peer_data(*, report: AnnualReport) -> list[dict]:
    """Other organisations' latest reports of the same year (for 雷同率)."""
    peers = []
    seen = set()
    qs = (
        AnnualReport.objects.filter(year=report.year)
        .exclude(organisation=report.organisation)
        .select_related("organisation")
        .order_by("organisation_id", "-version")
    )
    for other in qs:
        if other.organisation_id in seen:
            continue
        seen.add(other.organisation_id)
        peers.append(report_data(other))
    return peers


def report_checks(*, report: AnnualReport, data: dict | None = None) -> list[CheckResult]:
    data = data or report_data(report)
    return run_checks(data, last_year=report_last_year_data(report=report), peers=report_peer_data(report=report))
