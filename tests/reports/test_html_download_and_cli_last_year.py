"""Issue 17 items 14 and 15: the HTML download, the CLI finding last year's report, ruled preview tables."""

import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.reports import services
from gongkai.reports.models import AnnualReport
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


@pytest.fixture
def office(department):
    return make_user("report_office", department, Role.OFFICE_ADMIN)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_workspace_html_download_is_the_report_as_a_web_page(department, office):
    with time_machine.travel(timezone.datetime(2026, 1, 12, 10, tzinfo=TZ)):
        report = services.report_draft_create(organisation=department, year=2025, by=office)
    client = _logged_in(office)
    detail = client.get(reverse("workspace_reports:detail", args=[report.pk])).content.decode()
    url = reverse("workspace_reports:download", args=[report.pk, "html"])
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.startswith("<!doctype html>") and 'rowspan="22"' in html and "（七）总计" in html


def test_portal_html_download_of_a_published_report(department, office):
    with time_machine.travel(timezone.datetime(2026, 1, 12, 10, tzinfo=TZ)):
        report = services.report_draft_create(organisation=department, year=2025, by=office)
        AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.PUBLISHED)
        report.refresh_from_db()
    client = Client()
    page = client.get(reverse("portal_reports:detail", kwargs={"code": department.code, "year": 2025})).content.decode()
    url = reverse("portal_reports:download", kwargs={"code": department.code, "year": 2025, "fmt": "html"})
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and "（七）总计" in response.content.decode()


def test_cli_for_a_year_not_started_compares_with_last_years_published_report(department, office):
    """`annual-report --year 2026` with 2025 published: R5 and R6 run against 2025 (not "未找到上一年度报告")."""
    with time_machine.travel(timezone.datetime(2026, 1, 12, 10, tzinfo=TZ)):
        report = services.report_draft_create(organisation=department, year=2025, by=office)
        AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.PUBLISHED)
    with time_machine.travel(timezone.datetime(2026, 12, 30, 10, tzinfo=TZ)):
        out = io.StringIO()
        call_command("annual_report", org=department.code, year=2026, format="json", stdout=out)
    checks = {c["rule"]: c for c in json.loads(out.getvalue())["checks"]}
    for rule in ("R5", "R6"):
        assert not any("未找到上一年度报告" in d for d in checks[rule]["details"]), checks[rule]
        assert checks[rule]["passed"]
    assert not AnnualReport.objects.filter(year=2026).exists()  # the CLI saves nothing


def test_cli_without_last_years_report_says_so(department):
    out = io.StringIO()
    with time_machine.travel(timezone.datetime(2026, 12, 30, 10, tzinfo=TZ)):
        call_command("annual_report", org=department.code, year=2026, format="json", stdout=out)
    checks = {c["rule"]: c for c in json.loads(out.getvalue())["checks"]}
    assert any("未找到上一年度报告" in d for d in checks["R5"]["details"])


def test_preview_tables_are_ruled_in_the_workspace_and_portal_styles():
    from pathlib import Path

    import gongkai

    root = Path(gongkai.__file__).parent
    for css in (root / "workspace/static/workspace/workspace.css", root / "portal/static/portal/css/site.css"):
        text = css.read_text(encoding="utf-8")
        assert "table.report-table th, table.report-table td { border: 1px solid" in text, css
