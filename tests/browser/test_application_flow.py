"""A disclosure application from filing to reply, in real headless Chromium (Debian's package).

A citizen files (and sends the form twice), a company files on a phone, staff assign and confirm, request a
supplement, the citizen supplies it online from another browser with the tracking code and secret,
staff extend, the legal adviser signs off the partial disclosure, staff reply, the citizen reads the
reply. A screenshot of each step goes to test-artifacts/application-flow/ (gitignored).
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from gongkai.applications.models import Application
from gongkai.core.models import Role
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip(
    "playwright.sync_api", reason="browser test needs the playwright package (pip install -e '.[dev]')").expect

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "application-flow"
PERSON = {"name": "张三丰", "id_number": "11010519491231002X", "phone": "13812345678", "email": "zhang@example.com"}
COMPANY = {"name": "测试科技有限公司", "uscc": "91110000600037341L", "contact_person": "李四", "phone": "13900001111"}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def staff_page(browser, live_server, user, **context_args):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **context_args)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.on("pageerror", lambda exc: pytest.fail(f"page error: {exc}"))
    return page


def act(page, type: str, fill: dict | None = None, select: dict | None = None) -> None:
    page.click(f"#act-{type} > summary")
    for field, value in (fill or {}).items():
        page.fill(f"#id_{type}-{field}", value)
    for field, label in (select or {}).items():
        page.select_option(f"#id_{type}-{field}", label=label)
    # Wait for the POST-redirect-GET to finish: reading the page earlier may see the old one.
    with page.expect_navigation(wait_until="load"):
        page.click(f"#act-{type} button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已记录", timeout=10_000)
    assert page.locator(".form-errors").count() == 0, page.locator(".form-errors").first.inner_text()


def test_application_from_filing_to_reply(browser, live_server, frozen, offices):
    government, department = offices
    handler = make_user("handler", department, Role.HANDLER)
    handler.display_name = "王办理"
    handler.save()
    office_admin = make_user("office_admin", government, Role.OFFICE_ADMIN)
    office_admin.display_name = "陈主任"
    office_admin.save()
    legal = make_user("legal", government, Role.LEGAL_REVIEWER)
    legal.display_name = "刘律师"
    legal.save()

    # 1. A citizen files from the start page; a double click files one application.
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    citizen.goto(live_server.url + "/yisq/")
    shot(citizen, "01-start")
    citizen.get_by_role("link", name="测试市教育局").click()
    assert "测试市教育局办公室" in citizen.locator("#guide").locator("..").inner_text()
    citizen.get_by_label("姓名").fill(PERSON["name"])
    citizen.get_by_label("身份证件号码").fill("110105194912310021")  # a wrong check digit first
    citizen.get_by_label("联系电话").fill(PERSON["phone"])
    citizen.get_by_label("电子邮箱").fill(PERSON["email"])
    citizen.get_by_label("所需信息的内容描述").fill("请公开测试市教育局 2025 年度行政事业性收费项目清单及收费依据。")
    citizen.get_by_label("电子邮件").first.check()
    citizen.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.locator(".form-errors")).to_contain_text("居民身份证号码无效")
    shot(citizen, "02-invalid-id")
    citizen.get_by_label("身份证件号码").fill(PERSON["id_number"])
    citizen.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    form = citizen.locator("form[enctype]")
    resubmit = {el.get_attribute("name"): el.input_value()
                for el in form.locator("input[type=hidden], input[type=text], input[type=email], textarea, select").all()}
    resubmit.update(pii_consent="on", requested_forms="email")
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_url("**/yisq/done/**")
    # The same form sent again (a double click, a retry): one application, the same confirmation page.
    # (Two truly simultaneous submissions are tested on PostgreSQL in tests/applications.)
    again = citizen.request.post(f"{live_server.url}/yisq/new/{department.code}/", form=resubmit, max_redirects=0)
    assert again.status == 302 and again.headers["location"] == citizen.url.replace(live_server.url, "")
    assert Application.objects.count() == 1
    tracking = citizen.locator(".code").nth(0).inner_text().strip()
    secret = citizen.locator(".code").nth(1).inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", secret)
    shot(citizen, "03-filed")
    assert PERSON["name"] not in citizen.content() and PERSON["id_number"] not in citizen.content()

    # 2. A company files on a phone.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(live_server.url + f"/yisq/new/{department.code}/")
    phone.get_by_role("link", name="我代表法人或者其他组织").click()
    phone.get_by_label("申请人类别").select_option(label="商业企业")
    phone.locator("#id_name").fill(COMPANY["name"])
    phone.get_by_label("统一社会信用代码").fill(COMPANY["uscc"])
    phone.get_by_label("联系人").fill(COMPANY["contact_person"])
    phone.get_by_label("联系电话").fill(COMPANY["phone"])
    phone.get_by_label("所需信息的内容描述").fill("请公开 2025 年校服集中采购的合同及验收报告。")
    phone.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    shot(phone, "04-company-form-phone")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url("**/yisq/done/**")
    shot(phone, "05-company-filed-phone")
    assert Application.objects.count() == 2
    person_case = Application.objects.get(tracking_code=tracking)

    # 3. Staff: the queue (awaiting confirmation first), bulk assignment, confirm receipt, ask for a supplement.
    staff = staff_page(browser, live_server, handler, viewport={"width": 1280, "height": 900})
    staff.goto(live_server.url + "/workspace/applications/queue/")
    staff.locator("input[name=case]").nth(0).check()
    staff.locator("input[name=case]").nth(1).check()
    staff.get_by_label("分派给").select_option(label="王办理")
    shot(staff, "06-queue")
    staff.get_by_role("button", name="分派所选申请").click()
    expect(staff.locator(".messages")).to_contain_text("已分派 2 件申请")
    staff.goto(live_server.url + f"/workspace/applications/{person_case.pk}/")
    assert PERSON["id_number"] in staff.content()  # the handler sees the applicant
    act(staff, "received")
    assert "收到申请之日" in staff.content()
    act(staff, "supplement_requested", fill={"items": "请写明所需收费项目清单的年度和具体收费项目名称。"})
    shot(staff, "07-supplement-requested")

    # 4. The citizen, in another browser, follows the case with the code and secret and supplies online.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    other.goto(live_server.url + "/yisq/track/")
    other.get_by_label("查询码").fill(tracking)
    other.get_by_label("查询密码").fill(secret.lower())
    other.get_by_role("button", name="查询").click()
    other.wait_for_url(f"**/yisq/track/{tracking}/")
    assert "需要您补正申请" in other.content()
    shot(other, "08-supplement-asked")
    other.get_by_label("补正内容").fill("所需为 2025 年度教育局全部行政事业性收费项目清单，含考试报名费。")
    other.get_by_role("button", name="提交补正").click()
    expect(other.locator(".timeline")).to_contain_text("收到您的补正")
    shot(other, "09-supplied")

    # 5. Staff extend (approved by the office head), the legal adviser signs off, staff reply: partial disclosure.
    staff.goto(live_server.url + f"/workspace/applications/{person_case.pk}/")
    act(staff, "extension", fill={"days": "5", "reason": "需要调取历年收费档案。"}, select={"approver": "陈主任"})
    assert "延期 +5 个工作日" in staff.content()
    shot(staff, "10-extended")
    staff.locator("section[aria-labelledby=review] details > summary").click()
    staff.get_by_label("拟办理结果").select_option(value="partial")
    staff.get_by_label("拟答复意见及理由").fill("收费清单予以公开；经办人联系方式属个人信息，不予公开。")
    staff.get_by_role("button", name="提交法律审核").click()
    expect(staff.locator(".messages")).to_contain_text("已提交法律审核")
    lawyer = staff_page(browser, live_server, legal, viewport={"width": 1280, "height": 900})
    lawyer.goto(live_server.url + "/workspace/applications/")
    lawyer.get_by_role("link", name=tracking).click()
    lawyer.get_by_label("审核通过").check()
    lawyer.get_by_label("审核意见").fill("同意部分公开，理由充分。")
    lawyer.get_by_role("button", name="提交审核结论").click()
    expect(lawyer.locator(".review-approved")).to_contain_text("审核通过")
    shot(lawyer, "11-legal-review")
    assert "审核通过" in lawyer.content() and PERSON["id_number"] not in lawyer.content()
    staff.reload()
    act(staff, "determination", select={"outcome": "部分公开"}, fill={
        "text": "现将 2025 年度行政事业性收费项目清单及收费依据提供给您。",
        "withheld_parts": "清单中经办人姓名及电话｜属于个人信息，公开会损害第三方合法权益（条例第十五条）",
    })
    assert "已办结" in staff.content()
    shot(staff, "12-replied")

    # The reply letter (letters module): drafted from the case, checked, sent and frozen.
    staff.get_by_role("button", name="起草答复告知书").click()
    for area in staff.locator("form textarea, form input[type=text]").all():
        value = area.input_value()
        if "【" in value:
            area.fill(value.replace("【", "").replace("】", ""))
    staff.get_by_role("button", name="保存并发出").click()
    expect(staff.locator("body")).to_contain_text("文书已发出")
    shot(staff, "13-reply-letter-sent")

    # 6. The citizen sees the reply and downloads the PDF letter.
    other.reload()
    assert "部分公开" in other.content()
    shot(other, "14-status-replied")
    other.get_by_role("link", name="查看答复").click()
    assert "经办人姓名及电话" in other.content() and "王办理" not in other.content() and "刘律师" not in other.content()
    shot(other, "15-reply")
    with other.expect_download() as download_info:
        other.get_by_role("link", name="下载 PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (SHOTS / "reply-letter.pdf").write_bytes(pdf)

    # My cases: the company's case is still open, with its due date.
    staff.goto(live_server.url + "/workspace/applications/")
    shot(staff, "16-my-cases")
    narrow = staff_page(browser, live_server, handler, viewport={"width": 390, "height": 844}, is_mobile=True)
    narrow.goto(live_server.url + f"/workspace/applications/{person_case.pk}/")
    shot(narrow, "17-case-phone")
