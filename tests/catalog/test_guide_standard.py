"""The generated guide (条例 第十二条) and the 基层政务公开标准目录 (国办发〔2019〕54号)."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.catalog import selectors, services
from gongkai.catalog.models import StandardDomain, StandardItem
from gongkai.core.workdays import add_working_days
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


def test_guide_lists_the_law_elements_and_finds_missing_ones(department, editor):
    guide = selectors.guide_for(organisation=department)
    assert [e.label for e in guide.elements] == ["分类", "编排体系", "获取方式", "工作机构名称", "办公地址", "办公时间",
                                                 "联系电话", "传真号码", "互联网联系方式"]
    assert guide.missing == ["分类", "办公地址", "办公时间", "联系电话", "传真号码", "互联网联系方式"]
    department.address, department.phone, department.fax = "测试路1号", "0000-1234567", "0000-7654321"
    department.office_hours, department.website = "工作日 9:00-17:00", "https://edu.example.cn"
    department.save()
    published_document(organisation=department, by=editor, title="关于某事的通知")
    guide = selectors.guide_for(organisation=department)
    assert guide.missing == []
    # The channels and fee rules are the ones the applications package applies.
    assert "网上申请" in guide.channels and any("按件计收" in r for r in guide.fee_rules)


def test_standard_catalogue_loads_26_domains_idempotently():
    assert services.standard_catalogue_load() == (26, StandardItem.objects.count())
    services.standard_catalogue_load()
    assert StandardDomain.objects.count() == 26
    item = StandardItem.objects.get(domain__name="财政预决算", level2="部门预算")
    assert item.time_limit_working_days == 20 and "三公经费预算" in item.elements


def test_township_adopts_only_its_level(department):
    services.standard_catalogue_load()
    n = services.standard_catalogue_adopt(organisation=department, level="乡级")
    assert n == sum("乡级" in s.levels for s in StandardItem.objects.all()) > 0
    assert services.standard_catalogue_adopt(organisation=department, level="乡级") == 0


@pytest.fixture
def item(department):
    services.standard_catalogue_load()
    services.standard_catalogue_adopt(organisation=department, domains=["财政预决算"])
    return selectors.adopted_items(organisation=department).get(level2="部门预算")


def test_item_without_content_is_listed_per_owner(item, department, other_department):
    services.adopted_item_update(item=item, owner=other_department)
    listed = selectors.items_needing_attention(organisation=department)
    assert [s.item.level2 for s in listed["测试市财政局"]] == ["部门预算"]
    assert listed["测试市财政局"][0].state == "no_content"


def test_item_overdue_after_20_working_days(item, department):
    changed = dt.date(2026, 3, 2)
    services.adopted_item_update(item=item, changed_on=changed)
    due = add_working_days(changed, 20)
    assert selectors.adopted_item_state(item=item, today=due).state == "no_content"
    state = selectors.adopted_item_state(item=item, today=due + dt.timedelta(days=1))
    assert (state.state, state.due_on) == ("overdue", due)


def test_item_late_and_ok_by_publication_date(item, department, editor):
    changed = dt.date(2026, 3, 2)
    due = add_working_days(changed, 20)
    at = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=3), dt.time(10)))
    late = published_document(organisation=department, by=editor, title="2026年部门预算公开", at=at)
    services.adopted_item_update(item=item, changed_on=changed, documents=[late])
    item.refresh_from_db()
    assert selectors.adopted_item_state(item=selectors.adopted_items(organisation=department).get(pk=item.pk)).state == "late"
    on_time = published_document(organisation=department, by=editor, title="2026年部门预算（更正）",
                                 at=timezone.make_aware(dt.datetime.combine(due, dt.time(10))))
    services.adopted_item_update(item=item, documents=[on_time])
    assert selectors.adopted_item_state(item=selectors.adopted_items(organisation=department).get(pk=item.pk)).state == "ok"


def test_time_limit_is_bounded(item):
    with pytest.raises(ValueError):
        services.adopted_item_update(item=item, time_limit_working_days=0)
