"""The annual report in the back office and on the portal."""

import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.reports.models import AnnualReport

from ..conftest import make_user
from .conftest import messages_of

pytestmark = pytest.mark.django_db
NOW = timezone.datetime(2026, 1, 12, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def office(department):
    return make_user("report_office", department, Role.OFFICE_ADMIN)


@pytest.fixture
def approver(department):
    return make_user("report_approver", department, Role.REVIEWER)


def test_office_drafts_edits_submits_and_publishes_the_report_through_the_pages(login, department, office, approver):
    client = login(office)
    with time_machine.travel(NOW):
        page = client.get(reverse("workspace_reports:list")).content.decode()
        assert "起草 2025 年度报告" in page and "2026年1月31日" in page
        response = client.post(reverse("workspace_reports:create"), {"organisation": department.code, "year": 2025},
                               follow=True)
        report = AnnualReport.objects.get(organisation=department, year=2025)
        assert "已起草" in " ".join(messages_of(response))
        page = response.content.decode()
        assert "检查结果" in page and "三、本年度办理结果" in page
        response = client.post(reverse("workspace_reports:detail", args=[report.pk]), {
            "section1": "本年度新收政府信息公开申请5件。", "section5": "问题与改进。", "section6": "无。",
            "licensing_decisions": "12", "penalty_decisions": "3", "enforcement_decisions": "0",
            "fees_amount": "0.5", "figures_source": "市政务服务中心",
        }, follow=True)
        assert "已保存" in " ".join(messages_of(response))
        client.post(reverse("workspace_reports:action", args=[report.pk, "submit"]))
        page = client.get(reverse("workspace_reports:detail", args=[report.pk])).content.decode()
        assert "审核通过</button>" not in page and "尚待另一名审核人" in page  # the submitter cannot approve
        response = login(approver).post(reverse("workspace_reports:action", args=[report.pk, "approve"]), follow=True)
        assert "已审核通过" in " ".join(messages_of(response))
        response = client.post(reverse("workspace_reports:action", args=[report.pk, "publish"]), {"reason": ""},
                               follow=True)
        report.refresh_from_db()
        # The prose quotes 5 new applications while Table 三 holds none (R7): refused without a reason.
        assert report.status == AnnualReport.Status.IN_REVIEW
        assert "R7" in " ".join(messages_of(response))
        page = client.get(reverse("workspace_reports:detail", args=[report.pk])).content.decode()
        assert "“新收政府信息公开申请5件”" in page and "1 项未通过" in page
        client.post(reverse("workspace_reports:action", args=[report.pk, "publish"]), {"reason": "数字以统计台账为准"})
        report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    assert report.data["table2"]["licensing"]["rows"][0]["values"] == [12]


def test_staff_of_another_organisation_cannot_see_the_report(login, department, office, other_editor):
    with time_machine.travel(NOW):
        login(office).post(reverse("workspace_reports:create"), {"organisation": department.code, "year": 2025})
    report = AnnualReport.objects.get(organisation=department, year=2025)
    client = login(other_editor)
    assert client.get(reverse("workspace_reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("workspace_reports:download", args=[report.pk, "pdf"])).status_code == 404


def test_downloads_in_every_format(login, department, office):
    with time_machine.travel(NOW):
        login(office).post(reverse("workspace_reports:create"), {"organisation": department.code, "year": 2025})
    report = AnnualReport.objects.get(organisation=department, year=2025)
    client = login(office)
    pdf = client.get(reverse("workspace_reports:download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("workspace_reports:download", args=[report.pk, "docx"])).content[:2] == b"PK"
    data = json.loads(client.get(reverse("workspace_reports:download", args=[report.pk, "json"])).content)
    assert len(data["table3"]["rows"]) == 25 and data["checks"]


def test_public_page_shows_only_the_published_report(client, login, department, office, approver):
    url = reverse("portal_reports:detail", kwargs={"code": department.code, "year": 2025})
    with time_machine.travel(NOW):
        login(office).post(reverse("workspace_reports:create"), {"organisation": department.code, "year": 2025})
    assert client.get(url).status_code == 404  # a draft is not public
    report = AnnualReport.objects.get(organisation=department, year=2025)
    staff = login(office)
    staff.post(reverse("workspace_reports:detail", args=[report.pk]), {
        "section1": report.section1, "section5": "无。", "section6": "无。", "licensing_decisions": "0",
        "penalty_decisions": "0", "enforcement_decisions": "0", "fees_amount": "0", "figures_source": "台账"})
    staff.post(reverse("workspace_reports:action", args=[report.pk, "submit"]))
    login(approver).post(reverse("workspace_reports:action", args=[report.pk, "approve"]))
    staff.post(reverse("workspace_reports:action", args=[report.pk, "publish"]), {"reason": "首次在平台编制"})
    page = client.get(url).content.decode()
    assert "测试市教育局2025年政府信息公开工作年度报告" in page
    listing = client.get(reverse("portal:column_reports", kwargs={"code": department.code})).content.decode()
    assert url in listing
    assert "四、结转下年度继续办理" in page
    download = client.get(reverse("portal_reports:download", kwargs={"code": department.code, "year": 2025, "fmt": "xlsx"}))
    assert download.status_code == 200 and download.content[:2] == b"PK"
