"""The catalogue API: published service guides with every element, key-area column states, gazette issues."""

import datetime as dt

import pytest

from gongkai.catalog import services
from tests.catalog.test_service_guides import COMPLETE
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


def test_service_guides(client, department):
    services.service_item_publish(item=services.service_item_save(organisation=department, code="JY-1", **COMPLETE))
    services.service_item_save(organisation=department, code="JY-2", name="草稿事项")
    data = client.get("/api/v1/catalog/services/", {"life_stage": "上学"}).json()
    assert data["count"] == 1
    guide = data["results"][0]
    assert guide["code"] == "JY-1" and guide["materials"][0]["name"] == "户口簿" and guide["process"][0] == "网上或窗口提交"
    assert client.get("/api/v1/catalog/services/", {"audience": "legal_person"}).json()["count"] == 0
    assert client.get("/api/v1/catalog/services/", {"organisation": "NOPE"}).status_code == 400
    assert client.get("/api/v1/catalog/services/JY-1").json()["complaint"] == COMPLETE["complaint"]
    assert client.get("/api/v1/catalog/services/JY-2").status_code == 404


def test_columns_and_gazette(client, government, department, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.key_area_columns_seed(organisation=government)
    doc = published_document(organisation=department, by=editor, title="测试市教育局2026年部门预算", genre="report")
    columns = client.get(f"/api/v1/catalog/columns/{government.code}").json()["results"]
    budget = next(c for c in columns if c["slug"] == "yujuesuan")
    assert budget["count"] == 1 and not budget["empty"]
    assert next(c for c in columns if c["slug"] == "tudi-zhengshou")["findings"] == ["栏目为空"]
    issue = services.gazette_issue_create(organisation=government, year=2026, number=1, published_on=dt.date(2026, 1, 31))
    services.gazette_issue_set_articles(issue=issue, articles=[(doc, "部门文件")])
    assert client.get("/api/v1/catalog/gazette/").json()["count"] == 0  # not yet published
    services.gazette_issue_publish(issue=issue)
    issues = client.get("/api/v1/catalog/gazette/", {"year": 2026}).json()["results"]
    assert issues[0]["total_number"] == 1 and issues[0]["articles"][0] == {
        "section": "部门文件", "title": doc.title, "index_no": doc.index_no, "doc_number": "", "page": 3,
        "url": f"/zhengce/{doc.index_no}/"}
