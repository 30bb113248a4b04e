"""GET /api/v1/documents?q=…: the search behind the API's list, with snippets, scores and facets."""

import pytest
from rest_framework.test import APIClient

from gongkai.documents.models import Topic

URL = "/api/v1/documents"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def indexed(publish, draft):
    education = Topic.objects.get(code="11.02")
    return {
        "target": publish("关于推进义务教育均衡发展的通知", doc_number="测教发〔2023〕5号", topic=education,
                          body="<p>各学校要推进义务教育均衡发展。</p>"),
        "other": publish("关于学校食堂管理的通知", body="<p>义务教育阶段学校食堂。</p>"),
        "draft": draft("关于义务教育的草稿"),
    }


def test_q_returns_ranked_results_with_snippets_scores_and_facets(api, indexed):
    body = api.get(URL, {"q": "义务教育"}).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["id"] == indexed["target"].pk
    assert {"id", "external_id", "title", "doc_number", "issuer", "published_at", "validity", "url", "snippet",
            "score"} <= set(first)
    assert "<mark>义务教育</mark>" in first["snippet"] and first["score"] > 0
    assert set(body["facets"]) == {"issuer", "topic", "genre", "validity", "year", "tag"}
    assert {"value": "测试市教育局", "label": "测试市教育局", "count": 2} in body["facets"]["issuer"]


def test_facet_values_work_as_filter_values(api, indexed):
    facets = api.get(URL, {"q": "义务教育"}).json()["facets"]
    for name in ("topic", "genre", "validity", "year", "issuer"):
        for facet in facets[name]:
            assert api.get(URL, {"q": "义务教育", name: facet["value"]}).json()["count"] == facet["count"], name


def test_a_sloppy_doc_number_in_q_comes_first(api, indexed):
    assert api.get(URL, {"q": "测教发2023 5号"}).json()["results"][0]["id"] == indexed["target"].pk


def test_the_api_says_when_quotes_were_ignored_and_what_the_filters_hid(api, indexed):
    body = api.get(URL, {"q": "“义务教育食堂”"}).json()
    assert body["quotes_ignored"] is True and body["count"] == 2
    assert "quotes_ignored" not in api.get(URL, {"q": "“义务教育”"}).json()
    hidden = api.get(URL, {"q": "义务教育", "genre": "opinion"}).json()
    assert hidden["count"] == 0 and hidden["relaxed_query"] == {"q": "义务教育", "count": 2}


def test_drafts_never_reach_the_public_but_staff_scope_finds_them(api, indexed, editor):
    assert indexed["draft"].pk not in [r["id"] for r in api.get(URL, {"q": "义务教育"}).json()["results"]]
    api.force_authenticate(editor)
    staff = api.get(URL, {"q": "义务教育", "scope": "staff"}).json()
    assert indexed["draft"].pk in [r["id"] for r in staff["results"]]


def test_other_list_filters_keep_their_meaning_with_q(api, indexed):
    body = api.get(URL, {"q": "义务教育", "doc_number": "测教发〔2023〕5号"}).json()
    assert [r["id"] for r in body["results"]] == [indexed["target"].pk]


@pytest.mark.parametrize("params,field", [
    ({"sort": "relevance"}, "sort"), ({"q": "教育", "sort": "title"}, "sort"), ({"q": "教" * 201}, "q"),
    ({"q": "教育", "page_size": 1000}, "page_size"), ({"q": "教育", "genre": "poem"}, "genre"),
])
def test_bad_parameters_get_a_400_naming_the_parameter(api, indexed, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_suggestions_endpoint_returns_public_title_prefixes(api, indexed):
    body = api.get("/api/v1/documents/suggest", {"q": "推进义务"}).json()
    assert body["results"] == [{"id": indexed["target"].pk, "title": "关于推进义务教育均衡发展的通知",
                                "doc_number": "测教发〔2023〕5号"}]
    assert api.get("/api/v1/documents/suggest", {"q": "关于义务教育的草"}).json()["results"] == []
    assert api.get("/api/v1/documents/suggest", {"q": "x", "limit": 50}).status_code == 400
