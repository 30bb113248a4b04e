"""Issue 27 item 1, staff side: a staff form that comes back with errors announces them like a public one.

The shared summary (portal/_form_errors.html, included by workspace/_form_errors.html): the title starts with
错误：, focus is on the summary (workspace.js), the summary is on the first screen of a phone, lists every
error with a link to its field, and the link moves focus there — for the login form, the document form,
the registration of an application and the password change, on a phone.
"""

import pytest
from django.test import Client

from gongkai.core.models import Role
from tests.conftest import make_user

from .test_form_errors import PHONE, assert_announced

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_errors_are_announced_on_staff_forms(live_server, browser, government, department):
    admin = make_user("form_admin", government, Role.PLATFORM_ADMIN)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()

    # The login form with a wrong password (signed out).
    page.goto(f"{live_server.url}/workspace/login/")
    page.get_by_label("用户名").fill("form_admin")
    page.get_by_label("密码").fill("wrong-password")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    assert_announced(page, at_least=1)
    assert page.title().count("工作台") == 1

    client = Client()
    client.force_login(admin)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])

    # The document form sent empty: every missing field, each linked to its input.
    page.goto(f"{live_server.url}/workspace/documents/new/")
    assert not page.title().startswith("错误：")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#form-errors")
    texts = assert_announced(page, at_least=2)
    assert any("标题" in t for t in texts), texts

    # Registering an application with nothing filled in.
    page.goto(f"{live_server.url}/workspace/applications/register/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector("#form-errors")
    assert_announced(page, at_least=2)

    # The password change with a wrong current password.
    page.goto(f"{live_server.url}/workspace/password/")
    page.locator("#id_old_password").fill("not-my-password")
    page.locator("#id_new_password1").fill("Another-long-pass-2026")
    page.locator("#id_new_password2").fill("Another-long-pass-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    assert_announced(page, at_least=1)
    context.close()
