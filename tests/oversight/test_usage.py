"""Usage statistics: counted per day and key, no IP or personal data, zero-result searches, referrer domains,
retention."""

import datetime as dt

import pytest

from gongkai.oversight import selectors, services
from gongkai.oversight.models import UsageDaily


@pytest.fixture(autouse=True)
def empty_buffer():
    services.usage_discard()  # hits buffered by earlier tests of this process


def test_counts_are_aggregated_per_day_and_key(db):
    for _ in range(3):
        services.usage_record(kind="document", key="42")
    services.usage_record(kind="document", key="7")
    services.usage_flush()
    services.usage_record(kind="document", key="42")
    services.usage_flush()
    day = dt.date(2026, 11, 23)
    assert UsageDaily.objects.get(kind="document", key="42").count == 4
    assert selectors.usage_top(kind="document", since=day, until=day) == [("42", 4), ("7", 1)]


def test_zero_result_queries_and_referrer_domains_only(db):
    services.usage_record_search(query="  出租车  补贴 ", results=0)
    services.usage_record_search(query="出租车 补贴", results=0)
    services.usage_record_search(query="养老金", results=12)
    services.usage_record_referrer(referrer="https://www.baidu.com/s?wd=%E5%85%AC%E5%BC%80&uid=123", own_host="gov.example")
    services.usage_record_referrer(referrer="https://gov.example/zhengce/", own_host="gov.example:8000")
    services.usage_flush()
    day = dt.date(2026, 11, 23)
    assert selectors.usage_top(kind="search_zero", since=day, until=day) == [("出租车 补贴", 2)]
    assert selectors.usage_total(kind="search", since=day, until=day) == 3
    assert list(UsageDaily.objects.filter(kind="referrer").values_list("key", flat=True)) == ["www.baidu.com"]
    field_names = {f.name for f in UsageDaily._meta.get_fields()}
    assert field_names == {"id", "day", "kind", "key", "count"}  # nothing that could identify a visitor


def test_rows_older_than_the_retention_are_pruned(db):
    UsageDaily.objects.create(day=dt.date(2025, 9, 1), kind="page", key="/", count=5)
    UsageDaily.objects.create(day=dt.date(2026, 11, 1), kind="page", key="/", count=5)
    assert services.usage_prune(today=dt.date(2026, 11, 23), keep_days=400) == 1
    assert UsageDaily.objects.count() == 1


def test_docs_list_every_indicator_with_its_formula_and_source():
    from pathlib import Path

    from gongkai.oversight import conf

    text = (Path(__file__).resolve().parents[2] / "docs" / "oversight.md").read_text()
    for d in conf.INDICATORS:
        assert f"`{d.code}`" in text and d.formula in text and d.source in text, d.code


def test_a_due_buffer_is_written_by_the_flusher_thread_not_on_the_request_path(settings, monkeypatch):
    import threading

    settings.OVERSIGHT_USAGE_FLUSH_EVERY = 2
    settings.OVERSIGHT_USAGE_FLUSH_IN_THREAD = True
    seen, done = [], threading.Event()

    def flush():
        seen.append(threading.current_thread().name)
        done.set()
        return 0

    monkeypatch.setattr(services, "usage_flush", flush)
    services.usage_hits([("page", "/a/"), ("document", "1")])  # due: 2 hits
    assert done.wait(5)
    assert seen and set(seen) == {"usage-flush"}


def test_a_failed_flush_keeps_the_counts_for_the_next_one(db, monkeypatch):
    services.usage_record(kind="document", key="42")

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(UsageDaily.objects, "filter", broken)
    with pytest.raises(RuntimeError):
        services.usage_flush()
    monkeypatch.undo()
    assert services.usage_flush() == 1
    assert UsageDaily.objects.get(kind="document", key="42").count == 1
