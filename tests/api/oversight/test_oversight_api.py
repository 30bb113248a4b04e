"""The oversight API against the real services: scoped reads of indicators, schemes, scores (with the items
behind a number), rectification create → answer → re-check, plans with tasks, milestones and progress, the
incident log with its clocks, and the endpoints in a valid OpenAPI schema."""

import datetime as dt
import json

import pytest
import time_machine
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from gongkai.applications.services import application_record_event
from gongkai.oversight import services
from gongkai.oversight.models import Rectification
from tests.applications.conftest import new_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=TZ), tick=False):
        yield


def as_user(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def scored(department, other_department, office_admin):
    handler = make_user("handler", department, "handler")
    late = new_case(department, handler, received_on="2026-07-01")
    application_record_event(application=late, by=handler, type="determination", occurred_on="2026-08-20",
                             fields={"outcome": "disclosed"})
    ok = new_case(department, handler, received_on="2026-07-01")
    application_record_event(application=ok, by=handler, type="determination", occurred_on="2026-07-10",
                             fields={"outcome": "disclosed"})
    return services.scheme_seed(year=2026, by=office_admin)


def test_everything_needs_a_login(api):
    for path in ("indicators", "schemes", "scores", "rectifications", "plans", "incidents"):
        assert api.get(f"/api/v1/oversight/{path}").status_code in (401, 403), path


def test_scores_are_scoped_by_the_org_tree_and_click_through_to_the_items(scored, office_admin, editor, department,
                                                                        other_department):
    office = as_user(office_admin).get("/api/v1/oversight/scores", {"period": "2026-Q3"}).json()
    codes = [r["organisation"]["code"] for r in office["results"]]
    assert department.code in codes and other_department.code in codes and office["period_label"] == "2026年第三季度"
    mine = as_user(editor).get("/api/v1/oversight/scores", {"period": "2026-Q3"}).json()
    assert [r["organisation"]["code"] for r in mine["results"]] == [department.code]
    line = {x["code"]: x for x in mine["results"][0]["lines"]}["applications_on_time"]
    assert (line["numerator"], line["denominator"], line["points"]) == (1, 2, 7.5)  # 15 × ½
    assert as_user(editor).get(f"/api/v1/oversight/scores/{other_department.code}").status_code == 404
    items = as_user(editor).get(f"/api/v1/oversight/scores/{department.code}/applications_on_time",
                                {"period": "2026-Q3"}).json()
    assert sorted(i["ok"] for i in items["items"]) == [False, True]
    assert items["indicator"]["formula"].startswith("按期答复数")
    assert as_user(editor).get("/api/v1/oversight/scores", {"period": "2026-13"}).status_code == 400
    schemes = as_user(editor).get("/api/v1/oversight/schemes").json()["results"]
    assert schemes[0]["year"] == 2026 and len(schemes[0]["indicators"]) == 14
    indicators = as_user(editor).get("/api/v1/oversight/indicators").json()["results"]
    assert len(indicators) == 14 and all(i["source"] for i in indicators)


def test_rectification_create_answer_recheck_through_the_services(department, office_admin, editor):
    office, unit = as_user(office_admin), as_user(editor)
    body = {"organisation": department.code, "source": "third_party", "title": "政策文件栏目3个月未更新",
            "found_on": "2026-11-02"}
    assert unit.post("/api/v1/oversight/rectifications", body, format="json").status_code == 403
    r = office.post("/api/v1/oversight/rectifications", body, format="json")
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["deadline"] == "2026-11-16" and item["state"] == "assigned" and item["overdue"] is True
    pk = item["id"]
    assert unit.post(f"/api/v1/oversight/rectifications/{pk}/answer", {"answer": "已更新", "evidence": []},
                     format="json").status_code == 400
    r = unit.post(f"/api/v1/oversight/rectifications/{pk}/answer",
                  {"answer": "已补发文件", "evidence": ["https://example.gov.cn/x"]}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "answered"
    assert unit.post(f"/api/v1/oversight/rectifications/{pk}/recheck", {"accept": True},
                     format="json").status_code == 403  # the unit does not close its own item
    r = office.post(f"/api/v1/oversight/rectifications/{pk}/recheck", {"accept": False}, format="json")
    assert r.status_code == 400 and "理由" in r.json()["error"]["message"]
    r = office.post(f"/api/v1/oversight/rectifications/{pk}/recheck", {"accept": True}, format="json")
    assert r.json()["state"] == "closed" and r.json()["closed_on"] == "2026-11-23"
    assert [e.kind for e in Rectification.objects.get(pk=pk).events.all()] == ["created", "answered", "accepted"]
    listed = unit.get("/api/v1/oversight/rectifications", {"state": "closed"}).json()
    assert listed["count"] == 1 and listed["results"][0]["evidence"] == ["https://example.gov.cn/x"]


def test_plans_tasks_milestones_and_progress(government, department, other_department, office_admin, editor):
    plan = services.plan_create(organisation=government, year=2026, title="2026年政务公开工作要点", by=office_admin)
    head = services.task_create(plan=plan, by=office_admin, number="一、", title="加强政策解读", lead_unit=government)
    task = services.task_create(plan=plan, by=office_admin, number="1.", title="落实三同步", lead_unit=department,
                                deadline=dt.date(2026, 12, 31), parent=head, paragraph="第5段：1．落实三同步。")
    services.task_milestone_add(task=task, by=office_admin, title="完成梳理", due_on=dt.date(2026, 11, 20))
    other = services.plan_create(organisation=other_department, year=2026, title="财政局要点", by=None)
    unit = as_user(editor)
    plans = unit.get("/api/v1/oversight/plans").json()["results"]
    assert [p["id"] for p in plans] == [plan.pk]  # the government's plan: the department carries a task of it
    assert unit.get(f"/api/v1/oversight/plans/{other.pk}").status_code == 404
    detail = unit.get(f"/api/v1/oversight/plans/{plan.pk}").json()
    t = detail["tasks"][1]
    assert (t["parent"], t["depth"], t["paragraph"]) == (head.pk, 1, "第5段：1．落实三同步。")
    assert t["milestones"] == [{"title": "完成梳理", "due_on": "2026-11-20", "done_on": None, "overdue": True}]
    assert unit.post(f"/api/v1/oversight/tasks/{task.pk}/progress", {"text": "已完成", "completes": True},
                     format="json").status_code == 400  # completion needs evidence
    r = unit.post(f"/api/v1/oversight/tasks/{task.pk}/progress",
                  {"text": "已完成", "completes": True, "evidence": ["https://example.gov.cn/a"]}, format="json")
    assert r.status_code == 201
    t = unit.get(f"/api/v1/oversight/plans/{plan.pk}").json()["tasks"][1]
    assert t["state"] == "done" and t["done_on"] == "2026-11-23" and len(t["reports"]) == 1
    assert as_user(make_user("x", other_department, "editor")).post(
        f"/api/v1/oversight/tasks/{task.pk}/progress", {"text": "x"}, format="json").status_code == 404


def test_incidents_with_their_clocks(department, other_department, editor):
    services.incident_create(organisation=department, by=editor, title="网传学校停课", source="微博", level="major",
                             first_seen_at=dt.datetime(2026, 11, 23, 6, tzinfo=TZ))
    services.incident_create(organisation=other_department, by=None, title="他局舆情", source="论坛", level="general",
                             first_seen_at=dt.datetime(2026, 11, 23, 8, tzinfo=TZ))
    data = as_user(editor).get("/api/v1/oversight/incidents", {"open": "1"}).json()
    assert data["count"] == 1
    clock = data["results"][0]["clocks"][0]
    assert clock["key"] == "info" and clock["state"] == "running"  # 4 h after first seen: past 3 h, before 5 h
    assert clock["latest_at"] == "2026-11-23T03:00:00Z"  # 11:00 Beijing time


def test_the_endpoints_are_in_a_valid_schema(api):
    schema = json.loads(api.get("/api/v1/schema/", {"format": "json"}).content)
    validate_schema(schema)
    for path in ("/api/v1/oversight/scores", "/api/v1/oversight/scores/{code}/{indicator}",
                 "/api/v1/oversight/rectifications/{id}/recheck", "/api/v1/oversight/plans/{id}",
                 "/api/v1/oversight/tasks/{id}/progress", "/api/v1/oversight/incidents"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/oversight/rectifications"]
