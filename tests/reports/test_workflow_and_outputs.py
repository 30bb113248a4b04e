import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.documents import services as documents
from gongkai.documents.models import Genre
from gongkai.reports import services
from gongkai.reports.builder import legal_deadline, report_data
from gongkai.reports.format import TABLE3_ROWS
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import report_checks
from tests.conftest import make_user
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def at(y, m, d):
    return dt.datetime(y, m, d, 10, tzinfo=TZ)


@pytest.fixture
def admin(department):
    return make_user("report_admin", department, Role.OFFICE_ADMIN)


@pytest.fixture
def approver(department):
    """The second person: approves what `admin` drafted and submitted."""
    return make_user("report_approver", department, Role.REVIEWER)


COMPLETE = {"section5": "无。", "section6": "无。", "licensing_decisions": 0, "penalty_decisions": 0,
            "enforcement_decisions": 0, "fees_amount": "0"}


def complete(report, by, **fields):
    return services.report_update(report=report, by=by, **{**COMPLETE, **fields})


def test_table2_counts_normative_documents_issued_repealed_and_in_force(department, editor, admin):
    old = published_document(organisation=department, by=editor, reviewer=admin, title="旧办法", genre=Genre.NORMATIVE,
                             at=at(2024, 3, 1))
    published_document(organisation=department, by=editor, reviewer=admin, title="新办法", genre=Genre.NORMATIVE,
                       at=at(2025, 3, 1))
    published_document(organisation=department, by=editor, reviewer=admin, title="普通通知", at=at(2025, 3, 1))
    documents.document_repeal(document=old, by=admin, effective_on=dt.date(2025, 6, 1), reason="被新办法替代")
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        data = report_data(report)
    rows = {r["key"]: r["values"] for r in data["table2"]["item1"]["rows"]}
    assert rows["normative"] == [1, 1, 1]
    assert rows["rules"] == [0, 0, 0]


def test_draft_is_prefilled_with_facts_from_the_data(department, admin):
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
    assert "新收政府信息公开申请0件" in report.section1
    assert "未收取信息处理费" in report.section6


def test_editor_of_another_organisation_cannot_draft(department, other_editor):
    with pytest.raises(PermissionDenied):
        services.report_draft_create(organisation=department, year=2025, by=other_editor)


def test_publication_freezes_the_report_and_it_cannot_be_changed(department, admin, approver):
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        complete(report, admin, licensing_decisions=12, fees_amount="1.2345", figures_source="市政务服务中心统计")
        services.report_submit(report=report, by=admin)
        services.report_approve(report=report, by=approver)
        report = services.report_publish(report=report, by=admin, accept_warnings="无上年度报告可比对")
    assert report.status == AnnualReport.Status.PUBLISHED
    assert report.data["table2"]["licensing"]["rows"][0]["values"] == [12]
    assert report.data["table2"]["fees"]["rows"][0]["values"] == ["1.2345"]
    assert {c["rule"] for c in report.data["checks"]} >= {"R1", "R7", "雷同率"}
    with pytest.raises(ValidationError):
        services.report_update(report=report, by=admin, section5="改")
    # Later records do not change a published report.
    published_document(organisation=department, by=admin, reviewer=admin, genre=Genre.NORMATIVE, at=at(2025, 5, 1))
    assert report_data(AnnualReport.objects.get(pk=report.pk))["table2"]["item1"]["rows"][1]["values"] == [0, 0, 0]


def test_failed_prose_check_blocks_publication_unless_a_reason_is_given(department, admin, approver):
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        complete(report, admin, section1="全年引发行政复议134件。")
        services.report_submit(report=report, by=admin)
        services.report_approve(report=report, by=approver)
        with pytest.raises(ValidationError, match="R7"):
            services.report_publish(report=report, by=admin)
        report = services.report_publish(report=report, by=admin, accept_warnings="复议数据以复议机关统计为准")
    assert report.accepted_warnings


def test_correction_is_a_new_version_with_a_visible_note(department, admin, approver):
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        complete(report, admin)
        services.report_submit(report=report, by=admin)
        services.report_approve(report=report, by=approver)
        report = services.report_publish(report=report, by=admin, accept_warnings="首份报告")
        with pytest.raises(ValidationError):
            services.report_correct(report=report, by=admin, note="")
        corrected = services.report_correct(report=report, by=admin, note="更正表二行政许可数量")
    assert corrected.version == 2
    assert corrected.status == AnnualReport.Status.DRAFT
    assert report_data(corrected)["correction_note"] == "更正表二行政许可数量"
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.PUBLISHED


def test_legal_deadlines_for_departments_and_governments(government, department):
    assert legal_deadline(organisation=department, year=2025) == dt.date(2026, 1, 31)
    assert legal_deadline(organisation=government, year=2025) == dt.date(2026, 3, 31)


def test_reminders_go_to_the_office_before_the_deadline_and_stop_once_published(department):
    user = make_user("office", department, Role.OFFICE_ADMIN)
    user.email = "office@example.gov.cn"
    user.save()
    assert services.reports_remind_due(today=dt.date(2026, 1, 20), days=[11]) == 1
    assert mail.outbox[-1].to == ["office@example.gov.cn"]
    assert "2026年1月31日" in mail.outbox[-1].subject
    assert services.reports_remind_due(today=dt.date(2026, 1, 21), days=[11]) == 0


IMPORT = {
    "organisation": "TEST00002",
    "year": 2024,
    "table2": {"rules": [0, 0, 0], "normative": [2, 0, 9], "licensing": 5, "penalty": 1, "enforcement": 0, "fees": 0},
    "table3": {row.key: [0] * 7 for row in TABLE3_ROWS},
    "table4": {"reconsideration": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0], "litigation_after_reconsideration": [0, 0, 0, 0, 0]},
    "sections": {"1": "2024年总体情况。", "5": "", "6": ""},
}


def test_imported_last_year_report_feeds_the_continuity_checks(department, admin, tmp_path):
    payload = json.loads(json.dumps(IMPORT))
    payload["table3"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    path = tmp_path / "2024.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    call_command("import_annual_report", str(path), stdout=io.StringIO())
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
    checks = {c.rule: c for c in report_checks(report=report)}
    assert not checks["R5"].passed  # last year carried 1 forward; the platform has no carried-in case
    assert not checks["R6"].passed  # 9 valid last year, none now
    assert "上年结转下年度 1" in checks["R5"].details[0]


def test_import_refuses_a_malformed_table(tmp_path):
    payload = json.loads(json.dumps(IMPORT))
    payload["table3"]["new"] = [1, 2]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(Exception, match="未导入"):
        call_command("import_annual_report", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_json_output_has_the_official_structure(department, admin):
    out = io.StringIO()
    call_command("annual_report", org=department.code, year=2025, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["table3"]["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert len(data["table3"]["rows"]) == 25
    assert [r["label"] for r in data["table3"]["rows"]] == [row.label for row in TABLE3_ROWS]
    assert len(data["table4"]["values"]) == 15
    assert data["table4"]["columns"][0]["label"] == "行政复议·结果维持"
    assert {c["rule"] for c in data["checks"]} == {"完整性", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "雷同率"}


def test_docx_xlsx_pdf_outputs_have_the_official_tables(department, tmp_path):
    from docx import Document as Docx
    from openpyxl import load_workbook

    for fmt in ("docx", "xlsx", "pdf", "html"):
        call_command("annual_report", org=department.code, year=2025, format=fmt, output=str(tmp_path / f"r.{fmt}"),
                     stderr=io.StringIO())
    docx = Docx(str(tmp_path / "r.docx"))
    assert len(docx.tables) == 3
    table3 = docx.tables[1]
    assert len(table3.rows) == 28  # 3 header rows + 25 rows
    assert table3.cell(3, 0).text == "一、本年新收政府信息公开申请数量"
    assert table3.cell(5, 0).text == "三、本年度办理结果"  # merged down the result rows
    assert table3.cell(20, 0).text == "三、本年度办理结果"
    workbook = load_workbook(tmp_path / "r.xlsx")
    assert "A3:C5" in {str(r) for r in workbook["表三 依申请公开"].merged_cells.ranges}
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'rowspan="22"' in html and "（七）总计" in html


def test_an_incomplete_report_cannot_be_approved_or_published_even_with_a_reason(department, admin, approver):
    """Issue 17 item 13: section 五 unwritten and blank figures block publication; no reason lets it through."""
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        report = services.report_update(report=report, by=admin, licensing_decisions=3)
        checks = {c.rule: c for c in report_checks(report=report)}
        assert not checks["完整性"].passed
        details = " ".join(checks["完整性"].details)
        assert "五、存在的主要问题及改进情况尚未撰写" in details
        assert "行政处罚本年处理决定数量”未填写" in details and "行政许可" not in details
        services.report_submit(report=report, by=admin)
        with pytest.raises(ValidationError, match="不完整"):
            services.report_approve(report=report, by=approver)
        with pytest.raises(ValidationError, match="不完整"):
            services.report_publish(report=report, by=admin, accept_warnings="急于发布")
        services.report_return(report=report, by=admin, reason="补全")
        report = complete(report, admin, licensing_decisions=3)
        assert {c.rule: c for c in report_checks(report=report)}["完整性"].passed


def test_publication_needs_a_second_persons_approval(department, admin, approver):
    """The same user cannot draft, submit and publish; the approver is neither drafter nor submitter."""
    with time_machine.travel(at(2026, 1, 10)):
        report = services.report_draft_create(organisation=department, year=2025, by=admin)
        complete(report, admin)
        services.report_submit(report=report, by=admin)
        with pytest.raises(ValidationError, match="另一名审核人"):
            services.report_publish(report=report, by=admin, accept_warnings="首份报告")
        with pytest.raises(ValidationError, match="不能审核自己"):
            services.report_approve(report=report, by=admin)
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, by=make_user("report_editor", department, Role.EDITOR))
        services.report_approve(report=report, by=approver)
        # Returned for changes, the approval is gone: the changed text needs a new one.
        services.report_return(report=report, by=admin, reason="改一处")
        services.report_submit(report=report, by=admin)
        with pytest.raises(ValidationError, match="另一名审核人"):
            services.report_publish(report=report, by=admin, accept_warnings="首份报告")
        services.report_approve(report=report, by=approver)
        report = services.report_publish(report=report, by=admin, accept_warnings="首份报告")
    assert report.status == AnnualReport.Status.PUBLISHED and report.approved_by == approver
