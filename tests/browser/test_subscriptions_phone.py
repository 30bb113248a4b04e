"""Subscribing from a phone (375 px, headless Chromium): sign up, open the e-mailed link, add an enterprise
profile, see the account page; axe on every page, normal and elderly mode, no sideways scrolling."""

import pytest
from django.core import mail

from gongkai.subscriptions.models import Profile, Subscriber
from tests.subscriptions.conftest import links_in

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name, report, problems, folder, mode):
    assert page.locator("h1").count() == 1
    axe_record(page, f"{name}-{mode}", report, problems)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems[f"{name}-{mode}-overflow"] = f"scrolls sideways by {overflow}px"
    page.screenshot(path=str(folder / f"{name}-{mode}-375.png"), full_page=True)


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_subscribe_from_a_phone(live_server, browser, artifacts, elderly, settings):
    settings.SITE_URL = live_server.url
    folder = artifacts / "dingyue"
    folder.mkdir(exist_ok=True)
    mode = "elderly" if elderly else "normal"
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    report, problems = {}, {}
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/dingyue/")
    page.goto(f"{live_server.url}/dingyue/")
    _check(page, "home", report, problems, folder, mode)

    page.get_by_label("电子邮箱", exact=True).first.fill("phone@example.com")
    page.get_by_label("推送频率").select_option("immediate")
    page.get_by_label("我已阅读并同意上面的个人信息处理说明").check()
    page.get_by_role("button", name="发送验证邮件").click()
    page.wait_for_url("**/dingyue/?sent=1")
    assert "我们已发送一封邮件" in page.locator("main").inner_text()
    _check(page, "sent", report, problems, folder, mode)

    [message] = mail.outbox
    page.goto(links_in(message)[0])
    page.wait_for_url("**/dingyue/wode/?welcome=1")
    _check(page, "account", report, problems, folder, mode)

    page.get_by_role("link", name="添加企业画像").click()
    page.get_by_label("画像名称").fill("我的小饭馆")
    page.get_by_label("开办").check()
    page.get_by_label("H 住宿和餐饮业").check()
    page.get_by_label("微型").check()
    _check(page, "profile", report, problems, folder, mode)
    page.get_by_role("button", name="保存并订阅").click()
    page.wait_for_url("**/dingyue/wode/")
    assert "开办 · H 住宿和餐饮业 · 微型" in page.locator("main").inner_text()
    _check(page, "account-with-profile", report, problems, folder, mode)
    context.close()

    profile = Profile.objects.get()
    assert profile.tags == ["estage:开办", "industry:H", "size:微型"]
    assert Subscriber.objects.get().state == Subscriber.State.ACTIVE
    assert problems == {}, problems
