"""The public portal in a real browser: the visitor's journey, elderly mode, keyboard use, axe-core audit."""

import json

import pytest
from django.urls import reverse

from tests.portal.conftest import doc_url

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def shoot(page, artifacts, name: str, full_page: bool = True):
    for width, suffix in ((1280, "desktop"), (375, "375")):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 800})
        page.screenshot(path=str(artifacts / f"{name}-{suffix}.png"), full_page=full_page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_open_document_follow_interpretation_and_elderly_mode_persists(live_server, page, library, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_label("检索政策文件").fill("养老服务补贴")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/zhengce/?q=*")
    assert page.locator(".hit").count() >= 1
    assert page.locator(".hit mark").first.inner_text() in {"养老服务补贴", "养老服务", "补贴"}
    page.get_by_role("link", name="关于进一步做好养老服务补贴发放工作的通知").first.click()
    assert page.locator("h1").inner_text() == "关于进一步做好养老服务补贴发放工作的通知"
    assert "测教发〔2024〕12号" in page.locator(".meta-box").inner_text()

    # An older document points to the newer one from its validity banner.
    page.goto(live_server.url + doc_url(library.old))
    banner = page.locator(".validity-banner")
    assert "本文件已废止" in banner.inner_text()
    banner.get_by_role("link").click()
    assert page.locator("h1").inner_text() == library.current.title

    page.goto(live_server.url + doc_url(library.normative))
    page.get_by_role("link", name=library.interpretation.title).click()
    assert "政策解读" in page.locator(".kicker").inner_text()
    page.get_by_role("link", name=library.normative.title).click()
    assert page.locator("h1").inner_text() == library.normative.title

    page.get_by_role("link", name="老年模式").click()
    assert "elderly" in (page.locator("html").get_attribute("class") or "")
    assert page.url.endswith(doc_url(library.normative))
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    page.goto(live_server.url + "/zhengce/")  # persists across pages (cookie, rendered server-side)
    assert "elderly" in (page.locator("html").get_attribute("class") or "")
    page.get_by_role("link", name="退出老年模式").click()
    assert "elderly" not in (page.locator("html").get_attribute("class") or "")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_keyboard_only_skip_link_reaches_main_and_focus_is_visible(live_server, page, library):
    page.goto(live_server.url + doc_url(library.current))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tabbing on from the main content reaches the first link inside it, and every focus is visible.
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
        assert style[0] != "none" and style[1] != "0px"
    # Search with the keyboard alone.
    page.goto(live_server.url + "/")
    page.focus("#home-q")
    page.keyboard.type("学校安全")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zhengce/?q=*")
    assert "测试市学校安全管理办法" in page.locator(".results").inner_text()


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_axe_finds_no_serious_violations_and_screenshots(live_server, page, library, organisation, artifacts, elderly):
    if elderly:
        page.goto(live_server.url + reverse("portal:elderly_toggle") + "?mode=on&next=/")
    pages = {
        "home": "/",
        "search": "/zhengce/?q=" + "养老",
        "search-empty": "/zhengce/?q=" + "不存在的词语",
        "document": doc_url(library.current),
        "document-repealed": doc_url(library.old),
        "interpretation": reverse("portal:interpretation", kwargs={"pk": library.interpretation.pk}),
        "column-guide": reverse("portal:column_guide", kwargs={"code": organisation.code}),
        "column-proactive": reverse("portal:column_proactive", kwargs={"code": organisation.code}),
        "not-found": "/zhengce/no-such-document/",
    }
    problems, report = {}, {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert ("elderly" in (page.locator("html").get_attribute("class") or "")) is elderly
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            axe_record(page, f"{name}@{width}", report, problems)
        shoot(page, artifacts, f"{name}{'-elderly' if elderly else ''}")
        # Readable at 375 px: nothing wider than the screen.
        page.set_viewport_size({"width": 375, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways at 375 px by {overflow}px"
    (artifacts / f"axe-{'elderly' if elderly else 'normal'}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert not problems, problems
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
