"""The CKAN Action API driven by the real `ckanapi` client against a live server."""

import ckanapi
import pytest

from gongkai.opendata.models import Dataset

from .conftest import as_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ckan(live_server):
    return ckanapi.RemoteCKAN(live_server.url)


def test_status_show_names_a_ckan_version(ckan):
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.")
    assert "datastore" in status["extensions"]


def test_package_list_show_and_search_with_facets(ckan, published):
    assert ckan.action.package_list() == ["regions-2024"]
    package = ckan.action.package_show(id="regions-2024")
    assert package["title"] == "行政区划人口统计"
    assert package["owner_org"] == published.organisation.code
    assert package["state"] == "active"
    assert {t["name"] for t in package["tags"]} == {"人口", "行政区划"}
    assert package["resources"][0]["datastore_active"] is True
    assert package["resources"][0]["format"] == "CSV"
    result = ckan.action.package_search(q="人口", fq=f"organization:{published.organisation.code} tags:人口",
                                        rows=5, **{"facet.field": '["organization","tags","res_format"]'})
    assert result["count"] == 1
    assert result["results"][0]["name"] == "regions-2024"
    assert result["search_facets"]["res_format"]["items"][0] == {"name": "CSV", "display_name": "CSV", "count": 1}
    assert ckan.action.package_search(q="财政预算")["count"] == 0
    assert ckan.action.package_search(fq="res_format:XLSX")["count"] == 0


def test_package_search_refuses_rows_over_limit_by_capping_and_bad_sort(ckan, published):
    assert ckan.action.package_search(rows=5000)["count"] == 1
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(sort="nonsense desc")


def test_package_create_patch_update_and_activity(ckan, live_server, editor_key, reviewer_key, department):
    editor = ckanapi.RemoteCKAN(live_server.url, apikey=editor_key)
    created = editor.action.package_create(name="budget-2025", title="2025年预算执行", owner_org=department.code,
                                           notes="预算执行情况", tags=[{"name": "预算"}], groups=[{"name": "finance"}],
                                           extras=[{"key": "frequency", "value": "MONTHLY"}, {"key": "source", "value": "财政局"}])
    assert created["state"] == "draft"
    assert created["frequency"] == "MONTHLY"
    assert {"key": "source", "value": "财政局"} in created["extras"]
    patched = editor.action.package_patch(id="budget-2025", notes="2025年一般公共预算执行情况")
    assert patched["notes"] == "2025年一般公共预算执行情况"
    assert patched["tags"][0]["name"] == "预算"
    updated = editor.action.package_update(id="budget-2025", title="2025年预算执行（月报）", owner_org=department.code)
    assert updated["title"] == "2025年预算执行（月报）"
    assert updated["tags"] == []  # update replaces: what is not sent is cleared, as in CKAN
    resource = editor.action.resource_create(package_id="budget-2025", name="月报",
                                             upload=as_file("月份,支出（万元）\n2025-01,100\n2025-02,120\n", "budget.csv"))
    assert resource["datastore_active"] is True
    assert resource["size"] > 0 and resource["hash"].startswith("sha256:")
    shown = editor.action.resource_show(id=resource["id"])
    assert shown["schema"]["fields"][1] == {"name": "支出（万元）", "type": "integer", "title": "", "description": ""}
    with pytest.raises(ckanapi.NotAuthorized):
        editor.action.package_patch(id="budget-2025", state="active")
    reviewer = ckanapi.RemoteCKAN(live_server.url, apikey=reviewer_key)
    published = reviewer.action.package_patch(id="budget-2025", state="active")
    assert published["state"] == "active"
    activity = ckan.action.package_activity_list(id="budget-2025")
    assert activity[0]["data"]["package"]["state"] == "published"
    assert activity[-1]["activity_type"] == "new package"
    assert len(activity) >= 5


def test_writes_need_a_key_and_unknown_objects_are_not_found(ckan, published):
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="x-y", title="x", owner_org=published.organisation.code)
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="999999")


def test_package_create_validation_errors(live_server, editor_key, department):
    editor = ckanapi.RemoteCKAN(live_server.url, apikey=editor_key)
    with pytest.raises(ckanapi.ValidationError) as err:
        editor.action.package_create(name="Bad Name!", title="x", owner_org=department.code)
    assert "name" in err.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        editor.action.package_create(name="ok-name", title="x", owner_org=department.code, license_id="no-such")


def test_resource_update_keeps_previous_version_downloadable(live_server, editor_key, published):
    editor = ckanapi.RemoteCKAN(live_server.url, apikey=editor_key)
    resource_id = published.resources.get().pk
    result = editor.action.resource_update(id=str(resource_id), upload=as_file("区划代码,名称\n110000,北京市\n", "v2.csv"))
    versions = result["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    import requests

    for version in versions:
        assert requests.get(version["url"], timeout=10).status_code == 200


def test_organization_group_tag_license_lists(ckan, published):
    assert ckan.action.organization_list() == [published.organisation.code]
    org = ckan.action.organization_list(all_fields=True)[0]
    assert org["package_count"] == 1 and org["title"] == published.organisation.name
    shown = ckan.action.organization_show(id=published.organisation.code, include_datasets=True)
    assert shown["packages"][0]["name"] == "regions-2024"
    assert "social" in ckan.action.group_list()
    assert ckan.action.tag_list() == ["人口", "行政区划"]
    assert ckan.action.tag_list(query="人") == ["人口"]
    licences = ckan.action.license_list()
    assert licences[0]["id"] == "gov-open-by" and licences[0]["text"]


def test_datastore_search_filters_sort_fields_and_q(ckan, published):
    resource_id = str(published.resources.get().pk)
    everything = ckan.action.datastore_search(resource_id=resource_id)
    assert everything["total"] == 3
    assert [f["id"] for f in everything["fields"]] == ["_id", "区划代码", "名称", "人口（万人）", "统计日期"]
    assert everything["fields"][3]["type"] == "int"
    one = ckan.action.datastore_search(resource_id=resource_id, filters={"名称": "上海市"})
    assert one["total"] == 1 and one["records"][0]["人口（万人）"] == 2480
    ordered = ckan.action.datastore_search(resource_id=resource_id, sort="人口（万人） desc", limit=2,
                                           fields=["名称"])
    assert [r["名称"] for r in ordered["records"]] == ["广东省", "上海市"]
    assert set(ordered["records"][0]) == {"_id", "名称"}
    assert ckan.action.datastore_search(resource_id=resource_id, q="广东")["total"] == 1
    assert ckan.action.datastore_search(resource_id=resource_id, offset=2)["records"][0]["名称"] == "广东省"
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, filters={"人口（万人）": "很多"})
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, filters={"不存在": "1"})


def test_datastore_search_sql_is_refused(ckan, published):
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.datastore_search_sql(sql='SELECT * FROM "core_user"')


def test_get_only_client_and_unversioned_path(live_server, published):
    ckan = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    assert ckan.action.package_search(q="行政区划")["count"] == 1
    import requests

    body = requests.get(f"{live_server.url}/api/3/action/package_show", params={"id": "regions-2024"}, timeout=10).json()
    assert body["success"] is True and body["help"].endswith("help_show?name=package_show")
    bad = requests.get(f"{live_server.url}/api/3/action/no_such_action", timeout=10).json()
    assert bad["success"] is False and bad["error"]["__type"] == "Not Found Error"


def test_drafts_stay_out_of_public_search(ckan, department):
    from gongkai.opendata import services

    services.dataset_create(by=None, organisation=department, name="secret-draft", title="草稿数据集")
    assert Dataset.objects.filter(name="secret-draft").exists()
    assert ckan.action.package_search(q="草稿")["count"] == 0
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="secret-draft")
