"""重点领域专栏: content from the library by rule, freshness (RULES §5), required items per year and budget unit,
life-cycle stages, completeness against the standard catalogue."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.catalog import conf, selectors, services
from gongkai.catalog.models import AdoptedItem, KeyAreaColumn
from gongkai.documents.models import Topic
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_seed_gives_the_default_columns_once(government):
    assert services.key_area_columns_seed(organisation=government) == len(conf.KEY_AREA_COLUMNS)
    assert services.key_area_columns_seed(organisation=government) == 0
    names = list(selectors.key_area_columns(organisation=government).values_list("name", flat=True))
    assert names[:2] == ["财政预决算", "重大建设项目"] and "土地征收" in names


def test_content_rule_genre_and_topic_or_keyword_including_descendants(government, department, editor):
    column = services.key_area_column_save(organisation=government, slug="jy", name="教育", genres="notice",
                                           topic_codes=[Topic.objects.get(name="教育").code], keywords="招生、入学")
    by_topic = published_document(organisation=department, by=editor, title="关于学校安全的通知", topic=Topic.objects.get(name="教育"))
    by_word = published_document(organisation=department, by=editor, title="关于小学入学登记的通知")
    published_document(organisation=department, by=editor, title="小学入学工作报告", genre="report")  # wrong genre
    published_document(organisation=department, by=editor, title="关于道路养护的通知")  # neither
    assert set(selectors.column_documents(column=column)) == {by_topic, by_word}
    services.key_area_column_save(organisation=government, slug="jy", include_descendants=False)
    column.refresh_from_db()
    assert list(selectors.column_documents(column=column)) == []


def test_freshness_and_empty(government, department, editor):
    news = services.key_area_column_save(organisation=government, slug="dt", name="工作动态", keywords=["动态"], freshness="news")
    notice = services.key_area_column_save(organisation=government, slug="tz", name="通知公告", keywords=["公告"], freshness="notice")
    empty = services.key_area_column_save(organisation=government, slug="kong", name="空栏目", keywords=["不存在的词"])
    published_document(organisation=department, by=editor, title="教育工作动态", at=at(TODAY - dt.timedelta(days=15)))
    published_document(organisation=department, by=editor, title="招生公告", at=at(TODAY - dt.timedelta(days=150)))
    s_news = selectors.column_state(column=news, today=TODAY)
    assert s_news.stale and "超过 14 天未更新" in s_news.findings[0]
    assert not selectors.column_state(column=notice, today=TODAY).stale
    assert selectors.column_state(column=notice, today=TODAY + dt.timedelta(days=40)).stale
    s_empty = selectors.column_state(column=empty, today=TODAY)
    assert s_empty.empty and s_empty.findings == ["栏目为空"]
    check = selectors.columns_check(organisation=government, today=TODAY)
    assert len(check.stale) == 1 and len(check.empty) == 1 and check.fails == []


def test_five_empty_columns_fail_the_national_check(government):
    for n in range(conf.EMPTY_COLUMNS_FAIL):
        services.key_area_column_save(organisation=government, slug=f"k{n}", name=f"栏目{n}", keywords=["无此词"])
    assert selectors.columns_check(organisation=government, today=TODAY).fails == ["5 个空白栏目（达到 5 个即单项否决）"]


def test_budget_and_final_account_every_year_per_unit(government, department, other_department, editor, other_editor):
    services.key_area_columns_seed(organisation=government)
    column = KeyAreaColumn.objects.get(organisation=government, slug="yujuesuan")
    published_document(organisation=department, by=editor, title="测试市教育局2025年部门预算", at=at(dt.date(2025, 3, 1)))
    published_document(organisation=department, by=editor, title="测试市教育局2024年部门决算", at=at(dt.date(2025, 8, 1)))
    published_document(organisation=other_department, by=other_editor, title="2025年部门预算", at=at(dt.date(2025, 3, 1)))
    state = selectors.column_state(column=column, today=TODAY)
    missing = {(y, u, n) for y, u, n in state.missing}
    assert (2025, department.name, "部门预算") not in missing and (2025, department.name, "部门决算") not in missing
    assert (2025, other_department.name, "部门决算") in missing
    assert (2025, government.name, "部门预算") in missing
    # The current year is pending, not yet a finding.
    assert (2026, department.name, "部门预算") in state.pending
    assert f"{other_department.name}2025年部门决算未公开" in state.findings


def test_project_stages(government, department, editor):
    services.key_area_columns_seed(organisation=government)
    column = KeyAreaColumn.objects.get(organisation=government, slug="zhongda-xiangmu")
    published_document(organisation=department, by=editor, title="关于城南学校建设项目的批复")
    published_document(organisation=department, by=editor, title="城南学校建设项目施工招标公告")
    state = selectors.column_state(column=column, today=TODAY)
    assert state.stages == [("批准", 1), ("实施", 1), ("竣工", 0)]
    assert "竣工阶段无信息" in state.findings


def test_completeness_against_the_standard_catalogue(government, department, editor):
    services.standard_catalogue_load()
    services.standard_catalogue_adopt(organisation=government, level="县级")
    services.key_area_columns_seed(organisation=government)
    column = KeyAreaColumn.objects.get(organisation=government, slug="jiaoyu")
    items = AdoptedItem.objects.filter(organisation=government, domain="义务教育")
    assert items.exists()
    state = selectors.column_state(column=column, today=TODAY)
    assert {s.item for s in state.standard} == set(items)
    assert any("标准目录事项" in f for f in state.findings)
    # A document linked to a standard item feeds the column even without the column's keywords.
    doc = published_document(organisation=department, by=editor, title="学区划分方案")
    services.adopted_item_update(item=items.first(), documents=[doc])
    assert doc in selectors.column_documents(column=column)


def test_column_rules_are_validated(government):
    with pytest.raises(ValueError, match="专栏名称"):
        services.key_area_column_save(organisation=government, slug="x", name="")
    with pytest.raises(ValueError, match="关键词"):
        services.key_area_column_save(organisation=government, slug="x", name="x", stages=[{"name": "批准", "keywords": []}])
    with pytest.raises(ValueError, match="更新要求"):
        services.key_area_column_save(organisation=government, slug="x", name="x", freshness="weekly")
