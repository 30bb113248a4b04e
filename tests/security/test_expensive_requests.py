"""Issue 15.1: one anonymous client cannot stall the portal with searches.

A per-client limit on the expensive public requests (429 with Retry-After), a bounded number of them at a
time on the host (503 with Retry-After once the wait for a slot is over, while page views go on), a time
budget for each query of such a request, and the API search cached like the portal's search page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from gongkai.core import pagecache
from gongkai.core.ratelimit import QueryTimeBudgetExceeded, concurrency_slot, query_time_budget
from gongkai.search.models import SearchEntry
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

SEARCHES = ["/zhengce/?q=教育", "/zhengce/suggest/?q=教", "/feeds/search.atom?q=教育", "/api/v1/documents?q=教育",
            "/api/v1/documents/suggest?q=教"]


@pytest.fixture
def notice(department, committed):
    return committed(published_document, organisation=department, by=None, title="关于加强中小学教育工作的通知",
                     doc_number="测教发〔2023〕5号")


@pytest.mark.parametrize("url", SEARCHES)
@override_settings(EXPENSIVE_LIMIT_PER_CLIENT="3/60")
def test_a_client_over_the_search_limit_gets_429_with_retry_after(notice, url):
    client = Client()
    for n in range(3):
        assert client.get(f"{url}{n}").status_code == 200
    refused = client.get(f"{url}9")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "请求过于频繁" in refused.content.decode()
    if url.startswith("/api/"):
        assert refused.json()["error"]["code"] == "rate_limited"
    # Another address is not affected, and neither are this client's page views.
    assert Client(REMOTE_ADDR="10.0.0.2").get(f"{url}9").status_code == 200
    assert client.get(f"/zhengce/{notice.index_no}/").status_code == 200
    assert client.get("/api/v1/documents").status_code == 200


@override_settings(EXPENSIVE_CONCURRENCY=1, EXPENSIVE_QUEUE_SECONDS=0.2)
def test_searches_wait_briefly_for_a_free_slot_then_get_503_while_page_views_go_on(notice):
    client = Client()
    with concurrency_slot("search", slots=1, wait=0):  # another worker is searching
        busy = client.get("/zhengce/?q=教育")
        assert busy.status_code == 503 and busy["Retry-After"]
        assert "检索请求较多" in busy.content.decode()
        assert client.get("/api/v1/documents?q=教育").json()["error"]["code"] == "busy"
        assert client.get(f"/zhengce/{notice.index_no}/").status_code == 200

    released = threading.Event()

    def hold():
        with concurrency_slot("search", slots=1, wait=0):
            released.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        threading.Timer(0.05, released.set).start()  # the other search ends within the wait
        assert client.get("/zhengce/?q=教育").status_code == 200
    finally:
        released.set()
        holder.join()


def slow_query():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(3)")
        else:
            cursor.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) "
                           "SELECT count(*) FROM c")
        return cursor.fetchone()


def test_a_query_past_its_time_budget_is_ended():
    with pytest.raises(QueryTimeBudgetExceeded), query_time_budget(0.2):
        slow_query()
    # The connection works afterwards, without a budget.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_query_within_its_budget_runs():
    with query_time_budget(5), connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


def test_the_anonymous_api_search_is_cached_like_the_search_page(notice, monkeypatch, committed):
    monkeypatch.setattr(pagecache, "SEARCH_SETTLE_SECONDS", 0)
    client = Client()
    first = client.get("/api/v1/documents?q=教育")
    assert first.status_code == 200 and first.json()["count"] == 1
    index_table = SearchEntry._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/documents?q=教育")
    assert again.json() == first.json()
    assert not [q for q in queries.captured_queries if index_table in q["sql"]]
    # A new version of the content (any audit event) is a new answer.
    committed(published_document, organisation=notice.organisation, by=None, title="教育督导办法")
    assert client.get("/api/v1/documents?q=教育").json()["count"] == 2
