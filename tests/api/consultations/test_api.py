"""/api/v1/consultations/ and /api/v1/decisions/: reads, the public comment endpoint, staff actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from gongkai.consultations import services
from gongkai.consultations.models import Opinion, OpinionGroup
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=TZ), tick=False) as t:
        yield t


@pytest.fixture
def consultation(department, editor):
    return make_consultation(department, editor, starts_on=dt.date(2026, 3, 2))


def comment(api, c, body="建议放宽犬链长度", key="k" * 20, **extra):
    return api.post(f"/api/v1/consultations/{c.pk}/comments", {"body": body, "idempotency_key": key, **extra},
                    format="json")


def test_list_and_detail_in_govuk_shape(consultation):
    api = APIClient()
    data = api.get("/api/v1/consultations/?status=open").json()
    assert data["count"] == 1 and data["results"][0]["document_type"] == "open_consultation"
    detail = api.get(f"/api/v1/consultations/{consultation.pk}").json()
    assert [a["label"] for a in detail["articles"]] == ["第一条", "第二条", "第三条"]
    assert detail["minimum_period"] == "7个工作日" and detail["feedback"] is None


def test_public_comment_follows_the_form_rules(consultation, clock):
    api = APIClient()
    r1 = comment(api, consultation, phone="13812345678")
    r2 = comment(api, consultation)
    assert r1.status_code == 201 and r2.status_code == 200 and r2.json()["replayed"]
    assert "13812345678" not in r1.content.decode()
    assert comment(api, consultation, body="", key="e" * 20).status_code == 400
    clock.move_to(dt.datetime(2026, 4, 2, 10, tzinfo=TZ))
    r = comment(api, consultation, key="late" * 5)
    assert r.status_code == 400 and "不再接收意见" in r.json()["error"]["message"]
    assert Opinion.objects.count() == 1


def test_flood_through_the_api_gets_429(consultation):
    api = APIClient()
    codes = [comment(api, consultation, body=f"意见{i}", key=f"key-{i:02d}-abcdefghijkl").status_code for i in range(6)]
    assert codes == [201] * 5 + [429]


def test_staff_cycle_through_the_api(consultation, editor, clock, django_capture_on_commit_callbacks):
    comment(APIClient(), consultation, email="a@example.com")
    staff = APIClient()
    staff.force_authenticate(editor)
    opinions = staff.get(f"/api/v1/consultations/{consultation.pk}/opinions").json()
    assert opinions[0]["state"] == "pending" and "email" not in opinions[0]
    assert staff.post(f"/api/v1/consultations/opinions/{opinions[0]['id']}/moderate", {"publish": True},
                      format="json").status_code == 200
    group = OpinionGroup.objects.get()
    assert staff.post(f"/api/v1/consultations/groups/{group.pk}/answer", {"outcome": "not_adopted"},
                      format="json").status_code == 400
    assert staff.post(f"/api/v1/consultations/groups/{group.pk}/answer",
                      {"outcome": "partly", "reason": "放宽到1.8米"}, format="json").status_code == 200
    assert staff.post(f"/api/v1/consultations/{consultation.pk}/feedback", {"summary": "x"},
                      format="json").status_code == 400  # still open
    clock.move_to(dt.datetime(2026, 4, 3, 10, tzinfo=TZ))
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(f"/api/v1/consultations/{consultation.pk}/feedback", {"summary": "共1条"}, format="json")
    assert r.status_code == 200 and r.json()["document_type"] == "consultation_outcome"
    assert r.json()["opinions"][0]["outcome"] == "partly"


def test_staff_create_and_close(department, editor, other_editor):
    staff = APIClient()
    staff.force_authenticate(editor)
    body = {"organisation": department.code, "kind": "major_decision", "title": "决策草案", "draft_text": "第一条 内容",
            "explanation": "说明", "channels": ["online"], "starts_on": "2026-03-05", "ends_on": "2026-03-20"}
    r = staff.post("/api/v1/consultations/new", body, format="json")
    assert r.status_code == 400 and "少于 30日" in r.json()["error"]["message"]
    r = staff.post("/api/v1/consultations/new", {**body, "ends_on": "2026-04-03"}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert APIClient().post(f"/api/v1/consultations/{pk}/close", {"reason": "x"}, format="json").status_code in (401, 403)
    other = APIClient()
    other.force_authenticate(other_editor)
    assert other.post(f"/api/v1/consultations/{pk}/close", {"reason": "x"}, format="json").status_code == 404
    assert staff.post(f"/api/v1/consultations/{pk}/close", {"reason": "停止制定"}, format="json").status_code == 200


def test_decisions_endpoint_lists_the_published_catalogue(government, department, office_admin):
    services.decision_item_create(catalogue_owner=government, by=office_admin, year=2026, title="制定养犬管理办法",
                                  owner_unit=department)
    assert APIClient().get("/api/v1/decisions/").json()["count"] == 0
    services.decision_catalogue_publish(catalogue_owner=government, year=2026, by=office_admin)
    data = APIClient().get("/api/v1/decisions/?year=2026").json()
    assert data["results"][0]["title"] == "制定养犬管理办法" and data["results"][0]["state"] == "listed"


def test_schema_documents_the_endpoints():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/consultations/{id}/comments" in schema and "/api/v1/decisions/" in schema
