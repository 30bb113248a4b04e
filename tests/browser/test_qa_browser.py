"""The 政策问答 page in headless Chromium at phone width (375 px) and 1280 px, normal and elderly mode: a
question typed and sent gets the answer with its source link; a question the base cannot answer shows the
way to a person; the entry page takes feedback; axe-core finds no serious violation; nothing scrolls sideways."""

import pytest

from gongkai.qa import services as qa

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries(library, reviewer):
    entry = qa.qa_entry_save(question="养老服务补贴发给哪些人", answer="补贴对象为本市户籍年满八十周岁的老年人，按月发放。",
                             department="民政局", sources=[library.current], topics=["社会保障"], audiences=["老年人"])
    qa.qa_entry_publish(entry=entry, by=reviewer)
    return [entry]


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_ask_on_a_phone_answer_with_source_and_no_axe_violations(live_server, page, artifacts, entries, library, elderly):
    folder = artifacts / "wenda"
    folder.mkdir(exist_ok=True)
    mode = "elderly" if elderly else "normal"
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/wenda/")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/wenda/")
    page.get_by_label("请输入您的问题").fill("养老服务补贴发给谁")
    page.get_by_role("button", name="提问").click()
    page.wait_for_load_state()
    assert page.get_by_text("最接近您问题的官方答复").is_visible()
    source = page.get_by_role("link", name=library.current.title)
    assert source.is_visible()
    report, problems = {}, {}
    pages = [("answer", page.url), ("none", f"{live_server.url}/wenda/?q=动物园的大熊猫几点喂食"),
             ("entry", f"{live_server.url}/wenda/{entries[0].pk}/"), ("home", f"{live_server.url}/wenda/")]
    for name, url in pages:
        page.goto(url)
        assert page.locator("h1").count() == 1
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            axe_record(page, f"{name}@{width}", report, problems)
            page.screenshot(path=str(folder / f"{name}-{mode}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{name}@{width}-overflow"] = f"scrolls sideways by {overflow}px"
        page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/wenda/?q=动物园的大熊猫几点喂食")
    assert page.get_by_role("heading", name="暂时无法回答这个问题").is_visible()
    page.goto(f"{live_server.url}/wenda/{entries[0].pk}/")
    page.get_by_role("button", name="有帮助", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "感谢您的评价。"
    assert page.console_errors == []
    assert problems == {}, problems
    entries[0].refresh_from_db()
    assert entries[0].helpful_yes == 1
