"""Staff pages of 依申请公开: scoping (404 outside one's organisations), lists, registration, every action
form, errors shown next to the form, notes, legal review, bulk assignment."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.workspace.views_applications import ACTION_FORMS

from .conftest import APPLICANT, new_case

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def detail_url(app):
    return reverse("applications_workspace:detail", args=[app.pk])


def act_url(app, type):
    return reverse("applications_workspace:act", args=[app.pk, type])


def post_act(client, app, type, **data):
    app.refresh_from_db()
    payload = {f"{type}-expected_version": app.version, f"{type}-occurred_on": "2026-11-23"}
    payload.update({f"{type}-{k}": v for k, v in data.items()})
    return client.post(act_url(app, type), payload)


# --- scoping -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [
    ("handler", 200), ("office_admin", 200), ("platform_admin", 200), ("legal", 200),
    ("other_handler", 404), ("editor", 404),
])
def test_case_page_is_seen_only_by_staff_of_the_organisation(request, as_user, case, who, status):
    client = as_user(request.getfixturevalue(who))
    response = client.get(detail_url(case))
    assert response.status_code == status
    if status == 200 and who != "legal":
        assert APPLICANT["id_number"] in response.content.decode()


def test_legal_adviser_sees_the_case_without_personal_data_or_actions(as_user, case, legal):
    body = as_user(legal).get(detail_url(case)).content.decode()
    assert APPLICANT["id_number"] not in body and APPLICANT["phone"] not in body and "办理操作" not in body


def test_anonymous_users_are_sent_to_login(client, case):
    response = client.get(detail_url(case))
    assert response.status_code == 302 and "login" in response["Location"]


def test_actions_on_a_case_of_another_organisation_answer_404(as_user, case, other_handler):
    response = post_act(as_user(other_handler), case, "archived")
    assert response.status_code == 404
    assert as_user(other_handler).post(reverse("applications_workspace:note", args=[case.pk]), {"text": "x"}).status_code == 404


def test_queue_lists_only_visible_cases(as_user, case, other_department, other_handler, handler):
    theirs = new_case(other_department, other_handler)
    body = as_user(handler).get(reverse("applications_workspace:queue")).content.decode()
    assert case.tracking_code in body and theirs.tracking_code not in body


# --- lists ---------------------------------------------------------------------------------------------------------

def test_my_cases_sorted_by_due_date_with_due_soon_and_overdue_marks(as_user, department, handler):
    overdue = new_case(department, handler, received_on="2026-09-28")  # due 2026-10-30
    soon = new_case(department, handler, received_on="2026-10-27")
    later = new_case(department, handler, received_on="2026-11-20")
    unassigned = new_case(department, handler, received_on="2026-11-19")
    for app in (later, overdue, soon):
        services.application_record_event(application=app, by=handler, type="assigned", fields={"assignee": handler.pk})
    response = as_user(handler).get(reverse("applications_workspace:mine"))
    body = response.content.decode()
    positions = [body.index(a.tracking_code) for a in (overdue, soon, later)]
    assert positions == sorted(positions)
    assert unassigned.tracking_code not in body
    assert 'class="row-overdue"' in body and 'class="row-due_soon"' in body
    assert "已逾期" in body and "即将到期" in body
    assert APPLICANT["id_number"] not in body and APPLICANT["name"] not in body  # masked in lists
    assert "张**" in body


def test_queue_puts_pending_confirmation_first_and_bulk_assigns(as_user, department, handler, second_handler, office_admin):
    open_case = new_case(department, handler)
    pending = new_case(department, handler, received_on=None, channel="online",
                       submitted_at=dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
    client = as_user(office_admin)
    body = client.get(reverse("applications_workspace:queue")).content.decode()
    assert body.index(pending.tracking_code) < body.index(open_case.tracking_code)
    response = client.post(reverse("applications_workspace:queue"),
                           {"case": [open_case.pk, pending.pk], "assignee": second_handler.pk}, follow=True)
    assert "已分派 2 件申请" in response.content.decode()
    assert set(Application.objects.values_list("assignee", flat=True)) == {second_handler.pk}
    body = client.get(reverse("applications_workspace:queue") + "?unassigned=1").content.decode()
    assert open_case.tracking_code not in body


def test_bulk_assign_without_selection_shows_the_error(as_user, case, office_admin, second_handler):
    response = as_user(office_admin).post(reverse("applications_workspace:queue"), {"assignee": second_handler.pk})
    assert response.status_code == 400 and "请至少勾选一件申请" in response.content.decode()


# --- registration ------------------------------------------------------------------------------------------------

def test_register_a_registered_letter_takes_the_sign_for_date(as_user, department, handler):
    client = as_user(handler)
    assert client.get(reverse("applications_workspace:register")).status_code == 200
    response = client.post(reverse("applications_workspace:register"), {
        "organisation": department.pk, "channel": "letter", "submitted_on": "2026-11-16", "signed_on": "2026-11-19",
        "applicant_kind": "natural_person", "name": "王五", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13700000000", "description": "请公开某道路改造项目的批复",
    })
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(app)
    assert app.received_on == D("2026-11-19") and app.channel == "letter"


def test_register_shows_the_rule_next_to_the_missing_date(as_user, department, handler):
    response = as_user(handler).post(reverse("applications_workspace:register"), {
        "organisation": department.pk, "channel": "letter", "applicant_kind": "natural_person", "name": "王五",
        "phone": "1", "description": "x",
    })
    assert response.status_code == 400
    assert "以签收之日为收到申请之日" in response.content.decode()
    assert not Application.objects.exists()


def test_register_refuses_a_bad_id_number_on_the_form(as_user, department, handler):
    response = as_user(handler).post(reverse("applications_workspace:register"), {
        "organisation": department.pk, "channel": "in_person", "submitted_on": "2026-11-23",
        "applicant_kind": "natural_person", "name": "王五", "id_type": "resident_id",
        "id_number": "110105194912310021", "phone": "1", "description": "x",
    })
    assert response.status_code == 400 and "居民身份证号码无效" in response.content.decode()


def test_register_is_404_for_staff_without_handling_roles(as_user, editor):
    assert as_user(editor).get(reverse("applications_workspace:register")).status_code == 404


# --- the case page and its actions ------------------------------------------------------------------------------

def test_case_page_shows_due_date_and_its_explanation(as_user, case, handler):
    body = as_user(handler).get(detail_url(case)).content.decode()
    assert case.due_on.strftime("%Y年%-m月%-d日") in body
    assert "收到申请 2026-09-28" in body and "计算过程" in body


def test_every_engine_step_has_a_form():
    from gongkai.applications.clock import EVENT_TYPES

    # the fee steps are taken on the fees page (the standard and the pages, the amount computed: issue 14 §1)
    assert set(ACTION_FORMS) == set(EVENT_TYPES) - {"submitted", "fee_notice", "fee_paid", "fee_lapsed"}


def test_confirming_an_online_application_through_the_page(as_user, department, handler):
    app = new_case(department, handler, received_on=None, channel="online",
                   submitted_at=dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
    client = as_user(handler)
    assert "双方确认之日" in client.get(detail_url(app)).content.decode()
    response = post_act(client, app, "received")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.received_on == D("2026-11-23")
    assert app.events.get(type="received").fields == {"confirmed_on": "2026-11-23"}


def test_engine_refusal_is_shown_next_to_the_form_not_a_500(as_user, case, handler):
    client = as_user(handler)
    # supplement notice after the 7-working-day window (received 2026-09-28)
    response = post_act(client, case, "supplement_requested", items="请写明年份", due_on="2026-12-10")
    assert response.status_code == 400
    body = response.content.decode()
    assert "7 个工作日内发出" in body and 'id="act-supplement_requested" open' in body
    assert case.events.count() == 1


def test_stale_form_is_refused(as_user, case, handler):
    client = as_user(handler)
    response = client.post(act_url(case, "extension"), {"extension-expected_version": 0, "extension-occurred_on": "2026-10-20"})
    assert response.status_code == 400  # form errors (missing fields) — nothing recorded
    response = client.post(act_url(case, "archived"), {"archived-expected_version": 0, "archived-occurred_on": "2026-11-23"})
    assert response.status_code == 400 and "已被他人更新" in response.content.decode()


def test_full_handling_through_the_forms(as_user, department, handler, office_admin, legal, second_handler):
    app = new_case(department, handler, received_on="2026-11-16")
    client = as_user(handler)
    assert post_act(client, app, "assigned", assignee=second_handler.pk).status_code == 302
    assert post_act(client, app, "supplement_requested", items="请写明年份", due_on="2026-12-01").status_code == 302
    assert post_act(client, app, "supplement_received").status_code == 302
    assert post_act(client, app, "consultation_started", kind="third_party", party="某建设公司",
                    letter="拟公开合同，请于 15 个工作日内答复", method="post").status_code == 302
    assert post_act(client, app, "consultation_ended", party="某建设公司", response="agreed").status_code == 302
    assert post_act(client, app, "extension", days=10, approver=office_admin.pk, reason="需调取档案",
                    notice_sent_on="2026-11-23").status_code == 302
    # partial disclosure: refused until the legal adviser approves
    data = {"outcome": "partial", "withheld_parts": "合同单价｜商业秘密（第十五条）", "text": "公开合同正文"}
    response = post_act(client, app, "determination", **data)
    assert response.status_code == 400 and "法律顾问审核" in response.content.decode()
    assert client.post(reverse("applications_workspace:review_request", args=[app.pk]),
                       {"outcome": "partial", "draft": "拟部分公开"}).status_code == 302
    review = app.legal_reviews.get()
    legal_client = as_user(legal)
    assert legal_client.post(reverse("applications_workspace:review_decide", args=[app.pk, review.pk]),
                             {"decision": "approve", "comment": "同意"}).status_code == 302
    client = as_user(handler)
    assert post_act(client, app, "determination", **data).status_code == 302
    assert post_act(client, app, "delivery", method="online").status_code == 302
    assert post_act(client, app, "archived").status_code == 302
    app.refresh_from_db()
    assert app.outcome == "partial" and app.archived and app.assignee == second_handler
    assert app.events.get(type="determination").fields["withheld_parts"] == [
        {"part": "合同单价", "reason": "商业秘密（第十五条）"}]
    assert post_act(client, app, "reopened", basis="reconsideration", reason="复议决定重新答复").status_code == 302


def test_fee_actions_and_transfer(as_user, department, other_department, handler, other_handler):
    app = new_case(department, handler, received_on="2026-11-16")
    client = as_user(handler)
    fees_url = reverse("workspace:letters_fees", args=[app.pk])
    assert client.post(fees_url, {"action": "issue", "basis": "by_volume", "pages": 100, "issued_on": "2026-11-17",
                                  "notice_received_on": "2026-11-17"}).status_code == 302
    assert app.fee_notices.get().amount == 700
    assert client.post(fees_url, {"action": "paid", "paid_on": "2026-11-20"}).status_code == 302
    assert post_act(client, app, "transferred", to_organisation=other_department.code, reason="职责调整").status_code == 302
    app.refresh_from_db()
    assert app.organisation == other_department
    assert client.get(detail_url(app)).status_code == 404
    assert as_user(other_handler).get(detail_url(app)).status_code == 200


def test_supplement_lapse_and_fee_lapse_forms_exist_on_paused_cases(as_user, department, handler):
    app = new_case(department, handler, received_on="2026-11-16")
    client = as_user(handler)
    post_act(client, app, "supplement_requested", items="请写明年份", due_on="2026-11-20", occurred_on="2026-11-17")
    body = client.get(detail_url(app)).content.decode()
    assert 'id="act-supplement_lapsed"' in body and 'id="act-supplement_received"' in body
    assert post_act(client, app, "supplement_lapsed").status_code == 302
    app.refresh_from_db()
    assert app.outcome == "other_no_supplement"


def test_internal_notes(as_user, case, handler):
    client = as_user(handler)
    assert client.post(reverse("applications_workspace:note", args=[case.pk]), {"text": ""}).status_code == 400
    assert client.post(reverse("applications_workspace:note", args=[case.pk]), {"text": "申请人来电"}).status_code == 302
    assert "申请人来电" in client.get(detail_url(case)).content.decode()


def test_letter_draft_buttons_post_to_the_letters_module(as_user, case, handler):
    body = as_user(handler).get(detail_url(case)).content.decode()
    letters_url = reverse("workspace:letters_case", args=[case.pk])
    assert f'action="{letters_url}"' in body and 'name="kind" value="reply"' in body
    assert 'name="kind" value="extension"' in body and 'name="kind" value="supplement"' in body
    post_act(as_user(handler), case, "supplement_requested", items="请写明年份", due_on="2026-10-15",
             occurred_on="2026-09-30")
    response = as_user(handler).post(letters_url, {"kind": "supplement"})
    assert response.status_code == 302 and case.letters.filter(kind="supplement").exists()


def test_pages_have_landmarks_labels_and_no_inline_scripts(as_user, case, handler):
    client = as_user(handler)
    for url in (detail_url(case), reverse("applications_workspace:mine"), reverse("applications_workspace:queue"),
                reverse("applications_workspace:register")):
        body = client.get(url).content.decode()
        assert "<main" in body and "<nav" in body and 'lang="zh-Hans"' in body
        assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/workspace/js/workspace.js" defer>']
        assert " style=" not in body and "onclick" not in body


def test_case_page_query_count_is_bounded(as_user, case, handler, django_assert_max_num_queries):
    client = as_user(handler)
    with django_assert_max_num_queries(60):
        client.get(detail_url(case))
