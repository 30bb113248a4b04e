"""The policy library page and its search (`portal_search`), through the real search index
(FTS5 on SQLite, tsvector/GIN on PostgreSQL): the `library` fixture is built as committed, so the
index follows the documents as it does on a live site."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from gongkai.documents.models import Topic
from gongkai.documents.services import IssuerInput
from gongkai.portal.search import SearchQuery, portal_search, portal_suggest
from tests.documents.factories import published_document

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get(reverse("portal:library"), params)
    assert response.status_code == 200
    return response.content.decode()


def results_part(html: str) -> str:
    return html.split('id="results-heading"')[1]


def test_search_finds_documents_by_body_text_and_highlights_the_terms(client, library):
    html = page(client, q="八十周岁")
    assert "找到 2 件" in html
    assert "<mark>八十周岁</mark>" in html
    assert doc_url(library.current) in html and doc_url(library.old) in html


def test_search_never_returns_hidden_documents(library):
    for q in ["托管", "内部人事", "尚在起草"]:
        assert portal_search(SearchQuery(q=q)).total == 0


def test_documents_holding_every_term_rank_first_and_full_width_input_is_normalised(library):
    result = portal_search(SearchQuery(q="养老　补贴"))  # full-width space
    assert {h.document for h in result.hits[:2]} == {library.current, library.old}
    assert "<mark>养老</mark>" in result.hits[0].title_html
    assert portal_search(SearchQuery(q="ＹＬ养老补贴")).hits[0].document in {library.current, library.old}


def test_exact_doc_number_ranks_first_and_is_marked(client, library):
    result = portal_search(SearchQuery(q="测教发〔2020〕3号"))
    assert result.hits[0].document == library.old and result.hits[0].pinned
    assert "发文字号/索引号匹配" in page(client, q="测教发〔2020〕3号")


def test_facets_count_and_filters_narrow(library):
    result = portal_search(SearchQuery(q="补贴"))
    facets = {f.name: f for f in result.facets}
    assert {o.value: o.count for o in facets["validity"].options} == {"valid": 1, "repealed": 1}
    assert {o.value: o.count for o in facets["issuer"].options} == {"测试市教育局": 2}
    assert [(o.value, o.count) for o in facets["topic"].options] == [("民政、扶贫、救灾", 2)]
    only_valid = portal_search(SearchQuery(q="补贴", validity="valid"))
    assert [h.document for h in only_valid.hits] == [library.current]
    assert portal_search(SearchQuery(genre="normative")).total == 1
    # A first-level topic includes its second-level ones (社会福利 is under 民政、扶贫、救灾).
    assert portal_search(SearchQuery(topic="民政、扶贫、救灾")).total == 2
    assert portal_search(SearchQuery(topic="民政、扶贫、救灾\\社会福利")).total == 2
    assert portal_search(SearchQuery(issuer="测试市教育局")).total == 5
    assert portal_search(SearchQuery(issuer="测试市财政局")).total == 0


def test_a_selected_first_level_topic_opens_its_second_level_ones(library):
    result = portal_search(SearchQuery(topic="民政、扶贫、救灾"))
    options = {f.name: f for f in result.facets}["topic"].options
    assert [(o.label, o.level, o.selected) for o in options] == [("民政、扶贫、救灾", 1, True), ("社会福利", 2, False)]


def test_joint_documents_are_found_under_each_issuer(library, committed, department, other_department, editor, reviewer):
    joint = committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                      title="关于联合开展校园食品安全检查的通知",
                      issuers=[IssuerInput(organisation=department), IssuerInput(organisation=other_department)])
    assert [h.document for h in portal_search(SearchQuery(issuer="测试市财政局")).hits] == [joint]
    counts = {o.value: o.count for o in {f.name: f for f in portal_search(SearchQuery()).facets}["issuer"].options}
    assert counts == {"测试市教育局": 6, "测试市财政局": 1}


def test_invalid_filters_are_ignored_with_a_notice(client, library):
    html = page(client, validity="bogus", year="20x", genre="nope")
    assert "有效性筛选条件无效" in html and "年份筛选条件无效" in html and "文种筛选条件无效" in html
    assert "全部政策文件，共 5 件" in html


def test_empty_result_page_helps(client, library):
    html = page(client, q="完全不存在的词", genre="notice")
    assert "没有找到符合条件的文件" in html
    assert "去掉全部筛选条件" in html and "申请政府信息公开" in html


def test_quoted_words_that_match_nothing_are_searched_without_quotes_and_said(client, library):
    html = page(client, q='"八十周岁老年人补贴"')
    assert "没有完全包含引号中词句的文件" in html
    assert "找到 0 件" not in html and 'class="hit"' in html


def test_empty_result_offers_the_query_without_its_filters(client, library):
    html = page(client, q="八十周岁", genre="normative")
    assert "不限筛选条件检索“八十周岁”" in html
    link = html.split('class="relaxed">改为<a href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query) == {"q": ["八十周岁"]}
    assert "找到 0 件" not in page(client, **{k: v[0] for k, v in parse_qs(urlsplit(link).query).items()})


def test_an_issuer_named_in_the_query_is_applied_and_said(client, library, committed, other_department, other_editor):
    theirs = committed(published_document, organisation=other_department, by=other_editor,
                       title="关于老年人补贴资金拨付的通知")
    html = page(client, q="测试市财政局 补贴")
    assert "已按发文机关“测试市财政局”筛选" in html
    assert "找到 1 件" in html and doc_url(theirs) in html


def test_facet_links_select_and_unselect(client, library, department):
    html = page(client, q="补贴")
    assert 'href="/zhengce/?q=%E8%A1%A5%E8%B4%B4&amp;issuer=%E6%B5%8B%E8%AF%95%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80"' in html
    selected = page(client, q="补贴", issuer=department.name)
    assert 'aria-current="true"' in selected
    assert "发文机关：测试市教育局" in selected  # filter chip with its label
    assert f'<option value="{department.name}" selected>' in selected
    chip = selected.split('class="chip"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert chip == "/zhengce/?q=%E8%A1%A5%E8%B4%B4"


def test_second_level_topic_chip_reads_as_a_path(client, library):
    html = page(client, topic="民政、扶贫、救灾\\社会福利")
    assert "主题分类：民政、扶贫、救灾 › 社会福利" in html and "共 2 件" not in html and "找到 2 件" in html


def test_addresses_of_the_former_page_redirect_to_names(client, library, department):
    response = client.get(reverse("portal:library"), {"q": "补贴", "organisation": department.code, "sort": "written"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"q": ["补贴"], "issuer": ["测试市教育局"], "sort": ["newest"]}
    code = Topic.objects.get(name="社会福利").code
    response = client.get(reverse("portal:library"), {"topic": code})
    assert parse_qs(urlsplit(response["Location"]).query) == {"topic": ["民政、扶贫、救灾\\社会福利"]}
    assert "找到 2 件" in client.get(response["Location"]).content.decode()
    html = page(client, organisation="NOSUCHORG")
    assert "发文机关筛选条件无效" in html and "全部政策文件，共 5 件" in html


def test_links_into_the_library_use_names(client, library, department):
    home = client.get("/").content.decode()
    assert "?topic=%E6%B0%91%E6%94%BF" in home  # 民政、扶贫、救灾
    column = client.get(reverse("portal:column", kwargs={"code": department.code})).content.decode()
    assert "?issuer=%E6%B5%8B%E8%AF%95%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80" in column


def test_sort_and_pagination(client, committed, department, editor, reviewer):
    for n in range(23):
        committed(published_document, organisation=department, by=editor, reviewer=reviewer, title=f"分页测试文件{n:02d}")
    first = portal_search(SearchQuery(q="分页测试", sort="newest"))
    assert first.total == 23 and first.num_pages == 2 and len(first.hits) == 20
    assert first.hits[0].document.title == "分页测试文件22"
    second = portal_search(SearchQuery(q="分页测试", sort="oldest", page=2))
    assert [h.document.title for h in second.hits] == ["分页测试文件20", "分页测试文件21", "分页测试文件22"]
    html = page(client, q="分页测试", page="99")
    assert "第 2 页，共 2 页" in html and 'rel="prev"' in html and results_part(html).count('class="hit"') == 3
    assert "成文日期" not in html.split('id="f-sort"')[1].split("</select>")[0]


def test_suggestions_follow_the_opensearch_format(client, library):
    response = client.get(reverse("portal:suggest"), {"q": "养老服务"})
    data = json.loads(response.content)
    assert data == ["养老服务", ["关于进一步做好养老服务补贴发放工作的通知"]]
    assert "测教发〔2024〕12号" in portal_suggest("测教发〔2024〕")
    assert portal_suggest("") == []
