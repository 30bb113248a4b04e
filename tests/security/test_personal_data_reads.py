"""Issue 15.8: reading personal data is audited (个人信息保护法 第五十一条, 等保2.0 安全审计): the case page,
the API case detail, a letter to the applicant and its download each write who, which case and when,
shown in the audit log and its export; a look changes nothing public, so the portal's cache stays."""

import pytest
from django.test import Client

from gongkai.applications import letters
from gongkai.applications.services import application_record_event
from gongkai.core.models import AuditEvent, Role
from gongkai.core.pagecache import content_version
from gongkai.core.services import PERSONAL_DATA_READ
from tests.applications.conftest import APPLICANT, new_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(department):
    return make_user("handler", department, Role.HANDLER)


@pytest.fixture
def case(department, handler):
    return new_case(department, handler)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def reads(case):
    return AuditEvent.objects.filter(action=PERSONAL_DATA_READ, object_id=str(case.pk))


def test_opening_a_case_records_who_read_the_applicant(case, handler):
    client = logged_in(handler)
    response = client.get(f"/workspace/applications/{case.pk}/")
    assert APPLICANT["phone"] in response.content.decode()
    event = reads(case).get()
    assert event.actor == handler and event.organisation == case.organisation and "申请人" in event.note
    assert event.object_type == "applications.application"


def test_the_api_case_detail_records_the_read(case, handler):
    body = logged_in(handler).get(f"/api/v1/applications/{case.pk}/").json()
    assert body["applicant"]["phone"] == APPLICANT["phone"]
    assert reads(case).get().note.startswith("接口")


def test_a_masked_view_records_nothing(case, department):
    office_viewer = make_user("viewer", department, Role.EDITOR)
    logged_in(office_viewer).get(f"/api/v1/applications/{case.pk}/")
    assert not reads(case).exists()


def test_letters_to_the_applicant_record_each_look(case, handler, department):
    department.reconsideration_body = "测试市人民政府"
    department.court = "测试市人民法院"
    department.save()
    application_record_event(application=case, by=handler, type="determination", occurred_on="2026-10-20",
                             fields={"outcome": "disclosed"})
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    client = logged_in(handler)
    assert client.get(f"/workspace/applications/letters/{letter.pk}/").status_code == 200
    assert client.get(f"/workspace/applications/letters/{letter.pk}/preview/").status_code == 200
    notes = list(reads(case).order_by("id").values_list("note", flat=True))
    assert len(notes) == 2 and notes[0].startswith("文书") and "preview" in notes[1]


def test_reads_are_in_the_audit_log_and_its_export(case, handler, government):
    logged_in(handler).get(f"/workspace/applications/{case.pk}/")
    admin = make_user("auditor", government, Role.PLATFORM_ADMIN)
    client = logged_in(admin)
    page = client.get("/workspace/audit/", {"action": PERSONAL_DATA_READ}).content.decode()
    assert PERSONAL_DATA_READ in page and "handler" in page
    export = b"".join(client.get("/workspace/audit/export.csv", {"action": PERSONAL_DATA_READ}).streaming_content)
    assert PERSONAL_DATA_READ in export.decode("utf-8-sig")


def test_a_read_leaves_the_public_content_version_alone(case, handler):
    before = content_version()
    logged_in(handler).get(f"/workspace/applications/{case.pk}/")
    assert reads(case).exists() and content_version() == before
