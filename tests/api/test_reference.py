import pytest

from gongkai.core.services import organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(government, department, other_department, office):
    organisation_create(name="已撤销的机关", code="TEST00009", parent=government, is_active=False)
    return government


def test_organisations_are_listed_in_tree_order_with_parent_and_depth(api, tree):
    body = api.get("/api/v1/organisations").json()
    rows = [(r["code"], r["parent"], r["depth"]) for r in body["results"]]
    assert rows == [
        ("TEST00001", None, 0),
        ("TEST00002", "TEST00001", 1),
        ("TEST00004", "TEST00002", 2),
        ("TEST00003", "TEST00001", 1),
    ]
    assert body["count"] == 4
    first = body["results"][0]
    assert first["kind"] == "government" and first["kind_label"] == "人民政府"
    assert first["url"] == "http://testserver/api/v1/organisations/TEST00001"


def test_organisations_filtered_by_parent(api, tree):
    body = api.get("/api/v1/organisations", {"parent": "TEST00001"}).json()
    assert [r["code"] for r in body["results"]] == ["TEST00002", "TEST00003"]


def test_unknown_parent_is_a_400(api, tree):
    response = api.get("/api/v1/organisations", {"parent": "NOPE"})
    assert response.status_code == 400 and "parent" in response.json()["error"]["message"]


def test_organisation_detail_has_contact_and_disclosure_office(api, db):
    organisation_create(
        name="青岛市崂山区人民政府", short_name="崂山区政府", code="000014349", kind="government",
        address="崂山区政府大楼", phone="0532-88996000", email="gk@laoshan.gov.cn",
        disclosure_office_name="崂山区政务公开办公室", disclosure_office_phone="0532-88996001",
        disclosure_office_address="崂山区政府大楼 301 室", disclosure_office_hours="工作日 9:00-17:00",
        reconsideration_body="青岛市人民政府", court="青岛市中级人民法院",
    )
    body = api.get("/api/v1/organisations/000014349").json()
    assert body["name"] == "青岛市崂山区人民政府" and body["short_name"] == "崂山区政府"
    assert body["contact"]["address"] == "崂山区政府大楼"
    assert body["contact"]["phone"] == "0532-88996000"
    assert body["disclosure_office"]["name"] == "崂山区政务公开办公室"
    assert body["disclosure_office"]["phone"] == "0532-88996001"
    assert body["disclosure_office"]["office_hours"] == "工作日 9:00-17:00"
    assert body["reconsideration_body"] == "青岛市人民政府"
    assert body["children"] == []


def test_organisation_detail_lists_active_children(api, tree):
    body = api.get("/api/v1/organisations/TEST00001").json()
    assert [c["code"] for c in body["children"]] == ["TEST00002", "TEST00003"]


def test_unknown_organisation_is_a_json_404(api, db):
    response = api.get("/api/v1/organisations/NOPE")
    assert response.status_code == 404 and "NOPE" in response.json()["error"]["message"]


def test_organisation_list_query_count_is_constant(api, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        api.get("/api/v1/organisations")


def test_topics_are_the_22_categories_with_their_children(api, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = api.get("/api/v1/topics").json()
    assert body["count"] == 22
    first, second = body["results"][0], body["results"][1]
    assert first == {"code": "01", "name": "国务院组织机构", "label": "国务院组织机构", "children": []}
    assert second["name"] == "综合政务"
    assert second["children"][0] == {"code": "02.01", "name": "政务公开", "label": "综合政务\\政务公开"}
    assert body["results"][21]["name"] == "其他"


def test_enumerations_give_values_and_chinese_labels(api, db):
    body = api.get("/api/v1/enumerations").json()
    assert {"value": "normative", "label": "行政规范性文件"} in body["genre"]
    assert [v["value"] for v in body["validity"]] == ["not_yet", "valid", "amended", "repealed", "expired"]
    assert {"value": "repealed_by", "label": "被废止"} in body["event_kind"]
    assert {"value": "on_request", "label": "依申请公开"} in body["disclosure_attribute"]
