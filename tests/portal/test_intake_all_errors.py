"""Issue 17.5: the intake form reports every problem at once, beside its field, and a mobile number is
checked by the same rule as the personal-data check (a 10-digit 1380013800 is refused)."""

import re

import pytest
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.portal.views_applications import phone_problem
from tests.applications.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def form_key(client, organisation):
    body = client.get(reverse("applications_portal:apply", args=[organisation.code])).content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)


def post(client, department, **over):
    data = {"applicant": "person", "idempotency_key": form_key(client, department), "name": APPLICANT["name"],
            "id_type": "resident_id", "id_number": APPLICANT["id_number"], "phone": APPLICANT["phone"],
            "email": APPLICANT["email"], "description": "请公开 2025 年本局行政事业性收费项目清单", "pii_consent": "on"}
    data.update(over)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("applications_portal:apply", args=[department.code]), data)


def test_consent_id_number_and_phone_errors_come_in_one_answer(client, department):
    response = post(client, department, pii_consent=None, id_number="110101199003070000", phone="1380013800",
                    email="not-an-address")
    body = response.content.decode()
    assert response.status_code == 400 and not Application.objects.exists()
    for message in ("请阅读并同意个人信息处理说明", "居民身份证号码无效", "手机号码应为 11 位", "电子邮箱格式不正确"):
        assert message in body, message
    # Each message stands in the summary and beside its field (linked by the field's id).
    assert 'href="#id_id_number"' in body and 'href="#id_phone"' in body and 'href="#id_email"' in body


def test_an_online_application_needs_a_phone_or_an_email_in_the_same_answer(client, department):
    body = post(client, department, phone="", email="", pii_consent=None).content.decode()
    assert "至少填写电话或电子邮箱" in body and "请阅读并同意" in body


def test_a_valid_form_still_files(client, department):
    assert post(client, department).status_code == 302 and Application.objects.count() == 1


@pytest.mark.parametrize("value", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0571-88886666",
                                   "010 12345678", "0571-88886666转123", "88886666", "95588"])
def test_telephone_numbers_people_write_are_accepted(value):
    assert phone_problem(value) == ""


@pytest.mark.parametrize("value", ["1380013800", "138001380001", "12000138000", "abc", "0571"])
def test_numbers_that_reach_nobody_are_refused(value):
    assert phone_problem(value)
