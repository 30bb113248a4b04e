"""政策订阅 in the API: vocabulary (public), statistics (staff), bounce reports (platform administrators)."""

import pytest
from rest_framework.test import APIClient

from gongkai.core.models import Role
from gongkai.subscriptions import conf
from gongkai.subscriptions.models import Subscriber
from tests.conftest import make_user
from tests.subscriptions.conftest import sign_up

pytestmark = pytest.mark.django_db


def test_vocabulary_is_public_with_sources():
    data = APIClient().get("/api/v1/subscriptions/vocabulary").json()
    industry = next(d for d in data["dimensions"] if d["dimension"] == "industry")
    assert industry["profile_kind"] == "enterprise" and industry["narrowing"] is True
    assert len(industry["tags"]) == 20 and industry["tags"][0]["source"] == conf.INDUSTRY_SOURCE


def test_statistics_need_staff(editor, committed):
    sign_up(committed, "stat@example.com")
    assert APIClient().get("/api/v1/subscriptions/statistics").status_code in (401, 403)
    client = APIClient()
    client.force_authenticate(editor)
    data = client.get("/api/v1/subscriptions/statistics").json()
    assert data["subscribers"]["active"] == 1
    assert "stat@example.com" not in str(data)


def test_bounces_disable_after_the_limit_and_never_reveal_membership(government, committed):
    sign_up(committed, "gone@example.com")
    admin = make_user("mailadmin", government, Role.PLATFORM_ADMIN)
    client = APIClient()
    client.force_authenticate(admin)
    for _ in range(conf.BOUNCE_LIMIT):
        assert client.post("/api/v1/subscriptions/bounces", {"email": "gone@example.com"}, format="json").json() == {
            "recorded": True}
    assert Subscriber.objects.get().state == Subscriber.State.DISABLED
    assert client.post("/api/v1/subscriptions/bounces", {"email": "never@example.com"}, format="json").json() == {
        "recorded": True}
    other = APIClient()
    other.force_authenticate(make_user("plain", government, Role.EDITOR))
    assert other.post("/api/v1/subscriptions/bounces", {"email": "gone@example.com"}, format="json").status_code == 403
