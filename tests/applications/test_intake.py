"""Intake services: online filing, idempotency, rate limits, the tracking secret, receipt dates, notices,
legal review, notes and bulk assignment."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import intake, selectors, services
from gongkai.applications.models import Application, LegalReview, PublicAccess
from gongkai.core.models import AuditEvent, RateLimitHit, Role
from tests.conftest import make_user

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
COMPANY = {"name": "测试科技有限公司", "uscc": "91110000600037341L", "contact_person": "李四",
           "phone": "13900001111", "email": "li@example.com"}


def file_online(organisation, key="k" * 20, address="203.0.113.5", applicant=None, kind="natural_person", **kw):
    return intake.application_file_online(
        organisation=organisation, applicant_kind=kind, applicant=dict(applicant or APPLICANT),
        description=kw.pop("description", "请公开 2025 年本局行政事业性收费项目清单"), idempotency_key=key,
        client_address=address, **kw)


def test_online_filing_waits_for_confirmation_and_stores_only_a_hash_of_the_secret(department):
    filed = file_online(department)
    app = filed.application
    assert not filed.replayed and app.channel == "online" and app.status == "pending" and app.received_on is None
    assert list(app.events.values_list("type", flat=True)) == ["submitted"]
    access = PublicAccess.objects.get(application=app)
    assert filed.secret not in access.secret_hash and len(intake.secret_normalise(filed.secret)) == 12
    assert intake.application_by_secret(tracking_code=app.tracking_code, secret=filed.secret, client_address="x") == app
    # lower case and without dashes is accepted; a wrong secret is not
    assert intake.application_by_secret(tracking_code=app.tracking_code.lower(),
                                        secret=filed.secret.lower().replace("-", ""), client_address="x") == app
    assert intake.application_by_secret(tracking_code=app.tracking_code, secret="AAAA-BBBB-CCCC",
                                        client_address="x") is None


def test_the_secret_is_not_the_phones_last_digits_and_differs_per_application(department):
    a = file_online(department, key="a" * 20)
    b = file_online(department, key="b" * 20)
    assert a.secret != b.secret
    assert APPLICANT["phone"][-4:] not in intake.secret_normalise(a.secret)


def test_same_idempotency_key_files_one_application(department):
    first = file_online(department, key="double-click-key-123")
    second = file_online(department, key="double-click-key-123")
    assert second.replayed and second.application == first.application
    assert first.secret and second.secret == ""  # a replay never shows the secret again (issue 15.4)
    assert Application.objects.count() == 1
    assert RateLimitHit.objects.filter(scope="intake_address").count() == 1  # a replay is not counted


def test_bad_idempotency_key_is_refused(department):
    with pytest.raises(ValidationError, match="表单已失效"):
        file_online(department, key="short")


def test_rate_limit_per_address(department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_ADDRESS = "2/3600"
    file_online(department, key="a" * 20, applicant={**APPLICANT, "id_number": "11010519491231002X"})
    file_online(department, key="b" * 20, applicant=COMPANY, kind="enterprise")
    with pytest.raises(intake.RateLimited):
        file_online(department, key="c" * 20, applicant=COMPANY, kind="enterprise")
    file_online(department, key="d" * 20, address="198.51.100.7")  # another address is not limited
    assert Application.objects.count() == 3


def test_rate_limit_per_applicant_identity_across_addresses(department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_APPLICANT = "2/86400"
    file_online(department, key="a" * 20, address="203.0.113.1")
    file_online(department, key="b" * 20, address="203.0.113.2")
    with pytest.raises(intake.RateLimited):
        # the same ID number written with spaces and a lower-case x is the same applicant
        file_online(department, key="c" * 20, address="203.0.113.3",
                    applicant={**APPLICANT, "id_number": "110105 19491231 002x"})
    assert Application.objects.count() == 2
    assert not RateLimitHit.objects.filter(key_digest__contains="11010519491231002X").exists()


def test_failed_tracking_lookups_are_rate_limited(department, settings):
    settings.APPLICATION_TRACKING_LIMIT_PER_ADDRESS = "3/3600"
    filed = file_online(department)
    for _ in range(3):
        assert intake.application_by_secret(tracking_code=filed.application.tracking_code, secret="WRONG",
                                            client_address="203.0.113.9") is None
    with pytest.raises(intake.RateLimited):
        intake.application_by_secret(tracking_code=filed.application.tracking_code, secret=filed.secret,
                                     client_address="203.0.113.9")


@pytest.mark.parametrize("id_number", ["110105194912310021", "11010519491231002", "ABCDEFGHIJKLMNOPQR"])
def test_resident_id_check_digit_is_validated(department, id_number):
    with pytest.raises(ValidationError) as exc:
        file_online(department, applicant={**APPLICANT, "id_number": id_number})
    assert "id_number" in exc.value.error_dict


@pytest.mark.parametrize("code", ["91110000600037341X", "91310000MA1FL5LX3X", "123"])
def test_uscc_check_digit_is_validated(department, code):
    with pytest.raises(ValidationError) as exc:
        file_online(department, kind="enterprise", applicant={**COMPANY, "uscc": code})
    assert "uscc" in exc.value.error_dict


def test_company_filing_with_valid_uscc(department):
    app = file_online(department, kind="enterprise", applicant={**COMPANY, "uscc": "9144 0300 7152 6726 XG"}).application
    assert app.applicant["uscc"] == "9144030071526726XG" and app.is_legal_person


def test_online_filing_needs_identity_and_a_phone_or_email(department):
    with pytest.raises(ValidationError) as exc:
        file_online(department, applicant={"name": "王五", "address": "某地"})
    assert {"id_number", "phone"} <= set(exc.value.error_dict)


def test_attachment_limits(department, settings):
    settings.APPLICATION_INTAKE_FILE_MAX_MB = 1
    ok = SimpleUploadedFile("身份证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    app = file_online(department, key="a" * 20, attachments=[ok]).application
    assert app.attachments.count() == 1
    with pytest.raises(ValidationError, match="类型不支持"):
        file_online(department, key="b" * 20, attachments=[SimpleUploadedFile("x.exe", b"MZ")])
    with pytest.raises(ValidationError, match="超过 1 MB"):
        file_online(department, key="c" * 20, attachments=[SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 1_100_000)])
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        file_online(department, key="d" * 20, attachments=[SimpleUploadedFile("fake.pdf", b"MZ not a pdf")])
    with pytest.raises(ValidationError, match="最多可上传"):
        file_online(department, key="e" * 20, attachments=[SimpleUploadedFile(f"{i}.txt", b"x") for i in range(6)])


def test_description_length_is_limited(department, settings):
    settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS = 50
    with pytest.raises(ValidationError, match="不能超过 50 字"):
        file_online(department, description="很" * 51)


# --- receipt dates (第三十一条) -------------------------------------------------------------------------------

def register(department, handler, channel, **kw):
    return intake.application_register(
        organisation=department, by=handler, channel=channel, applicant_kind="natural_person",
        applicant=dict(APPLICANT), description="请公开某项目的批复文件", **kw)


def test_in_person_is_received_the_day_submitted(department, handler):
    app = register(department, handler, "in_person", submitted_on=D("2026-11-20"))
    assert app.received_on == D("2026-11-20") and app.status == "open"


def test_oral_needs_the_reason_and_is_received_the_day_submitted(department, handler):
    with pytest.raises(ValidationError) as exc:
        register(department, handler, "oral", submitted_on=D("2026-11-20"))
    assert "oral_reason" in exc.value.error_dict
    app = register(department, handler, "oral", submitted_on=D("2026-11-20"), oral_reason="申请人不识字")
    assert app.received_on == D("2026-11-20")
    assert app.events.get(type="received").fields == {"oral_reason": "申请人不识字"}


def test_registered_post_is_received_the_day_signed_for(department, handler):
    with pytest.raises(ValidationError) as exc:
        register(department, handler, "letter", submitted_on=D("2026-11-16"))
    assert "signed_on" in exc.value.error_dict
    app = register(department, handler, "letter", submitted_on=D("2026-11-16"), signed_on=D("2026-11-19"))
    assert app.received_on == D("2026-11-19")
    assert app.due_on == selectors.application_clock(application=app).due_on


def test_ordinary_letter_and_fax_are_received_the_day_confirmed(department, handler):
    letter = register(department, handler, "ordinary_letter", confirmed_on=D("2026-11-18"))
    assert letter.received_on == D("2026-11-18")
    fax = register(department, handler, "fax", submitted_on=D("2026-11-17"))
    assert fax.status == "pending" and fax.received_on is None
    fax = intake.application_confirm(application=fax, by=handler, confirmed_on=D("2026-11-19"))
    assert fax.received_on == D("2026-11-19")


def test_confirming_an_online_application_sets_the_receipt_date_and_tells_the_applicant(department, handler, caplog):
    app = file_online(department).application
    mail.outbox.clear()
    with caplog.at_level(logging.INFO, logger="gongkai"):
        app = intake.application_confirm(application=app, by=handler, confirmed_on=D("2026-11-23"))
    assert app.received_on == D("2026-11-23") and app.status == "open"
    assert mail.outbox and mail.outbox[0].to == [APPLICANT["email"]] and "已收到您的申请" in mail.outbox[0].subject
    assert "SMS not configured" in caplog.text
    assert APPLICANT["phone"] not in caplog.text


def test_sms_goes_through_the_configured_sender(department, handler, settings):
    settings.APPLICATION_SMS_SENDER = "tests.applications.test_intake.remember_sms"
    SENT.clear()
    app = file_online(department).application
    assert SENT and SENT[0][0] == APPLICANT["phone"] and app.tracking_code in SENT[0][1]


SENT: list[tuple[str, str]] = []


def remember_sms(phone: str, text: str) -> None:
    SENT.append((phone, text))


def test_registration_dates_cannot_be_in_the_future(department, handler):
    with pytest.raises(ValidationError) as exc:
        register(department, handler, "in_person", submitted_on=D("2026-11-24"))
    assert "submitted_on" in exc.value.error_dict


def test_only_handlers_register(department, editor):
    with pytest.raises(PermissionDenied):
        register(department, editor, "in_person", submitted_on=D("2026-11-20"))


# --- supplement online -------------------------------------------------------------------------------------------

def test_applicant_supplements_online_and_the_clock_restarts(department, handler):
    app = file_online(department).application
    app = intake.application_confirm(application=app, by=handler, confirmed_on=D("2026-11-23"))
    app = services.application_record_event(application=app, by=handler, type="supplement_requested", occurred_on=D("2026-11-23"),
                          fields={"items": "请写明文件的大致年份", "due_on": "2026-12-08"})
    pending = intake.application_pending_supplement(application=app)
    assert pending["items"] == "请写明文件的大致年份" and not pending["late"]
    app = intake.application_supplement_online(application=app, text="2024 年印发的文件")
    assert app.status == "open" and app.events.last().type == "supplement_received"
    assert app.events.last().fields["content"] == "2024 年印发的文件"
    with pytest.raises(ValidationError, match="不需要补正"):
        intake.application_supplement_online(application=app, text="again")


def test_public_timeline_hides_staff_names_notes_and_assignments(department, handler, office_admin):
    app = file_online(department).application
    app = intake.application_confirm(application=app, by=handler, confirmed_on=D("2026-11-23"))
    app = services.application_record_event(application=app, by=handler, type="assigned", fields={"assignee": handler.pk},
                          note="内部：此人多次申请")
    app = services.application_record_event(application=app, by=handler, type="extension", occurred_on=D("2026-11-23"),
                          fields={"days": 5, "approver_id": office_admin.pk, "approver": str(office_admin),
                                  "notice_sent_on": "2026-11-23", "reason": "需要调档"})
    lines = [step["text"] for step in intake.application_public_timeline(application=app)]
    text = "".join(lines)
    assert "延长 5 个工作日" in text and "确认收到申请" in text
    assert "handler" not in text and "office_admin" not in text and "内部" not in text and "分派" not in text


# --- legal review, notes, bulk assignment ---------------------------------------------------------------------

@pytest.fixture
def legal(government):
    return make_user("legal", government, Role.LEGAL_REVIEWER)


PARTIAL = {"outcome": "partial", "withheld_parts": [{"part": "联系人电话", "reason": "个人隐私（第十五条）"}]}


def test_partial_disclosure_needs_an_approved_legal_review(case, handler, legal):
    with pytest.raises(ValidationError, match="法律顾问审核"):
        services.application_record_event(application=case, by=handler, type="determination", occurred_on=D("2026-10-20"), fields=PARTIAL)
    review = intake.legal_review_request(application=case, by=handler, outcome="partial", draft="拟部分公开，电话不公开")
    with pytest.raises(PermissionDenied):
        intake.legal_review_decide(review=review, by=handler, approve=True)
    with pytest.raises(ValidationError):
        intake.legal_review_decide(review=review, by=legal, approve=False)  # returning needs a comment
    intake.legal_review_decide(review=review, by=legal, approve=True, comment="同意")
    with pytest.raises(ValidationError, match="法律顾问审核"):  # approved for a different outcome
        services.application_record_event(application=case, by=handler, type="determination", occurred_on=D("2026-10-20"),
                        fields={"outcome": "withheld_process_info", "reason": "过程性信息"})
    case = services.application_record_event(application=case, by=handler, type="determination", occurred_on=D("2026-10-20"),
                           fields=dict(PARTIAL))
    assert case.outcome == "partial"
    assert LegalReview.objects.get(pk=review.pk).used_at is not None
    assert case.events.last().fields["legal_reviewer"] == "legal"


def test_disclosure_needs_no_legal_review_and_the_groups_are_configurable(department, handler, settings):
    from .conftest import new_case

    app = new_case(department, handler)
    app = services.application_record_event(application=app, by=handler, type="determination", occurred_on=D("2026-10-20"),
                          fields={"outcome": "disclosed"})
    assert app.status == "closed"
    settings.APPLICATION_LEGAL_REVIEW_GROUPS = ["disclosed"]
    with pytest.raises(ValidationError, match="法律顾问审核"):
        services.application_record_event(application=new_case(department, handler), by=handler, type="determination",
                        occurred_on=D("2026-10-20"), fields={"outcome": "disclosed"})


def test_notes_are_for_handlers_and_audited_without_text(case, handler, other_handler):
    note = intake.case_note_add(application=case, by=handler, text="申请人来电询问进度")
    assert case.notes.get() == note
    with pytest.raises(PermissionDenied):
        intake.case_note_add(application=case, by=other_handler, text="x")
    audit = AuditEvent.objects.filter(action="application.note").get()
    assert "来电" not in str(audit.after)


def test_bulk_assignment_reports_each_refusal(department, other_department, handler, second_handler, other_handler,
                                              office_admin):
    from .conftest import new_case

    mine = [new_case(department, handler), new_case(department, handler)]
    theirs = new_case(other_department, other_handler)
    done, errors = intake.applications_assign(applications=[*mine, theirs], by=office_admin, assignee=second_handler)
    assert done == 2 and len(errors) == 1 and theirs.tracking_code in errors[0]
    assert {a.assignee for a in Application.objects.filter(pk__in=[m.pk for m in mine])} == {second_handler}


def test_no_personal_data_in_logs_or_audit(department, handler, caplog):
    with caplog.at_level(logging.DEBUG):
        filed = file_online(department)
        app = intake.application_confirm(application=filed.application, by=handler, confirmed_on=D("2026-11-23"))
        services.application_record_event(application=app, by=handler, type="determination",
                                          occurred_on="2026-11-23", fields={"outcome": "disclosed"})
    audit = " ".join(str((a.before, a.after, a.note, a.object_repr)) for a in AuditEvent.objects.all())
    for value in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"]):
        assert value not in caplog.text
        assert value not in audit
    assert filed.secret not in caplog.text
