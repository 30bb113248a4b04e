"""axe-core on the public 数据开放 pages in headless Chromium, normal and elderly mode, 1280 and 375 px:
the faceted list, a dataset page with preview and chart, and the conditional-access form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.models import Organisation
from gongkai.core.services import organisation_create
from gongkai.opendata import services

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "区县,留言数\n" + "".join(f"A{i}区,{i * 37}\n" for i in range(1, 8))


@pytest.fixture
def datasets(db):
    org = organisation_create(name="测试市人民政府", code="TEST00001", kind=Organisation.Kind.GOVERNMENT)
    open_one = services.dataset_create(by=None, organisation=org, name="liuyan-diqu", title="市民留言按区县统计",
                                       notes="市民留言按所涉区县的数量统计。", tags=["留言", "区县"], frequency="MONTHLY")
    services.resource_create(by=None, dataset=open_one, name="区县统计表",
                             upload=SimpleUploadedFile("d.csv", TABLE.encode()))
    services.dataset_transition(by=None, dataset=open_one, action="publish")
    conditional = services.dataset_create(by=None, organisation=org, name="qiye", title="企业名录",
                                          access_level="conditional", access_reason="仅供科研使用")
    services.resource_create(by=None, dataset=conditional, name="名录", upload=SimpleUploadedFile("q.csv", b"a,b\n1,2\n"))
    services.dataset_transition(by=None, dataset=conditional, action="publish")


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_opendata_pages_have_no_serious_axe_violations(live_server, page, artifacts, datasets, elderly):
    folder = artifacts / "shuju"
    folder.mkdir(exist_ok=True)
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/shuju/")
    report, problems = {}, {}
    for name, path in [("list", "/shuju/?q=留言"), ("dataset", "/shuju/liuyan-diqu/"), ("request", "/shuju/qiye/shenqing/")]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            axe_record(page, f"{name}@{width}", report, problems)
            page.screenshot(path=str(folder / f"{name}-{'elderly' if elderly else 'normal'}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{name}@{width}-overflow"] = f"scrolls sideways by {overflow}px"
        page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}, problems
