"""HTML mail (multipart/alternative, accessible), the subscriptions' own key (rotating SECRET_KEY voids nothing),
one-time sign-in links, and manage links in forwardable mail that open no account."""

import re

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from gongkai.subscriptions import selectors, services
from gongkai.subscriptions.models import Subscriber
from tests.documents.factories import published_document

from .conftest import links_in, token_of

pytestmark = pytest.mark.django_db

BODY_HOUSING = "<p>本市住房公积金缴存职工购买首套住房的，贷款额度提高。</p>"


def pushed(signed_up, committed, department, editor, reviewer, email="home@example.com"):
    subscriber = signed_up(email)
    services.profile_save(subscriber=subscriber, kind="person", name="我", tags=["stage:住房"])
    committed(published_document, organisation=department, by=editor, reviewer=reviewer,
              title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    [message] = mail.outbox
    return subscriber, message


def test_push_mail_is_text_plus_accessible_html_with_rfc8058_headers(signed_up, committed, department, editor,
                                                                      reviewer):
    _subscriber, message = pushed(signed_up, committed, department, editor, reviewer)
    assert message.content_subtype == "plain" and "因为您订阅了：我 · 住房" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    raw = message.message()
    assert raw.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in raw.get_payload()] == ["text/plain", "text/html"]
    # accessible: language, a title, one h1, a heading per item, the reason as text, no images
    assert '<html lang="zh-CN">' in html and "<title>【政策推送】关于住房公积金贷款的通知</title>" in html
    assert html.count("<h1") == 1 and "<h2" in html and "<img" not in html
    assert "因为您订阅了：我 · 住房" in html
    # the same links in both parts, and the one-click unsubscribe headers kept (RFC 8058)
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert raw["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert unsubscribe_url in message.body and f'href="{unsubscribe_url}"' in html
    text_links = set(links_in(message))
    html_links = set(re.findall(r'href="([^"]+)"', html))
    assert text_links == html_links


def test_digest_and_account_mails_have_html_too(signed_up, committed, department, editor, reviewer):
    committed(services.subscriber_signup, email="new@example.com", consent=True, client_address="10.0.0.9")
    [verify] = mail.outbox
    assert verify.alternatives and '<html lang="zh-CN">' in verify.alternatives[0][0]
    assert links_in(verify)[0] in verify.alternatives[0][0]
    mail.outbox.clear()
    subscriber = signed_up("digest@example.com", Subscriber.Frequency.DAILY)
    services.profile_save(subscriber=subscriber, kind="person", name="我", tags=["stage:住房"])
    committed(published_document, organisation=department, by=editor, reviewer=reviewer,
              title="关于住房公积金贷款的通知", body=BODY_HOUSING)
    assert mail.outbox == []
    committed(services.messages_assemble_digest, frequency=Subscriber.Frequency.DAILY)
    [digest] = mail.outbox
    html = digest.alternatives[0][0]
    assert "今日与您相关的政策动态" in html and "<h1" in html and digest.extra_headers["List-Unsubscribe"]


def test_rotating_secret_key_voids_no_link_and_no_look_up(signed_up, committed, client, department, editor,
                                                          reviewer):
    subscriber, message = pushed(signed_up, committed, department, editor, reviewer)
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    # the address itself is encrypted with FIELD_ENCRYPTION_KEY (docs/security.md: set it, then a new SECRET_KEY
    # keeps personal data readable); what SECRET_KEY used to void here were the links and the look-up digest
    from django.conf import settings

    with override_settings(SECRET_KEY="a-completely-new-secret-key-after-rotation-0123456789",
                           FIELD_ENCRYPTION_KEY=settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY):
        assert selectors.subscriber_by_email("HOME@example.com") == subscriber  # still found by its address
        response = client.post(unsubscribe_url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]),
                               {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.NONE


def test_the_own_key_rotates_and_old_secret_key_links_still_work(signed_up, committed):
    subscriber = signed_up("rot@example.com")
    old_key = selectors.subscription_keys()[0]
    old_link = services.link_token(subscriber=subscriber, action="unsubscribe")
    # links made before subscriptions had a key of its own were signed with SECRET_KEY: still accepted
    legacy = signing.dumps({"s": subscriber.pk, "k": subscriber.link_secret[:10]}, salt="gongkai.subscriptions.unsubscribe",
                           compress=True)
    assert services.link_read(token=legacy, action="unsubscribe")[0] == subscriber
    with override_settings(SUBSCRIPTIONS_KEY=f"the-new-subscriptions-key-0123456789,{old_key}"):
        assert services.link_read(token=old_link, action="unsubscribe")[0] == subscriber  # the old key verifies
        new_link = services.link_token(subscriber=subscriber, action="unsubscribe")
        assert new_link != old_link
        assert selectors.subscriber_by_email("rot@example.com") == subscriber  # found under the old digest …
        subscriber.refresh_from_db()
        assert subscriber.email_digest == selectors.email_digest("rot@example.com")  # … and brought up to date
    with override_settings(SUBSCRIPTIONS_KEY="yet-another-key-without-the-old-one-0123456789"):
        with pytest.raises(Exception, match="链接无效"):
            services.link_read(token=old_link, action="unsubscribe")


def test_sign_in_links_work_once_and_a_scanner_opening_them_uses_nothing(signed_up, committed, client):
    signed_up("once@example.com")
    Subscriber.objects.update(last_mail_at=None)  # the verification e-mail was sent minutes ago
    committed(services.subscriber_login_request, email="once@example.com", client_address="10.0.0.2")
    [message] = mail.outbox
    path = reverse("portal:subscriptions_login_link", kwargs={"token": token_of(links_in(message)[0])})
    assert client.get(path).status_code == 200  # a link scanner's GET: a button, nothing used
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302  # the person's click signs in
    assert client.get(reverse("portal:subscriptions_account")).status_code == 200
    client.post(reverse("portal:subscriptions_logout"))
    again = client.post(path)
    assert again.status_code == 400 and "已经使用过" in again.content.decode()


def test_manage_link_in_forwarded_mail_opens_no_account(signed_up, committed, client, department, editor, reviewer):
    subscriber, message = pushed(signed_up, committed, department, editor, reviewer, email="fwd@example.com")
    manage = next(u for u in links_in(message) if "/guanli/" in u)
    path = manage.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    mail.outbox.clear()
    page = client.get(path)
    assert page.status_code == 200 and "发送登录链接到我的邮箱" in page.content.decode()
    assert client.get(reverse("portal:subscriptions_account")).status_code == 302  # not signed in
    Subscriber.objects.filter(pk=subscriber.pk).update(last_mail_at=None)
    response = committed(client.post, path)
    assert response.status_code == 200
    assert client.get(reverse("portal:subscriptions_account")).status_code == 302  # still not signed in
    [sign_in] = mail.outbox  # the sign-in link goes to the owner's address, not to whoever clicked
    assert sign_in.to == ["fwd@example.com"] and "只能使用一次" in sign_in.body
    committed(client.post, path)
    assert len(mail.outbox) == 1  # one e-mail per address per RESEND_SECONDS, however often it is asked
