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


def form_key(client, slug="jiaoyu-zixun"):
    """The idempotency key the form page hands this session (portal/formkeys.py)."""
    page = client.get(f"/hudong/xiang/{slug}/").content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


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
            "consent_publish": "on", "idempotency_key": form_key(client)}
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


MESSAGE = {"subject": "公交线路调整", "text": "12路公交什么时候恢复原线路？", "email": "li@example.com",
           "action": "send"}


def test_double_submit_and_back_resubmit_store_one_message(client, box):
    """Issue 21: the message form carries the session-bound idempotency key of the application form
    (issue 15.4); the same form sent twice, or again after Back, stores one message and shows no secret again."""
    key = form_key(client)
    first = client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": key})
    assert first.status_code == 302 and first["Location"] == "/hudong/yitijiao/"
    again = client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": key})  # double click
    m = Message.objects.get()
    assert again.status_code == 302 and again["Location"] == f"/hudong/chaxun/?m={m.pk}&again=1"
    done = client.get("/hudong/yitijiao/").content.decode()
    assert m.tracking_code in done and 'id="secret"' in done  # the first submit's confirmation, once
    back = client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": key})  # Back + resubmit
    assert back.status_code == 302 and Message.objects.count() == 1
    page = client.get(back["Location"]).content.decode()
    assert "没有重复提交" in page and m.subject in page and 'id="secret"' not in page
    assert [e.type for e in m.events.all()] == ["submitted"]
    assert AuditEvent.objects.filter(action="interaction.submitted").count() == 1
    # A new form (a new key) is a new message.
    client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": form_key(client)})
    assert Message.objects.count() == 2


def test_replay_is_bound_to_the_session_that_got_the_form(client, box):
    key = form_key(client)
    client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": key})
    m = Message.objects.get()
    other = client.__class__()
    other.get("/hudong/xiang/jiaoyu-zixun/")  # a session with keys of its own
    r = other.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": key})
    page = r.content.decode()
    assert r.status_code == 400 and "表单已失效" in page
    assert m.tracking_code not in page and Message.objects.count() == 1
    assert 'value="公交线路调整"' in page  # what was typed is kept, with a fresh key
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    assert fresh != key
    # No key at all (a form from before, or a script): nothing is sent.
    r = other.post("/hudong/xiang/jiaoyu-zixun/", MESSAGE)
    assert r.status_code == 400 and Message.objects.count() == 1
    assert other.get(f"/hudong/chaxun/?m={m.pk}").content.decode().count(m.tracking_code) == 0


def test_form_confirmation_and_tracking_pages_are_not_stored(client, box):
    """Cache-Control: no-store on the pages that carry a key, a secret or a message (browser Back, proxies)."""
    def no_store(response):
        return "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    assert no_store(client.get("/hudong/xiang/jiaoyu-zixun/"))
    r = client.post("/hudong/xiang/jiaoyu-zixun/", {**MESSAGE, "idempotency_key": form_key(client)})
    assert no_store(r)
    assert no_store(client.get("/hudong/yitijiao/"))
    m = Message.objects.get()
    assert no_store(client.get(f"/hudong/chaxun/?m={m.pk}"))
    assert no_store(client.post("/hudong/chaxun/", {"tracking_code": m.tracking_code, "secret": "x"}))
    assert no_store(client.get("/zhaocuo/?page=/"))
