"""Attachments (limits, content scan), assignment, unpublishing, contact reading audited, and the 找错 clock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.interaction import selectors
from gongkai.interaction.services import (
    contact_reveal,
    error_report_act,
    error_report_submit,
    message_act,
    message_submit,
)
from tests.conftest import make_user


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def submit(box, files=None, when=None):
    return message_submit(mailbox=box, subject="低保申请材料", text="请问低保申请需要哪些材料？",
                          contact={"name": "李四", "phone": "13912345678"}, consent_publish=True,
                          client_address="10.1.1.1", files=files, now=when).message


@pytest.mark.parametrize("name,content,error", [
    ("a.exe", b"MZ", "类型不支持"),
    ("a.pdf", b"not a pdf", "内容与扩展名不符"),
    ("a.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
])
def test_attachment_limits(box, name, content, error):
    with pytest.raises(ValidationError) as exc:
        submit(box, files=[SimpleUploadedFile(name, content)])
    assert error in str(exc.value)


def test_too_many_attachments(box):
    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(4)]
    with pytest.raises(ValidationError, match="最多可上传 3 个附件"):
        submit(box, files=files)


def test_attachment_is_scanned_for_personal_data(box, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    text = "申请人 王五 身份证号 110101199003074514 电话 13812345678\n".encode()
    m = submit(box, files=[SimpleUploadedFile("名单.txt", text)])
    att = m.attachments.get()
    assert att.name == "名单.txt" and att.size == len(text) and len(att.sha256) == 64
    assert any(s["kind"] == "personal_data" for s in att.scan), att.scan
    assert "名单" not in att.file.name  # stored under a random name


def test_assign_unpublish_and_audited_contact(box, government, handler, reviewer):
    m = submit(box, when=at(2026, 11, 2))
    other = make_user("outsider")
    with pytest.raises(ValidationError):
        message_act(message=m, type="assigned", by=handler, assignee=other)
    m = message_act(message=m, type="assigned", by=handler, assignee=handler)
    assert m.assignee == handler and m.status == "submitted"
    m = message_act(message=m, type="replied", by=handler, text="需要户口簿、收入证明，请到社区办理。")
    m = message_act(message=m, type="published", by=reviewer)
    with pytest.raises(PermissionDenied):
        message_act(message=m, type="unpublished", by=handler, reason="x")
    with pytest.raises(ValidationError):
        message_act(message=m, type="unpublished", by=reviewer, reason="")
    m = message_act(message=m, type="unpublished", by=reviewer, reason="留言人要求撤回")
    assert m.status == "replied" and m.published_at is None
    assert not selectors.published_replies().filter(pk=m.pk).exists()
    with pytest.raises(PermissionDenied):
        contact_reveal(message=m, by=other)
    assert contact_reveal(message=m, by=handler)["phone"] == "13912345678"
    event = AuditEvent.objects.filter(action="interaction.contact_read").get()
    assert "13912345678" not in str(event.after)


def test_published_replies_search(box, handler, reviewer):
    m = submit(box)
    message_act(message=m, type="replied", by=handler, text="低保申请需要户口簿和收入证明。")
    message_act(message=m, type="published", by=reviewer)
    assert list(selectors.published_replies(q="收入证明")) == [m]
    assert list(selectors.published_replies(q="低保 公积金")) == []
    assert list(selectors.published_replies(q="低保申请材料")) == [m]


def test_error_report_clock_forward_one_day_reply_three_days(government, department, handler):
    # Submitted Friday 2026-09-25: 转办 due Monday 9-28; while not forwarded the reply is due 3 working days
    # after that: 9-29, 9-30, then the National Day holiday (10-1..10-7) → 10-8. Forwarded the same Friday,
    # the reply is due 3 working days after the forwarding: 9-28, 9-29, 9-30.
    r = error_report_submit(kind="typo", page_url="/zhengce/1/", description="第二段“机构”写成“机购”",
                            page_owner=department, client_address="10.2.2.2", now=at(2026, 9, 25))
    assert r.organisation == government and r.page_owner == department
    assert r.forward_due_on == dt.date(2026, 9, 28) and r.reply_due_on == dt.date(2026, 10, 8)
    with pytest.raises(PermissionDenied):
        error_report_act(report=r, type="forwarded", by=make_user("nobody"), to=department)
    r = error_report_act(report=r, type="forwarded", by=handler, to=department, at=at(2026, 9, 25, 15))
    assert r.status == "forwarded" and r.organisation == department
    assert r.reply_due_on == dt.date(2026, 9, 30)
    dept_handler = make_user("dept", department, Role.HANDLER)
    with pytest.raises(ValidationError, match="处理情况"):
        error_report_act(report=r, type="replied", by=dept_handler, outcome="fixed", resolution="")
    r = error_report_act(report=r, type="replied", by=dept_handler, outcome="fixed",
                         resolution="已将“机购”改为“机构”。", at=at(2026, 9, 30, 16))
    assert r.status == "closed" and r.on_time is True
    with pytest.raises(ValidationError):
        error_report_act(report=r, type="replied", by=dept_handler, outcome="fixed", resolution="again")
    assert [e.type for e in r.events.all()] == ["submitted", "forwarded", "replied"]


def test_error_report_late_forwarding_is_counted(government, department, handler):
    r = error_report_submit(kind="broken_link", page_url="/gongkai/X/", description="附件链接打不开",
                            client_address="10.2.2.3", now=at(2026, 11, 2))
    r = error_report_act(report=r, type="forwarded", by=handler, to=department, at=at(2026, 11, 5))
    r = error_report_act(report=r, type="replied", by=handler, outcome="fixed", resolution="链接已修复。",
                         at=at(2026, 11, 6))
    assert r.on_time is False
    stats = selectors.error_report_statistics(since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30))
    assert [(s.organisation, s.received, s.closed, s.on_time) for s in stats] == [(department.name, 1, 1, 0)]


def test_error_report_validation_and_rate_limit(government, settings):
    settings.INTERACTION_ERROR_REPORT_LIMIT_PER_ADDRESS = "2/3600"
    with pytest.raises(ValidationError):
        error_report_submit(kind="nonsense", page_url="/", description="x", client_address="10.3.3.3")
    for _ in range(2):
        error_report_submit(kind="other", page_url="/", description="首页图片不显示", client_address="10.3.3.3")
    from gongkai.interaction.services import RateLimited
    with pytest.raises(RateLimited):
        error_report_submit(kind="other", page_url="/", description="首页图片不显示", client_address="10.3.3.3")
