"""The audit log page and its exports, for administrators only."""

import csv
import io
import json

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.core.services import audit_record, organisation_create
from gongkai.documents import services

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def read_csv(response) -> tuple[bytes, list[dict]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_audit_csv_export_contains_the_events_with_a_bom(login, platform_admin, draft, editor):
    services.document_submit(document=draft, by=editor)
    response = login(platform_admin).get(reverse("workspace:audit_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw, rows = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(rows[0]) == ["时间", "操作人", "操作", "对象类型", "对象编号", "对象名称", "机关", "变更前", "变更后", "说明", "IP 地址"]
    submitted = [r for r in rows if r["操作"] == "document.submit"]
    assert submitted and submitted[0]["对象名称"] == draft.title and submitted[0]["操作人"] == "editor"
    assert json.loads(submitted[0]["变更后"]) == {"status": "in_review"}
    assert any(r["操作"] == "document.create" for r in rows)


def test_audit_export_follows_the_filters(login, platform_admin, draft, editor):
    services.document_submit(document=draft, by=editor)
    response = login(platform_admin).get(reverse("workspace:audit_export_csv"), {"action": "document.submit"})
    _, rows = read_csv(response)
    assert [r["操作"] for r in rows] == ["document.submit"]


def test_audit_jsonl_export_has_one_event_per_line(login, platform_admin, draft):
    response = login(platform_admin).get(reverse("workspace:audit_export_jsonl"), {"object": draft.title})
    lines = b"".join(response.streaming_content).decode().splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["action"] for e in events] == ["document.create"]
    assert events[0]["object_repr"] == draft.title


def test_csv_cells_that_look_like_formulas_are_neutralised(login, platform_admin, government):
    audit_record(actor=None, action="test.event", note="=HYPERLINK(\"http://evil\")", organisation=government)
    _, rows = read_csv(login(platform_admin).get(reverse("workspace:audit_export_csv"), {"action": "test.event"}))
    assert rows[0]["说明"].startswith("'=")


def test_exports_are_themselves_audited(login, platform_admin):
    login(platform_admin).get(reverse("workspace:audit_export_jsonl"))
    assert AuditEvent.objects.filter(action="audit.export", actor=platform_admin).exists()


@pytest.mark.parametrize("name", ["workspace:audit_list", "workspace:audit_export_csv", "workspace:audit_export_jsonl"])
def test_audit_log_is_refused_to_editors(login, editor, reviewer, name):
    for user in (editor, reviewer):
        response = login(user).get(reverse(name))
        assert response.status_code == 403
        assert b"document.create" not in response.content


def test_audit_link_is_shown_to_admins_only(login, editor, office_admin):
    assert "审计日志" not in login(editor).get(reverse("workspace:home")).content.decode()
    assert "审计日志" in login(office_admin).get(reverse("workspace:home")).content.decode()


def test_office_admin_sees_only_their_organisations_events(login, office_admin, draft, editor):
    elsewhere = organisation_create(name="另一市人民政府", code="ELSE00001")
    stranger = make_user("stranger", elsewhere, Role.EDITOR)
    foreign = services.document_create(organisation=elsewhere, by=stranger, title="另一市的草稿")
    client = login(office_admin)
    page = client.get(reverse("workspace:audit_list")).content.decode()
    assert draft.title in page
    assert foreign.title not in page
    _, rows = read_csv(client.get(reverse("workspace:audit_export_csv")))
    names = {r["对象名称"] for r in rows}
    assert draft.title in names and foreign.title not in names


def test_office_admin_sees_logins_of_their_staff_but_not_of_others(login, office_admin, editor, government):
    elsewhere = organisation_create(name="另一市人民政府", code="ELSE00001")
    stranger = make_user("stranger", elsewhere, Role.EDITOR)
    audit_record(actor=editor, action="auth.login", obj=editor)
    audit_record(actor=stranger, action="auth.login", obj=stranger)
    _, rows = read_csv(login(office_admin).get(reverse("workspace:audit_export_csv"), {"action": "auth.login"}))
    actors = {r["操作人"] for r in rows}
    assert "editor" in actors
    assert "stranger" not in actors


def test_audit_page_filters_by_actor_and_dates(login, platform_admin, draft, editor, reviewer):
    services.document_submit(document=draft, by=editor)
    services.document_return(document=draft, by=reviewer, reason="补充")
    client = login(platform_admin)
    page = client.get(reverse("workspace:audit_list"), {"actor": "reviewer"})
    events = list(page.context["page"].object_list)
    assert events and {e.actor_name for e in events} == {"reviewer"}
    empty = client.get(reverse("workspace:audit_list"), {"start": "2001-01-01", "end": "2001-01-02"})
    assert list(empty.context["page"].object_list) == []
    bad = client.get(reverse("workspace:audit_list"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert "截止日期不能早于起始日期" in bad.content.decode()
