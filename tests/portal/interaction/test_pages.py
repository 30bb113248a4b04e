"""The public 政民互动 pages through the test client: send (with the suggestion step), track, rate, the
published replies masked and searchable, and 找错 from a page with its owner found."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.models import AuditEvent, Role
from gongkai.interaction.models import ErrorReport, Message
from gongkai.interaction.services import mailbox_create, message_act, message_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(department):
    return mailbox_create(organisation=department, kind="consultation", name="教育局咨询", slug="jiaoyu-zixun")


def test_box_list_and_form(client, box):
    page = client.get("/hudong/").content.decode()
    assert "教育局咨询" in page and "5 个工作日内答复" in page
    page = client.get("/hudong/xiang/jiaoyu-zixun/").content.decode()
    assert 'name="subject"' in page and 'enctype="multipart/form-data"' in page and "5 个工作日内答复" in page


def test_suggest_then_send_then_track_and_rate(client, box, department):
    handler = make_user("h", department, Role.HANDLER)
    reviewer = make_user("r", department, Role.REVIEWER)
    old = message_submit(mailbox=box, subject="小学入学报名时间", text="请问小学入学报名时间是什么时候？",
                         consent_publish=True, client_address="10.9.9.1").message
    message_act(message=old, type="replied", by=handler, text="每年6月上旬网上报名。")
    message_act(message=old, type="published", by=reviewer)

    form = {"subject": "小学入学报名时间", "text": "孩子今年满六岁，小学入学报名时间？", "phone": "13812345678",
            "consent_publish": "on"}
    r = client.post("/hudong/xiang/jiaoyu-zixun/", {**form, "action": "suggest"})
    assert r.status_code == 200 and Message.objects.count() == 1
    page = r.content.decode()
    assert "也许已经回答了您的问题" in page and f"/hudong/huifu/{old.pk}/" in page
    assert 'value="小学入学报名时间"' in page  # what was typed is kept

    r = client.post("/hudong/xiang/jiaoyu-zixun/", {**form, "action": "send",
                                                     "attachments": SimpleUploadedFile("a.txt", "照片说明".encode())})
    assert r.status_code == 302 and r["Location"] == "/hudong/yitijiao/"
    page = client.get("/hudong/yitijiao/").content.decode()
    m = Message.objects.exclude(pk=old.pk).get()
    assert m.tracking_code in page and m.attachments.count() == 1
    secret = re.search(r'id="secret">([^<]+)<', page).group(1)
    assert client.get("/hudong/yitijiao/").status_code == 302  # the secret is shown once

    other = client.__class__()
    r = other.post("/hudong/chaxun/", {"tracking_code": m.tracking_code, "secret": "WRONG-WRONG"})
    assert r.status_code == 404 and "不正确" in r.content.decode()
    r = other.post("/hudong/chaxun/", {"tracking_code": m.tracking_code.lower(), "secret": secret})
    assert r.status_code == 302
    page = other.get(r["Location"]).content.decode()
    assert "待受理" in page and "工作日后" in page and "13812345678" not in page

    message_act(message=m, type="replied", by=handler, text="报名时间为6月1日至10日。")
    page = other.get(f"/hudong/chaxun/?m={m.pk}").content.decode()
    assert "报名时间为6月1日至10日" in page and "提交评价" in page
    r = other.post("/hudong/chaxun/", {"action": "rate", "message": m.pk, "rating": "1", "reopen": "on"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.rating == 1 and m.reopened and m.status == "accepted"
    # another browser that never gave the secret cannot rate
    assert client.__class__().post("/hudong/chaxun/", {"action": "rate", "message": m.pk, "rating": "5"}).status_code == 404


def test_published_reply_is_masked_and_searchable(client, box, department):
    handler = make_user("h", department, Role.HANDLER)
    reviewer = make_user("r", department, Role.REVIEWER)
    m = message_submit(mailbox=box, subject="学籍转入", text="我叫张三，电话13812345678，孩子学籍怎么转入？",
                       contact={"name": "张三"}, consent_publish=True, client_address="10.9.9.2").message
    message_act(message=m, type="replied", by=handler, text="请携带户口簿到学校办理学籍转入。")
    message_act(message=m, type="published", by=reviewer)
    page = client.get(f"/hudong/huifu/{m.pk}/").content.decode()
    assert "13812345678" not in page and "138****5678" in page and "户口簿" in page
    page = client.get("/hudong/huifu/", {"q": "户口簿"}).content.decode()
    assert "学籍转入" in page and "<mark>户口簿</mark>" in page
    assert "学籍转入" not in client.get("/hudong/huifu/", {"q": "公积金"}).content.decode()
    unpublished = message_submit(mailbox=box, subject="不公开的留言", text="内容", client_address="10.9.9.3").message
    assert client.get(f"/hudong/huifu/{unpublished.pk}/").status_code == 404


def test_error_report_from_a_page_goes_to_operator_with_page_owner(client, box, government, department):
    page = client.get("/hudong/xiang/jiaoyu-zixun/").content.decode()
    assert "/zhaocuo/?page=/hudong/xiang/jiaoyu-zixun/" in page  # the link in every page's footer
    page = client.get("/zhaocuo/?page=/hudong/xiang/jiaoyu-zixun/").content.decode()
    assert 'value="/hudong/xiang/jiaoyu-zixun/"' in page
    r = client.post("/zhaocuo/", {"kind": "typo", "page_url": "/hudong/xiang/jiaoyu-zixun/",
                                  "description": "“咨询”写成了“资询”", "phone": "someone@example.com"})
    assert r.status_code == 302
    report = ErrorReport.objects.get()
    assert report.operator == government and report.organisation == government and report.page_owner == department
    assert report.contact == {"email": "someone@example.com"}
    done = client.get("/zhaocuo/yitijiao/").content.decode()
    assert report.tracking_code in done and 'href="/hudong/xiang/jiaoyu-zixun/"' in done
    assert AuditEvent.objects.filter(action="interaction.error_report_submitted").count() == 1
    r = client.post("/zhaocuo/", {"kind": "other", "page_url": "javascript:alert(1)", "description": "x"})
    assert r.status_code == 302
    assert "javascript:" not in client.get("/zhaocuo/yitijiao/").content.decode()
    assert client.post("/zhaocuo/", {"kind": "", "page_url": "/", "description": ""}).status_code == 400
