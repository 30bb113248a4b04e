"""Issue 15.9: staff who see personal data sign in with a second factor (TOTP and recovery codes; 等保2.0
三级 身份鉴别), enforced per setting; staff pages and the staff API are closed until it is given."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.models import AuditEvent, Role
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_on")]
CASES = "/workspace/applications/"


@pytest.fixture
def otp_on(settings):
    settings.STAFF_OTP_REQUIRED = True


@pytest.fixture
def handler(department):
    return make_user("handler", department, Role.HANDLER)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # the password step; the second factor is what is tested here
    return client


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def enrol(client, user) -> list[str]:
    setup = client.get("/workspace/second-factor/setup/")
    assert setup.status_code == 200 and setup["Cache-Control"] == "no-store"
    assert re.search(r"<code class=\"otp-key\">[A-Z2-7 ]{20,}</code>", setup.content.decode())
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/workspace/second-factor/setup/", {"token": code_for(device), "next": CASES})
    codes = re.findall(r"<li><code>(\d{8})</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    return codes


def test_a_handler_with_only_a_password_reaches_no_staff_page_until_enrolled(handler):
    client = signed_in(handler)
    response = client.get(CASES)
    assert response.status_code == 302 and response["Location"].startswith("/workspace/second-factor/")
    assert client.get("/workspace/second-factor/")["Location"].startswith("/workspace/second-factor/setup/")
    api = client.get("/api/v1/applications/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"
    enrol(client, handler)
    assert client.get(CASES).status_code == 200
    assert AuditEvent.objects.filter(action="auth.second_factor_enrolled", actor=handler).exists()


def test_each_sign_in_asks_for_the_code_and_accepts_a_recovery_code_once(handler):
    codes = enrol(signed_in(handler), handler)
    device = TOTPDevice.objects.get(user=handler)
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        client = signed_in(handler)
        assert client.get(CASES).status_code == 302
        wrong = client.post("/workspace/second-factor/", {"token": "12345"})
        assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    with time_machine.travel(later + dt.timedelta(minutes=2), tick=False):
        ok = client.post("/workspace/second-factor/", {"token": code_for(device), "next": CASES})
        assert ok.status_code == 302 and ok["Location"] == CASES
        assert client.get(CASES).status_code == 200

    phone_lost = signed_in(handler)
    assert phone_lost.post("/workspace/second-factor/", {"token": codes[0]}).status_code == 302
    assert phone_lost.get(CASES).status_code == 200
    again = signed_in(handler)
    assert again.post("/workspace/second-factor/", {"token": codes[0]}).status_code == 400


def test_an_attacker_with_the_password_cannot_replace_the_authenticator(handler):
    enrol(signed_in(handler), handler)
    attacker = signed_in(handler)
    response = attacker.get("/workspace/second-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/workspace/second-factor/?")
    assert TOTPDevice.objects.filter(user=handler).count() == 1


def test_roles_without_personal_data_are_configurable(department):
    editor = make_user("editor2", department, Role.EDITOR)
    assert signed_in(editor).get("/workspace/documents/").status_code == 200
    with override_settings(STAFF_OTP_ALL_STAFF=True):
        assert signed_in(editor).get("/workspace/documents/").status_code == 302


def test_a_wrong_code_does_not_bind_and_further_guesses_are_throttled(handler):
    client = signed_in(handler)
    client.get("/workspace/second-factor/setup/")
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert client.post("/workspace/second-factor/setup/", {"token": wrong}).status_code == 400
    # Right after a failure even the right code waits (django-otp's growing delay against guessing).
    assert client.post("/workspace/second-factor/setup/", {"token": code_for(device)}).status_code == 400
    assert not TOTPDevice.objects.filter(user=handler, confirmed=True).exists()


def test_switched_off_it_asks_for_nothing(handler, settings):
    settings.STAFF_OTP_REQUIRED = False
    assert signed_in(handler).get(CASES).status_code == 200


def test_the_next_address_cannot_leave_the_site(handler):
    client = signed_in(handler)
    client.get("/workspace/second-factor/setup/")
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    done = client.post("/workspace/second-factor/setup/", {"token": code_for(device), "next": "https://evil.example/"})
    assert "https://evil.example/" not in done.content.decode()


def test_the_demo_administrator_can_sign_in_with_what_the_demo_prints(government):
    import base64

    from gongkai.core.secondfactor import demo_second_factor

    admin = make_user("admin", government, Role.PLATFORM_ADMIN)
    key, codes = demo_second_factor(user=admin)
    assert len(codes) >= 3 and demo_second_factor(user=admin) == (key, codes)  # printed again, unchanged
    client = signed_in(admin)
    token = f"{TOTP(base64.b32decode(key)).token():06d}"
    assert client.post("/workspace/second-factor/", {"token": token}).status_code == 302
    assert client.get("/workspace/audit/").status_code == 200
