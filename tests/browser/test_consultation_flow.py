"""A consultation from comment to published feedback, in real headless Chromium (Debian's package).

A citizen comments on one article from a phone (375 px); the consultation ends; staff moderate the
opinion, answer it (部分采纳 with a reason) and publish the adoption feedback in the workspace; the
citizen, back on the phone, reads the outcome and is told by e-mail. axe-core runs on the public page
at each stage, normal and elderly mode. Screenshots go to test-artifacts/consultation-flow/ (gitignored).
"""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail

from gongkai.consultations.models import Opinion, OpinionGroup
from tests.consultations.conftest import make_consultation

from .conftest import axe_record
from .test_application_flow import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip(
    "playwright.sync_api", reason="browser test needs the playwright package (pip install -e '.[dev]')").expect

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "consultation-flow"
CST = dt.timezone(dt.timedelta(hours=8))
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def public_checks(page, key: str, problems: dict) -> None:
    """axe in normal and elderly mode, and no sideways scrolling at phone width."""
    report: dict = {}
    axe_record(page, f"{key}-normal", report, problems)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems[f"{key}-overflow"] = f"scrolls sideways by {overflow}px"
    url = page.url
    page.goto(url.split("/yijian/")[0] + "/laonian/?mode=on&next=" + "/yijian/" + url.split("/yijian/")[1])
    axe_record(page, f"{key}-elderly", report, problems)
    page.goto(url.split("/yijian/")[0] + "/laonian/?mode=off&next=" + "/yijian/" + url.split("/yijian/")[1])


def test_comment_on_a_phone_answer_in_the_workspace_feedback_on_the_page(browser, live_server, department, editor):
    problems: dict = {}
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=CST), tick=True) as traveller:
        consultation = make_consultation(department, editor, kind="other", starts_on=dt.date(2026, 11, 16),
                                         ends_on=dt.date(2026, 11, 25))
        url = f"{live_server.url}/yijian/{consultation.pk}/"

        # 1. A citizen comments on 第三条 from a phone; the contact data is kept but never shown back.
        phone = browser.new_context(locale="zh-CN", **PHONE).new_page()
        phone.goto(url)
        expect(phone.locator("h1")).to_contain_text("养犬管理办法")
        public_checks(phone, "open", problems)
        phone.get_by_label("意见针对").select_option(label="第三条")
        phone.get_by_label("您的意见").fill("建议将犬链长度上限由1.5米调整为2米，并对大型犬另行规定。")
        phone.get_by_label("电子邮箱（选填，不公开）").fill("citizen@example.com")
        phone.get_by_role("button", name="提交意见").click()
        expect(phone.get_by_role("status")).to_contain_text("已收到您的意见")
        shot(phone, "1-commented-phone")
        opinion = Opinion.objects.get()
        assert opinion.article.label == "第三条" and opinion.state == Opinion.State.PENDING
        assert "citizen@example.com" not in phone.content()

        # 2. The period ends; the comment form gives way to a closed notice.
        traveller.move_to(dt.datetime(2026, 11, 26, 10, 0, tzinfo=CST))
        phone.reload()
        expect(phone.get_by_role("button", name="提交意见")).to_have_count(0)

        # 3. Staff moderate, answer and publish the feedback in the workspace.
        staff = staff_page(browser, live_server, editor, viewport={"width": 1280, "height": 900})
        staff.goto(f"{live_server.url}/workspace/consultations/{consultation.pk}/")
        staff.locator(f"#m-{opinion.pk}-decision").select_option("publish")
        staff.locator(f"#opinion-{opinion.pk}").get_by_role("button", name="提交审核").click()
        expect(staff.locator(".messages")).to_contain_text("已审核")
        group = OpinionGroup.objects.get()
        staff.locator(f"#a-{group.pk}-outcome").select_option(label="部分采纳")
        staff.locator(f"#a-{group.pk}-reason").fill("大型犬另行规定的建议已采纳；犬链长度上限维持1.5米，与上位法一致。")
        staff.locator(f"#group-{group.pk}").get_by_role("button", name="保存答复").click()
        expect(staff.locator(".messages")).to_contain_text("已保存答复")
        staff.get_by_label("意见采纳情况说明").fill("共收到意见1条，部分采纳1条。感谢社会各界的关心和支持。")
        staff.get_by_role("button", name="公布采纳情况").click()
        expect(staff.locator(".messages")).to_contain_text("已公布意见采纳情况")
        shot(staff, "2-feedback-published-workspace")

        # 4. The citizen reads the outcome on the phone and has been told by e-mail.
        phone.reload()
        feedback = phone.locator("section[aria-labelledby=h-feedback]")
        expect(feedback).to_contain_text("共收到意见1条")
        expect(feedback).to_contain_text("部分采纳")
        expect(phone.locator("section[aria-labelledby=h-opinions]")).to_contain_text("大型犬另行规定")
        public_checks(phone, "outcome", problems)
        shot(phone, "3-outcome-phone")
        assert [m.to for m in mail.outbox if "采纳" in m.subject + m.body] == [["citizen@example.com"]]
    assert problems == {}, problems
