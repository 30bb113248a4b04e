"""Issue 21: the citizen hears when a reply is sent and when it is published (e-mail through Django's e-mail
framework, from the task layer; the address decrypted only in the task, never logged); the staff hear when a
poor rating re-opens a message. A retried task sends nothing twice."""

import logging

import pytest
from django.core import mail

from gongkai.core.models import Role
from gongkai.interaction import tasks
from gongkai.interaction.services import message_act, message_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ADDRESS = "wang.citizen@example.com"


def submit(box, **contact):
    return message_submit(mailbox=box, subject="社区卫生服务中心开放时间", text="周末是否开放？", consent_publish=True,
                          contact=contact, client_address="10.4.4.4").message


def test_reply_and_publication_are_sent_to_the_citizen_by_e_mail(box, handler, reviewer, committed, caplog):
    caplog.set_level(logging.DEBUG)
    m = submit(box, name="王女士", email=ADDRESS)
    assert mail.outbox == []  # nothing on submission
    m = committed(message_act, message=m, type="accepted", by=handler)
    assert mail.outbox == []
    m = committed(message_act, message=m, type="replied", by=handler, text="周六上午开放。")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [ADDRESS] and "已答复" in sent.subject and m.tracking_code in sent.body
    assert "/hudong/chaxun/" in sent.body and "周六上午开放" not in sent.body  # the reply is read on the site
    m = committed(message_act, message=m, type="published", by=reviewer)
    assert len(mail.outbox) == 2 and "已公开" in mail.outbox[1].subject
    m.refresh_from_db()
    assert len(m.notices_sent) == 2
    # A retried task (same event) sends nothing twice.
    key = m.notices_sent[0]
    assert tasks.citizen_notice_send(message_id=m.pk, kind="replied", key=key) is False
    assert len(mail.outbox) == 2
    assert ADDRESS not in caplog.text  # never logged


def test_nothing_is_sent_without_an_address_or_before_the_commit(box, handler, django_capture_on_commit_callbacks):
    m = submit(box, phone="13900001111")  # a number but no SMS gateway configured
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_act(message=m, type="replied", by=handler, text="周六上午开放。")
    assert mail.outbox == [] and len(callbacks) == 1  # queued only after the commit
    callbacks[0]()
    assert mail.outbox == []


def test_the_task_gets_the_message_id_never_the_address(box, handler, django_capture_on_commit_callbacks,
                                                        monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "citizen_notify", lambda *args: calls.append(args))
    m = submit(box, email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        message_act(message=m, type="replied", by=handler, text="周六上午开放。")
    assert calls and all(ADDRESS not in repr(args) for args in calls)
    assert calls[0][:2] == (m.pk, "replied")


def test_sms_when_configured(box, handler, committed, settings):
    sent = []
    settings.APPLICATION_SMS_SENDER = "tests.interaction.test_notices.fake_sms"
    fake_sms.sent = sent
    m = submit(box, phone="13900001111")
    committed(message_act, message=m, type="replied", by=handler, text="周六上午开放。")
    assert sent and sent[0][0] == "13900001111" and m.tracking_code in sent[0][1]


def fake_sms(number, text):
    fake_sms.sent.append((number, text))


def test_a_poor_rating_that_re_opens_the_message_tells_the_staff(box, government, handler, committed):
    handler.email = "handler@gov.example"
    handler.save()
    admin = make_user("office", government, Role.OFFICE_ADMIN)
    admin.email = "office@gov.example"
    admin.save()
    m = submit(box, email=ADDRESS)
    m = committed(message_act, message=m, type="replied", by=handler, text="周六上午开放。")
    m = committed(message_act, message=m, type="rated", by=None, rating=4)
    assert [e.subject for e in mail.outbox] == ["【政民互动】您的留言已答复"]  # a good rating tells nobody
    mail.outbox.clear()
    m2 = submit(box, email=ADDRESS)
    m2 = committed(message_act, message=m2, type="replied", by=handler, text="周六上午开放。")
    mail.outbox.clear()
    m2 = committed(message_act, message=m2, type="rated", by=None, rating=1)
    assert mail.outbox == []
    m2 = committed(message_act, message=m2, type="reopened", by=None)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert sorted(notice.to) == ["handler@gov.example", "office@gov.example"]
    assert "重新办理" in notice.subject and m2.tracking_code in notice.body and "1 分" in notice.body
    assert ADDRESS not in notice.body  # the citizen's address is not passed to the staff by mail
