"""Staff API /api/v1/applications/: scoped, masked lists, explained due dates, validated events."""

import pytest
from django.test import Client

from gongkai.core import workdays

from .conftest import APPLICANT, new_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_requests_are_refused(case):
    assert Client().get(URL).status_code == 403
    assert Client().get(f"{URL}{case.pk}/").status_code == 403


def test_list_is_scoped_and_masks_the_applicant(case, handler, other_handler, editor, office_admin):
    body = client_for(handler).get(URL).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["tracking_code"] == case.tracking_code and item["applicant"] == {"kind": "natural_person", "name": "张**"}
    assert item["due_on"] == case.due_on.isoformat()
    assert client_for(office_admin).get(URL).json()["count"] == 1
    for outsider in (other_handler, editor):
        response = client_for(outsider).get(URL)
        assert response.json()["count"] == 0
        assert not any(v in response.content.decode() for v in (APPLICANT["name"], APPLICANT["phone"]))
        assert client_for(outsider).get(f"{URL}{case.pk}/").status_code == 404


def test_list_never_contains_personal_data_even_for_handlers(case, handler):
    text = client_for(handler).get(URL).content.decode()
    assert not any(v in text for v in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"]))


def test_filters(department, handler):
    overdue = new_case(department, handler, received_on="2026-09-28")
    new_case(department, handler, received_on="2026-11-20")
    client = client_for(handler)
    assert [r["id"] for r in client.get(URL, {"state": "overdue"}).json()["results"]] == [overdue.pk]
    assert client.get(URL, {"state": "in_progress"}).json()["count"] == 1
    assert client.get(URL, {"due_before": "2026-11-23"}).json()["count"] == 1
    assert client.get(URL, {"due_before": "not-a-date"}).status_code == 400


def test_detail_explains_the_due_date(case, handler):
    body = client_for(handler).get(f"{URL}{case.pk}/").json()
    assert body["applicant"]["id_number"] == APPLICANT["id_number"]
    assert body["clock"]["due_on"] == workdays.add_working_days(case.received_on, 20).isoformat()
    assert body["clock"]["explanation"][0].startswith("收到申请 2026-09-28")
    assert body["clock"]["calendar_version"] == workdays.calendar_version()
    assert [e["type"] for e in body["events"]] == ["received"]


def test_posting_an_event_is_validated_like_the_services(case, handler, editor, office_admin):
    client = client_for(handler)
    url = f"{URL}{case.pk}/events/"
    payload = {"type": "extension", "occurred_on": "2026-10-20",
               "fields": {"approver_id": office_admin.pk, "notice_sent_on": "2026-10-20"}, "expected_version": 1}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["clock"]["extension_days"] == 20
    again = client.post(url, {**payload, "expected_version": 2}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["message"] == "每件申请只能延期一次（第三十三条），本申请已延期。"
    stale = client.post(url, {**payload, "expected_version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert client_for(editor).post(url, payload, content_type="application/json").status_code == 404


def test_schema_lists_the_application_endpoints(db):
    text = Client().get("/api/v1/schema/").content.decode()
    assert "/api/v1/applications/{id}/events/" in text


def test_list_query_count_does_not_grow_with_the_number_of_cases(department, handler, second_handler,
                                                                 django_assert_max_num_queries):
    from gongkai.applications import services

    for n in range(3):
        app = new_case(department, handler, received_on=f"2026-10-0{n + 5}")
        services.application_record_event(application=app, by=handler, type="assigned",
                                          fields={"assignee": second_handler.pk})
    client = client_for(handler)
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    for n in range(5):
        new_case(department, handler, received_on=f"2026-10-1{n + 2}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 8
