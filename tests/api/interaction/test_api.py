"""The 政民互动 API against the real services: boxes, submit, track, published replies (masked), 找错,
the staff inbox, a step, the 3-month rule, and the endpoints in the OpenAPI schema."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from gongkai.core.models import Role
from gongkai.interaction import services
from gongkai.interaction.models import ErrorReport
from gongkai.interaction.services import mailbox_create, message_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(government):
    return mailbox_create(organisation=government, kind="complaint", name="投诉建议", slug="tousu")


def test_public_flow(api, box, government):
    assert api.get("/api/v1/interaction/boxes").json()["results"][0]["reply_days"] == 15
    r = api.post("/api/v1/interaction/boxes/tousu/messages",
                 {"subject": "公交站牌损坏", "text": "人民路公交站牌损坏，电话13812345678。", "phone": "13812345678",
                  "consent_publish": True}, format="json")
    assert r.status_code == 201, r.content
    receipt = r.json()
    assert api.post("/api/v1/interaction/track", {"tracking_code": receipt["tracking_code"], "secret": "x"},
                    format="json").status_code == 404
    t = api.post("/api/v1/interaction/track", {"tracking_code": receipt["tracking_code"], "secret": receipt["secret"]},
                 format="json").json()
    assert t["status"] == "submitted" and t["due_on"] == receipt["due_on"] and t["reply"] is None
    assert "13812345678" not in json.dumps(t["explanation"])
    handler, reviewer = make_user("h", government, Role.HANDLER), make_user("r", government, Role.REVIEWER)
    staff = APIClient()
    staff.force_authenticate(handler)
    assert api.get("/api/v1/interaction/staff/messages").status_code in (401, 403)
    inbox = staff.get("/api/v1/interaction/staff/messages").json()
    assert inbox["count"] == 1
    pk = inbox["results"][0]["id"]
    r = staff.post(f"/api/v1/interaction/staff/messages/{pk}/steps", {"type": "replied", "text": "已更换站牌。"},
                   format="json")
    assert r.status_code == 200 and r.json()["status"] == "replied"
    r = staff.post(f"/api/v1/interaction/staff/messages/{pk}/steps", {"type": "published"}, format="json")
    assert r.status_code == 403  # a handler does not publish
    rev = APIClient()
    rev.force_authenticate(reviewer)
    assert rev.post(f"/api/v1/interaction/staff/messages/{pk}/steps", {"type": "published"}, format="json").status_code == 200
    replies = api.get("/api/v1/interaction/replies", {"q": "站牌"}).json()
    assert replies["count"] == 1
    assert "13812345678" not in json.dumps(replies, ensure_ascii=False)
    assert api.get(f"/api/v1/interaction/replies/{pk}").json()["reply"] == "已更换站牌。"


def test_error_report_and_overdue(api, box, government):
    r = api.post("/api/v1/interaction/error-reports", {"kind": "outdated", "page_url": "/gongkai/",
                                                       "description": "机构领导信息未更新"}, format="json")
    assert r.status_code == 201 and ErrorReport.objects.get().operator == government
    assert api.post("/api/v1/interaction/error-reports", {"kind": "bad", "page_url": "/", "description": "x"},
                    format="json").status_code == 400
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 11, 23, 10)), tick=False):
        message_submit(mailbox=box, subject="旧留言", text="无人答复", client_address="1.1.1.1",
                       now=timezone.make_aware(dt.datetime(2026, 6, 1, 10)))
        staff = APIClient()
        staff.force_authenticate(make_user("h", government, Role.HANDLER))
        data = staff.get("/api/v1/interaction/staff/overdue").json()
    assert data["count"] == 1 and data["months"] == 3 and data["results"][0]["replied_late"] is False


def test_endpoints_are_in_the_schema(api):
    schema = json.loads(api.get("/api/v1/schema/", {"format": "json"}).content)
    for path in ("/api/v1/interaction/boxes", "/api/v1/interaction/boxes/{slug}/messages", "/api/v1/interaction/track",
                 "/api/v1/interaction/replies", "/api/v1/interaction/error-reports",
                 "/api/v1/interaction/staff/overdue", "/api/v1/interaction/staff/messages/{id}/steps",
                 "/api/v1/interaction/interviews", "/api/v1/interaction/surveys"):
        assert path in schema["paths"], path
    validate_schema(schema)


def test_interviews_and_surveys(api, government):
    host = make_user("host", government, Role.HANDLER)
    now, today = timezone.now(), timezone.localdate()
    i = services.interview_create(by=host, organisation=government, title="访谈", guests="甲\n乙",
                                  starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=2))
    services.interview_transcript_save(interview=i, by=host, text="主持人：你好\n甲：大家好")
    data = api.get("/api/v1/interaction/interviews").json()["results"]
    assert data[0]["status"] == "ended" and data[0]["transcript"] == []  # not yet published
    services.interview_transcript_publish(interview=i, by=host)
    data = api.get("/api/v1/interaction/interviews").json()["results"]
    assert data[0]["guests"] == ["甲", "乙"] and data[0]["transcript"][1] == {"speaker": "甲", "text": "大家好"}
    sv = services.survey_create(by=host, organisation=government, title="调查", questions="[单选] 好吗？\n好\n不好",
                                opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=1))
    q = sv.questions.get()
    services.survey_respond(survey=sv, token="k" * 24, answers={str(q.pk): "好"})
    assert api.get("/api/v1/interaction/surveys").json()["results"][0]["results"] is None  # still open
    sv.closes_on = today - dt.timedelta(days=1)
    sv.save()
    r = api.get("/api/v1/interaction/surveys").json()["results"][0]["results"]
    assert r == {"sheets": 1, "questions": [{"text": "好吗？", "kind": "single",
                                             "options": [{"label": "好", "count": 1}, {"label": "不好", "count": 0}]}]}


def test_message_submit_with_an_idempotency_key_is_stored_once(api, box):
    body = {"subject": "路灯不亮", "text": "和平路路灯连续一周不亮。", "idempotency_key": "k" * 24}
    first = api.post("/api/v1/interaction/boxes/tousu/messages", body, format="json")
    assert first.status_code == 201 and first.json()["secret"] and first.json()["replayed"] is False
    again = api.post("/api/v1/interaction/boxes/tousu/messages", body, format="json")
    assert again.status_code == 200 and again.json()["replayed"] is True and again.json()["secret"] == ""
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert box.messages.count() == 1
    bad = api.post("/api/v1/interaction/boxes/tousu/messages", {**body, "idempotency_key": "short"}, format="json")
    assert bad.status_code == 400 and box.messages.count() == 1
