import pytest

from gongkai.core.models import Role
from tests.conftest import make_user
from tests.documents.factories import published_document

from .conftest import ids, local, published_on

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents"


def test_public_list_shows_only_published_proactive_documents_newest_first(api, library):
    response = api.get(URL)
    body = response.json()
    assert ids(response) == [d.pk for d in library.public]
    assert body["count"] == 5
    assert body["next"] is None and body["previous"] is None
    assert body["facets"] == {}


def test_public_list_hides_drafts_withdrawn_and_non_proactive_documents(api, library):
    hidden = {library.draft.pk, library.other_draft.pk, library.withdrawn.pk, library.on_request.pk, library.not_disclosed.pk}
    assert not hidden & set(ids(api.get(URL, {"page_size": 100})))


def test_logged_in_staff_without_scope_see_the_public_list(api, library, editor):
    api.force_authenticate(editor)
    assert ids(api.get(URL)) == [d.pk for d in library.public]


def test_list_item_has_the_search_result_shape(api, library):
    row = api.get(URL, {"doc_number": "测教发〔2023〕5号"}).json()["results"][0]
    assert {"id", "external_id", "title", "doc_number", "issuer", "published_at", "validity", "url", "snippet", "score"} <= set(row)
    assert row["title"] == "关于加强中小学教育工作的通知"
    assert row["issuer"] == "测试市教育局"
    assert row["published_at"] == "2023-03-10T10:00:00+08:00"
    assert row["validity"] == "valid" and row["validity_label"] == "有效"
    assert row["genre"] == "notice" and row["genre_label"] == "通知"
    assert row["topic"] == "11.02" and row["topic_label"] == "科技、教育\\教育"
    assert row["url"] == f"http://testserver/api/v1/documents/{library.notice.pk}"
    assert row["snippet"] is None and row["score"] is None


def test_joint_document_lists_every_issuer(api, library):
    row = api.get(URL, {"genre": "opinion"}).json()["results"][0]
    assert row["issuer"] == "测试市教育局、测试市人力资源和社会保障局"
    assert row["issuers"] == [
        {"name": "测试市教育局", "organisation": "TEST00002"},
        {"name": "测试市人力资源和社会保障局", "organisation": None},
    ]


# --- Permission scoping through the API ------------------------------------------------------------------


def test_staff_scope_adds_own_organisations_drafts_but_not_another_organisations(api, library, editor):
    api.force_authenticate(editor)
    seen = set(ids(api.get(URL, {"scope": "staff", "page_size": 100})))
    assert {library.draft.pk, library.withdrawn.pk, library.on_request.pk} <= seen
    assert library.other_draft.pk not in seen
    assert library.not_disclosed.pk not in seen
    assert {d.pk for d in library.public} <= seen


def test_other_organisations_editor_sees_their_drafts_and_not_ours(api, library, other_editor):
    api.force_authenticate(other_editor)
    seen = set(ids(api.get(URL, {"scope": "staff", "page_size": 100})))
    assert {library.other_draft.pk, library.not_disclosed.pk} <= seen
    assert not {library.draft.pk, library.withdrawn.pk, library.on_request.pk} & seen


def test_office_admin_staff_scope_covers_descendant_organisations(api, library, office_admin):
    api.force_authenticate(office_admin)
    seen = set(ids(api.get(URL, {"scope": "staff", "page_size": 100})))
    assert {library.draft.pk, library.other_draft.pk, library.on_request.pk, library.not_disclosed.pk} <= seen


def test_staff_scope_undated_drafts_come_last(api, library, editor):
    api.force_authenticate(editor)
    rows = api.get(URL, {"scope": "staff", "page_size": 100}).json()["results"]
    dated = [r["published_at"] is not None for r in rows]
    assert dated == sorted(dated, reverse=True)


def test_staff_scope_needs_authentication(api, library):
    response = api.get(URL, {"scope": "staff"})
    assert response.status_code == 401
    assert "scope=staff" in response.json()["error"]["message"]


def test_staff_scope_is_refused_to_members_of_the_public(api, library):
    api.force_authenticate(make_user("citizen"))
    response = api.get(URL, {"scope": "staff"})
    assert response.status_code == 403
    assert "scope=staff" in response.json()["error"]["message"]


# --- Filters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"issuer": "TEST00002"}, ["joint", "notice", "repealed"]),
        ({"issuer": "测试市教育局"}, ["joint", "notice", "repealed"]),
        ({"issuer": "测试市人力资源和社会保障局"}, ["joint"]),
        ({"issuer": "招生办"}, ["office_doc"]),
        ({"issuer": "不存在的机关"}, []),
        ({"organisation": "TEST00002"}, ["joint", "notice", "repealed"]),
        ({"organisation": "TEST00002", "include_descendants": "1"}, ["joint", "notice", "office_doc", "repealed"]),
        ({"organisation": "TEST00001", "include_descendants": "1"}, ["normative", "joint", "notice", "office_doc", "repealed"]),
        ({"organisation": "TEST00001"}, []),
        ({"topic": "11"}, ["joint", "notice", "repealed"]),
        ({"topic": "11.02"}, ["notice", "repealed"]),
        ({"topic": "04"}, ["normative"]),
        ({"topic": "04.02"}, []),
        ({"genre": "notice"}, ["notice", "office_doc", "repealed"]),
        ({"genre": "normative"}, ["normative"]),
        ({"validity": "repealed"}, ["repealed"]),
        ({"validity": "valid"}, ["normative", "joint", "notice", "office_doc"]),
        ({"year": "2025"}, ["normative"]),
        ({"year": "2024"}, ["joint"]),
        ({"year": "2023"}, ["notice"]),
        ({"published_after": "2023-03-10"}, ["normative", "joint", "notice"]),
        ({"published_after": "2023-03-11"}, ["normative", "joint"]),
        ({"published_before": "2023-03-10"}, ["notice", "office_doc", "repealed"]),
        ({"published_before": "2024-12-31"}, ["joint", "notice", "office_doc", "repealed"]),
        ({"published_after": "2022-01-01", "published_before": "2023-12-31"}, ["notice", "office_doc"]),
        ({"doc_number": "测财规〔2024〕1号"}, ["normative"]),
        ({"genre": "notice", "topic": "11", "validity": "valid"}, ["notice"]),
    ],
)
def test_filter_returns_expected_documents(api, library, query, expected):
    assert ids(api.get(URL, query)) == [getattr(library, name).pk for name in expected]


def test_index_no_filter_finds_one_document(api, library):
    assert ids(api.get(URL, {"index_no": library.joint.index_no})) == [library.joint.pk]


def test_filters_never_widen_the_public_scope(api, library):
    assert ids(api.get(URL, {"organisation": "TEST00002", "validity": "valid", "page_size": 100})) == [library.joint.pk, library.notice.pk]


def test_sort_by_date_ascending_and_by_title(api, library):
    assert ids(api.get(URL, {"sort": "date"})) == [d.pk for d in reversed(library.public)]
    titles = [row["title"] for row in api.get(URL, {"sort": "title"}).json()["results"]]
    assert titles == sorted(titles)


def test_title_sort_is_code_point_order_on_every_database(api, department, editor):
    for title in ["b 通知", "A 通知", "中文标题", "安全生产", "Z 公告"]:
        published_document(organisation=department, by=editor, title=title)
    titles = [row["title"] for row in api.get(URL, {"sort": "title"}).json()["results"]]
    assert titles == ["A 通知", "Z 公告", "b 通知", "中文标题", "安全生产"]


# --- Pages -----------------------------------------------------------------------------------------------


def test_pages_link_to_each_other_and_keep_the_filters(api, library):
    first = api.get(URL, {"page_size": 2, "genre": "notice"}).json()
    assert first["count"] == 3 and first["page"] == 1 and first["page_size"] == 2
    assert first["previous"] is None
    assert "genre=notice" in first["next"] and "page=2" in first["next"] and "page_size=2" in first["next"]
    second = api.get(first["next"]).json()
    assert second["next"] is None
    assert "page=1" in second["previous"]
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert seen == [library.notice.pk, library.office_doc.pk, library.repealed.pk]


def test_page_beyond_the_end_is_a_json_404(api, library):
    response = api.get(URL, {"page": 3, "page_size": 5})
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert "第 3 页不存在" in message and "第 1 页" in message


def test_first_page_of_an_empty_result_is_not_an_error(api, library):
    response = api.get(URL, {"issuer": "不存在的机关"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_page_size_over_the_cap_is_refused_with_the_cap_in_the_message(api, library, settings):
    settings.API_MAX_PAGE_SIZE = 3
    response = api.get(URL, {"page_size": 4})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "page_size" in error["fields"]
    assert "page_size" in error["message"] and "3" in error["message"]
    assert len(api.get(URL, {"page_size": 3}).json()["results"]) == 3


def test_default_page_size_stays_within_the_cap(api, library, settings):
    settings.API_MAX_PAGE_SIZE = 2
    body = api.get(URL).json()
    assert body["page_size"] == 2 and len(body["results"]) == 2


# --- Bad parameters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "param", "words"),
    [
        ({"genre": "poem"}, "genre", "poem"),
        ({"validity": "maybe"}, "validity", "maybe"),
        ({"published_after": "2024-13-01"}, "published_after", "YYYY-MM-DD"),
        ({"published_before": "yesterday"}, "published_before", "yesterday"),
        ({"published_after": "2024-05-01", "published_before": "2024-04-01"}, "published_after", "published_before"),
        ({"year": "twenty"}, "year", "整数"),
        ({"year": "1800"}, "year", "1949"),
        ({"page": "two"}, "page", "整数"),
        ({"page": "0"}, "page", "1"),
        ({"page_size": "0"}, "page_size", "1"),
        ({"page_size": "abc"}, "page_size", "整数"),
        ({"sort": "random"}, "sort", "random"),
        ({"scope": "everything"}, "scope", "everything"),
        ({"organisation": "NOPE"}, "organisation", "NOPE"),
        ({"include_descendants": "1"}, "include_descendants", "organisation"),
        ({"organisation": "TEST00002", "include_descendants": "perhaps"}, "include_descendants", "perhaps"),
        ({"topic": "99"}, "topic", "99"),
        ({"genr": "notice"}, "genr", "未知参数"),
    ],
)
def test_bad_parameter_is_a_400_naming_the_parameter(api, library, query, param, words):
    response = api.get(URL, query)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [param]
    assert param in error["message"]
    assert words in error["message"]


def test_unknown_genre_message_lists_the_allowed_values_in_chinese(api, library):
    message = api.get(URL, {"genre": "poem"}).json()["error"]["message"]
    assert "notice（通知）" in message and "normative（行政规范性文件）" in message


def test_repeated_parameter_is_refused(api, library):
    response = api.get(f"{URL}?genre=notice&genre=opinion")
    assert response.status_code == 400
    assert "genre" in response.json()["error"]["message"]


# --- Query count -----------------------------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_the_page(api, department, other_department, editor, django_assert_max_num_queries):
    for n in range(30):
        published_on(organisation=department if n % 2 else other_department, by=None, title=f"文件{n}",
                     at=local(2024, 1, 1 + n % 28))
    with django_assert_max_num_queries(3):
        assert len(api.get(URL, {"page_size": 30}).json()["results"]) == 30


def test_staff_list_query_count_is_bounded(api, library, editor, django_assert_max_num_queries):
    api.force_authenticate(editor)
    with django_assert_max_num_queries(8):
        assert api.get(URL, {"scope": "staff", "page_size": 100}).status_code == 200


def test_trailing_slash_is_accepted(api, library):
    assert ids(api.get(URL + "/")) == [d.pk for d in library.public]


def test_unknown_api_path_is_a_json_404(api, db):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert "/api/v1/nothing-here" in response.json()["error"]["message"]


def test_office_admin_role_is_staff(api, library, government):
    user = make_user("signer", government, Role.SIGNER)
    api.force_authenticate(user)
    assert api.get(URL, {"scope": "staff"}).status_code == 200


def test_staff_scope_works_with_a_real_session_login(client, library, editor):
    client.force_login(editor)
    response = client.get(URL, {"scope": "staff", "page_size": 100})
    seen = {row["id"] for row in response.json()["results"]}
    assert library.draft.pk in seen and library.other_draft.pk not in seen


def test_format_json_is_accepted(api, library):
    assert ids(api.get(URL, {"format": "json"})) == [d.pk for d in library.public]
