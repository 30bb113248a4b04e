"""What makes search fast on a large library, checked on a small one: the common-terms rule, the
rescore window under filters, and the in-memory columns following every index write."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.search import columns as columns_module
from gongkai.search import selectors
from gongkai.search.backends import MatchQuery, get_backend
from gongkai.search.models import SearchChange
from gongkai.search.selectors import search_documents
from gongkai.search.services import search_reindex


def ids(result):
    return {hit.document.pk for hit in result.hits}


@pytest.fixture
def schools(publish):
    """学校 is in every document, 经费 in two, 校车 and 招生 in one each."""
    return {
        "bus": publish("关于校车管理的通知", body="<p>学校 校车 安全</p>"),
        "enrol": publish("关于义务教育招生的通知", body="<p>学校 招生 工作</p>"),
        "funds": publish("关于义务教育经费的意见", genre="opinion", body="<p>学校 经费 保障</p>"),
        "budget": publish("关于预算管理的办法", genre="normative", body="<p>学校 经费 预算</p>"),
        "safety": publish("关于学校安全的通知", body="<p>学校 安全 检查</p>"),
    }


@pytest.fixture
def small_cutoff(monkeypatch):
    """A word in more than half of the library (and more than 2 documents) is common."""
    monkeypatch.setattr(selectors, "COMMON_TERM_MIN_DOCS", 2)
    monkeypatch.setattr(selectors, "COMMON_TERM_RATIO", 0.5)


def test_below_the_size_threshold_every_word_selects(schools):
    assert search_documents(q="学校 校车").count == 5


def test_a_common_word_only_ranks_documents_that_hold_a_rarer_word(schools, small_cutoff):
    result = search_documents(q="学校 校车")
    assert ids(result) == {schools["bus"].pk}
    assert result.count == 1


def test_the_common_terms_rule_scores_exactly_like_the_plain_query(schools, small_cutoff):
    """The split expressions write every word once, so no word is counted twice (FTS5's bm25 would)."""
    backend = get_backend()
    split = MatchQuery(terms=["学校", "经费", "预算"], sequence=["学校", "经费", "预算"], common=["学校"])
    plain = MatchQuery(terms=split.terms, sequence=split.sequence)
    with connection.cursor() as cursor:
        ranked = backend.ranked(cursor, split, 10)
        sql, params = backend.match_sql(plain)
        cursor.execute(sql, params)
        everything = dict(cursor.fetchall())
    assert len(ranked) < 10  # every match was returned
    assert {i for i, _s in ranked} == {schools["funds"].pk, schools["budget"].pk}
    for document_id, score in ranked:
        assert score == pytest.approx(everything[document_id], rel=1e-9)
    assert [i for i, _s in ranked] == sorted(dict(ranked), key=lambda i: -everything[i])


def test_when_every_word_is_common_all_of_them_are_required(schools, small_cutoff, monkeypatch):
    monkeypatch.setattr(selectors, "COMMON_TERM_RATIO", 0.2)  # 经费 (2 of 5) is common too now
    assert ids(search_documents(q="学校 经费")) == {schools["funds"].pk, schools["budget"].pk}


def test_common_words_that_never_meet_fall_back_to_any_word(schools, small_cutoff, monkeypatch):
    monkeypatch.setattr(selectors, "COMMON_TERM_RATIO", 0.2)  # 经费 and 安全 (2 of 5 each) are common
    result = search_documents(q="经费 安全")
    assert ids(result) == {schools[k].pk for k in ("funds", "budget", "bus", "safety")}


def test_filters_that_leave_few_of_the_best_matches_still_find_every_result(schools, monkeypatch, department):
    monkeypatch.setattr(selectors, "RESCORE_WINDOW", 1)
    everything = search_documents(q="学校 安全 经费", page_size=100)
    notices = search_documents(q="学校 安全 经费", genre="notice", page_size=100)
    expected = {hit.document.pk for hit in everything.hits if hit.document.genre == "notice"}
    assert ids(notices) == expected and notices.count == len(expected) == 3


def test_the_columns_follow_each_index_write_reading_only_the_new_rows(schools, publish, monkeypatch):
    before = columns_module.columns()
    reads = []
    real_read = columns_module._read
    monkeypatch.setattr(columns_module, "_read", lambda since: reads.append(since) or real_read(since))
    added = publish("关于校园食品安全的通知", body="<p>食堂</p>")
    after = columns_module.columns()
    assert reads == [before.change_id]
    assert after.change_id > before.change_id
    assert after.public[after.positions([added.pk])[0]]
    assert columns_module.columns() is after  # nothing new: the same snapshot, nothing read
    assert reads == [before.change_id]
    assert ids(search_documents(q="食堂")) == {added.pk}


def test_a_change_id_reused_after_a_rollback_makes_the_columns_read_everything(schools, monkeypatch):
    loaded = columns_module.columns()
    SearchChange.objects.filter(pk=loaded.change_id).update(token="another-transaction")
    reads = []
    real_read = columns_module._read
    monkeypatch.setattr(columns_module, "_read", lambda since: reads.append(since) or real_read(since))
    assert columns_module.columns().token == "another-transaction"
    assert reads == [None]



def test_columns_ahead_of_the_database_after_a_rollback_are_read_again(schools):
    loaded = columns_module.columns()
    newest = (loaded.change_id, loaded.token)
    loaded.change_id, loaded.token = loaded.change_id + 1000, "rolled back"
    again = columns_module.columns()
    assert (again.change_id, again.token) == newest
    assert columns_module.columns() is again


def index_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_id, is_public, title, genre, topic FROM search_searchentry ORDER BY document_id")
        entries = cursor.fetchall()
        cursor.execute("SELECT entry_id, key FROM search_searchsuggestion ORDER BY entry_id, key")
        return entries, cursor.fetchall()


def all_scores(words):
    backend = get_backend()
    with connection.cursor() as cursor:
        sql, params = backend.match_sql(MatchQuery(terms=words))
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


def test_a_rebuild_with_a_worker_process_writes_the_same_index(schools, publish, department):
    from gongkai.core.models import Organisation

    # An organisation name added to the dictionary at run time must reach the worker too.
    Organisation.objects.create(code="X1", name="测试市河湖长制办公室", parent=department)
    river = publish("测试市河湖长制办公室关于河道保洁的通知", body="<p>测试市河湖长制办公室 河道</p>")
    query = "测试市河湖长制办公室 河道 学校"
    search_reindex(batch_size=2, workers=0)
    serial = search_documents(q=query, page_size=100)
    rows, scores = index_rows(), all_scores(["测试市河湖长制办公室", "河道", "学校", "安全"])
    progress = []
    assert search_reindex(batch_size=2, workers=1, progress=lambda d, t: progress.append((d, t))) == 6
    assert progress[-1] == (6, 6) and len(progress) == 3
    assert index_rows() == rows
    assert all_scores(["测试市河湖长制办公室", "河道", "学校", "安全"]) == scores
    parallel = search_documents(q=query, page_size=100)
    assert [(h.document.pk, h.score) for h in parallel.hits] == [(h.document.pk, h.score) for h in serial.hits]
    assert parallel.hits[0].document == river
    assert [i for i, _s in all_scores(["测试市河湖长制办公室"])] == [river.pk]  # one word in the worker too


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL estimates from its planner statistics")
def test_postgresql_document_frequencies_from_statistics_decide_like_exact_counts(schools):
    backend = get_backend()
    with connection.cursor() as cursor:
        exact = {"学校": 5, "经费": 2, "校车": 1, "不存在": 0}
        backend.rebuilt(cursor)  # ANALYZE: the most common lexemes and their shares
        from gongkai.search.backends.postgres import _element_statistics

        assert _element_statistics(cursor) is not None
        for above in (0, 1, 2, 4):
            estimated = backend.document_frequencies(cursor, list(exact), above=above, size=5)
            assert {t for t, n in estimated.items() if n > above} == {t for t, n in exact.items() if n > above}, above
        with CaptureQueriesContext(connection) as queries:
            assert backend.document_frequencies(cursor, ["学校"], above=2, size=5) == {"学校": 5}
        assert not any("count(*)" in q["sql"] for q in queries.captured_queries)  # settled by the statistics


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
@pytest.mark.parametrize("before", ["on", "off"])
def test_postgresql_matching_through_the_index_leaves_the_planner_setting_as_it_was(schools, before):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {before}")
        found = get_backend().matched_ids(cursor, MatchQuery(terms=["学校"]))
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == before and len(found) == 5
