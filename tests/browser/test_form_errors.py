"""Issue 27 item 1: a form that comes back with errors announces them (WCAG 3.3.1, 4.1.3, 2.4.3).

For the application form, the tracking form and the consultation comment form, on a phone (375 px) in
normal and elderly mode: the title starts with 错误：, focus is on the error summary, the summary is on
the first screen, it lists every error at once with a link to its field, and the link moves focus there.
"""

import datetime as dt

import pytest

from gongkai.core.models import Role
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def assert_announced(page, *, at_least: int) -> list[str]:
    assert page.title().startswith("错误："), page.title()
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == "form-errors", f"focus is on {focused!r}, not the error summary"
    box = page.locator("#form-errors").bounding_box()
    assert box is not None and box["y"] < PHONE["height"], f"summary starts at {box and box['y']}px, below the first screen"
    links = page.locator("#form-errors a")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert len(page.locator("#form-errors li").all()) >= at_least, texts
    if texts:  # the first link takes the keyboard user to its field
        target = links.nth(0).get_attribute("href").lstrip("#")
        links.nth(0).click()
        assert page.evaluate("document.activeElement.id") == target
    return texts


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_errors_are_announced_on_every_public_form(live_server, page, offices, frozen, elderly):
    _, receiving = offices
    page.set_viewport_size(PHONE)
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/")

    # The application form, sent empty: every missing field in one summary.
    page.goto(f"{live_server.url}/yisq/new/{receiving.code}/")
    normal_title = page.title()
    assert not normal_title.startswith("错误：")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#form-errors")
    texts = assert_announced(page, at_least=3)
    assert any("姓名" in t for t in texts) and any("内容描述" in t for t in texts)

    # The tracking form with a made-up code: the refusal is a summary too.
    page.goto(f"{live_server.url}/yisq/track/")
    page.get_by_label("查询码").fill("ZZZZZZZZZZ")
    page.get_by_label("查询密码").fill("WRONGWRONG")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#form-errors")
    assert_announced(page, at_least=1)

    # The consultation comment form, sent empty.
    editor = make_user("editor", receiving, Role.EDITOR)
    consultation = make_consultation(receiving, editor, kind="other", starts_on=dt.date(2026, 11, 20),
                                     ends_on=dt.date(2026, 11, 30))
    page.goto(f"{live_server.url}/yijian/{consultation.pk}/")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector("#form-errors")
    texts = assert_announced(page, at_least=1)
    assert any("您的意见" in t for t in texts)
