"""Issue 14 §2: the legal defects found in review, one test (or a few) per item, named after it."""

import datetime as dt

import pytest

from gongkai.applications import statistics
from gongkai.applications.clock import Event, derive
from gongkai.core.workdays import add_working_days

from .conftest import new_case

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
RECEIVED = D("2026-09-28")


TODAY = D("2026-11-23")


def run(*events, today=TODAY, channel="in_person"):
    return derive(list(events), channel=channel, organisation="ORG1", today=today)


# --- 3. Cases closed by lapse are not counted late -------------------------------------------------------

def test_lapse_closed_cases_are_not_counted_late():
    notice = D("2026-10-12")
    fee_lapse = run(Event("received", RECEIVED),
                    Event("fee_notice", notice, {"amount": 700, "basis": "by_volume"}),
                    Event("fee_lapsed", add_working_days(notice, 21)))
    assert fee_lapse.outcome == "other_unpaid_fee" and fee_lapse.on_time is None
    supplement_lapse = run(Event("received", RECEIVED),
                           Event("supplement_requested", D("2026-09-30"), {"items": "文号", "due_on": "2026-11-10"}),
                           Event("supplement_lapsed", D("2026-11-11")))
    assert supplement_lapse.outcome == "other_no_supplement" and supplement_lapse.on_time is None
    assert "不计入按时办结统计" in supplement_lapse.explanation_text


def test_lapse_closed_cases_stay_out_of_the_on_time_share(department, handler):
    from gongkai.applications import services

    answered = new_case(department, handler)
    services.application_record_event(application=answered, by=handler, type="determination",
                                      occurred_on="2026-10-20", fields={"outcome": "disclosed"})
    lapsed = new_case(department, handler)
    services.application_record_event(application=lapsed, by=handler, type="supplement_requested",
                                      occurred_on="2026-09-30", fields={"items": "文号", "due_on": "2026-10-30"})
    services.application_record_event(application=lapsed, by=handler, type="supplement_lapsed",
                                      occurred_on="2026-11-02")
    stats = statistics.application_statistics(organisation_ids=[department.pk], start=D("2026-09-01"),
                                              end=D("2026-11-30"))
    assert stats.concluded == 2 and stats.on_time == 1 and stats.on_time_share == 1.0


# --- 1. A missing next-year calendar blocks lawful steps in late December ---------------------------------

@pytest.fixture
def december():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


def test_missing_next_year_calendar_allows_the_supplement_notice_in_late_december(december, department, handler):
    """2027 is in no calendar here (chinesecalendar stops at 2026; nothing imported). Received 2026-12-24,
    the 7-working-day window of 第三十条 reaches into 2027 — a notice on 12-29 (3 working days) is lawful."""
    from gongkai.applications import services
    from gongkai.core import workdays

    assert 2027 not in workdays.known_years()
    case = new_case(department, handler, received_on="2026-12-24")
    case = services.application_record_event(application=case, by=handler, type="supplement_requested",
                                             occurred_on="2026-12-29", fields={"items": "身份证明", "due_on": "2027-01-15"})
    assert case.status == "paused" and case.pause_reason == "supplement"


def test_missing_next_year_calendar_allows_the_consultation_to_start(december, department, handler):
    from gongkai.applications import selectors, services

    case = new_case(department, handler, received_on="2026-12-24")
    case = services.application_record_event(application=case, by=handler, type="consultation_started",
                                             occurred_on="2026-12-29", fields={"kind": "third_party", "party": "某公司"})
    clock = selectors.application_clock(application=case)
    assert case.pause_reason == "consultation" and clock.consultations[0].reply_due_on is None
    assert clock.missing_year == 2027


def test_missing_next_year_calendar_case_page_says_what_to_import(december, client, department, handler):
    """Issue 17.12: right after an extension in December the due date needs 2027: the page names the
    calendar, the notice and how to import it; and from November every page of the area warns."""
    from django.urls import reverse

    from gongkai.applications import services
    from gongkai.core.models import Role
    from tests.conftest import make_user

    head = make_user("office_head", department.parent, Role.OFFICE_ADMIN)
    case = new_case(department, handler, received_on="2026-12-01")
    case = services.application_record_event(application=case, by=handler, type="extension", occurred_on="2026-12-29",
                                             fields={"days": 20, "approver_id": head.pk, "reason": "需调取档案",
                                                     "notice_sent_on": "2026-12-29"})
    assert case.due_on is None
    client.force_login(handler)
    body = client.get(reverse("applications_workspace:detail", args=[case.pk])).content.decode()
    assert "缺少 2027 年的工作日历" in body and "《国务院办公厅关于2027年部分节假日安排的通知》" in body
    assert "gongkai calendar import" in body
    mine = client.get(reverse("applications_workspace:mine")).content.decode()
    assert 'id="calendar-warning"' in mine and "2027 年的节假日安排尚未导入工作日历" in mine
    api = client.get(f"/api/v1/applications/{case.pk}/").json()["clock"]
    assert api["missing_calendar_year"] == 2027 and "gongkai calendar import" in api["calendar_help"]


def test_missing_next_year_calendar_warning_starts_on_1_november(db):
    from gongkai.applications.checks import applications_calendar_checks
    from gongkai.applications.selectors import calendar_next_year_warning

    assert calendar_next_year_warning(today=D("2026-10-31")) is None
    assert "2027 年的节假日安排尚未导入" in calendar_next_year_warning(today=D("2026-11-01"))
    assert calendar_next_year_warning(today=D("2025-11-01")) is None  # 2026 is known
    warnings = applications_calendar_checks(None)  # today is 2026-11-23 (frozen)
    assert [w.id for w in warnings] == ["gongkai.W102"]


# --- 2. The consultation pause is capped at the party's reply date -----------------------------------------

def test_consultation_pause_is_capped_at_the_reply_date():
    """第三十二条/第三十四条: 15 working days; a consultation left open does not stop the clock for longer."""
    from gongkai.core.workdays import working_days_between

    started = D("2026-03-02")
    reply_due = add_working_days(started, 15)
    ended = add_working_days(started, 82)
    clock = run(Event("received", D("2026-02-26")),
                Event("consultation_started", started, {"kind": "third_party", "party": "某公司"}),
                Event("consultation_ended", ended, {"party": "某公司", "response": "silent"}), today=ended)
    assert clock.paused_working_days == 15 == working_days_between(started, reply_due)
    assert clock.due_on == add_working_days(D("2026-02-26"), 20 + 15)
    assert f"征求意见的答复期限 {reply_due} 届满后的时间不再扣除" in clock.explanation_text
    still_open = run(Event("received", D("2026-02-26")),
                     Event("consultation_started", started, {"kind": "third_party", "party": "某公司"}), today=ended)
    assert still_open.due_on == clock.due_on and f"至征求意见答复期限 {reply_due} 止" in still_open.explanation_text


def test_consultation_pause_within_the_reply_date_is_excluded_in_full():
    started = D("2026-03-02")
    ended = add_working_days(started, 6)
    clock = run(Event("received", D("2026-02-26")),
                Event("consultation_started", started, {"kind": "agency", "party": "市财政局"}),
                Event("consultation_ended", ended, {"party": "市财政局", "response": "agreed"}), today=ended)
    assert clock.paused_working_days == 6


# --- 8. 身份证明 for staff-registered applications (第二十九条) ---------------------------------------------

def test_staff_registered_application_needs_identity_or_opens_a_supplement(department, handler):
    from django.core.exceptions import ValidationError

    from gongkai.applications import intake

    no_id = {"name": "王五", "phone": "13700000000"}
    with pytest.raises(ValidationError) as exc:
        intake.application_register(organisation=department, by=handler, channel="in_person",
                                    applicant_kind="natural_person", applicant=dict(no_id),
                                    description="请公开某项目批复", submitted_on=D("2026-11-20"))
    assert "第二十九条" in exc.value.message_dict["id_number"][0]
    app = intake.application_register(organisation=department, by=handler, channel="in_person",
                                      applicant_kind="natural_person", applicant=dict(no_id),
                                      description="请公开某项目批复", submitted_on=D("2026-11-20"),
                                      identity_supplement=True)
    request = app.events.get(type="supplement_requested")
    assert app.pause_reason == "supplement" and "身份证明" in request.fields["items"]
    assert request.occurred_on == D("2026-11-23") and request.fields["due_on"] == "2026-12-08"
    with pytest.raises(ValidationError) as exc:  # a company: its 统一社会信用代码
        intake.application_register(organisation=department, by=handler, channel="fax", applicant_kind="enterprise",
                                    applicant={"name": "某公司", "phone": "010-1"}, description="x",
                                    submitted_on=D("2026-11-20"), identity_supplement=True)
    assert "uscc" in exc.value.message_dict  # the receipt date is not confirmed yet: no 补正 can be sent


def test_staff_registered_application_identity_supplement_through_the_form(client, department, handler):
    from django.urls import reverse

    from gongkai.applications.models import Application

    client.force_login(handler)
    data = {"organisation": department.pk, "channel": "in_person", "submitted_on": "2026-11-23",
            "applicant_kind": "natural_person", "name": "王五", "phone": "13700000000", "description": "请公开某批复"}
    response = client.post(reverse("applications_workspace:register"), data)
    assert response.status_code == 400 and "身份证明（第二十九条）" in response.content.decode()
    response = client.post(reverse("applications_workspace:register"), {**data, "identity_supplement": "on"})
    assert response.status_code == 302
    assert Application.objects.get().pause_reason == "supplement"


# --- 10. Case attachments encrypted at rest -----------------------------------------------------------------

def test_case_attachments_are_encrypted_at_rest_and_streamed_to_handlers(case, handler, client, editor):
    import hashlib

    from django.core.files.base import ContentFile
    from django.urls import reverse

    from gongkai.applications import services
    from gongkai.core.models import AuditEvent

    plain = ("居民身份证 张三丰 11010519491231002X " * 5000).encode()  # > 64 KiB: several chunks
    attachment = services.application_attach(application=case, by=handler, file=ContentFile(plain),
                                             name="张三丰身份证.pdf")
    with attachment.file.open("rb") as stored:
        raw = stored.read()
    assert b"11010519491231002X" not in raw and "张三丰".encode() not in raw and plain[:64] not in raw
    assert "张三丰" not in attachment.file.name and attachment.sha256 == hashlib.sha256(plain).hexdigest()
    url = reverse("applications_workspace:attachment", args=[case.pk, attachment.pk])
    client.force_login(handler)
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == plain
    assert AuditEvent.objects.filter(action="application.attachment_read").count() == 1
    client.force_login(editor)
    assert client.get(url).status_code == 404


def _legacy_plain_attachment(case, plain, name="张三丰身份证.pdf"):
    """An attachment as stored before encryption at rest: the plain bytes under the original file name."""
    import hashlib

    from django.core.files.base import ContentFile

    from gongkai.applications.models import ApplicationAttachment

    attachment = ApplicationAttachment(application=case, name=name, sha256=hashlib.sha256(plain).hexdigest())
    attachment.file.save(name, ContentFile(plain), save=True)
    return attachment


def _stored_bytes(attachment):
    attachment.refresh_from_db()
    with attachment.file.open("rb") as stored:
        return stored.read()


def test_case_attachments_stored_before_encryption_are_encrypted_by_the_command(case, handler, client):
    """Issue 14 §2.10, second half: `gongkai encrypt-attachments` encrypts the plain files already stored, with the
    same keys; afterwards the stored bytes hold no plain content, the plain file is gone, the download streams the
    original, and a second run changes nothing."""
    import io

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.urls import reverse

    from gongkai.applications import services

    plain = ("居民身份证 张三丰 11010519491231002X " * 5000).encode()
    legacy = _legacy_plain_attachment(case, plain)
    old_name = legacy.file.name
    assert b"11010519491231002X" in _stored_bytes(legacy)  # the situation the command repairs
    fresh = services.application_attach(application=case, by=handler, file=ContentFile(b"new"), name="x.pdf")
    fresh_name = fresh.file.name

    out = io.StringIO()
    call_command("encrypt_attachments", stdout=out)
    text = out.getvalue()
    assert "加密 1 个，已是加密 1 个" in text and "[1/2] application#" in text

    raw = _stored_bytes(legacy)
    assert b"11010519491231002X" not in raw and "张三丰".encode() not in raw and plain[:64] not in raw
    assert "张三丰" not in legacy.file.name and not legacy.file.storage.exists(old_name)
    fresh.refresh_from_db()
    assert fresh.file.name == fresh_name  # already encrypted: untouched
    client.force_login(handler)
    response = client.get(reverse("applications_workspace:attachment", args=[case.pk, legacy.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == plain

    again = io.StringIO()
    call_command("encrypt_attachments", stdout=again)
    assert "加密 0 个，已是加密 2 个" in again.getvalue()
    assert _stored_bytes(legacy) == raw


def test_case_attachments_encryption_resumes_after_a_crash_without_leaving_plain_copies(case, handler, monkeypatch):
    """A run killed after the row was switched but before the plain file was deleted: the next run deletes the
    plain leftover (journal), and a run killed before the switch leaves the row on the plain file to redo."""
    import io
    import json

    from django.core.management import call_command
    from django.db.models import QuerySet

    from gongkai.applications import services as svc

    plain = b"PLAIN-ID-SCAN 11010519491231002X" * 100
    legacy = _legacy_plain_attachment(case, plain)
    old_name = legacy.file.name
    storage = legacy.file.storage
    storage_class = type(storage._wrapped) if hasattr(storage, "_wrapped") else type(storage)
    real_delete = storage_class.delete

    def crash_on_delete(self, name):
        if name == old_name:
            raise KeyboardInterrupt("killed")
        return real_delete(self, name)

    monkeypatch.setattr(storage_class, "delete", crash_on_delete)
    with pytest.raises(KeyboardInterrupt):
        svc.attachments_encrypt_at_rest()
    monkeypatch.undo()
    assert storage.exists(old_name)  # the plain copy is still there …
    journal = svc._encrypt_journal_path()
    assert json.loads(journal.read_text())["old"] == old_name
    out = io.StringIO()
    call_command("encrypt_attachments", stdout=out)
    assert not storage.exists(old_name) and not journal.exists()  # … until the next run finishes the switch
    assert "中断收尾 1 个" in out.getvalue() and "加密 0 个，已是加密 1 个" in out.getvalue()
    assert plain[:20] not in _stored_bytes(legacy)

    second = _legacy_plain_attachment(case, plain, name="second.pdf")
    monkeypatch.setattr(QuerySet, "update", lambda self, **kw: (_ for _ in ()).throw(KeyboardInterrupt("killed")))
    with pytest.raises(KeyboardInterrupt):
        svc.attachments_encrypt_at_rest()
    monkeypatch.undo()
    second_old = second.file.name
    new_name = json.loads(journal.read_text())["new"]
    call_command("encrypt_attachments", stdout=io.StringIO())
    assert not storage.exists(new_name) and not storage.exists(second_old)
    assert plain[:20] not in _stored_bytes(second)


# --- 9. Counting notes --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("outcome", "decided", "warned"), [
    ("withheld_process_info", "2024-03-01", True),
    ("partial", "2024-03-01", True),
    ("withheld_process_info", "2023-12-29", False),  # before the 2023 revision was in force
    ("withheld_administrative_inquiry", "2024-03-01", False),  # a referral, not a decision to withhold
    ("disclosed", "2024-03-01", False),
])
def test_counting_notes_direct_lawsuit_on_withholding_after_2024(tmp_path, department, outcome, decided, warned):
    import io
    import json

    from django.core.management import call_command

    fields = {"outcome": outcome, "reason": "过程性信息"}
    if outcome == "partial":
        fields["withheld_parts"] = [{"part": "电话", "reason": "个人隐私"}]
    record = {"external_id": "R1", "organisation": department.code, "applicant_kind": "natural_person",
              "channel": "in_person", "description": "申请公开某文件",
              "events": [{"type": "received", "date": "2023-12-20"},
                         {"type": "determination", "date": decided, "fields": fields}],
              "remedies": [{"kind": "litigation_direct", "filed_on": "2024-04-01"}]}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_applications", str(path), stdout=out)
    assert ("第二十三条第一款第（四）项" in out.getvalue()) is warned
    assert "新导入 1 件" in out.getvalue()  # recorded as it happened, counted in Table 四 as recorded


# --- 4. 第三十五条: a longer reasonable period, on the clock and in the letter ---------------------------------

def test_article_35_reasonable_period_sets_the_due_date_and_the_letter(department, handler):
    from gongkai.applications import letters, services
    from gongkai.core.workdays import add_working_days

    department.reconsideration_body, department.court = "测试市人民政府", "测试市中级人民法院"
    department.save()
    case = new_case(department, handler)
    case = services.application_record_event(
        application=case, by=handler, type="reasonable_period", occurred_on="2026-10-20",
        fields={"reasons_requested_on": "2026-10-12", "reasons": "课题研究需要", "days": 60,
                "notice_sent_on": "2026-10-20"})
    assert case.due_on == add_working_days(RECEIVED, 60)
    assert "依第三十五条确定合理答复期限" in case.due_explanation
    letter = letters.letter_draft(application=case, kind="reasonable_period", by=handler)
    assert "第三十五条" in letter.decision and "60个工作日" in letter.decision
    assert letters.date_cn(case.due_on) + "前作出答复" in letter.decision


def test_article_35_reasonable_period_must_be_longer_and_only_once():
    from gongkai.applications.clock import ClockError

    fields = {"reasons_requested_on": "2026-10-12", "reasons": "研究", "notice_sent_on": "2026-10-20"}
    with pytest.raises(ClockError, match="应长于现有期限"):
        run(Event("received", RECEIVED), Event("reasonable_period", D("2026-10-20"), {**fields, "days": 20}))
    with pytest.raises(ClockError, match="已依第三十五条确定过"):
        run(Event("received", RECEIVED), Event("reasonable_period", D("2026-10-20"), {**fields, "days": 40}),
            Event("reasonable_period", D("2026-10-21"), {**fields, "days": 50}))
    with pytest.raises(ClockError, match="只能延期一次"):  # it takes the place of the extension of 第三十三条
        run(Event("received", RECEIVED), Event("reasonable_period", D("2026-10-20"), {**fields, "days": 40}),
            Event("extension", D("2026-10-21"), {"approver": "王主任", "notice_sent_on": "2026-10-21"}))


def test_notices_write_dates_in_chinese(department, handler):
    from django.core import mail

    from gongkai.applications import services

    case = new_case(department, handler)
    mail.outbox.clear()
    services.application_record_event(application=case, by=handler, type="supplement_requested",
                                      occurred_on="2026-09-30", fields={"items": "文号", "due_on": "2026-10-15"})
    assert "请在2026年10月15日前通过查询页面在线补正" in mail.outbox[-1].body
