"""The oversight pages: the office sees every agency and can click from a score to the items behind it; an
agency sees only itself; scheme, stored results, exports, work plan, rectification, incidents, usage."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications.services import application_record_event
from gongkai.oversight import services
from gongkai.oversight.models import AssessmentResult, Incident, PlanTask, Rectification, Scheme, UsageDaily
from gongkai.oversight.periods import period_parse
from tests.applications.conftest import new_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def scored(department, other_department, office_admin):
    handler = make_user("handler", department, "handler")
    late = new_case(department, handler, received_on="2026-07-01")
    application_record_event(application=late, by=handler, type="determination", occurred_on="2026-08-20",
                             fields={"outcome": "disclosed"})
    ok = new_case(department, handler, received_on="2026-07-01")
    application_record_event(application=ok, by=handler, type="determination", occurred_on="2026-07-10",
                             fields={"outcome": "disclosed"})
    services.scheme_seed(year=2026, by=office_admin)
    return late, ok


def test_office_dashboard_ranks_agencies_and_clicks_through_to_the_items(login, scored, office_admin, department):
    client = login(office_admin)
    page = client.get(reverse("workspace:oversight_dashboard") + "?period=2026-Q3")
    html = page.content.decode()
    assert page.status_code == 200 and "2026年第三季度" in html and "测试市教育局" in html and "测试市财政局" in html
    assert "<svg" in html and "考核评估" in html  # the chart, and the menu entry
    agency = client.get(reverse("workspace:oversight_agency", args=[department.pk]) + "?period=2026-Q3").content.decode()
    assert "50.0%（1/2）" in agency and "《政府信息公开条例》第三十三条" in agency and "按期答复数 ÷" in agency
    items = client.get(reverse("workspace:oversight_items", args=[department.pk, "applications_on_time"]) + "?period=2026-Q3")
    text = items.content.decode()
    assert scored[0].tracking_code in text and scored[1].tracking_code in text and "未达标" in text
    assert reverse("applications_workspace:detail", args=[scored[0].pk]) in text


def test_an_agency_sees_only_itself(login, scored, editor, department, other_department):
    client = login(editor)
    html = client.get(reverse("workspace:oversight_dashboard") + "?period=2026-Q3").content.decode()
    assert "测试市教育局" in html and "测试市财政局" not in html
    assert client.get(reverse("workspace:oversight_agency", args=[other_department.pk])).status_code == 404
    assert client.get(reverse("workspace:oversight_scheme")).status_code == 403
    assert client.get(reverse("workspace:oversight_usage")).status_code == 403
    assert "访问统计" not in html


def test_exports_xlsx_and_pdf(login, scored, office_admin):
    client = login(office_admin)
    xlsx = client.get(reverse("workspace:oversight_export", args=["xlsx"]) + "?period=2026-Q3")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("名次", "单位", "总分") and "测试市教育局" in [r[1] for r in rows[2:]]
    pdf = client.get(reverse("workspace:oversight_export", args=["pdf"]) + "?period=2026-Q3")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_store_a_result_and_compare_it_with_a_recomputation(login, scored, office_admin):
    client = login(office_admin)
    scheme = services.scheme_seed(year=2026, by=office_admin)
    r = client.post(reverse("workspace:oversight_store"), {"period": "2026-Q3", "scheme": scheme.pk})
    result = AssessmentResult.objects.get()
    assert r.status_code == 302 and r.url == reverse("workspace:oversight_result", args=[result.pk])
    page = client.get(reverse("workspace:oversight_result", args=[result.pk]) + "?compare=1").content.decode()
    assert "重算结果与保存时完全一致" in page


def test_scheme_page_edits_weights_as_a_new_version_once_frozen(login, scored, office_admin, department):
    client = login(office_admin)
    scheme = services.scheme_seed(year=2026, by=office_admin)
    services.assessment_store(scheme=scheme, period=period_parse("2026-Q3"),
                              organisations=[department], by=office_admin)
    page = client.get(reverse("workspace:oversight_scheme") + "?year=2026")
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": str(len(formset.forms)), "form-INITIAL_FORMS": str(len(formset.forms))}
    for n, form in enumerate(formset.forms):
        code = form.initial["code"]
        data[f"form-{n}-code"] = code
        if code in ("applications_on_time", "messages_on_time"):
            data[f"form-{n}-include"] = "on"
            data[f"form-{n}-weight"] = "50"
            data[f"form-{n}-target"] = "1"
    r = client.post(reverse("workspace:oversight_scheme") + "?year=2026", data)
    assert r.status_code == 302

    latest = Scheme.objects.get(year=2026, version=2)
    assert sorted(latest.indicators.values_list("code", flat=True)) == ["applications_on_time", "messages_on_time"]
    assert Scheme.objects.get(year=2026, version=1).indicators.count() == 14


def test_work_plan_pages(login, government, department, office_admin, editor):
    client = login(office_admin)
    r = client.post(reverse("workspace:oversight_plans"), {"organisation": government.pk, "year": 2026,
                                                          "title": "2026年政务公开工作要点", "document": ""})
    plan_url = r.url
    r = client.post(plan_url, {"task-number": "1", "task-title": "规范性文件解读", "task-lead_unit": department.pk,
                               "task-deadline": "2026-11-20"})
    assert r.status_code == 302
    task = PlanTask.objects.get()
    page = login(editor).get(plan_url).content.decode()
    assert "规范性文件解读" in page and "逾期" in page and "报送进展" in page
    login(editor).post(reverse("workspace:oversight_task_report", args=[task.pk]),
                       {"p-text": "已完成", "p-evidence": "https://example.gov.cn/a", "p-completes": "on"})
    task.refresh_from_db()
    assert task.state == "done" and task.done_on == dt.date(2026, 11, 23)


def test_plan_draft_page_creates_the_chosen_tasks(login, government, department, office_admin, editor):
    from tests.documents.factories import published_document
    from tests.oversight.test_plan_text import FIXTURE

    doc = published_document(organisation=government, by=None, title="2026年测试市政务公开工作要点", body=FIXTURE)
    plan = services.plan_create(organisation=government, year=2026, title=doc.title, by=office_admin, document=doc)
    office = login(office_admin)
    assert "从印发文件生成任务清单" in office.get(reverse("workspace:oversight_plan", args=[plan.pk])).content.decode()
    url = reverse("workspace:oversight_plan_draft", args=[plan.pk])
    page = office.get(url).content.decode()
    assert "落实三同步" in page and "第" in page and "段：1．落实三同步" in page
    assert login(editor).get(url).status_code == 404  # the government's plan, no task of the department yet
    r = office.post(url, {"include-1": "1", "lead-1": government.pk, "include-1.1.1": "1", "lead-1.1.1": department.pk,
                          "deadline-1.1.1": "2026-06-30"})
    assert r.status_code == 302
    assert [(t.number, t.parent.number if t.parent else None, t.lead_unit_id) for t in plan.tasks.all()] == [
        ("一、", None, government.pk), ("1.", "一、", department.pk)]


def test_milestone_form_on_the_plan_page(login, government, department, office_admin, editor):
    plan = services.plan_create(organisation=government, year=2026, title="2026年政务公开工作要点", by=office_admin)
    task = services.task_create(plan=plan, by=office_admin, number="1", title="规范性文件解读", lead_unit=department,
                                deadline=dt.date(2026, 12, 31))
    office = login(office_admin)
    plan_url = reverse("workspace:oversight_plan", args=[plan.pk])
    assert "添加节点" in office.get(plan_url).content.decode()
    r = office.post(reverse("workspace:oversight_task_milestone", args=[task.pk]),
                    {f"m{task.pk}-title": "完成梳理", f"m{task.pk}-due_on": "2026-11-20"})
    assert r.status_code == 302
    r = office.post(reverse("workspace:oversight_task_milestone", args=[task.pk]),
                    {f"m{task.pk}-title": "太晚", f"m{task.pk}-due_on": "2027-02-01"}, follow=True)
    assert "不能晚于任务完成时限" in r.content.decode()
    page = login(editor).get(plan_url).content.decode()
    assert "完成梳理" in page and "标记完成" in page and "添加节点" not in page and "逾期" in page
    login(editor).post(reverse("workspace:oversight_task_milestone_done", args=[task.pk, 0]))
    task.refresh_from_db()
    assert task.milestones == [{"title": "完成梳理", "due_on": "2026-11-20", "done_on": "2026-11-23"}]


def test_rectification_pages_answer_and_recheck(login, department, office_admin, editor):
    office = login(office_admin)
    r = office.post(reverse("workspace:oversight_rectifications"), {
        "organisation": department.pk, "source": "citizen", "title": "招生通知中的电话号码错误", "found_on": "2026-11-20"})
    item = Rectification.objects.get()
    assert r.url == reverse("workspace:oversight_rectification", args=[item.pk])
    unit = login(editor)
    r = unit.post(r.url, {"step": "answer", "a-answer": "已更正电话", "a-evidence": ""})
    assert r.status_code == 200 and "佐证" in r.content.decode()
    unit.post(reverse("workspace:oversight_rectification", args=[item.pk]),
              {"step": "answer", "a-answer": "已更正电话", "a-evidence": "https://example.gov.cn/zs"})
    office.post(reverse("workspace:oversight_rectification", args=[item.pk]),
                {"step": "recheck", "r-decision": "accept", "r-note": ""})
    item.refresh_from_db()
    assert item.state == "closed"


def test_incident_page_starts_the_clocks(login, department, editor):
    client = login(editor)
    r = client.post(reverse("workspace:oversight_incidents"), {
        "organisation": department.pk, "title": "校车事故传言", "source": "本地论坛", "level": "very_major",
        "first_seen_at": "2026-11-23T08:00", "summary": ""})
    incident = Incident.objects.get()
    page = client.get(r.url).content.decode()
    assert "发布权威信息" in page and "举行新闻发布会" in page and "计时中" in page  # 10:00: 3 h not yet over
    client.post(r.url, {"kind": "info", "at": "2026-11-23T09:30", "text": "发布情况通报", "url": "https://example.gov.cn/t"})
    assert incident.actions.count() == 1


def test_usage_page_and_the_portal_counting(client, login, office_admin, department, editor):
    from tests.documents.factories import published_document

    doc = published_document(organisation=department, by=editor, title="关于招生的通知", genre="notice")
    services.usage_discard()  # hits buffered by earlier tests of this process
    client.get(reverse("portal:document", args=[doc.index_no]), HTTP_REFERER="https://www.baidu.com/s?wd=x")
    client.get(reverse("portal:document", args=[doc.index_no]), HTTP_USER_AGENT="Baiduspider/2.0")  # a crawler
    client.get(reverse("portal:library") + "?q=完全不存在的词语甲乙丙")
    services.usage_flush()
    assert UsageDaily.objects.get(kind="document", key=doc.index_no).count == 1
    assert UsageDaily.objects.get(kind="referrer").key == "www.baidu.com"
    assert UsageDaily.objects.get(kind="search_zero").key == "完全不存在的词语甲乙丙"
    page = login(office_admin).get(reverse("workspace:oversight_usage")).content.decode()
    assert "完全不存在的词语甲乙丙" in page and "www.baidu.com" in page
