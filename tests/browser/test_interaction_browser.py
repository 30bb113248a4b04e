"""政民互动 in real headless Chromium at phone width (375 px): the citizen asks for a suggestion, sends a
message with an attachment, keeps the tracking code and secret; staff reply and a reviewer publishes; the
citizen reads the reply on the query page and in the published list. axe-core (serious and critical) on
every public page, normal and elderly mode; 找错 from the footer of a page with the URL filled in."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.core.models import Organisation, Role
from gongkai.core.services import organisation_create
from gongkai.interaction import services
from gongkai.interaction.models import ErrorReport, Message
from gongkai.interaction.services import mailbox_create, message_act
from tests.conftest import make_user

from .conftest import axe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def box(db):
    government = organisation_create(name="测试市人民政府", code="TEST00001", kind=Organisation.Kind.GOVERNMENT)
    department = organisation_create(name="测试市教育局", code="TEST00002", parent=government)
    return mailbox_create(organisation=department, kind="consultation", name="教育局咨询", slug="jiaoyu")


def _check(page, key, report, problems):
    axe_record(page, key, report, problems)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems[f"{key}-overflow"] = f"scrolls sideways by {overflow}px"


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_send_from_a_phone_and_read_the_published_reply(live_server, browser, artifacts, box, tmp_path, elderly,
                                                        settings):
    settings.MEDIA_ROOT = tmp_path
    folder = artifacts / "hudong"
    folder.mkdir(exist_ok=True)
    mode = "elderly" if elderly else "normal"
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on("pageerror", lambda exc: pytest.fail(f"page error: {exc}"))
    report, problems = {}, {}
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/hudong/")
    page.goto(f"{live_server.url}/hudong/")
    _check(page, "boxes", report, problems)
    page.click("text=教育局咨询")
    assert page.locator("h1").inner_text() == "教育局咨询"
    _check(page, "form", report, problems)
    page.screenshot(path=str(folder / f"form-{mode}.png"), full_page=True)

    page.fill("#id_subject", "小学入学报名时间")
    page.fill("#id_text", "孩子今年满六岁，请问小学入学什么时候报名？")
    page.click("button[value=suggest]")
    page.wait_for_selector("#suggestions")
    _check(page, "suggest", report, problems)
    assert page.input_value("#id_subject") == "小学入学报名时间"
    attachment = tmp_path / "说明.txt"
    attachment.write_text("户口在本市。", encoding="utf-8")
    page.set_input_files("#id_attachments", str(attachment))
    page.fill("#id_phone", "13812345678")
    page.check("#id_consent_publish")
    with page.expect_navigation():
        page.click("button[value=send]")
    assert "留言已提交" in page.locator("h1").inner_text()
    _check(page, "done", report, problems)
    page.screenshot(path=str(folder / f"done-{mode}.png"), full_page=True)
    code = page.locator("#tracking-code").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    m = Message.objects.get(tracking_code=code)
    assert m.attachments.count() == 1 and m.contact["phone"] == "13812345678"

    handler = make_user(f"h-{mode}", m.organisation, Role.HANDLER)
    reviewer = make_user(f"r-{mode}", m.organisation, Role.REVIEWER)
    staff = Client()
    staff.force_login(handler)
    assert staff.post(f"/workspace/interaction/{m.pk}/reply/",
                      {"text": "今年6月1日至10日在市义务教育招生平台网上报名。"}).status_code == 302
    message_act(message=m, type="published", by=reviewer)

    # Another phone, with only the code and the secret.
    other = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
    other.goto(f"{live_server.url}/hudong/chaxun/")
    _check(other, "track", report, problems)
    other.fill("#id_tracking_code", code)
    other.fill("#id_secret", secret)
    with other.expect_navigation():
        other.click("button[type=submit]")
    assert "6月1日至10日" in other.locator("#reply").inner_text()
    _check(other, "tracked", report, problems)
    other.check("input[name=rating][value='5']")
    with other.expect_navigation():
        other.click("text=提交评价")
    assert "谢谢您的评价" in other.content()
    other.goto(f"{live_server.url}/hudong/huifu/?q=报名")
    _check(other, "replies", report, problems)
    other.click("text=小学入学报名时间")
    assert "6月1日至10日" in other.locator("#reply").inner_text()
    assert "13812345678" not in other.content()
    _check(other, "reply", report, problems)
    other.screenshot(path=str(folder / f"reply-{mode}.png"), full_page=True)

    # 找错 from the footer of the page being read.
    path = other.evaluate("location.pathname")
    other.click("text=我为政府网站找错")
    assert other.input_value("#id_page_url") == path
    _check(other, "zhaocuo", report, problems)
    other.check("input[name=kind][value=typo]")
    other.fill("#id_description", "答复中“报名”一词重复。")
    with other.expect_navigation():
        other.click("button[type=submit]")
    assert ErrorReport.objects.get().page_url == path
    _check(other, "zhaocuo-done", report, problems)
    context.close()
    assert problems == {}, problems


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_interview_and_survey_pages_on_a_phone(live_server, browser, box, elderly, settings, tmp_path):
    """An announced interview with a photo taking a question, an open survey answered once, a closed survey's chart."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.interaction.demo import demo_png

    settings.MEDIA_ROOT = tmp_path
    host = make_user("host", box.organisation, Role.HANDLER)
    now, today = timezone.now(), timezone.localdate()
    interview = services.interview_create(by=host, organisation=box.organisation, title="招生政策访谈", guests="局长",
                                          starts_at=now + dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=3))
    services.interview_photo_add(interview=interview, by=host, file=SimpleUploadedFile("p.png", demo_png(1600, 900)),
                                 alt="局长在访谈现场", caption="访谈现场")
    questions = "[单选] 满意吗？\n满意\n不满意\n\n[多选] 需要什么？\n助餐\n助浴\n\n[填空] 建议"
    open_survey = services.survey_create(by=host, organisation=box.organisation, title="养老服务调查", questions=questions,
                                         opens_on=today, closes_on=today + dt.timedelta(days=5))
    closed = services.survey_create(by=host, organisation=box.organisation, title="课后服务调查", questions=questions,
                                    opens_on=today - dt.timedelta(days=9), closes_on=today - dt.timedelta(days=1))
    q1, q2, _ = closed.questions.all()
    services.survey_respond(survey=closed, token="x" * 24, answers={str(q1.pk): "满意", str(q2.pk): ["助餐"]},
                            today=closed.opens_on)
    page = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True).new_page()
    page.on("pageerror", lambda exc: pytest.fail(f"page error: {exc}"))
    report, problems = {}, {}
    if elderly:
        page.goto(f"{live_server.url}/laonian/?mode=on&next=/hudong/")
    page.goto(f"{live_server.url}/hudong/fangtan/")
    _check(page, "interviews", report, problems)
    page.goto(f"{live_server.url}/hudong/fangtan/{interview.pk}/")
    _check(page, "interview", report, problems)
    img = page.locator(".photos img")
    assert img.get_attribute("alt") == "局长在访谈现场"
    assert page.evaluate("document.querySelector('.photos img').naturalWidth") == 1600  # served and decoded
    assert img.bounding_box()["width"] <= PHONE["width"]  # a 1600px picture fits the phone
    page.fill("#id_text", "今年学区有变化吗？")
    with page.expect_navigation():
        page.click("text=提交问题")
    assert "已收到您的问题" in page.content()
    page.goto(f"{live_server.url}/hudong/diaocha/{open_survey.pk}/")
    _check(page, "survey", report, problems)
    page.check("input[value=满意]")
    page.check("input[value=助浴]")
    with page.expect_navigation():
        page.click("text=提交答卷")
    assert "已收到您的答卷" in page.content()
    page.goto(f"{live_server.url}/hudong/diaocha/{closed.pk}/")
    assert page.locator("svg.chart").count() == 2
    _check(page, "results", report, problems)
    assert problems == {}, problems
