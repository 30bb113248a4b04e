"""Issue 17 item 9: the demo creates staff per role with printed credentials; a page explains the roles."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongkai.applications import selectors
from gongkai.applications import services as applications
from gongkai.core.models import Organisation, Role, SiteIdentity, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_documents=True, stdout=out)
    return out.getvalue(), tmp_path


def test_demo_prints_a_login_for_each_role_and_the_logins_work(demo):
    output, data_dir = demo
    passwords = json.loads((data_dir / "demo_staff_passwords.json").read_text())
    assert set(passwords) == {"handler", "approver", "legal", "office", "editor"}
    for username, password in passwords.items():
        assert f"用户名：{username}  密码：{password}" in output
        assert User.objects.get(username=username).check_password(password)
    government = Organisation.objects.get(code="DEMO00001")
    roles = {m.role for m in User.objects.get(username="handler").memberships.filter(organisation=government)}
    assert roles == {Role.HANDLER}
    assert Organisation.objects.get(code="NATIONAL").handles_applications is False
    assert Organisation.objects.get(code="NATIONAL").index_no_pattern.startswith("GJFLFG-")
    assert SiteIdentity.objects.get(pk=1).site_code  # the footer is seeded


def test_demo_is_idempotent_and_keeps_the_passwords(settings, demo):
    _, data_dir = demo
    first = json.loads((data_dir / "demo_staff_passwords.json").read_text())
    out = io.StringIO()
    call_command("demo", no_documents=True, stdout=out)
    assert json.loads((data_dir / "demo_staff_passwords.json").read_text()) == first
    assert User.objects.filter(username="handler").count() == 1


def test_with_the_demo_staff_a_case_can_be_assigned_and_extended(demo):
    government = Organisation.objects.get(code="DEMO00001")
    handler, office = User.objects.get(username="handler"), User.objects.get(username="office")
    case = applications.application_create(
        organisation=government, by=handler, applicant_kind="natural_person", channel="in_person",
        applicant={"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678"},
        description="请公开 2025 年行政事业性收费项目清单")
    assert office in selectors.extension_approvers(application=case)
    client = Client()
    client.force_login(office)
    page = client.get(reverse("applications_workspace:detail", args=[case.pk])).content.decode()
    assert "演示办理人" in page  # offered in the assign list


def test_role_page_explains_each_role_and_who_holds_it(demo):
    client = Client()
    client.force_login(User.objects.get(username="handler"))
    page = client.get(reverse("workspace:role_guide")).content.decode()
    for role in (Role.HANDLER, Role.OFFICE_ADMIN, Role.LEGAL_REVIEWER, Role.REVIEWER):
        assert str(role.label) in page
    assert "演示法律顾问" in page and "批准延期" in page
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:role_guide") in home  # in the menu
