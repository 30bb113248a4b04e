"""The staff pages of 政民互动 through the test client: inbox with due dates and overdue flags, every step
through the one door, the contact reading audited, the 3-month page, statistics, 找错 handling."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.interaction.services import (
    error_report_submit,
    mailbox_create,
    mailbox_update,
    message_act,
    message_submit,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.fixture
def box(government):
    return mailbox_create(organisation=government, kind="mailbox", name="市长信箱", slug="shizhang")


@pytest.fixture
def staff(government):
    return make_user("h1", government, Role.HANDLER), make_user("r1", government, Role.REVIEWER)


def send(box, subject="小区噪音扰民", when=None, **kw):
    return message_submit(mailbox=box, subject=subject, text="A区幸福小区夜间施工噪音扰民，希望处理。",
                          contact={"phone": "13800001111"}, consent_publish=True, client_address="10.5.5.5",
                          now=when, **kw).message


def test_inbox_shows_due_dates_and_overdue(login, box, staff):
    with time_machine.travel(at(2026, 11, 23), tick=False):
        late = send(box, "早先的留言", when=at(2026, 10, 9))
        fresh = send(box, "新的留言", when=at(2026, 11, 20))
        page = login(staff[0]).get("/workspace/interaction/").content.decode()
    assert "早先的留言" in page and "新的留言" in page
    assert "已超期" in page and "还剩" in page
    assert late.due_on < dt.date(2026, 11, 23) <= fresh.due_on
    assert login(make_user("stranger")).get("/workspace/interaction/").status_code == 403
    assert "留言办理" in login(staff[0]).get("/workspace/").content.decode()  # the menu entry


def test_steps_through_the_pages(login, box, staff, department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handler, reviewer = staff
    m = send(box, files=[SimpleUploadedFile("证明.txt", "身份证 110101199003074514".encode())])
    c = login(handler)
    page = c.get(f"/workspace/interaction/{m.pk}/").content.decode()
    assert "13800001111" not in page and "查看联系方式" in page and "personal_data" in page
    page = c.post(f"/workspace/interaction/{m.pk}/contact/").content.decode()
    assert "13800001111" in page and AuditEvent.objects.filter(action="interaction.contact_read").count() == 1
    r = c.get(f"/workspace/interaction/attachments/{m.attachments.get().pk}/")
    assert r.status_code == 200 and AuditEvent.objects.filter(action="interaction.attachment_read").exists()

    assert c.post(f"/workspace/interaction/{m.pk}/accept/").status_code == 302
    assert c.post(f"/workspace/interaction/{m.pk}/assign/", {"assignee": handler.pk}).status_code == 302
    r = c.post(f"/workspace/interaction/{m.pk}/forward/", {"to": department.pk})
    m.refresh_from_db()
    assert r.status_code == 302 and m.organisation == department and m.assignee == handler
    assert c.post(f"/workspace/interaction/{m.pk}/hand-back/", {"hb-reason": ""}).status_code == 400
    assert c.post(f"/workspace/interaction/{m.pk}/hand-back/", {"hb-reason": "不属于教育局"}).status_code == 302
    r = c.post(f"/workspace/interaction/{m.pk}/reply/", {"text": "联系人张三，电话13912345678"})
    assert r.status_code in (302, 400)
    r = c.post(f"/workspace/interaction/{m.pk}/reply/", {"text": "已责成施工单位夜间停工，并安排执法人员巡查。"})
    assert r.status_code == 302
    r = c.post(f"/workspace/interaction/{m.pk}/publish/")  # the replier may not publish
    m.refresh_from_db()
    assert m.status == "replied"
    assert login(reviewer).post(f"/workspace/interaction/{m.pk}/publish/").status_code == 302
    m.refresh_from_db()
    assert m.status == "published"
    types = list(m.events.values_list("type", flat=True))
    assert types == ["submitted", "accepted", "assigned", "forwarded", "handed_back", "replied", "published"]
    assert AuditEvent.objects.filter(action__startswith="interaction.", object_id=str(m.pk)).count() >= 7


def test_reject_needs_a_reason_and_invalid_is_not_counted(login, box, staff):
    m = send(box)
    c = login(staff[0])
    assert c.post(f"/workspace/interaction/{m.pk}/reject/", {"reason": ""}).status_code == 400
    assert c.post(f"/workspace/interaction/{m.pk}/reject/", {"reason": "duplicate"}).status_code == 302
    m.refresh_from_db()
    assert m.status == "invalid" and m.due_on is None


def test_three_month_page_and_statistics(login, box, staff):
    with time_machine.travel(at(2026, 11, 23), tick=False):
        old = send(box, "四个月前的留言", when=at(2026, 7, 1))
        answered_late = send(box, "超期才答复", when=at(2026, 5, 4))
        message_act(message=answered_late, type="replied", by=None, system=True, text="已处理。", at=at(2026, 9, 1))
        send(box, "新留言", when=at(2026, 11, 2))
        c = login(staff[0])
        page = c.get("/workspace/interaction/overdue/").content.decode()
        assert '<strong id="over-count">2</strong>' in page and old.subject in page and "超期后答复" in page
        page = c.get("/workspace/interaction/statistics/", {"since": "2026-01-01", "until": "2026-11-23"}).content.decode()
        assert '<strong id="over-count">2</strong>' in page and "市人民政府" in page and "热点问题" in page


def test_error_report_handling(login, government, department, staff):
    r = error_report_submit(kind="broken_link", page_url="/gongkai/TEST00002/", description="附件链接打不开",
                            page_owner=department, client_address="10.6.6.6")
    c = login(staff[0])
    page = c.get("/workspace/interaction/zhaocuo/").content.decode()
    assert r.tracking_code in page
    page = c.get(f"/workspace/interaction/zhaocuo/{r.pk}/").content.decode()
    assert "测试市教育局" in page and f'<option value="{department.pk}" selected>' in page
    assert c.post(f"/workspace/interaction/zhaocuo/{r.pk}/forward/", {"to": department.pk}).status_code == 302
    dept = login(make_user("d1", department, Role.HANDLER))
    assert dept.post(f"/workspace/interaction/zhaocuo/{r.pk}/reply/", {"outcome": "fixed", "resolution": ""}).status_code == 400
    assert dept.post(f"/workspace/interaction/zhaocuo/{r.pk}/reply/",
                     {"outcome": "fixed", "resolution": "已重新上传附件。"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "closed" and r.on_time is True


def test_box_settings_only_by_the_office_admin(login, box, staff, office_admin):
    page = login(staff[0]).get(f"/workspace/interaction/boxes/{box.pk}/")
    assert page.status_code == 200
    r = login(staff[0]).post(f"/workspace/interaction/boxes/{box.pk}/", {"name": "市长信箱", "reply_days": 10,
                                                                         "publish_replies": "on", "is_active": "on"})
    assert r.status_code == 400 and "政务公开办管理员" in r.content.decode()
    r = login(office_admin).post(f"/workspace/interaction/boxes/{box.pk}/", {"name": "市长信箱", "reply_days": 10,
                                                                            "publish_replies": "on", "is_active": "on"})
    assert r.status_code == 302
    box.refresh_from_db()
    assert box.reply_days == 10
    assert AuditEvent.objects.filter(action="interaction.mailbox_update").count() == 1
    assert send(box).due_on is not None


def test_identical_messages_grouped_get_one_reply(login, box, staff):
    main = send(box, "幸福小区夜间施工噪音")
    same = send(box, "幸福小区夜间施工噪音")
    c = login(staff[0])
    page = c.get(f"/workspace/interaction/{main.pk}/").content.decode()
    assert "内容相近的待办留言" in page and same.tracking_code in page
    assert c.post(f"/workspace/interaction/{main.pk}/group/", {"other": same.pk}).status_code == 302
    same.refresh_from_db()
    assert same.group_of == main
    assert c.post(f"/workspace/interaction/{main.pk}/reply/", {"text": "已责令施工单位夜间停工。"}).status_code == 302
    same.refresh_from_db()
    assert same.status == "replied" and same.reply_text == "已责令施工单位夜间停工。"
    assert same.events.get(type="replied").fields["grouped_with"] == main.tracking_code


def test_changed_standard_does_not_move_received_messages(login, box, office_admin):
    m = send(box, when=at(2026, 11, 2))
    due = m.due_on
    mailbox_update(mailbox=box, by=office_admin, name=box.name, reply_days=3, publish_replies=True, is_active=True)
    m = message_act(message=m, type="accepted", by=office_admin)
    assert m.due_on == due and m.reply_days == 15
