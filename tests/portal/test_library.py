"""The policy library page and its search adapter (`portal_search`)."""

import json

import pytest
from django.urls import reverse

from gongkai.portal.search import SearchQuery, portal_search, portal_suggest
from tests.documents.factories import published_document

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def test_search_finds_documents_by_body_text_and_highlights_the_terms(client, library):
    html = client.get(reverse("portal:library"), {"q": "八十周岁"}).content.decode()
    assert "找到 2 件" in html
    assert "<mark>八十周岁</mark>" in html
    assert doc_url(library.current) in html and doc_url(library.old) in html


def test_search_never_returns_hidden_documents(library):
    for q in ["托管", "内部人事", "尚在起草"]:
        assert portal_search(SearchQuery(q=q)).total == 0


def test_all_terms_must_match_and_full_width_input_is_normalised(library):
    assert portal_search(SearchQuery(q="养老　补贴")).total == 2  # full-width space
    assert portal_search(SearchQuery(q="养老 学校")).total == 0


def test_exact_doc_number_ranks_first(library):
    result = portal_search(SearchQuery(q="测教发〔2020〕3号"))
    assert result.hits[0].document == library.old


def test_facets_count_and_filters_narrow(library):
    result = portal_search(SearchQuery(q="补贴"))
    validity = {f.name: f for f in result.facets}["validity"]
    assert {o.value: o.count for o in validity.options} == {"valid": 1, "repealed": 1}
    only_valid = portal_search(SearchQuery(q="补贴", validity="valid"))
    assert [h.document for h in only_valid.hits] == [library.current]
    assert portal_search(SearchQuery(genre="normative")).total == 1
    assert portal_search(SearchQuery(topic="17")).total == 2  # 民政、扶贫、救灾 includes its 二级 社会福利


def test_invalid_filters_are_ignored_with_a_notice(client, library):
    html = client.get(reverse("portal:library"), {"validity": "bogus", "year": "20x"}).content.decode()
    assert "有效性筛选条件无效" in html and "年份筛选条件无效" in html
    assert "全部政策文件，共 5 件" in html


def test_empty_result_page_helps(client, library):
    html = client.get(reverse("portal:library"), {"q": "完全不存在的词", "genre": "notice"}).content.decode()
    assert "没有找到符合条件的文件" in html
    assert "去掉全部筛选条件" in html and "申请政府信息公开" in html


def test_facet_links_select_and_unselect(client, library, department):
    html = client.get(reverse("portal:library"), {"q": "补贴"}).content.decode()
    assert f'href="/zhengce/?q=%E8%A1%A5%E8%B4%B4&amp;organisation={department.code}"' in html
    selected = client.get(reverse("portal:library"), {"q": "补贴", "organisation": department.code}).content.decode()
    assert 'aria-current="true"' in selected
    assert "发文机关：测试市教育局" in selected  # filter chip with its label


def test_sort_and_pagination(client, department, editor, reviewer):
    for n in range(23):
        published_document(organisation=department, by=editor, reviewer=reviewer, title=f"分页测试文件{n:02d}")
    first = portal_search(SearchQuery(q="分页测试", sort="newest"))
    assert first.total == 23 and first.num_pages == 2 and len(first.hits) == 20
    assert first.hits[0].document.title == "分页测试文件22"
    second = portal_search(SearchQuery(q="分页测试", sort="oldest", page=2))
    assert [h.document.title for h in second.hits] == ["分页测试文件20", "分页测试文件21", "分页测试文件22"]
    html = client.get(reverse("portal:library"), {"q": "分页测试", "page": "99"}).content.decode()
    assert "第 2 页，共 2 页" in html and 'rel="prev"' in html


def test_suggestions_follow_the_opensearch_format(client, library):
    response = client.get(reverse("portal:suggest"), {"q": "养老服务"})
    data = json.loads(response.content)
    assert data == ["养老服务", ["关于进一步做好养老服务补贴发放工作的通知"]]
    assert "测教发〔2024〕12号" in portal_suggest("测教发〔2024〕")
