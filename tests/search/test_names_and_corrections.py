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
