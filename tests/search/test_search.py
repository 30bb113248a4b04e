"""Search behaviour on the real backends (FTS5 on SQLite, tsvector/GIN on PostgreSQL)."""

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai import text
from gongkai.documents import services
from gongkai.documents.models import DisclosureAttribute, Topic
from gongkai.documents.selectors import documents_public
from gongkai.documents.services import IssuerInput
from gongkai.search.selectors import FACETS, search_documents, search_suggest
from tests.documents.factories import review_for_publication


def ids(result):
    return [hit.document.pk for hit in result.hits]


def at(year: int, month: int = 6) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 1, 10))


# --- ranking ---------------------------------------------------------------------------------------------


def test_a_title_match_outranks_a_body_mention(publish):
    body_only = publish("关于学校食堂管理的通知", body="<p>做好义务教育阶段学校的食堂管理。</p>")
    in_title = publish("关于做好义务教育招生工作的通知", body="<p>各区要做好招生工作。</p>")
    assert ids(search_documents(q="义务教育"))[:2] == [in_title.pk, body_only.pk]


def test_a_doc_number_query_returns_that_document_first(publish):
    target = publish("关于调整收费标准的通知", doc_number="测教发〔2023〕5号")
    publish("关于测教发〔2023〕号文件执行情况的通知", body="<p>测教发 2023 5 号 收费 标准</p>")
    assert ids(search_documents(q="测教发〔2023〕5号"))[0] == target.pk
    result = search_documents(q="测教发〔2023〕5号")
    assert result.hits[0].pinned


@pytest.mark.parametrize("query", ["测教发2023 5号", "测教发[2023]5号", "测教发（2023）005号", "测教发(2023)第5号",
                                   "关于测教发〔2023〕5号的解读", "ＣＥ测教发〔２０２３〕５号"])
def test_sloppy_doc_numbers_find_the_document_first(publish, query):
    target = publish("关于调整收费标准的通知", doc_number="测教发〔2023〕5号")
    publish("关于调整收费标准的补充通知", doc_number="测教发〔2023〕6号", body="<p>调整 收费 标准 2023 5号</p>")
    assert ids(search_documents(q=query))[0] == target.pk


def test_an_index_number_query_returns_that_document(publish):
    target = publish("关于调整收费标准的通知")
    publish("关于其他事项的通知")
    assert ids(search_documents(q=target.index_no)) == [target.pk]


def test_a_word_inside_a_long_title_word_finds_the_title(publish):
    canteen = publish("关于加强学校食堂管理的通知", body="<p>各校要落实责任。</p>")
    assert text.words("学校食堂") == ["学校食堂"]  # one word to the segmenter
    assert ids(search_documents(q="食堂")) == [canteen.pk]


def test_a_quoted_phrase_must_occur(publish):
    phrase = publish("关于加强食堂管理的通知", body="<p>学校食堂管理要规范。</p>")
    apart = publish("关于管理学校的通知", body="<p>食堂要卫生，管理要规范。</p>")
    assert set(ids(search_documents(q="食堂 管理"))) == {phrase.pk, apart.pk}
    assert ids(search_documents(q='"食堂管理"')) == [phrase.pk]


def test_currently_valid_documents_rank_above_repealed_ones_at_equal_text(publish, reviewer, committed):
    old = publish("关于农村低保标准的通知", body="<p>农村低保标准。</p>", at=at(2020))
    new = publish("关于农村低保标准的通知", body="<p>农村低保标准。</p>", at=at(2020))
    committed(services.document_repeal, document=old, by=reviewer, effective_on=timezone.localdate(), reason="已被替代")
    assert ids(search_documents(q="农村低保标准")) == [new.pk, old.pk]


def test_sort_by_date_puts_the_newest_first(publish):
    older = publish("关于消防安全检查的通知", at=at(2019))
    newer = publish("关于消防工作的通知", body="<p>消防安全检查</p>", at=at(2024))
    assert ids(search_documents(q="消防安全检查", sort="date")) == [newer.pk, older.pk]


# --- query understanding and relaxation -------------------------------------------------------------------


def test_an_issuer_name_in_the_query_becomes_a_filter(publish, other_department, other_editor, committed):
    ours = publish("关于预算公开的通知")
    committed(services.document_create, organisation=other_department, by=other_editor, title="x")  # an org with docs
    theirs = publish("关于预算公开的通知", issuers=[IssuerInput(organisation=other_department)])
    result = search_documents(q="测试市财政局 预算公开")
    assert result.understood == {"issuer": "测试市财政局"}
    assert ids(result) == [theirs.pk]
    assert ours.pk in ids(search_documents(q="预算公开"))


def test_a_year_in_the_query_becomes_a_filter_when_it_leaves_results(publish):
    in_2019 = publish("关于防汛工作的通知", at=at(2019))
    publish("关于防汛工作的通知", at=at(2021))
    result = search_documents(q="2019年 防汛")
    assert result.understood == {"year": 2019} and ids(result) == [in_2019.pk]
    # A year no document has is not a filter but an ordinary word.
    assert search_documents(q="1999年 防汛").count == 2


def test_quoted_words_that_match_nothing_are_searched_without_their_quotes(publish):
    canteen = publish("关于加强食堂管理的通知", body="<p>学校食堂要规范。</p>")
    result = search_documents(q='“食堂卫生管理”的要求')
    assert result.quotes_ignored and ids(result) == [canteen.pk]
    exact = search_documents(q='"食堂管理"')
    assert not exact.quotes_ignored and ids(exact) == [canteen.pk]
    assert search_documents(q='"完全不存在的词句"').count == 0


def test_an_empty_result_within_filters_says_what_the_query_finds_without_them(publish):
    publish("关于加强食堂管理的通知", genre="notice", body="<p>学校食堂要规范。</p>")
    result = search_documents(q='"食堂卫生管理"', genre="opinion")
    assert result.count == 0 and not result.quotes_ignored
    assert result.relaxed_query == '"食堂卫生管理"' and result.relaxed_count == 1
    assert search_documents(q="完全不存在", genre="opinion").relaxed_query is None


def test_snippets_are_cut_from_the_original_text_and_highlighted(publish):
    publish("关于安全生产的通知", body="<p>第一条 前言。</p><p>第二条 企业应当建立&lt;安全生产&gt;责任制，落实安全生产责任。</p>")
    snippet = search_documents(q="安全生产责任").hits[0].snippet
    assert "<mark>安全生产</mark>" in snippet and "&lt;" in snippet and "<p>" not in snippet


# --- facets ------------------------------------------------------------------------------------------------


@pytest.fixture
def library(publish, reviewer, other_department, committed):
    education, finance = Topic.objects.get(code="11.02"), Topic.objects.get(code="04.01")
    docs = [
        publish("关于义务教育招生的通知", topic=education, genre="notice", at=at(2022), body="<p>学校 招生</p>"),
        publish("关于义务教育经费的意见", topic=finance, genre="opinion", at=at(2023), body="<p>经费 学校</p>"),
        publish("关于学校安全的通知", topic=education, genre="notice", at=at(2023), body="<p>学校 安全</p>",
                issuers=[IssuerInput(name="测试市教育局"), IssuerInput(organisation=other_department)]),
        publish("关于预算管理的办法", topic=finance, genre="normative", at=at(2021), body="<p>预算 学校经费</p>",
                issuers=[IssuerInput(organisation=other_department)]),
        publish("关于校车管理的通知", genre="notice", at=at(2023), body="<p>校车 学校</p>"),
    ]
    committed(services.document_repeal, document=docs[0], by=reviewer, effective_on=timezone.localdate(), reason="废止")
    return docs


def brute_force_facets(documents) -> dict[str, Counter]:
    counts = {name: Counter() for name in FACETS}
    for d in documents:
        for name in {i.display_name for i in d.issuers.all()}:
            counts["issuer"][name] += 1
        if d.topic:
            counts["topic"][d.topic.parent.name if d.topic.parent_id else d.topic.name] += 1
            if d.topic.parent_id:
                counts["topic"][d.topic.label] += 1
        counts["genre"][d.genre] += 1
        counts["validity"][d.validity] += 1
        counts["year"][str(timezone.localtime(d.published_at).year)] += 1
    return counts


def as_counters(facets) -> dict[str, Counter]:
    return {name: Counter({f["value"]: f["count"] for f in values}) for name, values in facets.items()}


@pytest.mark.parametrize("query,filters", [
    ("", {}), ("学校", {}), ("义务教育", {}), ("学校", {"genre": "notice"}), ("学校", {"topic": "科技、教育"}),
    ("学校", {"topic": "科技、教育\\教育"}), ("学校", {"issuer": "测试市财政局"}), ("", {"year": 2023}),
    ("学校", {"validity": "valid", "year": 2023}),
])
def test_facet_counts_equal_brute_force_counts_of_the_results(library, query, filters):
    result = search_documents(q=query, page_size=100, **filters)
    returned = [hit.document for hit in result.hits]
    assert result.count == len(returned) > 0
    assert as_counters(result.facets) == brute_force_facets(returned)


def test_unfiltered_browsing_counts_equal_the_public_library(library):
    result = search_documents(page_size=100)
    assert set(ids(result)) == set(documents_public().values_list("pk", flat=True))
    assert as_counters(result.facets) == brute_force_facets(documents_public())


def test_each_facet_count_is_the_count_of_selecting_it(library):
    result = search_documents(q="学校")
    for name in FACETS:
        for facet in result.facets[name]:
            value = int(facet["value"]) if name == "year" else facet["value"]
            assert search_documents(q="学校", **{name: value}).count == facet["count"], (name, value)


# --- visibility and index updates --------------------------------------------------------------------------


def test_drafts_withdrawn_and_undisclosed_documents_never_reach_the_public(publish, draft, reviewer, committed, editor):
    public = publish("关于垃圾分类的通知")
    draft("关于垃圾分类的草稿")
    withdrawn = publish("关于垃圾分类的旧通知")
    committed(services.document_withdraw, document=withdrawn, by=reviewer, reason="内容有误")
    draft("关于垃圾分类的内部文件", disclosure_attribute=DisclosureAttribute.ON_REQUEST, disclosure_reason="过程性信息")
    assert ids(search_documents(q="垃圾分类")) == [public.pk]
    assert [s["id"] for s in search_suggest(prefix="垃圾分类")] == [public.pk]
    assert search_documents(q="垃圾分类", user=None).count == 1


def test_staff_also_find_their_own_organisations_drafts_but_not_others(publish, draft, editor, other_editor, committed,
                                                                       other_department):
    publish("关于垃圾分类的通知")
    mine = draft("关于垃圾分类的草稿")
    theirs = committed(services.document_create, organisation=other_department, by=other_editor, title="垃圾分类草稿")
    assert mine.pk in ids(search_documents(q="垃圾分类", user=editor))
    assert theirs.pk not in ids(search_documents(q="垃圾分类", user=editor))
    assert theirs.pk in ids(search_documents(q="垃圾分类", user=other_editor))
    assert mine.pk not in ids(search_documents(q="垃圾分类", user=other_editor))


def test_the_index_follows_publication_correction_repeal_and_withdrawal(draft, editor, reviewer, committed):
    document = draft("关于河道保洁的通知", body="<p>河道保洁。</p>")
    assert search_documents(q="河道保洁").count == 0
    committed(services.document_submit, document=document, by=editor)
    committed(services.document_approve, document=document, by=reviewer)
    committed(review_for_publication, document)
    document = committed(services.document_publish, document=document, by=reviewer)
    assert ids(search_documents(q="河道保洁")) == [document.pk]
    document = committed(services.document_update, document=document, by=editor, title="关于湖泊保洁的通知",
                         reason="标题有误")
    assert ids(search_documents(q="湖泊")) == [document.pk]
    assert search_documents(q="河道").count == 1  # still in the body
    committed(services.document_repeal, document=document, by=reviewer, effective_on=timezone.localdate(), reason="x")
    assert search_documents(q="湖泊").facets["validity"] == [{"value": "repealed", "count": 1}]
    committed(services.document_withdraw, document=document, by=reviewer, reason="撤回")
    assert search_documents(q="湖泊").count == 0


# --- suggestions, commands ---------------------------------------------------------------------------------


def test_suggestions_match_title_prefixes_short_forms_and_doc_numbers(publish):
    target = publish("关于推进政务公开标准化的通知", doc_number="测教发〔2023〕7号")
    publish("关于加强校园安全的通知")
    assert [s["id"] for s in search_suggest(prefix="关于推进")] == [target.pk]
    assert [s["id"] for s in search_suggest(prefix="推进政务")] == [target.pk]
    assert [s["id"] for s in search_suggest(prefix="测教发〔2023〕7")] == [target.pk]
    assert [s["id"] for s in search_suggest(prefix="测教发2023")] == [target.pk]
    assert search_suggest(prefix="不存在的标题") == []


def test_reindex_rebuilds_the_index_with_progress(publish):
    target = publish("关于河道保洁的通知")
    before = ids(search_documents(q="河道保洁"))
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "1/1" in out.getvalue()
    assert ids(search_documents(q="河道保洁")) == before == [target.pk]


def test_search_command_prints_results_and_json_lines(publish, monkeypatch):
    target = publish("关于河道保洁的通知")
    out = io.StringIO()
    call_command("search", "河道保洁", stdout=out)
    assert "关于河道保洁的通知" in out.getvalue()
    out = io.StringIO()
    call_command("search", "河道保洁", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["count"] == 1 and data["results"][0]["id"] == target.pk and set(data["facets"]) == set(FACETS)
    monkeypatch.setattr("sys.stdin", io.StringIO("河道保洁\n不存在的词语\n"))
    out = io.StringIO()
    call_command("search", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["count"] for line in lines] == [1, 0]
