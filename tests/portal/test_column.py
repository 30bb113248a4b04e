"""政府信息公开专栏: 公开指南 from the organisation's data, 第二十条 categories, 年报 and 依申请公开 pages."""

import pytest
from django.urls import reverse

from gongkai.documents.models import Document
from gongkai.portal import disclosure, selectors

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def get(client, name, org, **kwargs):
    response = client.get(reverse(name, kwargs={"code": org.code, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def test_guide_has_every_article_12_item_from_the_organisation(client, organisation):
    html = get(client, "portal:column_guide", organisation)
    for heading in ["一、分类", "二、编排体系", "三、获取方式", "四、政府信息公开工作机构"]:
        assert heading in html
    for label, value in [("工作机构名称", "测试市教育局办公室"), ("办公地址", "测试市人民路 2 号"), ("办公时间", "工作日 9:00-17:00"),
                         ("联系电话", "0532-11112222"), ("传真号码", "0532-11113333"),
                         ("互联网联系方式", "https://jyj.example.gov.cn/")]:
        assert f"<dt>{label}</dt><dd>" in html and value in html
    # All 15 categories of 第二十条 are listed with links.
    assert html.count(f"/gongkai/{organisation.code}/fading/") >= 15


def test_guide_says_what_is_missing_instead_of_inventing_it(client, other_department):
    html = get(client, "portal:column_guide", other_department)
    assert "<dt>传真号码</dt><dd>暂未提供</dd>" in html
    assert f"<dt>工作机构名称</dt><dd>{other_department.name}</dd>" in html


def test_proactive_content_is_grouped_by_article_20(client, library, organisation):
    groups = {g.category.key: g for g in selectors.proactive_groups(organisation=organisation)}
    assert [d.pk for d in groups["01"].latest] == [library.normative.pk]
    assert [d.pk for d in groups["07"].latest] == [library.budget.pk]
    assert {d.pk for d in groups["11"].latest} == {library.current.pk, library.old.pk, library.amended.pk}
    assert sum(g.count for g in groups.values()) == 5
    html = get(client, "portal:column_proactive", organisation)
    assert "（七）财政预算、决算信息" in html and doc_url(library.budget) in html
    assert "托管" not in html  # withdrawn documents are not listed


def test_every_document_falls_into_exactly_one_category(library, organisation):
    documents = Document.objects.filter(organisation=organisation).select_related("topic", "topic__parent")
    for document in documents:
        matches = [c.key for c in disclosure.CATEGORIES if not c.from_organisation
                   and Document.objects.filter(pk=document.pk).filter(disclosure.category_q(c.key)).exists()]
        assert matches == [disclosure.category_of(document).key], document.title


def test_category_page_is_a_catalogue_with_index_name_summary_date(client, library, organisation):
    html = get(client, "portal:column_category", organisation, key="11")
    for column in ["索引号", "名称", "内容概述", "生成日期"]:
        assert f'<th scope="col">{column}</th>' in html
    assert library.current.index_no in html and "明确养老服务补贴的对象" in html and "2024-07-21" in html
    info = get(client, "portal:column_category", organisation, key="02")
    assert "机关职能" in info and "测试市人民政府" in info  # (二) comes from the organisation record
    assert client.get(reverse("portal:column_category", kwargs={"code": organisation.code, "key": "99"})).status_code == 404


def test_reports_apply_system_and_index_pages(client, library, organisation):
    assert "本机关尚未在本平台发布年度报告" in get(client, "portal:column_reports", organisation)
    apply = get(client, "portal:column_apply", organisation)
    assert "第二十九条" in apply and "20 个工作日" in apply and "0532-11112222" in apply
    assert "主动公开制度" in get(client, "portal:column_system", organisation)
    index = get(client, "portal:column", organisation)
    assert doc_url(library.budget) in index and f"/feeds/org/{organisation.code}.atom" in index
    assert client.get(reverse("portal:column", kwargs={"code": "NOPE"})).status_code == 404
    assert organisation.name in client.get(reverse("portal:organisations")).content.decode()
