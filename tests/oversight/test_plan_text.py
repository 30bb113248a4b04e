"""The 工作要点 parser: numbered headings (一、 （一） 1. （1）) into a draft task tree, each task citing its
paragraph; staff confirm the draft into tasks. Tested on the two real 工作要点 among the seeds (read in place)
and on a fixture with every level."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.oversight import selectors, services
from gongkai.oversight.plan_text import draft_rows, parse_plan_text
from tests.documents.factories import published_document


def seed(prefix: str) -> str:
    found = sorted((Path(settings.SHARED_DIR) / "seeds").glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} is absent (the seeds live in ../shared/seeds beside the repository)")
    return found[0].read_text(encoding="utf-8")


def test_seed_000_linhai_2021_sections_and_parenthesised_tasks():
    roots = parse_plan_text(seed("000"))
    assert [r.number for r in roots] == ["一、", "二、", "三、", "四、", "五、"]
    assert roots[0].title == "围绕重点领域,高质量推进政务公开精细化"
    assert [len(r.children) for r in roots] == [5, 3, 2, 3, 2]
    first = roots[0].children[0]
    assert (first.key, first.number, first.title) == ("1.1", "（一）", "深化重要政府信息公开")
    assert first.paragraph.startswith(f"第{first.paragraph_no}段：(一)深化重要政府信息公开。")
    assert len(first.paragraph) <= 300
    # The covering notice, the 总体要求 and the closing line are not tasks.
    titles = [d.title for d, _ in draft_rows(roots)]
    assert not any("总体要求" in t or "各地各部门要将" in t for t in titles)


def test_seed_002_laoshan_2023_continuous_arabic_numbers_under_sections():
    roots = parse_plan_text(seed("002"))
    assert len(roots) == 5
    tasks = [d for d, depth in draft_rows(roots) if depth == 1]
    assert [t.number for t in tasks] == [f"{n}." for n in range(1, 18)]
    assert [len(r.children) for r in roots] == [3, 4, 3, 3, 4]
    last = tasks[-1]
    assert last.title == "强化工作落实" and "明确责任主体和时限要求" in last.paragraph
    assert tasks[4].title == "推进政策高质量解读" and tasks[4].key == "2.2"


FIXTURE = """<p>测试市人民政府办公室关于印发2026年测试市政务公开工作要点的通知</p>
<p>各区人民政府，市政府各部门：</p><p>1.请认真贯彻落实。</p>
<p>2026年政务公开工作的总体要求是：坚持以人民为中心。</p>
<p>一、加强政策解读</p>
<p>（一）规范解读程序。行政规范性文件与解读材料同步组织、同步审签、同步部署。</p>
<p>1．落实三同步。牵头单位：市司法局。</p>
<p>（1）文件公开后3个工作日内发布解读；</p>
<p>（2）解读材料随文件一并报送。</p>
<p>2.提升解读质量：多用图表图解。</p>
<p>（二）回应社会关切。</p>
<p>二、强化组织保障</p>
<p>（一）纳入绩效考核。</p>
<p>各区各部门要将落实情况纳入年度报告。</p>"""


def test_every_level_nests_under_the_nearest_higher_heading():
    rows = draft_rows(parse_plan_text(FIXTURE))
    assert [(d.key, d.number, d.title, depth) for d, depth in rows] == [
        ("1", "一、", "加强政策解读", 0),
        ("1.1", "（一）", "规范解读程序", 1),
        ("1.1.1", "1.", "落实三同步", 2),
        ("1.1.1.1", "（1）", "文件公开后3个工作日内发布解读", 3),
        ("1.1.1.2", "（2）", "解读材料随文件一并报送", 3),
        ("1.1.2", "2.", "提升解读质量", 2),
        ("1.2", "（二）", "回应社会关切", 1),
        ("2", "二、", "强化组织保障", 0),
        ("2.1", "（一）", "纳入绩效考核", 1),
    ]
    assert rows[2][0].paragraph == f"第{rows[2][0].paragraph_no}段：1．落实三同步。牵头单位：市司法局。"


@pytest.mark.django_db
def test_staff_confirm_the_draft_into_tasks_citing_their_paragraphs(government, department, other_department,
                                                                    office_admin, editor):
    doc = published_document(organisation=government, by=None, title="2026年测试市政务公开工作要点", body=FIXTURE)
    plan = services.plan_create(organisation=government, year=2026, title=doc.title, by=office_admin, document=doc)
    keys = [d.key for d, _ in draft_rows(services.plan_draft(plan=plan))]
    assert keys[0] == "1" and len(keys) == 9
    choices = {"1": {"lead_unit": government}, "1.1.1": {"lead_unit": department, "deadline": dt.date(2026, 6, 30),
                                                          "co_units": [other_department]},
               "1.1.1.1": {"lead_unit": department}, "2.1": {"lead_unit": other_department}}
    with pytest.raises(PermissionDenied):
        services.plan_tasks_from_draft(plan=plan, by=editor, choices=choices)
    with pytest.raises(ValidationError, match="不一致"):
        services.plan_tasks_from_draft(plan=plan, by=office_admin, choices={"9.9": {"lead_unit": department}})
    services.plan_tasks_from_draft(plan=plan, by=office_admin, choices=choices)
    tree = [(t.number, t.title, depth, t.lead_unit_id) for t, depth in selectors.plan_tree(plan)]
    # 1.1 was not chosen: its task 1.1.1 hangs under the nearest chosen ancestor 一、; 2.1 has no chosen parent.
    assert tree == [("一、", "加强政策解读", 0, government.pk), ("1.", "落实三同步", 1, department.pk),
                    ("（1）", "文件公开后3个工作日内发布解读", 2, department.pk),
                    ("（一）", "纳入绩效考核", 0, other_department.pk)]
    task = plan.tasks.get(number="1.")
    assert task.paragraph.endswith("1．落实三同步。牵头单位：市司法局。") and task.deadline == dt.date(2026, 6, 30)
    assert list(task.co_units.all()) == [other_department]
    with pytest.raises(ValidationError, match="已有任务"):
        services.plan_tasks_from_draft(plan=plan, by=office_admin, choices=choices)


@pytest.mark.django_db
def test_a_plan_without_a_published_document_has_no_draft(government, office_admin):
    plan = services.plan_create(organisation=government, year=2026, title="2026年要点", by=office_admin)
    with pytest.raises(ValidationError, match="没有关联印发文件"):
        services.plan_draft(plan=plan)
