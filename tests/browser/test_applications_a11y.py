"""An axe-core audit of the public 依申请公开 pages (/yisq/) in real headless Chromium, in both modes, at
1280 and 375 px: the start page, both application forms (blank and with errors), the confirmation, the
tracking form (blank and refused), and the case page while a supplement is asked for and after the
reply, and the reply itself. No serious or critical violation, nothing wider than a phone screen;
screenshots and the axe report go to test-artifacts/yisq/."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from gongkai.applications import intake, services
from gongkai.applications.models import Application
from gongkai.core.models import Role
from tests.conftest import make_user

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = {"姓名": "张三丰", "身份证件号码": "11010519491231002X", "联系电话": "13812345678", "电子邮箱": "zhang@example.com"}


def audit(page, name: str, artifacts, report: dict, problems: dict) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        axe_record(page, f"{name}@{width}", report, problems)
        page.screenshot(path=str(artifacts / f"{name}-{'desktop' if width > 400 else '375'}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems[f"{name}@{width}-overflow"] = f"scrolls sideways by {overflow}px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_axe_finds_no_serious_violations_on_the_application_pages(live_server, page, artifacts, offices, frozen, elderly):
    government, department = offices
    folder = artifacts / "yisq"
    folder.mkdir(exist_ok=True)
    suffix = "-elderly" if elderly else ""
    report, problems = {}, {}

    def check(name: str) -> None:
        assert ("elderly" in (page.locator("html").get_attribute("class") or "")) is elderly
        audit(page, name + suffix, folder, report, problems)

    if elderly:
        page.goto(live_server.url + reverse("portal:elderly_toggle") + "?mode=on&next=/yisq/")
    page.goto(live_server.url + "/yisq/")
    check("start")
    page.get_by_role("link", name="测试市教育局").click()
    check("apply-person")
    page.get_by_role("button", name="提交申请").click()  # nothing filled in: every error shown
    page.wait_for_selector(".form-errors")
    check("apply-person-errors")
    page.goto(live_server.url + f"/yisq/new/{department.code}/?kind=org")
    check("apply-organisation")

    page.goto(live_server.url + f"/yisq/new/{department.code}/")
    for label, value in PERSON.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("所需信息的内容描述").fill("请公开测试市教育局 2025 年度行政事业性收费项目清单及收费依据。")
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/yisq/done/**")
    check("done")
    tracking = page.locator(".code").nth(0).inner_text().strip()
    secret = page.locator(".code").nth(1).inner_text().strip()

    page.context.clear_cookies()  # another browser: only the code and the secret
    if elderly:
        page.goto(live_server.url + reverse("portal:elderly_toggle") + "?mode=on&next=/yisq/track/")
    page.goto(live_server.url + "/yisq/track/")
    check("track")
    page.get_by_label("查询码").fill(tracking)
    page.get_by_label("查询密码").fill("WRONG-WRONG-WRON")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector(".form-errors")
    check("track-refused")

    handler = make_user(f"handler{suffix}", department, Role.HANDLER)
    application = intake.application_confirm(application=Application.objects.get(tracking_code=tracking), by=handler,
                                             confirmed_on=dt.date(2026, 11, 23))
    application = services.application_record_event(application=application, by=handler, type="supplement_requested",
                                  occurred_on=dt.date(2026, 11, 23),
                                  fields={"items": "请写明所需收费项目清单的年度", "due_on": "2026-12-08"})
    page.get_by_label("查询码").fill(tracking)
    page.get_by_label("查询密码").fill(secret)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/yisq/track/{tracking}/")
    check("status-supplement")

    legal = make_user(f"legal{suffix}", government, Role.LEGAL_REVIEWER)
    review = intake.legal_review_request(application=application, by=handler, outcome="partial", draft="拟部分公开")
    intake.legal_review_decide(review=review, by=legal, approve=True)
    services.application_record_event(application=application, by=handler, type="determination", occurred_on=dt.date(2026, 11, 23),
                    fields={"outcome": "partial", "text": "现将 2025 年度收费项目清单提供给您。",
                            "withheld_parts": [{"part": "经办人电话", "reason": "个人隐私（第十五条）"}]})
    page.reload()
    check("status-replied")
    page.get_by_role("link", name="查看答复").click()
    check("reply")

    (folder / f"axe{suffix or '-normal'}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert not problems, problems
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
