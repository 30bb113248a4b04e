"""Issue 15.4 and 15.5: the form's idempotency key is not the case password, replays stay in the session
that got the form, the public case pages are never stored by a browser or proxy, and a made-up tracking
code costs the same as a real one."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from gongkai.applications import intake
from gongkai.applications.models import Application
from tests.applications.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def form_key(client, organisation):
    body = client.get(reverse("applications_portal:apply", args=[organisation.code])).content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)


def person_data(key):
    return {"applicant": "person", "idempotency_key": key, "name": APPLICANT["name"], "id_type": "resident_id",
            "id_number": APPLICANT["id_number"], "phone": APPLICANT["phone"], "email": APPLICANT["email"],
            "description": "请公开 2025 年本局行政事业性收费项目清单", "pii_consent": "on"}


def secret_on(body: str) -> str | None:
    found = re.search(r'class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', body)
    return found.group(1) if found else None


def test_the_secret_does_not_depend_on_the_idempotency_key(department):
    first = intake.application_file_online(
        organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
        description="请公开收费清单", idempotency_key="same-key-for-both-0001", client_address="a")
    Application.objects.all().delete()
    second = intake.application_file_online(
        organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
        description="请公开收费清单", idempotency_key="same-key-for-both-0001", client_address="a")
    assert not second.replayed and first.secret != second.secret


def test_another_browser_posting_a_used_key_gets_neither_the_case_nor_the_secret(client, department):
    url = reverse("applications_portal:apply", args=[department.code])
    key = form_key(client, department)
    done = client.post(url, person_data(key))
    app = Application.objects.get()
    secret = secret_on(client.get(done["Location"]).content.decode())
    assert secret

    stranger = Client()
    stranger.get(url)
    response = stranger.post(url, person_data(key))
    body = response.content.decode()
    assert response.status_code == 400 and "表单已失效" in body
    assert app.tracking_code not in body and secret not in body
    assert stranger.get(reverse("applications_portal:done", args=[app.tracking_code])).status_code == 404
    assert stranger.get(reverse("applications_portal:status", args=[app.tracking_code])).status_code == 404
    assert Application.objects.count() == 1
    # what the stranger typed is kept, with a fresh key of their own session
    assert APPLICANT["name"] in body and key not in body


def test_back_and_resubmit_in_the_same_browser_files_nothing_and_shows_no_secret(client, department):
    url = reverse("applications_portal:apply", args=[department.code])
    key = form_key(client, department)
    first = client.post(url, person_data(key))
    assert secret_on(client.get(first["Location"]).content.decode())
    again = client.post(url, person_data(key))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    body = client.get(again["Location"]).content.decode()
    assert secret_on(body) is None and "不再显示" in body
    assert Application.objects.count() == 1


def test_a_key_never_issued_to_the_session_is_refused(client, department):
    url = reverse("applications_portal:apply", args=[department.code])
    response = client.post(url, person_data("made-up-key-0123456789"))
    assert response.status_code == 400 and not Application.objects.exists()


def test_form_confirmation_tracking_and_status_pages_say_no_store(client, department):
    url = reverse("applications_portal:apply", args=[department.code])
    form = client.get(url)
    assert "no-store" in form["Cache-Control"]
    done = client.post(url, person_data(form_key(client, department)))
    assert "no-store" in done["Cache-Control"]
    app = Application.objects.get()
    for name in ("done", "status"):
        response = client.get(reverse(f"applications_portal:{name}", args=[app.tracking_code]))
        assert "no-store" in response["Cache-Control"], name
    assert "no-store" in client.get(reverse("applications_portal:track"))["Cache-Control"]


class CountingHasher(MD5PasswordHasher):
    """MD5 (the suite's hasher) that counts how often a password is hashed or checked."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt, *args, **kwargs):
        CountingHasher.calls += 1
        return super().encode(password, salt, *args, **kwargs).replace("md5$", "counting_md5$", 1)

    def verify(self, password, encoded):
        CountingHasher.calls += 1
        return super().verify(password, encoded.replace("counting_md5$", "md5$", 1))


def test_unknown_and_known_tracking_codes_cost_the_same_hashing(department, settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_tracking_secret.CountingHasher"]
    filed = intake.application_file_online(
        organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
        description="请公开收费清单", idempotency_key="timing-key-0000000001", client_address="a")
    intake.application_by_secret(tracking_code="GK-NOSUCHCODE", secret="AAAA-BBBB-CCCC", client_address="b")  # warm
    costs = {}
    for label, code in (("known", filed.application.tracking_code), ("unknown", "GK-NOSUCHCODE")):
        CountingHasher.calls = 0
        assert intake.application_by_secret(tracking_code=code, secret="AAAA-BBBB-CCCC", client_address="b") is None
        costs[label] = CountingHasher.calls
    assert costs == {"known": 1, "unknown": 1}
