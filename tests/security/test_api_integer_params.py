"""Issue 15.6: integer query parameters that overflow the database's integers are a 400 with a message,
never a server error (the schema fuzz found 18 such 500s on /api/v1/applications/)."""

import pytest
from django.test import Client

from gongkai.core.models import Role
from tests.applications.conftest import new_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


@pytest.fixture
def handler_client(department):
    handler = make_user("handler", department, Role.HANDLER)
    new_case(department, handler)
    client = Client(raise_request_exception=False)
    client.force_login(handler)
    return client


@pytest.mark.parametrize("param", ["organisation", "assignee", "page", "page_size"])
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "9223372036854775808"])
def test_staff_api_overflowing_integers_are_a_400(handler_client, param, value):
    response = handler_client.get("/api/v1/applications/", {param: value})
    assert response.status_code == 400, response.content[:300]
    assert param in response.json()["error"]["message"]


def test_staff_api_largest_integers_still_work(handler_client):
    body = handler_client.get("/api/v1/applications/", {"organisation": "9223372036854775807"}).json()
    assert body["count"] == 0


@pytest.mark.parametrize("param", ["page", "page_size", "year"])
def test_public_api_overflowing_integers_are_a_400(department, param):
    response = Client(raise_request_exception=False).get("/api/v1/documents", {param: HUGE})
    assert response.status_code == 400, response.content[:300]
    assert param in response.json()["error"]["message"]


def test_staff_api_case_ids_that_overflow_are_a_404(handler_client):
    assert handler_client.get(f"/api/v1/applications/{HUGE}/").status_code == 404
