"""From a publication to the e-mail: matching by profile and search, the reason in the e-mail, one-click
unsubscribe, "not relevant", digests, and a queue that neither loses nor repeats messages.

Real database, real huey (immediate mode, as in the test settings), Django's locmem outbox."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.core.services import organisation_create
from gongkai.documents import services as documents
from gongkai.subscriptions import services
from gongkai.subscriptions.models import FeedbackCount, Message, PendingMatch, Push, Subscriber, Subscription
from tests.documents.factories import published_document

from .conftest import links_in, token_of

pytestmark = pytest.mark.django_db

BODY_EMPLOY = "<p>为支持高校毕业生就业创业，对吸纳高校毕业生就业的小微企业给予社会保险补贴。</p>"
BODY_HOUSING = "<p>本市住房公积金缴存职工购买首套住房的，贷款额度提高。</p>"


def publish(committed, department, editor, reviewer, **fields):
    return committed(published_document, organisation=department, by=editor, reviewer=reviewer, **fields)


def person(subscriber, *tags, region=None):
    return services.profile_save(subscriber=subscriber, kind="person", name="我", tags=list(tags), region=region)


def test_publication_reaches_the_matching_profile_with_its_reason(signed_up, committed, department, editor, reviewer):
    graduate = signed_up("grad@example.com")
    person(graduate, "stage:就业", "group:高校毕业生")
    owner = signed_up("home@example.com")
    person(owner, "stage:住房")
    doc = publish(committed, department, editor, reviewer, title="关于支持高校毕业生就业创业的通知", body=BODY_EMPLOY)

    assert [m.to for m in mail.outbox] == [["grad@example.com"]]
    message = mail.outbox[0]
    assert doc.title in message.body
    assert "因为您订阅了：我 · 就业 · 高校毕业生" in message.body
    # RFC 8058: one-click unsubscribe in the headers, the same link in the body
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in message.body
    assert Push.objects.get().reason.startswith("因为您订阅了：我")


def test_publish_only_notes_the_event_matching_runs_after_commit(signed_up, department, editor, reviewer,
                                                                 django_capture_on_commit_callbacks):
    subscriber = signed_up("a@example.com")
    person(subscriber, "stage:住房")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published_document(organisation=department, by=editor, reviewer=reviewer, title="关于住房公积金贷款的通知",
                           body=BODY_HOUSING)
    # inside the publishing transaction: one pending row, no push, no e-mail
    assert PendingMatch.objects.filter(done_at__isnull=True).count() == 1
    assert Push.objects.count() == 0 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # the commit: the matcher runs, then the sender
        for callback in callbacks:
            callback()
    assert Push.objects.count() == 1
    assert len(mail.outbox) == 1


def test_saved_search_and_document_follow(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("s@example.com")
    services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.SEARCH, query={"q": "公积金 贷款"})
    old = publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    assert "因为您订阅了检索：“公积金 贷款”" in mail.outbox[-1].body
    services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.DOCUMENT, document=old)
    mail.outbox.clear()
    new = publish(committed, department, editor, reviewer, title="关于调整住房公积金贷款额度的通知", body=BODY_HOUSING)
    mail.outbox.clear()
    committed(documents.document_repeal, document=old, by=reviewer, effective_on=timezone.localdate(),
              reason="被新文件替代", repealed_by=new)
    [message] = mail.outbox
    assert f"《{old.title}》被废止：《{new.title}》" in message.body
    assert f"因为您关注了文件《{old.title}》的动态（被废止）" in message.body


def test_historical_imports_are_not_pushed(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("h@example.com")
    person(subscriber, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING,
            at=timezone.now() - dt.timedelta(days=400))
    assert Push.objects.count() == 0 and mail.outbox == []


def test_unverified_subscribers_get_nothing(committed, department, editor, reviewer):
    committed(services.subscriber_signup, email="p@example.com", consent=True, client_address="1.1.1.1")
    pending = Subscriber.objects.get()
    person(pending, "stage:住房")
    mail.outbox.clear()
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    assert Push.objects.count() == 0 and mail.outbox == []


def test_one_click_unsubscribe_without_login(signed_up, committed, client, department, editor, reviewer):
    subscriber = signed_up("u@example.com")
    person(subscriber, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a link scanner's GET changes nothing
    assert Subscriber.objects.get().frequency == Subscriber.Frequency.IMMEDIATE
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token, no session
    assert response.status_code == 200
    assert Subscriber.objects.get().frequency == Subscriber.Frequency.NONE
    mail.outbox.clear()
    publish(committed, department, editor, reviewer, title="关于住房租赁补贴的通知", body="<p>住房租赁补贴。</p>")
    assert mail.outbox == []  # no more e-mail …
    assert Push.objects.count() == 2  # … the feed still gets it


def test_not_relevant_is_counted_once(signed_up, committed, client, department, editor, reviewer):
    subscriber = signed_up("n@example.com")
    person(subscriber, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    link = next(u for u in links_in(mail.outbox[0]) if "/buxiangguan/" in u)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    assert Push.objects.get().not_relevant_at is not None
    total = FeedbackCount.objects.get(kind="profile", tag="")
    assert (total.pushes, total.not_relevant) == (1, 1)
    assert FeedbackCount.objects.get(kind="profile", tag="stage:住房").not_relevant == 1


def test_daily_digest_is_assembled_once_per_day(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("d@example.com", frequency=Subscriber.Frequency.DAILY)
    person(subscriber, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    publish(committed, department, editor, reviewer, title="关于住房租赁补贴的通知", body="<p>住房租赁补贴发放。</p>")
    assert mail.outbox == []  # daily: nothing until the digest
    assert committed(services.messages_assemble_digest, frequency="daily") == 1
    assert committed(services.messages_assemble_digest, frequency="daily") == 0
    [digest] = mail.outbox
    assert digest.subject == "【政策推送】2 条新动态与您相关"
    assert "1. 关于住房租赁补贴的通知" in digest.body or "1. 关于住房公积金贷款的通知" in digest.body
    assert digest.body.count("因为您订阅了：我 · 住房") == 2
    assert Message.objects.get(kind="digest").idempotency_key.startswith(f"digest:daily:{subscriber.pk}:")


class FailingSMTP(EmailBackend):
    """A mail server that refuses service (raises as smtplib does when the server is down)."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("down")


def test_failed_smtp_keeps_the_message_queued_and_retries(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("r@example.com")
    person(subscriber, "stage:住房")
    with override_settings(EMAIL_BACKEND="tests.subscriptions.test_flow.FailingSMTP"):
        publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    message = Message.objects.get(kind="immediate")
    assert (message.state, message.attempts, message.last_error) == ("queued", 1, "SMTPServerDisconnected")
    assert mail.outbox == []
    assert services.messages_send() == 0  # not due yet (back-off)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert services.messages_send() == 1
        assert services.messages_send() == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.state == "sent"


class Killed(BaseException):
    """The worker process dies (SIGKILL): nothing of ours runs after it."""


class DiesOnThird(EmailBackend):
    calls = 0

    def send_messages(self, messages):
        DiesOnThird.calls += 1
        if DiesOnThird.calls == 3:
            raise Killed
        return super().send_messages(messages)


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(signed_up, committed, department, editor, reviewer):
    subscribers = [signed_up(f"k{i}@example.com", frequency=Subscriber.Frequency.DAILY) for i in range(5)]
    for s in subscribers:
        person(s, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    with override_settings(EMAIL_BACKEND="tests.subscriptions.test_flow.FailingSMTP"):
        committed(services.messages_assemble_digest, frequency="daily")
    assert Message.objects.filter(kind="digest", state="queued").count() == 5
    Message.objects.update(next_attempt_at=None)
    DiesOnThird.calls = 0
    with override_settings(EMAIL_BACKEND="tests.subscriptions.test_flow.DiesOnThird"), pytest.raises(Killed):
        services.messages_send()
    assert len(mail.outbox) == 2
    assert Message.objects.filter(state="sending").count() == 1  # the one in the dead worker's hands
    # a second worker at once: sends the rest, leaves the claimed one alone
    assert services.messages_send() == 2
    assert len(mail.outbox) == 4
    # after the lease the claimed one is taken up again
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=400)):
        assert services.messages_send() == 1
        assert services.messages_send() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(f"k{i}@example.com" for i in range(5))  # each once
    assert Message.objects.filter(kind="digest", state="sent").count() == 5
    # the same digest assembled again sends nothing
    assert committed(services.messages_assemble_digest, frequency="daily") == 0


class RefusesRecipient(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})


def test_bounced_addresses_are_disabled(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("b@example.com")
    person(subscriber, "stage:住房")
    with override_settings(EMAIL_BACKEND="tests.subscriptions.test_flow.RefusesRecipient"):
        for n in range(3):
            publish(committed, department, editor, reviewer, title=f"关于住房补贴的通知（{n}）", body=BODY_HOUSING)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.DISABLED
    assert Message.objects.filter(state="failed").count() == 3
    publish(committed, department, editor, reviewer, title="关于住房租赁的通知", body=BODY_HOUSING)
    assert mail.outbox == []
    assert Push.objects.count() == 4  # the feed keeps working


def test_region_keeps_a_county_notice_in_its_county(signed_up, committed, government, editor, reviewer):
    county = organisation_create(name="测试县人民政府", code="TEST00010", parent=government,
                                 kind=Organisation.Kind.GOVERNMENT)
    neighbour = organisation_create(name="邻县人民政府", code="TEST00011", parent=government,
                                    kind=Organisation.Kind.GOVERNMENT)
    bureau = organisation_create(name="测试县住建局", code="TEST00012", parent=county)
    from tests.conftest import make_user

    county_editor = make_user("ce", bureau, "editor")
    county_reviewer = make_user("cr", bureau, "reviewer")
    here = signed_up("here@example.com")
    person(here, "stage:住房", region=county)
    there = signed_up("there@example.com")
    person(there, "stage:住房", region=neighbour)
    city = signed_up("city@example.com")
    person(city, "stage:住房", region=government)
    publish(committed, bureau, county_editor, county_reviewer, title="关于县城住房补贴的通知", body=BODY_HOUSING)
    assert sorted(m.to[0] for m in mail.outbox) == ["city@example.com", "here@example.com"]


def test_deleting_the_account_deletes_everything(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("x@example.com")
    person(subscriber, "stage:住房")
    publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    assert Push.objects.exists() and Message.objects.exists()
    services.subscriber_delete(subscriber=subscriber)
    assert not Subscriber.objects.exists()
    assert not Push.objects.exists() and not Message.objects.exists() and not Subscription.objects.exists()
    assert FeedbackCount.objects.filter(tag="").get().pushes == 1  # anonymous counters stay


def test_interpretation_reaches_followers(signed_up, committed, department, editor, reviewer):
    doc = publish(committed, department, editor, reviewer, title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    subscriber = signed_up("i@example.com")
    services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.DOCUMENT, document=doc)
    interpretation = documents.interpretation_create(documents=[doc], organisation=department, by=editor,
                                                     title="图解：住房公积金贷款新政")
    committed(documents.interpretation_publish, interpretation=interpretation, by=reviewer)
    [message] = mail.outbox
    assert "有新解读" in message.body
    assert token_of(links_in(message)[0])
