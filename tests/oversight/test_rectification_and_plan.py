"""Rectification: entered or imported, assigned with a deadline, answered with evidence, re-checked, closed
only with evidence; the content checks feed the same list. Work plan: tasks, reports, reminders, summary."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from gongkai.compliance.models import Finding
from gongkai.documents.models import Document
from gongkai.oversight import selectors, services, tasks
from gongkai.oversight.models import PlanTask, Rectification
from tests.conftest import make_user
from tests.documents.factories import published_document


def test_rectification_is_closed_only_after_an_answer_with_evidence_and_a_recheck(department, office_admin, editor):
    r = services.rectification_create(organisation=department, by=office_admin, source="third_party",
                                      title="政策文件栏目3个月未更新", found_on=dt.date(2026, 11, 2))
    assert r.deadline == dt.date(2026, 11, 16)  # 10 working days (local default)
    with pytest.raises(ValidationError):
        services.rectification_recheck(rectification=r, by=office_admin, accept=True)  # nothing answered yet
    with pytest.raises(ValidationError, match="佐证"):
        services.rectification_answer(rectification=r, by=editor, answer="已更新", evidence="")
    r = services.rectification_answer(rectification=r, by=editor, answer="已补发文件", evidence="https://example.gov.cn/x")
    with pytest.raises(PermissionDenied):
        services.rectification_recheck(rectification=r, by=editor, accept=True)  # the unit cannot close its own item
    with pytest.raises(ValidationError, match="理由"):
        services.rectification_recheck(rectification=r, by=office_admin, accept=False)
    r = services.rectification_recheck(rectification=r, by=office_admin, accept=False, note="页面仍未更新")
    assert (r.state, r.rejections) == ("assigned", 1)
    r = services.rectification_answer(rectification=r, by=editor, answer="已更新两篇", evidence=["https://example.gov.cn/y"])
    r = services.rectification_recheck(rectification=r, by=office_admin, accept=True)
    assert r.state == "closed" and r.closed_on == dt.date(2026, 11, 23)
    assert [e.kind for e in r.events.all()] == ["created", "answered", "rejected", "answered", "accepted"]


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_import_of_a_third_party_list_creates_skips_repeats_and_reports_bad_rows(department, office_admin):
    rows = [["责任单位", "问题", "问题编号", "来源", "发现日期", "整改期限"],
            ["测试市教育局", "首页存在错别字", "CP-001", "第三方测评", "2026-11-02", "2026-11-20"],
            ["测试市教育局", "解读未关联原文件", "CP-002", "上级检查", dt.date(2026, 11, 3), None],
            ["不存在的局", "链接失效", "CP-003", "", "2026-11-03", ""]]
    report = services.rectification_import_xlsx(file=xlsx(rows), by=office_admin)
    assert report["created"] == 2 and report["skipped"] == 0 and report["errors"] == ["第 4 行：找不到责任单位“不存在的局”。"]
    second = Rectification.objects.get(reference="CP-002")
    assert second.source == "inspection" and second.deadline == dt.date(2026, 11, 17)
    again = services.rectification_import_xlsx(file=xlsx(rows[:3]), by=office_admin)
    assert again == {"created": 0, "skipped": 2, "errors": []}


def test_severe_content_findings_feed_the_rectification_list_once(department, editor, office_admin):
    doc = published_document(organisation=department, by=editor, title="关于招生的通知", genre="notice")
    Finding.objects.create(organisation=department, content_type=ContentType.objects.get_for_model(Document),
                           object_id=str(doc.pk), item_title=doc.title, field="body", start=0, end=4, kind="wording",
                           rule="r", text="国务院办公厅", message="机构名称错误", severity="severe", fingerprint="f1",
                           last_seen=timezone.now())
    assert services.rectification_from_content_checks(organisations=[department]) == 1
    assert services.rectification_from_content_checks(organisations=[department]) == 0
    assert Rectification.objects.get().source == "content_check"


def test_task_progress_reports_completion_with_evidence_and_the_summary(government, department, other_department,
                                                                       office_admin, editor, other_editor):
    plan = services.plan_create(organisation=government, year=2026, title="2026年政务公开工作要点", by=office_admin)
    head = services.task_create(plan=plan, by=office_admin, number="一", title="加强政策解读", lead_unit=government)
    t1 = services.task_create(plan=plan, by=office_admin, number="1", title="规范性文件100%解读", lead_unit=department,
                              co_units=[other_department], deadline=dt.date(2026, 12, 31), parent=head,
                              paragraph="5.…做到政策性文件与解读方案、解读材料同步组织、同步审签、同步部署")
    t2 = services.task_create(plan=plan, by=office_admin, number="2", title="公开年度报告", lead_unit=department,
                              deadline=dt.date(2026, 11, 10), parent=head)
    with pytest.raises(ValidationError, match="佐证"):
        services.task_report(task=t1, by=editor, text="已完成", completes=True)
    services.task_report(task=t1, by=other_editor, text="配合单位已提供材料")  # a co-responsible unit reports
    services.task_report(task=t1, by=editor, text="全部完成", evidence="https://example.gov.cn/jd", completes=True)
    assert [(t.number, d) for t, d in selectors.plan_tree(plan)] == [("一", 0), ("1", 1), ("2", 1)]
    assert list(selectors.tasks_overdue(today=dt.date(2026, 11, 23))) == [t2]
    summary = selectors.plan_summary(plan=plan, today=dt.date(2026, 11, 23))
    assert "共分解任务 2 项" in summary and "已完成 1 项" in summary and "逾期未完成 1 项（2公开年度报告）" in summary


def test_task_reminders_before_the_deadline_and_once_overdue(government, department, office_admin):
    dept_office = make_user("dept_office", department, "office_admin")
    dept_office.email = "jyj@example.gov.cn"
    dept_office.save()
    plan = services.plan_create(organisation=government, year=2026, title="要点", by=office_admin)
    soon = services.task_create(plan=plan, by=office_admin, number="1", title="甲", lead_unit=department,
                                deadline=dt.date(2026, 11, 27))  # 4 working days left
    late = services.task_create(plan=plan, by=office_admin, number="2", title="乙", lead_unit=department,
                                deadline=dt.date(2026, 11, 20))
    services.task_create(plan=plan, by=office_admin, number="3", title="丙", lead_unit=department,
                         deadline=dt.date(2026, 12, 31))
    mail.outbox.clear()
    tasks.send_task_reminders.call_local()
    tasks.send_task_reminders.call_local()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2 and "工作要点逾期" in subjects[1] + subjects[0]
    assert all("jyj@example.gov.cn" in m.to for m in mail.outbox)
    assert PlanTask.objects.get(pk=soon.pk).reminded_on == PlanTask.objects.get(pk=late.pk).reminded_on


def test_only_the_office_creates_plans_and_findings(department, editor):
    with pytest.raises(PermissionDenied):
        services.plan_create(organisation=department, year=2026, title="要点", by=editor)
    with pytest.raises(PermissionDenied):
        services.rectification_create(organisation=department, by=editor, source="citizen", title="错字",
                                      found_on=dt.date(2026, 11, 1))


def test_milestones_are_set_by_the_office_and_reached_by_the_lead_unit(government, department, office_admin, editor):
    plan = services.plan_create(organisation=government, year=2026, title="2026年政务公开工作要点", by=office_admin)
    task = services.task_create(plan=plan, by=office_admin, number="1", title="规范性文件解读", lead_unit=department,
                                deadline=dt.date(2026, 12, 31))
    with pytest.raises(PermissionDenied):
        services.task_milestone_add(task=task, by=editor, title="完成梳理", due_on=dt.date(2026, 11, 30))
    with pytest.raises(ValidationError, match="不能晚于任务完成时限"):
        services.task_milestone_add(task=task, by=office_admin, title="全部解读", due_on=dt.date(2027, 1, 5))
    services.task_milestone_add(task=task, by=office_admin, title="全部解读", due_on=dt.date(2026, 12, 20))
    task = services.task_milestone_add(task=task, by=office_admin, title="完成梳理", due_on=dt.date(2026, 11, 20))
    assert [m["title"] for m in task.milestones] == ["完成梳理", "全部解读"]  # in date order
    ms = selectors.task_milestones(task, dt.date(2026, 11, 23))
    assert [(m.title, m.overdue) for m in ms] == [("完成梳理", True), ("全部解读", False)]
    outsider = make_user("outsider", government, "editor")
    with pytest.raises(PermissionDenied):
        services.task_milestone_done(task=task, by=outsider, index=0)
    task = services.task_milestone_done(task=task, by=editor, index=0)
    assert task.milestones[0]["done_on"] == "2026-11-23"
    assert not selectors.task_milestones(task, dt.date(2026, 11, 23))[0].overdue
    with pytest.raises(ValidationError, match="已完成"):
        services.task_milestone_done(task=task, by=editor, index=0)
    with pytest.raises(ValidationError):
        services.task_milestone_done(task=task, by=editor, index=5)
