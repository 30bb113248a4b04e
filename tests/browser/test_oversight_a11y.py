"""The oversight pages in headless Chromium with the demo's data: the dashboard draws its ranking chart,
a click leads from a score to the agency and from a number to its items, and axe-core finds no serious
violation at 1280 and 375 px."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.models import Membership, Role
from gongkai.oversight.demo import load_demo_oversight
from gongkai.oversight.models import Incident, Rectification, WorkPlan
from gongkai.site.management.commands.demo import demo_organisations
from tests.conftest import make_user

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oversight_pages_render_click_through_and_are_axe_clean(live_server, browser, artifacts, frozen):
    government = demo_organisations()
    load_demo_oversight(government=government)
    office = make_user("office", government, Role.OFFICE_ADMIN)
    assert Membership.objects.filter(user=office).exists()
    client = Client()
    client.force_login(office)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    folder = artifacts / "oversight"
    folder.mkdir(exist_ok=True)

    page.goto(live_server.url + reverse("workspace:oversight_dashboard") + "?period=2026-Q3")
    assert page.locator("figure.chart svg rect").count() == 7  # one bar per demo department and the government
    page.get_by_role("link", name="示例市教育局").first.click()
    assert "示例市教育局" in page.locator("h1").inner_text()
    page.locator("td[data-label='值'] a").first.click()
    assert page.locator("dl.meta").inner_text().count("依据") == 1

    report, problems = {}, {}
    pages = [
        ("dashboard", reverse("workspace:oversight_dashboard") + "?period=2026"),
        ("agency", page.url.split(live_server.url)[1].split("/applications")[0]),
        ("items", page.url.split(live_server.url)[1]),
        ("scheme", reverse("workspace:oversight_scheme") + "?year=2026"),
        ("plans", reverse("workspace:oversight_plans")),
        ("plan", reverse("workspace:oversight_plan", args=[WorkPlan.objects.get().pk])),
        ("rectifications", reverse("workspace:oversight_rectifications")),
        ("rectification", reverse("workspace:oversight_rectification", args=[Rectification.objects.first().pk])),
        ("incidents", reverse("workspace:oversight_incidents")),
        ("incident", reverse("workspace:oversight_incident", args=[Incident.objects.first().pk])),
        ("conferences", reverse("workspace:oversight_conferences")),
        ("usage", reverse("workspace:oversight_usage")),
    ]
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, path)
        assert page.locator("h1").count() == 1
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            axe_record(page, f"{name}@{width}", report, problems)
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    context.close()
    assert problems == {}, problems
