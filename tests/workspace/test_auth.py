"""Login hardening as staff meet it: lock-out, audited failures, password rules, idle timeout."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "workspace:login"


def attempt(client, username, password):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def test_login_page_states_the_idle_timeout_and_lock_out_rule(client):
    page = client.get(reverse(LOGIN)).content.decode()
    assert f"连续 {settings.SESSION_COOKIE_AGE // 60} 分钟无操作将自动退出登录" in page
    assert f"连续 {settings.AXES_FAILURE_LIMIT} 次密码错误" in page
    assert '<label for="id_username">' in page and '<main id="main"' in page


def test_correct_password_logs_in_and_is_audited(client, editor):
    response = attempt(client, "editor", "Test-pass-123")
    assert response.status_code == 302 and response.url == reverse("workspace:home")
    assert AuditEvent.objects.filter(action="auth.login", actor=editor).exists()


def test_failed_logins_are_audited_with_the_username(client, editor):
    response = attempt(client, "editor", "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert "editor" in event.note and event.ip_address == "127.0.0.1"


def test_account_is_locked_after_repeated_failures(client, editor, reviewer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "wrong-password")
    response = attempt(client, "editor", "Test-pass-123")  # even the right password is refused now
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page
    assert f"请 {int(settings.AXES_COOLOFF_TIME * 60)} 分钟后再试" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT
    # Another account from the same address is not locked by these failures.
    assert attempt(Client(), "reviewer", "Test-pass-123").status_code == 302


def test_lock_out_ends_after_the_cool_off(client, editor):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "editor", "wrong-password")
        assert attempt(client, "editor", "Test-pass-123").status_code == 429
    later = start + dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        assert attempt(client, "editor", "Test-pass-123").status_code == 302


def test_logout_needs_post_and_ends_the_session(login, editor):
    client = login(editor)
    assert client.get(reverse("workspace:logout")).status_code == 405
    response = client.post(reverse("workspace:logout"))
    assert response.status_code == 302 and response.url == reverse(LOGIN)
    assert client.get(reverse("workspace:home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=editor).exists()


def test_idle_session_expires_after_the_configured_time(editor):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(editor)
        assert client.get(reverse("workspace:home")).status_code == 200
    # Activity keeps the session alive: each request pushes the expiry forward.
    with time_machine.travel(start + idle - dt.timedelta(minutes=1), tick=False):
        assert client.get(reverse("workspace:home")).status_code == 200
    with time_machine.travel(start + 2 * idle - dt.timedelta(minutes=2), tick=False):
        assert client.get(reverse("workspace:home")).status_code == 200
    # Then idle longer than allowed: back to the login page.
    with time_machine.travel(start + 3 * idle, tick=False):
        response = client.get(reverse("workspace:home"))
    assert response.status_code == 302 and response.url.startswith(reverse(LOGIN))
    assert "登录已超时" in client.get(response.url).content.decode()


def test_password_change_rejects_a_weak_password(login, editor):
    client = login(editor)
    response = client.post(reverse("workspace:password_change"), {
        "old_password": "Test-pass-123", "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "密码太短，至少需要 10 个字符" in errors
    assert "密码须至少包含" in errors
    assert "This password" not in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password("Test-pass-123")


def test_password_change_accepts_a_strong_password_and_is_audited(login, editor):
    client = login(editor)
    response = client.post(reverse("workspace:password_change"), {
        "old_password": "Test-pass-123", "new_password1": "Chun-Feng-2026!", "new_password2": "Chun-Feng-2026!",
    })
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Chun-Feng-2026!")
    assert AuditEvent.objects.filter(action="auth.password_change", actor=editor).exists()
    assert client.get(reverse("workspace:home")).status_code == 200  # still logged in after the change


# --- Issue 15.9: password spraying, change period and history (等保2.0 三级 身份鉴别; gongkai/core/conf.py) -----

def test_issue15_9_password_spraying_from_one_address_locks_the_address(client, editor, reviewer, settings):
    """One wrong password on each of many accounts from one address never reaches the per-account limit; once
    the failures name LOGIN_SPRAY_ACCOUNT_LIMIT accounts, every account is refused from that address — even
    with the right password — while other addresses and the per-account rule work as before."""
    settings.LOGIN_SPRAY_ACCOUNT_LIMIT = 4
    for name in ("a1", "a2", "a3", "editor"):  # the attacker tries one password per account
        assert attempt(client, name, "Spring2026!").status_code == 200
    response = attempt(client, "reviewer", "Test-pass-123")  # a real account, right password, same address
    assert response.status_code == 429
    assert "该地址的登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(other_address, "reviewer", "Test-pass-123").status_code == 302


def test_issue15_9_address_lock_ends_after_the_window(client, editor, settings):
    settings.LOGIN_SPRAY_ACCOUNT_LIMIT = 3
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for name in ("a1", "a2", "a3"):
            attempt(client, name, "Spring2026!")
        assert attempt(client, "editor", "Test-pass-123").status_code == 429
    with time_machine.travel(start + dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1), tick=False):
        assert attempt(client, "editor", "Test-pass-123").status_code == 302


def test_issue15_9_a_few_mistakes_on_two_accounts_do_not_lock_the_address(client, editor, reviewer):
    """The default limit (10 accounts) leaves an office behind one NAT address alone for ordinary typos."""
    attempt(client, "editor", "wrong-password")
    attempt(client, "reviewer", "wrong-password")
    assert attempt(client, "editor", "Test-pass-123").status_code == 302


def test_issue15_9_expired_password_must_be_changed_first(client, editor, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    start = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        editor.set_password("Chun-Feng-2027!")
        editor.save()
    with time_machine.travel(start + dt.timedelta(days=89), tick=False):
        client.force_login(editor)
        assert client.get(reverse("workspace:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=91), tick=False):
        client.force_login(editor)
        response = client.get(reverse("workspace:home"))
        assert response.status_code == 302 and response.url.startswith(reverse("workspace:password_change"))
        assert client.get("/api/v1/applications/").status_code == 403
        page = client.get(response.url).content.decode()
        assert "密码已使用超过 90 天" in page
        changed = client.post(reverse("workspace:password_change"), {
            "old_password": "Chun-Feng-2027!", "new_password1": "Xia-Yu-2027-04!", "new_password2": "Xia-Yu-2027-04!"})
        assert changed.status_code == 302
        assert client.get(reverse("workspace:home")).status_code == 200


def test_issue15_9_recent_passwords_cannot_be_reused(login, editor, settings):
    settings.PASSWORD_HISTORY_COUNT = 3
    client = login(editor)
    current = "Test-pass-123"
    for new in ("Chun-Feng-2026!", "Xia-Yu-2026-06!"):
        assert client.post(reverse("workspace:password_change"), {
            "old_password": current, "new_password1": new, "new_password2": new}).status_code == 302
        current = new
    for reused in ("Test-pass-123", "Chun-Feng-2026!", "Xia-Yu-2026-06!"):
        response = client.post(reverse("workspace:password_change"), {
            "old_password": current, "new_password1": reused, "new_password2": reused})
        assert response.status_code == 200
        assert "不能与最近 3 次使用过的密码相同" in " ".join(response.context["form"].errors["new_password2"])
    editor.refresh_from_db()
    assert editor.check_password(current) and editor.password_history.count() == 3
