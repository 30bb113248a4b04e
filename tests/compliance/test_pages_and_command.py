import datetime as dt
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.compliance import selectors
from gongkai.compliance.models import Finding
from gongkai.documents import services as documents
from tests.documents.factories import published_document


def test_check_command_prints_json_lines(tmp_path, db):
    path = tmp_path / "draft.txt"
    path.write_text("经国土资源部批准，请联系13812345678。", encoding="utf-8")
    out = io.StringIO()
    call_command("check", str(path), "--written-on", "2020-01-01", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["kind"], r["rule"], r["start"], r["end"], r["text"], r["suggestion"], r["severity"]) for r in records] == [
        ("wording", "institution:国土资源部", 1, 6, "国土资源部", "自然资源部", "severe"),
        ("personal_data", "mobile", 12, 23, "13812345678", "138****5678", "warning"),
    ]


def test_check_command_respects_the_written_date(tmp_path, db):
    path = tmp_path / "old.txt"
    path.write_text("经国土资源部批准", encoding="utf-8")
    out = io.StringIO()
    call_command("check", str(path), "--written-on", "2015-01-01", stdout=out)
    assert out.getvalue() == ""


def test_check_command_reads_standard_input(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("认真布署"))
    out = io.StringIO()
    call_command("check", "-", stdout=out)
    assert json.loads(out.getvalue())["suggestion"] == "部署"


def test_without_a_file_check_is_still_the_system_check(db, with_typo_model):
    import time_machine

    out = io.StringIO()
    # mid-year: from 1 November the check rightly warns when next year's working-day calendar is missing
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("check", stdout=out)
    assert "System check identified no issues" in out.getvalue()


def test_score_follows_open_findings(department, other_department, editor, other_editor):
    documents.document_create(organisation=department, by=editor, title="通知", body="<p>身份证11010519491231002X</p>")
    documents.document_create(organisation=department, by=editor, title="关于布署工作的通知")
    documents.document_create(organisation=other_department, by=other_editor, title="通知")
    rows = {r.organisation: r for r in selectors.findings_by_organisation(
        organisations=type(department).objects.filter(pk__in=[department.pk, other_department.pk]))}
    assert (rows[department].severe, rows[department].warning, rows[department].score) == (1, 1, 88.0)
    assert rows[other_department].score == 100.0


def test_staff_page_lists_findings_by_organisation_and_accepts_with_reason(client, department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="关于布署工作的通知")
    client.force_login(editor)
    overview = client.get(reverse("workspace:compliance_overview"))
    assert overview.status_code == 200
    assert "测试市教育局" in overview.content.decode()
    page = client.get(reverse("workspace:compliance_findings", args=[department.pk]))
    assert "布署" in page.content.decode()
    finding = Finding.objects.get(object_id=str(doc.pk))
    client.post(reverse("workspace:compliance_finding_accept", args=[finding.pk]), {"reason": "引用原标题"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.ACCEPTED


def test_staff_page_hides_other_organisations(client, department, other_editor):
    client.force_login(other_editor)
    response = client.get(reverse("workspace:compliance_findings", args=[department.pk]))
    assert response.status_code == 404


def test_freshness_flags_stale_and_empty_columns(department, editor):
    published_document(organisation=department, by=editor, title="通知", genre="notice")
    fresh = selectors.organisation_freshness(organisation=department)
    assert not fresh.home_stale and fresh.stale_columns == []
    later = timezone.now() + dt.timedelta(days=200)
    freshness = selectors.organisation_freshness(organisation=department, now=later)
    assert freshness.home_stale
    assert freshness.stale_columns == ["通知公告"]
    assert freshness.empty_columns == ["政策文件"]


def test_links_of_a_page_are_listed(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="通知",
                                    body='<p><a href="/workspace/">内部</a><a href="https://www.gov.cn/x">国务院</a></p>')
    assert selectors.document_links(document=doc) == {"internal": ["/workspace/"], "external": ["https://www.gov.cn/x"]}
