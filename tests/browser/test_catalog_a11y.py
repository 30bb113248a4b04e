"""axe-core on the public pages of the key-area columns, the service guides and the gazette, in headless
Chromium, normal and elderly mode, at 1280 and 375 px (phone): no serious violation, no sideways scrolling."""

import datetime as dt

import pytest

from gongkai.catalog import services
from tests.catalog.test_service_guides import COMPLETE
from tests.documents.factories import published_document

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(offices, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    government, department = offices
    services.key_area_columns_seed(organisation=government)
    budget = published_document(organisation=department, by=None, title="测试市教育局2026年部门预算", genre="report",
                                body="<p>根据预算法第十四条公开部门预算。</p>")
    issue = services.gazette_issue_create(organisation=government, year=2026, number=2, published_on=dt.date(2026, 2, 27))
    services.gazette_issue_set_articles(issue=issue, articles=[(budget, "部门文件")])
    services.gazette_issue_publish(issue=issue)
    item = services.service_item_publish(item=services.service_item_save(organisation=department, code="JY-1", **COMPLETE))
    services.service_package_save(organisation=department, slug="shangxue", name="入学一件事", audience="person",
                                  life_stage="上学", items=[item])
    return government


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_catalog_pages_have_no_serious_axe_violations(live_server, page, artifacts, content, elderly):
    folder = artifacts / "catalog"
    folder.mkdir(exist_ok=True)
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/banshi/")
    code = content.code
    report, problems = {}, {}
    pages = [("columns", f"/gongkai/{code}/zhuanlan/"), ("column", f"/gongkai/{code}/zhuanlan/yujuesuan/"),
             ("services", "/banshi/"), ("service", "/banshi/JY-1/"), ("package", "/banshi/yijianshi/shangxue/"),
             ("gazette", "/gongbao/"), ("issue", "/gongbao/2026/2/"), ("search", "/gongbao/sousuo/?q=预算")]
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        if elderly:
            assert page.locator("html.elderly").count() == 1
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            axe_record(page, f"{name}@{width}", report, problems)
            page.screenshot(path=str(folder / f"{name}-{'elderly' if elderly else 'normal'}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{name}@{width}-overflow"] = f"scrolls sideways by {overflow}px"
        page.set_viewport_size({"width": 1280, "height": 900})
    assert page.console_errors == []
    assert problems == {}, problems
