"""A query that names a document ranks it first (issue 17.2); a mistyped word gets a correction from
the index's own vocabulary (issue 17.3). Real index on the test database, documents through the services."""

import datetime as dt

from django.utils import timezone

from gongkai.search.selectors import search_documents


def ids(result):
    return [hit.document.pk for hit in result.hits]


def at(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 6, 1, 10))


def _labour_laws(publish):
    """The law and its relatives, the relatives holding its name more often (they ranked above it)."""
    law = publish("中华人民共和国劳动合同法", body="<p>为了完善劳动合同制度，明确劳动合同双方当事人的权利和义务，制定本法。</p>",
                  at=at(2012))
    relatives = [
        publish("中华人民共和国劳动合同法实施条例",
                body="<p>为了贯彻实施《中华人民共和国劳动合同法》（以下简称劳动合同法），制定本条例。劳动合同法规定……"
                     "依照劳动合同法第十四条、劳动合同法第三十九条的规定。</p>", at=at(2008)),
        publish("最高人民法院关于审理劳动争议案件适用法律问题的解释",
                body="<p>根据劳动合同法、劳动合同法实施条例，劳动合同法第二十六条，劳动合同法的规定。</p>", at=at(2020)),
        publish("关于贯彻执行劳动合同法的通知", body="<p>认真贯彻劳动合同法，宣传劳动合同法，落实劳动合同法。</p>", at=at(2021)),
    ]
    return law, relatives


def test_the_short_title_of_a_law_ranks_the_law_first(publish):
    law, relatives = _labour_laws(publish)
    result = search_documents(q="劳动合同法")
    assert ids(result)[0] == law.pk
    assert result.hits[0].named and not result.hits[0].pinned
    assert set(ids(result)[1:]) == {r.pk for r in relatives}  # the relatives are still found, after it
    assert not any(hit.named for hit in result.hits[1:])


def test_the_full_title_with_book_marks_and_spaces_ranks_the_law_first(publish):
    law, _relatives = _labour_laws(publish)
    for query in ("《中华人民共和国劳动合同法》", "中华人民共和国 劳动合同法", "《劳动合同法》"):
        assert ids(search_documents(q=query))[0] == law.pk, query


def test_a_relative_named_exactly_ranks_first_too(publish):
    _law, relatives = _labour_laws(publish)
    assert ids(search_documents(q="劳动合同法实施条例"))[0] == relatives[0].pk


def test_every_version_of_a_named_law_comes_before_its_relatives(publish):
    old = publish("中华人民共和国行政复议法", body="<p>为了防止和纠正违法的具体行政行为，制定本法。</p>", at=at(1999))
    new = publish("中华人民共和国行政复议法", body="<p>为了防止和纠正违法的或者不当的行政行为，制定本法。</p>", at=at(2023))
    rules = publish("中华人民共和国行政复议法实施条例",
                    body="<p>根据《中华人民共和国行政复议法》（以下简称行政复议法），制定本条例。行政复议法 行政复议法</p>",
                    at=at(2007))
    order = ids(search_documents(q="行政复议法"))
    assert set(order[:2]) == {old.pk, new.pk} and order[2] == rules.pk
    assert order[0] == new.pk  # the newer version first (the recency boost still orders the named ones)


def test_a_name_does_not_leak_a_document_the_public_may_not_see(publish, draft):
    hidden = draft("中华人民共和国劳动合同法")
    assert hidden.pk not in ids(search_documents(q="劳动合同法"))


def test_a_name_respects_the_filters(publish):
    law, relatives = _labour_laws(publish)
    assert law.pk not in ids(search_documents(q="劳动合同法", year=2020))


def test_a_word_that_is_part_of_a_title_is_not_a_name(publish):
    law, _relatives = _labour_laws(publish)
    result = search_documents(q="劳动合同")
    assert not any(hit.named for hit in result.hits)


def test_date_order_is_unchanged_by_a_name(publish):
    law, relatives = _labour_laws(publish)
    order = ids(search_documents(q="劳动合同法", sort="date"))
    assert order[0] == relatives[2].pk and order[-1] == relatives[0].pk


# --- did you mean (issue 17.3) ----------------------------------------------------------------------------


def _review_library(publish):
    return [publish(f"关于做好行政复议工作的通知（{n}）", body=f"<p>依法办理行政复议案件，行政复议机关应当……第{n}条。</p>")
            for n in range(4)] + [publish("关于加强行政执法的通知", body="<p>规范行政执法行为。</p>")]


def test_a_mistyped_word_gets_a_correction_from_the_index(publish):
    _review_library(publish)
    result = search_documents(q="行政复义")
    assert result.suggestion == "行政复议"
    assert result.corrected_from is None  # the original still finds its loose results (行政), which are shown
    assert result.count >= 1


def test_a_mistyped_query_that_finds_little_is_searched_as_its_correction(publish):
    reviews = _review_library(publish)
    result = search_documents(q="复义")
    assert result.suggestion == "复议" and result.corrected_from == "复义"
    assert set(ids(result)) >= {r.pk for r in reviews[:4]}
    as_typed = search_documents(q="复义", correct=False)
    assert as_typed.suggestion == "复议" and as_typed.corrected_from is None and as_typed.count < result.count


def test_a_character_of_similar_shape_is_corrected(publish):
    for n in range(3):
        publish(f"关于优化营商环境的意见（{n}）", body="<p>持续优化营商环境。</p>")
    assert search_documents(q="营商坏境").suggestion == "营商环境"


def test_correct_words_get_no_correction(publish):
    _review_library(publish)
    for n in range(3):
        publish(f"关于水费收缴的通知（{n}）", body="<p>按时缴纳水费。</p>")
    for query in ("行政复议", "水费", "行政执法", "行政复议 通知"):
        assert search_documents(q=query).suggestion is None, query


def test_a_correction_the_library_does_not_hold_is_not_offered(publish):
    publish("关于加强行政执法的通知", body="<p>规范行政执法行为。</p>")
    assert search_documents(q="行政复义").suggestion is None  # no document holds 行政复议


def test_the_portal_offers_the_correction_and_the_words_as_typed(publish, client):
    _review_library(publish)
    page = client.get("/zhengce/", {"q": "复义"}).content.decode()
    assert "以下是“" in page and "复议" in page and "exact=1" in page
    exact = client.get("/zhengce/", {"q": "复义", "exact": "1"}).content.decode()
    assert "以下是“" not in exact and "您是不是要找" in exact


def test_the_api_notes_the_correction(publish, client):
    _review_library(publish)
    data = client.get("/api/v1/documents", {"q": "行政复义"}).json()
    assert data["did_you_mean"] == {"q": "行政复议", "searched": False}


# --- quotes and recognised filters inside a question -------------------------------------------------------


def test_quoted_text_inside_a_question_ranks_but_does_not_exclude(publish):
    app = publish("关于交通事故快处的说明", body="<p>登录交管12123APP，选择事故快处，查看自行协商协议书。</p>")
    other = publish("关于交管服务平台的说明", body="<p>交管 12123 平台提供驾驶证业务。</p>")
    result = search_documents(q="使用“交管12123平台”APP事故快处后，如何查看自行协商协议书？")
    assert ids(result)[0] == app.pk and other.pk in ids(result)
    assert not result.quotes_ignored
    assert search_documents(q="“交管12123平台”").count == 1  # alone, the quotes still demand the wording


def test_a_year_inside_a_question_is_a_word_not_a_filter(publish):
    answer = publish("关于城乡居民养老保险缴费标准的通知", body="<p>2024年缴费档次标准调整为……</p>", at=at(2024))
    publish("关于防汛工作的通知", body="<p>2023年防汛。</p>", at=at(2023))
    result = search_documents(q="2023年城乡居民养老保险的缴费标准是多少")
    assert result.understood == {} and ids(result)[0] == answer.pk
