"""Applications through the services: the cached clock, permissions, personal data, remedies."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from gongkai.applications import selectors, services
from gongkai.applications.models import Application
from gongkai.core import workdays
from gongkai.core.models import AuditEvent, Role
from tests.conftest import make_user

from .conftest import APPLICANT, new_case

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_recording_events_refreshes_the_cached_clock(case, handler):
    assert case.status == "open" and case.received_on == D("2026-09-28")
    assert case.due_on == workdays.add_working_days(D("2026-09-28"), 20)
    assert case.calendar_version == workdays.calendar_version()
    assert case.supplement_notice_deadline == workdays.add_working_days(D("2026-09-28"), 7)
    assert "收到申请 2026-09-28" in case.due_explanation
    case = services.application_record_event(application=case, by=handler, type="consultation_started",
                                             occurred_on="2026-10-09", fields={"kind": "third_party", "party": "某公司"})
    assert case.status == "paused" and case.pause_reason == "consultation"
    case = services.application_record_event(application=case, by=handler, type="consultation_ended",
                                             occurred_on="2026-10-23", fields={"response": "agreed"})
    paused = workdays.working_days_between(D("2026-10-09"), D("2026-10-23"))
    assert case.due_on == workdays.add_working_days(D("2026-09-28"), 20 + paused)
    assert list(case.events.values_list("type", flat=True)) == [
        "received", "consultation_started", "consultation_ended"]
    assert case.version == 3
    assert case.events.last().fields == {"response": "agreed", "party": "某公司", "legal_effect": "第三方同意公开。"}
    assert selectors.application_clock(application=case).due_on == case.due_on


def test_invalid_sequence_is_refused_with_a_chinese_message_and_nothing_stored(case, handler, office_admin):
    services.application_record_event(application=case, by=handler, type="extension", occurred_on="2026-10-20",
                                      fields={"approver_id": office_admin.pk, "notice_sent_on": "2026-10-20"})
    with pytest.raises(ValidationError, match="只能延期一次"):
        services.application_record_event(application=case, by=handler, type="extension", occurred_on="2026-10-21",
                                          fields={"approver_id": office_admin.pk, "notice_sent_on": "2026-10-21"})
    case.refresh_from_db()
    assert case.events.count() == 2 and case.version == 2


def test_online_receipt_takes_the_confirmation_date(department, handler):
    app = new_case(department, handler, channel="online", received_on=None,
                   submitted_at=dt.datetime(2026, 9, 25, 22, 0, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="双方确认之日"):
        services.application_record_event(application=app, by=handler, type="received", occurred_on="2026-09-28")
    app = services.application_record_event(application=app, by=handler, type="received",
                                            fields={"confirmed_on": "2026-09-28"})
    assert app.received_on == D("2026-09-28")
    assert app.events.first().occurred_on == D("2026-09-26")  # 22:00 UTC is the next morning in Beijing


def test_stale_version_is_refused(case, handler):
    with pytest.raises(ValidationError, match="已被他人更新"):
        services.application_record_event(application=case, by=handler, type="archived", expected_version=0)


def test_transfer_moves_the_case_to_the_receiving_organisation(case, handler, other_department, other_handler):
    case = services.application_record_event(application=case, by=handler, type="transferred",
                                             occurred_on="2026-09-29",
                                             fields={"to_organisation": other_department.code, "reason": "职责调整"})
    assert case.organisation == other_department
    assert selectors.application_visible_to(other_handler).filter(pk=case.pk).exists()
    assert not selectors.application_visible_to(handler).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError, match="不存在"):
        services.application_record_event(application=case, by=other_handler, type="transferred",
                                          fields={"to_organisation": "NOPE", "reason": "x"})


def test_assignment_names_a_handler_of_the_organisation(case, handler, second_handler, editor):
    case = services.application_record_event(application=case, by=handler, type="assigned",
                                             fields={"assignee": second_handler.pk})
    assert case.assignee == second_handler
    with pytest.raises(ValidationError, match="不是该机关的依申请公开办理人员"):
        services.application_record_event(application=case, by=handler, type="assigned", fields={"assignee": editor.pk})


def test_extension_approver_must_be_a_disclosure_office_head(case, handler, office_admin, second_handler):
    with pytest.raises(ValidationError, match="不是政务公开办负责人"):
        services.application_record_event(application=case, by=handler, type="extension", occurred_on="2026-10-20",
                                          fields={"approver_id": second_handler.pk, "notice_sent_on": "2026-10-20"})
    case = services.application_record_event(application=case, by=handler, type="extension", occurred_on="2026-10-20",
                                             fields={"approver_id": office_admin.pk, "notice_sent_on": "2026-10-20"})
    assert case.events.last().fields["approver"] == str(office_admin)


def test_determination_caches_outcome_and_timeliness(case, handler):
    case = services.application_record_event(application=case, by=handler, type="determination",
                                             occurred_on="2026-10-12", fields={"outcome": "disclosed"})
    assert case.status == "closed" and case.outcome == "disclosed" and case.reply_type == "disclosable"
    assert case.on_time is True and case.concluded_on == D("2026-10-12")
    with pytest.raises(ValidationError, match="案件已办结"):
        services.application_record_event(application=case, by=handler, type="determination",
                                          occurred_on="2026-10-13", fields={"outcome": "disclosed"})


def test_missing_calendar_year_refuses_only_the_step_that_needs_it(case, handler, monkeypatch):
    """Issue 14 §2.1: starting a consultation does not need the party's reply date; recording the party's
    silence does (have the 15 working days passed?), so only that step is refused, naming the year."""
    def missing(start, n):
        raise workdays.CalendarYearMissing(2027)

    monkeypatch.setattr(workdays, "add_working_days", missing)
    case = services.application_record_event(application=case, by=handler, type="consultation_started",
                                             occurred_on="2026-09-29", fields={"kind": "third_party", "party": "某公司"})
    assert case.status == "paused"
    with pytest.raises(ValidationError, match="2027 年的节假日安排尚未录入"):
        services.application_record_event(application=case, by=handler, type="consultation_ended",
                                          occurred_on="2026-10-30", fields={"party": "某公司", "response": "silent"})


# --- who may see and act --------------------------------------------------------------------------------

def test_cases_are_visible_to_handlers_and_office_admins_above_only(
    case, handler, other_handler, office_admin, editor, department
):
    assert list(selectors.application_visible_to(handler)) == [case]
    assert list(selectors.application_visible_to(office_admin)) == [case]
    assert not selectors.application_visible_to(other_handler).exists()
    assert not selectors.application_visible_to(editor).exists()
    dept_admin = make_user("dept_admin", department, Role.OFFICE_ADMIN)
    assert selectors.application_may_handle(user=dept_admin, application=case)
    assert not selectors.application_may_handle(user=editor, application=case)


def test_non_handlers_cannot_record_events_or_create_cases(case, other_handler, editor, department):
    for user in (other_handler, editor):
        with pytest.raises(PermissionDenied):
            services.application_record_event(application=case, by=user, type="archived")
    with pytest.raises(PermissionDenied):
        new_case(department, editor)


def test_filters_by_state_due_date_and_assignee(department, handler, second_handler):
    overdue = new_case(department, handler, received_on="2026-09-28")
    soon = new_case(department, handler, received_on="2026-10-29")
    fresh = new_case(department, handler, received_on="2026-11-20")
    services.application_record_event(application=fresh, by=handler, type="assigned", fields={"assignee": second_handler.pk})
    by_state = {s: set(selectors.applications_filter(user=handler, state=s)) for s in ("overdue", "due_soon", "in_progress")}
    assert overdue in by_state["overdue"]
    assert fresh in by_state["in_progress"]
    assert {overdue, soon, fresh} == set().union(*by_state.values())
    assert list(selectors.applications_filter(user=handler, assignee=second_handler.pk)) == [fresh]
    assert set(selectors.applications_filter(user=handler, due_before=D("2026-11-23"))) == {overdue}


# --- personal data ----------------------------------------------------------------------------------------

PII = [APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"], "人民路"]


def test_applicant_data_is_encrypted_at_rest(case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant FROM applications_application WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:")
    assert not any(value in raw for value in PII)
    assert Application.objects.get(pk=case.pk).applicant["name"] == "张三丰"


def test_str_repr_and_audit_log_never_contain_personal_data(case, handler):
    services.application_record_event(application=case, by=handler, type="determination", occurred_on="2026-10-12",
                                      fields={"outcome": "disclosed"})
    services.application_update_applicant(application=case, by=handler, applicant={**APPLICANT, "phone": "13900000000"})
    texts = [str(case), repr(case)]
    for event in AuditEvent.objects.all():
        texts += [str(event), event.object_repr, repr(event.before), repr(event.after), event.note]
    blob = " ".join(texts)
    assert not any(value in blob for value in [*PII, "13900000000"])
    update = AuditEvent.objects.get(action="application.applicant_update")
    assert update.after == {"changed_fields": ["phone"]}


def test_masked_applicant_for_non_handlers(case, handler, editor):
    assert selectors.applicant_for(user=handler, application=case)["id_number"] == APPLICANT["id_number"]
    assert selectors.applicant_for(user=editor, application=case) == {"kind": "natural_person", "name": "张**"}


def test_applicant_details_are_validated(department, handler):
    with pytest.raises(ValidationError, match="居民身份证号码无效"):
        new_case(department, handler, applicant={**APPLICANT, "id_number": "110105194912310021"})
    with pytest.raises(ValidationError, match="统一社会信用代码无效"):
        new_case(department, handler, applicant_kind="enterprise", applicant={"name": "某公司", "uscc": "91110000600037341X",
                                                                               "phone": "010-1234"})
    company = new_case(department, handler, applicant_kind="research",
                       applicant={"name": "某研究院", "uscc": "91110000600037341L", "legal_representative": "李四",
                                  "contact_person": "王五", "phone": "010-12345678"})
    assert company.applicant["uscc"] == "91110000600037341L"
    with pytest.raises(ValidationError, match="申请人类型"):
        new_case(department, handler, applicant_kind="company")


def test_changing_the_encryption_key_makes_old_rows_unreadable_unless_kept_for_rotation(case, settings):
    settings.FIELD_ENCRYPTION_KEY = "new-key," + settings.SECRET_KEY
    assert Application.objects.get(pk=case.pk).applicant["name"] == "张三丰"
    settings.FIELD_ENCRYPTION_KEY = "new-key"
    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEY"):
        Application.objects.get(pk=case.pk)


# --- remedies --------------------------------------------------------------------------------------------

def test_remedies_link_reconsideration_and_later_litigation(case, handler):
    review = services.remedy_record(application=case, by=handler, kind="reconsideration", filed_on=D("2026-10-20"),
                                    body="测试市人民政府")
    with pytest.raises(ValidationError, match="尚未审结"):
        services.remedy_record(application=case, by=handler, kind="litigation_after_reconsideration",
                               filed_on=D("2026-11-10"), follows=review)
    services.remedy_decide(remedy=review, by=handler, result="upheld", decided_on=D("2026-11-05"))
    suit = services.remedy_record(application=case, by=handler, kind="litigation_after_reconsideration",
                                  filed_on=D("2026-11-10"), follows=review, body="测试市中级人民法院")
    assert suit.result == "pending" and list(case.remedies.all()) == [review, suit]
    with pytest.raises(ValidationError, match="审结日期"):
        services.remedy_decide(remedy=suit, by=handler, result="corrected", decided_on=None)


def test_deadline_in_a_missing_year_is_refused_until_the_year_is_imported(department, handler, monkeypatch):
    """A year the calendar lacks (2026 here, so that the real calendar has it once "imported") is refused
    until it is added; then the refresh computes the right date and audits the change."""
    import time_machine
    from django.core.management import call_command

    notice_deadline = workdays.add_working_days(D("2025-12-15"), 7)
    real = {name: getattr(workdays, name) for name in ("is_working_day", "add_working_days", "working_days_between",
                                                       "calendar_version")}

    def refuse_2026(day):
        if day.year >= 2026:
            raise workdays.CalendarYearMissing(day.year)
        return day

    # Wrap the public interface (not its internals), so this holds for any calendar implementation.
    monkeypatch.setattr(workdays, "is_working_day", lambda day: real["is_working_day"](refuse_2026(day)))
    monkeypatch.setattr(workdays, "add_working_days", lambda start, n: refuse_2026(real["add_working_days"](start, n)))
    monkeypatch.setattr(workdays, "working_days_between",
                        lambda a, b: real["working_days_between"](refuse_2026(a), refuse_2026(b)))
    monkeypatch.setattr(workdays, "calendar_version", lambda: "test-without-2026")
    with time_machine.travel(dt.datetime(2025, 12, 31, 10, 0), tick=False):
        app = new_case(department, handler, received_on="2025-12-15")  # the receipt is a fact: recorded
        assert app.received_on == D("2025-12-15") and app.due_on is None
        assert "无法计算答复期限：2026 年的节假日安排尚未录入工作日历" in app.due_explanation
        assert app.supplement_notice_deadline == notice_deadline  # still inside 2025
        # Its 7-day window reaches into 2026; a notice on the next day is inside the window over the known days
        # (issue 14 §2.1: the agency's only chance at the 第三十条 notice is not lost to a missing calendar).
        late = new_case(department, handler, received_on="2025-12-29")
        late = services.application_record_event(application=late, by=handler, type="supplement_requested",
                                                 occurred_on="2025-12-30", fields={"items": "年份", "due_on": "2026-01-20"})
        assert late.pause_reason == "supplement"
        with pytest.raises(ValidationError, match="7 个工作日内发出"):  # received 12-15: 12 working days later
            services.application_record_event(application=app, by=handler, type="supplement_requested",
                                              occurred_on="2025-12-31", fields={"items": "年份", "due_on": "2026-01-20"})
        for name, function in real.items():  # "import" 2026
            monkeypatch.setattr(workdays, name, function)
        call_command("refresh_application_clocks")
    app.refresh_from_db()
    assert app.due_on == workdays.add_working_days(D("2025-12-15"), 20) and app.due_on.year == 2026
    assert app.calendar_version == workdays.calendar_version()
    audit = AuditEvent.objects.get(action="application.recompute", object_id=str(app.pk))
    assert audit.before["calendar_version"] == "test-without-2026" and audit.before["due_on"] is None
    assert audit.after["due_on"] == app.due_on.isoformat()


def test_public_status_by_tracking_code_shows_no_personal_data(case):
    status = selectors.application_public_status(tracking_code=case.tracking_code.lower())
    assert status["state"] == "overdue" and status["due_on"] == case.due_on
    assert not any(value in repr(status) for value in PII)
    assert selectors.application_public_status(tracking_code="YSQ2026NOPE") is None


def test_attachments_are_fingerprinted_and_only_handlers_may_add_them(case, handler, editor):
    import hashlib

    from django.core.files.base import ContentFile

    content = "申请表".encode()
    attachment = services.application_attach(application=case, by=handler, file=ContentFile(content), name="申请表.pdf")
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert b"".join(services.attachment_open(attachment=attachment, by=handler)) == content  # stored encrypted
    with pytest.raises(PermissionDenied):
        services.application_attach(application=case, by=editor, file=ContentFile(b"x"), name="x.pdf")
