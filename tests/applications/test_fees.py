"""Information processing fees (RULES §2): the formulas' worked examples, counting per applicant and
month, the notice, payment and lapse through the clock events."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications import fees, services
from gongkai.applications.letter_models import ApplicantFingerprint, FeeNotice, Letter
from gongkai.applications.models import Application

from .conftest import APPLICANT, new_case


@pytest.mark.parametrize(("k", "fee"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                        (50, 300), (51, 400)])
def test_by_item_fee_of_the_kth_application_of_the_month(k, fee):
    assert fees.fee_by_item(k) == fee


@pytest.mark.parametrize(("n", "total"), [(10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (50, 7000)])
def test_by_item_month_totals_match_the_worked_examples(n, total):
    assert fees.fee_by_item_month_total(n) == total


@pytest.mark.parametrize(("pages", "fee"), [(0, 0), (30, 0), (31, 10), (57, 270), (100, 700), (101, 720),
                                            (109, 880), (119, 1080), (200, 2700), (201, 2740)])
def test_by_volume_fee_matches_the_worked_examples_and_published_cases(pages, fee):
    assert fees.fee_by_volume(pages) == fee


def test_by_volume_lines_add_up_to_the_fee():
    assert fees.fee_by_volume_lines(119) == ["第1—30页：30页，不收费", "第31—100页：70页×10元/页＝700元",
                                             "第101—200页：19页×20元/页＝380元"]


def test_identity_is_normalised_id_number_or_uscc():
    assert fees.applicant_identity(kind="natural_person", data={"id_type": "resident_id",
                                                                "id_number": "11010519491231002x "}) == (
        "resident_id", "11010519491231002X")
    assert fees.applicant_identity(kind="enterprise", data={"uscc": "91110000600037341L"})[0] == "uscc"
    assert fees.applicant_identity(kind="natural_person", data={"name": "李四", "phone": "138 0000 0000"}) == (
        "name_contact", "李四|13800000000")
    assert fees.applicant_identity(kind="natural_person", data={}) is None


def test_fingerprint_is_a_keyed_hash_never_the_number(case):
    fp = fees.applicant_fingerprint(application=case)
    assert len(fp.value) == 64 and APPLICANT["id_number"] not in fp.value
    import hashlib

    assert fp.value != hashlib.sha256(f"resident_id|{APPLICANT['id_number']}".encode()).hexdigest()


def _cases(department, handler, n, *, received_on="2026-09-28", applicant=None, description="请公开文件"):
    return [new_case(department, handler, received_on=received_on, applicant=dict(applicant or APPLICANT),
                     description=f"{description}{i}") for i in range(n)]


def test_kth_application_counts_the_same_applicant_in_the_natural_month_only(department, other_department, handler,
                                                                            other_handler):
    _cases(department, handler, 3, received_on="2026-08-31")  # previous month: not counted
    _cases(other_department, other_handler, 2)  # another organisation: not counted
    other_person = dict(APPLICANT, id_number="110105198001010016", name="李四")
    _cases(department, handler, 2, applicant=other_person)
    # the same person (same ID number) with another phone and e-mail
    same = dict(APPLICANT, phone="13900000000", email="other@example.com")
    mine = _cases(department, handler, 11, received_on="2026-09-02", applicant=same)
    assert fees.fee_item_ordinal(application=mine[0]) == (1, "2026-09")
    assert fees.fee_item_ordinal(application=mine[10]) == (11, "2026-09")
    quote = fees.fee_quote(application=mine[10], basis="by_item")
    assert quote.amount == 100
    assert "2026年9月向本机关提出的第11件申请" in quote.explanation
    assert fees.fee_quote(application=mine[9], basis="by_item").amount == 0


def test_company_is_counted_by_its_credit_code(department, handler):
    company = {"name": "测试科技有限公司", "uscc": "91110000600037341L", "phone": "010-12345678"}
    apps = [new_case(department, handler, applicant_kind="enterprise", applicant=dict(company, name=f"测试{i}公司"),
                     description=f"请公开{i}") for i in range(11)]
    assert fees.fee_item_ordinal(application=apps[10])[0] == 11
    assert ApplicantFingerprint.objects.filter(source="uscc").count() == 11


def test_notice_pauses_the_clock_and_drafts_the_fee_notice_letter(case, handler):
    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=119,
                                   issued_on=dt.date(2026, 10, 9), notice_received_on=dt.date(2026, 10, 12))
    case.refresh_from_db()
    assert case.status == Application.Status.PAUSED and case.pause_reason == "fee"
    assert notice.amount == 1080
    # 20 working days from the day after receipt (2026-10-12, a Monday): 2026-11-09
    assert notice.payment_due_on == dt.date(2026, 11, 9)
    letter = notice.letter
    assert letter.kind == "fee_notice" and letter.status == Letter.Status.DRAFT
    assert "应缴金额：人民币1080元" in letter.decision
    assert "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）" in letter.decision
    assert "2026年11月9日前" in letter.decision
    assert "按量计收" in letter.decision and "201页以上的部分，收费标准为40元/页" in letter.decision


def test_one_standard_per_application(case, handler):
    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=57,
                                   issued_on=dt.date(2026, 10, 9))
    services.fee_payment_record(fee_notice=notice, by=handler, paid_on=dt.date(2026, 10, 15), receipt_no="NT001")
    with pytest.raises(ValidationError, match="只能适用一种计收方式"):
        services.fee_notice_issue(application=case, by=handler, basis="by_item", issued_on=dt.date(2026, 10, 16))


def test_free_quote_is_refused(case, handler):
    with pytest.raises(ValidationError, match="无需收费"):
        services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=30)


def test_payment_resumes_the_clock_and_adds_the_paused_days(case, handler):
    due_before = case.due_on
    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=57,
                                   issued_on=dt.date(2026, 10, 9))
    notice = services.fee_payment_record(fee_notice=notice, by=handler, paid_on=dt.date(2026, 10, 15), receipt_no="NT1")
    case.refresh_from_db()
    assert notice.state == "paid" and case.status == Application.Status.OPEN
    assert case.due_on > due_before  # 4 working days (10-12 … 10-15) are not counted
    assert case.events.last().type == "fee_paid"


def test_lapse_closes_the_case_as_other_handling_2(case, handler):
    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=57,
                                   issued_on=dt.date(2026, 10, 9))
    with pytest.raises(ValidationError, match="尚未届满"):
        services.fee_lapse_record(fee_notice=notice, by=handler, on=dt.date(2026, 11, 5))
    services.fee_lapse_record(fee_notice=notice, by=handler, on=dt.date(2026, 11, 10))
    case.refresh_from_db()
    assert case.status == Application.Status.CLOSED and case.outcome == "other_unpaid_fee"
    assert FeeNotice.objects.get().state == "lapsed"


def test_fees_collected_for_the_annual_report(case, handler, department):
    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=109,
                                   issued_on=dt.date(2026, 10, 9))
    services.fee_payment_record(fee_notice=notice, by=handler, paid_on=dt.date(2026, 10, 15))
    assert fees.fees_collected(organisation_ids=[department.pk], year=2026) == {"count": 1, "amount": 880}


def test_fees_collected_prefill_section_six_of_the_annual_report(case, handler):
    from gongkai.reports.services import report_draft_create

    notice = services.fee_notice_issue(application=case, by=handler, basis="by_volume", pages=119,
                                   issued_on=dt.date(2026, 10, 9), notice_received_on=dt.date(2026, 10, 12))
    services.fee_payment_record(fee_notice=notice, by=handler, paid_on=dt.date(2026, 10, 15))
    report = report_draft_create(organisation=case.organisation, year=2026, by=None)
    assert "对1件申请收取信息处理费，共计1080元" in report.section6
