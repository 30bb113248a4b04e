"""Issue 17.7: a lost tracking secret is recovered through the contact the applicant gave — an e-mail link
(SMS when configured), rate-limited, the same answer whether or not a case exists; the link works once."""

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import intake
from gongkai.core.models import AuditEvent
from tests.applications.conftest import APPLICANT

pytestmark = pytest.mark.django_db
RECOVER = reverse("applications_portal:recover")


@pytest.fixture
def filed(department):
    result = intake.application_file_online(
        organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
        description="请公开收费清单", idempotency_key="recovery-test-key-0000001", client_address="10.9.9.9")
    mail.outbox.clear()  # the filing's own notice
    return result


def ask(client, code, contact):
    return client.post(RECOVER, {"tracking_code": code, "contact": contact})


def link_in(message) -> str:
    return re.search(r"http://testserver(/yisq/track/recover/[^/\s]+/)", message.body).group(1)


def answer_text(response) -> str:
    return re.sub(r"\s+", " ", re.search(r'<p class="notice" role="status">(.*?)</p>', response.content.decode(), re.S).group(1))


def test_the_link_goes_to_the_applicants_address_and_sets_a_new_secret_once(filed):
    code = filed.application.tracking_code
    client = Client()
    assert ask(client, code.lower(), APPLICANT["email"].upper()).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [APPLICANT["email"]]
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and code in page.content.decode()
    assert intake.application_by_secret(tracking_code=code, secret=filed.secret, client_address="x")  # GET changes nothing
    done = client.post(link)
    new_secret = re.search(r'class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', client.get(done["Location"]).content.decode()).group(1)
    assert new_secret != filed.secret
    assert intake.application_by_secret(tracking_code=code, secret=new_secret, client_address="x") is not None
    assert intake.application_by_secret(tracking_code=code, secret=filed.secret, client_address="x") is None
    assert client.post(link).status_code == 410 and Client().get(link).status_code == 410  # used up
    assert AuditEvent.objects.filter(action="application.tracking_secret_reset", object_id=str(filed.application.pk)).exists()


def test_the_answer_is_the_same_whether_or_not_a_case_matches(filed):
    code = filed.application.tracking_code
    answers = [answer_text(ask(Client(REMOTE_ADDR=f"10.0.0.{n}"), c, contact))
               for n, (c, contact) in enumerate([(code, APPLICANT["email"]), (code, "someone@example.com"),
                                                 ("YS00000000", APPLICANT["email"])])]
    assert answers[0] == answers[1] == answers[2]
    assert len(mail.outbox) == 1  # only the matching one was sent


def test_a_link_expires(filed):
    ask(Client(), filed.application.tracking_code, APPLICANT["email"])
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        assert Client().post(link).status_code == 410
    assert Client().get(link.replace("/recover/", "/recover/x")).status_code == 410


def test_requests_are_rate_limited_per_address_and_per_case(filed, settings):
    settings.APPLICATION_RECOVERY_LIMIT_PER_ADDRESS = "2/3600"
    client = Client()
    for _ in range(2):
        assert ask(client, "YS00000000", "a@example.com").status_code == 200
    refused = ask(client, filed.application.tracking_code, APPLICANT["email"])
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode() and not mail.outbox
    settings.APPLICATION_RECOVERY_LIMIT_PER_ADDRESS = "100/3600"
    settings.APPLICATION_RECOVERY_LIMIT_PER_CASE = "1/86400"
    assert ask(Client(REMOTE_ADDR="10.2.2.2"), filed.application.tracking_code, APPLICANT["email"]).status_code == 200
    assert ask(Client(REMOTE_ADDR="10.3.3.3"), filed.application.tracking_code, APPLICANT["email"]).status_code == 429
    assert len(mail.outbox) == 1


def test_a_phone_gets_an_sms_only_when_sms_is_configured(filed, settings):
    ask(Client(), filed.application.tracking_code, APPLICANT["phone"])
    assert not mail.outbox
    sent.clear()
    settings.APPLICATION_SMS_SENDER = "tests.portal.test_tracking_recovery.record_sms"
    ask(Client(REMOTE_ADDR="10.4.4.4"), filed.application.tracking_code, APPLICANT["phone"])
    assert len(sent) == 1 and sent[0][0] == APPLICANT["phone"] and "/yisq/track/recover/" in sent[0][1]


sent: list[tuple[str, str]] = []


def record_sms(phone: str, text: str) -> None:
    """An SMS gateway standing in for the operator's (APPLICATION_SMS_SENDER is a dotted path)."""
    sent.append((phone, text))


def test_the_done_and_track_pages_offer_recovery(client):
    assert RECOVER in client.get(reverse("applications_portal:track")).content.decode()
