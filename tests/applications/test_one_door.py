"""Issue 14 §1: one door for every change of a case.

Every event type is tried through the staff API and through the workspace with the same expectation
(accepted, or refused with nothing written). The rules that used to live only in the workspace path
(legal review before a withholding determination) or only on the fees page (the fee rules of 国办函
〔2020〕109号, the FeeNotice row, the one-standard rule of 第三条) hold for every face, because both
call `services.application_record_event` and nothing else writes a case event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications import fees, intake, services
from gongkai.applications.clock import EVENT_TYPES
from gongkai.applications.letter_models import FeeNotice
from gongkai.applications.models import Application
from gongkai.applications.models_intake import LegalReview
from gongkai.core.models import Role
from gongkai.core.workdays import add_working_days
from tests.conftest import make_user

from .conftest import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(government, department, other_department, handler):
    return {
        "handler": handler,
        "approver": make_user("office_head", government, Role.OFFICE_ADMIN),
        "legal": make_user("legal", government, Role.LEGAL_REVIEWER),
        "department": department,
        "other_department": other_department,
    }


def _closed(case, p):
    return services.application_record_event(application=case, by=p["handler"], type="determination",
                                              occurred_on="2026-10-20", fields={"outcome": "disclosed"})


def _supplement(case, p, due="2026-10-15"):
    return services.application_record_event(application=case, by=p["handler"], type="supplement_requested",
                                              occurred_on="2026-09-30", fields={"items": "所需信息的文号", "due_on": due})


def _consulting(case, p):
    return services.application_record_event(application=case, by=p["handler"], type="consultation_started",
                                              occurred_on="2026-10-09",
                                              fields={"kind": "third_party", "party": "某科技有限公司"})


def _fee(case, p):
    services.fee_notice_issue(application=case, by=p["handler"], basis="by_volume", pages=119,
                              issued_on=dt.date(2026, 10, 9), notice_received_on=dt.date(2026, 10, 9))
    return Application.objects.get(pk=case.pk)


def _reviewed(outcome):
    def setup(case, p):
        review = intake.legal_review_request(application=case, by=p["handler"], outcome=outcome, draft="拟部分公开")
        intake.legal_review_decide(review=review, by=p["legal"], approve=True)
        return case
    return setup


def _pending_online(case, p):
    app = services.application_create(organisation=p["department"], by=None, applicant_kind="natural_person",
                                      applicant={"name": "李四", "id_type": "resident_id",
                                                 "id_number": "11010519491231002X", "phone": "13912345678"},
                                      channel="online", description="请公开 2026 年预算",
                                      submitted_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    return app


def _assert(condition):
    assert condition


PARTIAL_PARTS = [{"part": "第三页联系人电话", "reason": "涉及个人隐私（第十五条）"}]


@dataclass
class Row:
    name: str
    type: str
    api: dict  # the fields sent to the API
    # the workspace post: (url name, form data without the prefix) — None when the page offers no such input
    workspace: tuple[str, dict] | None
    accepted: bool
    setup: Callable | None = None
    occurred_on: str = "2026-10-20"
    check: Callable | None = None  # run after an accepted step (application, people)
    refused_with: str = ""
    extra: dict = field(default_factory=dict)


def _fee_notice_row_made(app, p):
    notice = FeeNotice.objects.get(application=app)
    assert (notice.basis, notice.quantity, notice.amount) == ("by_volume", 119, 1080)
    assert notice.letter is not None and notice.letter.kind == "fee_notice"
    assert app.pause_reason == "fee"


def _fee_paid(app, p):
    notice = FeeNotice.objects.get(application=app)
    assert notice.paid_on == dt.date(2026, 10, 20)
    assert fees.fees_collected(organisation_ids=[app.organisation_id], year=2026) == {"count": 1, "amount": 1080}


def _fee_lapsed(app, p):
    assert FeeNotice.objects.get(application=app).lapsed_on == dt.date(2026, 11, 23)
    assert app.outcome == "other_unpaid_fee"


def _review_used(app, p):
    review = LegalReview.objects.get(application=app)
    assert review.used_at is not None
    assert app.events.last().fields["legal_reviewer"] == str(p["legal"])


ROWS = [
    Row("received", "received", {"confirmed_on": "2026-11-23"}, ("act", {}), True, setup=_pending_online,
        occurred_on="2026-11-23"),
    Row("assigned", "assigned", {"assignee": "HANDLER"}, ("act", {"assignee": "HANDLER"}), True),
    Row("transferred", "transferred", {"to_organisation": "TEST00003", "reason": "属财政局职责"},
        ("act", {"to_organisation": "TEST00003", "reason": "属财政局职责"}), True),
    Row("supplement_requested", "supplement_requested", {"items": "所需信息的文号", "due_on": "2026-10-15"},
        ("act", {"items": "所需信息的文号", "due_on": "2026-10-15"}), True, occurred_on="2026-09-30"),
    Row("supplement_received", "supplement_received", {}, ("act", {}), True, setup=_supplement,
        occurred_on="2026-10-12"),
    Row("supplement_lapsed", "supplement_lapsed", {}, ("act", {}), True, setup=_supplement, occurred_on="2026-10-16"),
    Row("consultation_started", "consultation_started", {"kind": "third_party", "party": "某科技有限公司"},
        ("act", {"kind": "third_party", "party": "某科技有限公司", "letter": "拟公开合同", "method": "post"}), True,
        occurred_on="2026-10-09"),
    Row("consultation_ended", "consultation_ended", {"party": "某科技有限公司", "response": "agreed"},
        ("act", {"party": "某科技有限公司", "response": "agreed"}), True, setup=_consulting),
    Row("extension with the head of office", "extension",
        {"days": 20, "approver_id": "APPROVER", "reason": "需调取档案", "notice_sent_on": "2026-10-20"},
        ("act", {"days": 20, "approver": "APPROVER", "reason": "需调取档案", "notice_sent_on": "2026-10-20"}), True),
    Row("extension approved by a name nobody checked", "extension",
        {"days": 20, "approver": "王主任", "reason": "需调取档案", "notice_sent_on": "2026-10-20"},
        ("act", {"days": 20, "reason": "需调取档案", "notice_sent_on": "2026-10-20"}), False,
        refused_with="政府信息公开工作机构负责人"),
    Row("reasonable period of 第三十五条", "reasonable_period",
        {"reasons_requested_on": "2026-10-12", "reasons": "课题研究需要", "days": 40, "notice_sent_on": "2026-10-20"},
        ("act", {"reasons_requested_on": "2026-10-12", "reasons": "课题研究需要", "days": 40,
                 "notice_sent_on": "2026-10-20"}), True,
        check=lambda app, p: _assert(app.due_on == add_working_days(app.received_on, 40))),
    Row("reasonable period without asking for reasons", "reasonable_period",
        {"days": 40, "notice_sent_on": "2026-10-20"}, ("act", {"days": 40, "notice_sent_on": "2026-10-20"}), False,
        refused_with="理由"),
    Row("fee notice by volume", "fee_notice", {"basis": "by_volume", "pages": 119},
        ("letters_fees", {"action": "issue", "basis": "by_volume", "pages": 119, "issued_on": "2026-10-09",
                          "notice_received_on": "2026-10-09"}),
        True, occurred_on="2026-10-09", check=_fee_notice_row_made),
    Row("fee notice of 9999 元 where the standard says free", "fee_notice", {"basis": "by_item", "amount": 9999},
        ("letters_fees", {"action": "issue", "basis": "by_item", "issued_on": "2026-10-09",
                          "notice_received_on": "2026-10-09"}),
        False, occurred_on="2026-10-09", refused_with="无需收费"),
    Row("fee notice with an amount that is not the standard's", "fee_notice",
        {"basis": "by_volume", "pages": 119, "amount": 9999}, None, False, occurred_on="2026-10-09",
        refused_with="1080"),
    Row("fee notice without a standard", "fee_notice", {"amount": 9999}, None, False, occurred_on="2026-10-09",
        refused_with="计收方式"),
    Row("fee paid", "fee_paid", {"receipt_no": "PJ-1"},
        ("letters_fees", {"action": "paid", "paid_on": "2026-10-20", "receipt_no": "PJ-1"}), True, setup=_fee,
        check=_fee_paid),
    Row("fee lapsed", "fee_lapsed", {}, ("letters_fees", {"action": "lapse"}), True, setup=_fee,
        occurred_on="2026-11-23", check=_fee_lapsed),
    Row("partial disclosure without legal review", "determination",
        {"outcome": "partial", "withheld_parts": PARTIAL_PARTS},
        ("act", {"outcome": "partial", "withheld_parts": "第三页联系人电话｜涉及个人隐私（第十五条）"}), False,
        refused_with="法律顾问审核"),
    Row("partial disclosure after legal review", "determination",
        {"outcome": "partial", "withheld_parts": PARTIAL_PARTS},
        ("act", {"outcome": "partial", "withheld_parts": "第三页联系人电话｜涉及个人隐私（第十五条）"}), True,
        setup=_reviewed("partial"), check=_review_used),
    Row("disclosure", "determination", {"outcome": "disclosed", "text": "现提供该文件复印件"},
        ("act", {"outcome": "disclosed", "text": "现提供该文件复印件"}), True),
    Row("delivery", "delivery", {"method": "email"}, ("act", {"method": "email"}), True, setup=_closed,
        occurred_on="2026-10-21"),
    Row("archived", "archived", {}, ("act", {}), True, setup=_closed, occurred_on="2026-10-21"),
    Row("reopened", "reopened", {"basis": "reconsideration", "reason": "复议决定责令重新答复"},
        ("act", {"basis": "reconsideration", "reason": "复议决定责令重新答复"}), True, setup=_closed,
        occurred_on="2026-11-02"),
]


def test_every_event_type_is_tried_through_every_face():
    """A new event type without a row here fails: it would otherwise be a door nobody checked."""
    assert {row.type for row in ROWS} == set(EVENT_TYPES) - {"submitted"}


def _resolve(value, p):
    return {"HANDLER": p["handler"].pk, "APPROVER": p["approver"].pk}.get(value, value) if isinstance(value, str) else value


def _prepare(row, p):
    case = new_case(p["department"], p["handler"])
    if row.setup is not None:
        case = row.setup(case, p)
    return Application.objects.get(pk=case.pk)


def _via_api(row, case, p):
    client = Client()
    client.force_login(p["handler"])
    fields = {k: _resolve(v, p) for k, v in row.api.items()}
    response = client.post(f"/api/v1/applications/{case.pk}/events/",
                           {"type": row.type, "occurred_on": row.occurred_on, "fields": fields},
                           content_type="application/json")
    return response.status_code, response.content.decode()


def _via_workspace(row, case, p):
    client = Client()
    client.force_login(p["handler"])
    name, data = row.workspace
    data = {k: _resolve(v, p) for k, v in data.items()}
    if name == "act":
        url = reverse("applications_workspace:act", args=[case.pk, row.type])
        post = {f"{row.type}-{k}": v for k, v in data.items()}
        post |= {f"{row.type}-occurred_on": row.occurred_on, f"{row.type}-expected_version": case.version}
    else:
        url = reverse(f"workspace:{name}", args=[case.pk])
        post = data
    response = client.post(url, post, follow=True)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("face", ["api", "workspace"])
@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_one_door_same_rules_through_each_face(row, face, people):
    if face == "workspace" and row.workspace is None:
        pytest.skip("the workspace offers no such input (the amount is computed, the standard is chosen)")
    case = _prepare(row, people)
    events_before = case.events.count()
    notices_before = FeeNotice.objects.filter(application=case).count()
    status, body = (_via_api if face == "api" else _via_workspace)(row, case, people)
    after = Application.objects.get(pk=case.pk)
    if row.accepted:
        assert after.events.count() == events_before + 1, body[:2000]
        assert after.events.last().type == row.type
        if face == "api":
            assert status == 201
        if row.check:
            row.check(after, people)
    else:
        assert after.events.count() == events_before, f"{face} accepted a step the law refuses"
        assert FeeNotice.objects.filter(application=case).count() == notices_before
        assert after.version == case.version
        if face == "api":
            assert status == 400
        assert row.refused_with in body


def test_api_fee_notice_of_9999_goes_through_the_fee_rules(people):
    """The reproduction of issue 14 §1: 201, paused, and no FeeNotice row — now refused."""
    case = new_case(people["department"], people["handler"])
    client = Client()
    client.force_login(people["handler"])
    response = client.post(f"/api/v1/applications/{case.pk}/events/",
                           {"type": "fee_notice", "occurred_on": "2026-10-09", "fields": {"amount": 9999}},
                           content_type="application/json")
    assert response.status_code == 400
    assert not FeeNotice.objects.filter(application=case).exists()
    assert Application.objects.get(pk=case.pk).status == Application.Status.OPEN


def test_one_standard_per_application_through_the_api(people):
    """109号 第三条: 按件 or 按量, never both, for one application — whichever face records the second notice."""
    case = _fee(new_case(people["department"], people["handler"]), people)
    services.application_record_event(application=case, by=people["handler"], type="fee_paid",
                                      occurred_on="2026-10-12")
    client = Client()
    client.force_login(people["handler"])
    response = client.post(f"/api/v1/applications/{case.pk}/events/",
                           {"type": "fee_notice", "occurred_on": "2026-10-13",
                            "fields": {"basis": "by_item"}}, content_type="application/json")
    assert response.status_code == 400
    assert "只能适用一种计收方式" in response.json()["error"]["message"]


def test_the_generic_action_route_no_longer_takes_fee_forms(people):
    """The case page never offers the fee forms: the generic route answers 404 for them."""
    case = new_case(people["department"], people["handler"])
    client = Client()
    client.force_login(people["handler"])
    for type in ("fee_notice", "fee_paid", "fee_lapsed"):
        url = reverse("applications_workspace:act", args=[case.pk, type])
        response = client.post(url, {f"{type}-occurred_on": "2026-10-09", f"{type}-expected_version": case.version,
                                     f"{type}-basis": "by_item", f"{type}-amount": "9999"})
        assert response.status_code == 404
    assert not FeeNotice.objects.filter(application=case).exists()
    assert case.events.count() == 1


def test_the_low_level_recorder_is_private():
    assert not hasattr(intake, "case_act")
    assert not any(name in vars(services) for name in ("application_record_event_unchecked", "record_event"))
