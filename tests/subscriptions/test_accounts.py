"""Sign-up and sign-in: signed links, no account enumeration, no e-mail twice in a short window, rate limits,
encryption at rest, and the public pages through the portal (real client, real session)."""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongkai.core.ratelimit import RateLimited
from gongkai.subscriptions import conf, services
from gongkai.subscriptions.models import Profile, Subscriber, Subscription

from .conftest import links_in, token_of

pytestmark = pytest.mark.django_db


def signup(committed, email="a@example.com", address="10.0.0.1", **kw):
    committed(services.subscriber_signup, email=email, consent=True, client_address=address, **kw)


def test_signup_sends_one_verification_link_and_stores_the_address_encrypted(committed):
    signup(committed, "Someone@Example.com")
    [message] = mail.outbox
    assert message.to == ["someone@example.com"]
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING
    assert subscriber.consent_version == conf.CONSENT_VERSION
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact, email_digest FROM subscriptions_subscriber")
        stored, digest = cursor.fetchone()
    assert "someone" not in stored and stored.startswith("enc1:")
    assert "someone" not in digest
    services.subscriber_verify(token=token_of(links_in(message)[0]))
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE and subscriber.verified_at


def test_no_second_email_within_the_window_and_same_answer_for_known_addresses(committed):
    signup(committed)
    signup(committed)  # a second click, or somebody flooding the address
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=conf.RESEND_SECONDS + 1)):
        signup(committed)
    assert len(mail.outbox) == 2
    assert Subscriber.objects.count() == 1


def test_sign_in_request_for_an_unknown_address_sends_nothing_and_says_nothing(committed):
    assert committed(services.subscriber_login_request, email="nobody@example.com", client_address="1.2.3.4") is None
    assert mail.outbox == []


def test_known_address_signing_up_again_gets_a_sign_in_link(committed, signed_up):
    signed_up("known@example.com")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=conf.RESEND_SECONDS + 1)):
        signup(committed, "known@example.com")
    [message] = mail.outbox
    assert "管理您的政策订阅" in message.subject
    assert services.subscriber_login(token=token_of(links_in(message)[0])).email == "known@example.com"


def test_rate_limits_per_client_address(committed):
    count = int(conf.SIGNUP_LIMIT_PER_ADDRESS.split("/")[0])
    for n in range(count):
        signup(committed, f"u{n}@example.com", address="9.9.9.9")
    with pytest.raises(RateLimited):
        signup(committed, "one-more@example.com", address="9.9.9.9")
    signup(committed, "other@example.com", address="9.9.9.8")


@pytest.mark.parametrize(("email", "consent", "field"), [("not-an-address", True, "email"), ("a@example.com", False, "consent")])
def test_bad_input_is_refused(email, consent, field):
    with pytest.raises(ValidationError) as info:
        services.subscriber_signup(email=email, consent=consent, client_address="1.1.1.1")
    assert field in info.value.error_dict


def test_links_expire_and_are_voided_by_deletion(committed):
    signup(committed)
    token = token_of(links_in(mail.outbox[0])[0])
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=conf.VERIFY_MAX_AGE + 60)), \
            pytest.raises(ValidationError, match="过期"):
        services.subscriber_verify(token=token)
    with pytest.raises(ValidationError):
        services.subscriber_verify(token=token[:-2] + "xx")
    subscriber = Subscriber.objects.get()
    services.subscriber_delete(subscriber=subscriber)
    with pytest.raises(ValidationError):
        services.subscriber_verify(token=token)


def test_unverified_accounts_are_purged():
    services.subscriber_signup(email="old@example.com", consent=True, client_address="1.1.1.1")
    with time_machine.travel(timezone.now() + dt.timedelta(days=conf.UNVERIFIED_RETENTION_DAYS + 1)):
        assert services.subscribers_purge_unverified() == 1
    assert not Subscriber.objects.exists()


def test_profile_tags_must_fit_the_kind(signed_up):
    subscriber = signed_up("p@example.com")
    with pytest.raises(ValidationError):
        services.profile_save(subscriber=subscriber, kind="person", name="我", tags=["industry:C"])
    with pytest.raises(ValidationError):
        services.profile_save(subscriber=subscriber, kind="enterprise", name="店", tags=[])
    profile = services.profile_save(subscriber=subscriber, kind="enterprise", name="小店",
                                    tags=["industry:H", "size:微型", "estage:开办"])
    assert profile.subscriptions.get().kind == Subscription.Kind.PROFILE


# --- Through the portal --------------------------------------------------------------------------------

def test_portal_sign_up_verify_and_manage(client, committed, department, django_capture_on_commit_callbacks):
    assert client.get("/dingyue/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dingyue/", {"email": "web@example.com", "frequency": "weekly", "consent": "on"})
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    # the same page for an unknown and a known address: nothing tells them apart
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/dingyue/", {"email": "web@example.com", "frequency": "weekly", "consent": "on"})
    assert again["Location"] == response["Location"]
    verify_url = links_in(mail.outbox[0])[0]
    response = client.get("/" + verify_url.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 302
    page = client.get("/dingyue/wode/")
    assert page.status_code == 200 and "web@example.com" in page.content.decode()
    response = client.post("/dingyue/huaxiang/", {"kind": "person", "name": "我", "stage": ["stage:就业", "stage:住房"],
                                                  "group": ["group:高校毕业生"]})
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.tags == ["stage:就业", "stage:住房", "group:高校毕业生"]
    response = client.post("/dingyue/tianjia/", {"kind": "search", "q": "公积金", "genre": "notice"})
    assert response.status_code == 302
    search = Subscription.objects.get(kind="search")
    assert search.query == {"q": "公积金", "genre": "notice"}
    feed = client.get(f"/dingyue/feed/{search.feed_token}.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    export = client.get("/dingyue/wode/daochu/")
    data = json.loads(export.content)
    assert data["联系方式"]["email"] == "web@example.com" and len(data["订阅"]) == 2
    assert client.post("/dingyue/wode/shanchu/", {"confirm": "yes"}).status_code == 200
    assert not Subscriber.objects.exists()
    assert client.get("/dingyue/wode/").status_code == 302  # signed out
    assert client.get(f"/dingyue/feed/{search.feed_token}.atom").status_code == 404


def test_subscribing_needs_an_account(client):
    response = client.post("/dingyue/tianjia/", {"kind": "search", "q": "公积金"})
    assert response.status_code == 302 and "need=1" in response["Location"]


def test_profile_feed_without_account(client, committed, department, editor, reviewer):
    from tests.documents.factories import published_document

    committed(published_document, organisation=department, by=editor, reviewer=reviewer,
              title="关于住房公积金贷款的通知", body="<p>住房公积金贷款。</p>")
    committed(published_document, organisation=department, by=editor, reviewer=reviewer,
              title="关于学校食堂管理的通知", body="<p>学校食堂。</p>")
    feed = client.get("/dingyue/huaxiang.atom?kind=person&tag=stage:住房").content.decode()
    assert "关于住房公积金贷款的通知" in feed and "学校食堂" not in feed
    assert "因为您订阅了" in feed
    assert client.get("/dingyue/huaxiang.atom?kind=person&tag=industry:C").status_code == 404


def test_tagger_trains_on_the_library_and_suggests_from_the_body(committed, department, editor, reviewer, settings,
                                                                 tmp_path):
    """The classifier learns from the library (weak labels of the titles) and then tags a body whose title says
    nothing (`bench/subscriptions_tagging.py` measures it on the laws corpus)."""
    from gongkai.subscriptions import tagging
    from tests.documents.factories import published_document

    settings.DATA_DIR = tmp_path
    for n in range(12):
        committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                  title=f"关于住房公积金管理的规定（{n}）", body=f"<p>缴存职工购房贷款，房屋交易与租赁，贷款额度第{n}条。</p>")
        committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                  title=f"关于学校安全的规定（{n}）", body=f"<p>学生课堂秩序，校园与教师管理，第{n}条。</p>")
    report = services.tagger_train()
    assert report["train"] + report["dev"] == 24 and (tmp_path / "subscriptions" / "tagger.json.gz").exists()
    model = tagging.model_get()
    assert model is not None
    suggestion = tagging.suggest(title="某某规定", body_text="缴存职工购房贷款的额度调整，房屋交易。")
    assert "stage:住房" in suggestion["tags"]
    assert [why for key, _s, why in suggestion["scored"] if key == "stage:住房"] == ["model"]


def test_library_and_document_pages_link_to_subscribing(client, committed, signed_up, department, editor, reviewer):
    from tests.documents.factories import published_document

    doc = committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                    title="关于住房公积金贷款的通知", body="<p>住房公积金贷款。</p>")
    html = client.get(f"/zhengce/{doc.index_no}/").content.decode()
    assert "/dingyue/tianjia/?kind=document&amp;index_no=" in html
    assert "/dingyue/tianjia/?kind=search&amp;q=" in client.get("/zhengce/?q=公积金").content.decode()
    subscriber = signed_up("follow@example.com")
    session = client.session
    session["subscriber_id"] = subscriber.pk
    session.save()
    confirm = client.get(f"/dingyue/tianjia/?kind=document&index_no={doc.index_no}")
    assert confirm.status_code == 200 and doc.index_no in confirm.content.decode()
    client.post("/dingyue/tianjia/", {"kind": "document", "index_no": doc.index_no})
    assert subscriber.subscriptions.get().document == doc


def test_phone_is_optional_and_checked_when_given(signed_up, committed, client):
    subscriber = signed_up("nophone@example.com")
    assert "phone" not in subscriber.contact  # no phone needed for anything
    services.subscriber_update(subscriber=subscriber, frequency="daily", phone="+86 138 0013 8000")
    subscriber.refresh_from_db()
    assert subscriber.contact["phone"] == "+86 138 0013 8000"
    with pytest.raises(ValidationError) as exc:
        services.subscriber_update(subscriber=subscriber, frequency="daily", phone="<script>")
    assert "phone" in exc.value.message_dict
    services.subscriber_update(subscriber=subscriber, frequency="daily", phone="")
    subscriber.refresh_from_db()
    assert "phone" not in subscriber.contact  # removing it deletes it
    with pytest.raises(ValidationError):
        services.subscriber_signup(email="x@example.com", consent=True, phone="abc", client_address="10.0.0.3")
    # the account page shows the error on the field instead of failing
    from gongkai.portal.subscriptions.views import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = subscriber.pk
    session.save()
    page = client.post("/dingyue/wode/", {"frequency": "daily", "phone": "abc"})
    assert page.status_code == 200 and "手机号码格式不正确" in page.content.decode()
