"""The clock derived from events (条例 第三十条至第三十四条), expressed through gongkai.core.workdays.

Expected dates are computed with `workdays.add_working_days`/`working_days_between`, so these tests
hold for the Mon-Fri stand-in and for the 调休 calendar alike; tests pinned to real 调休 dates live
with the calendar.
"""

import datetime as dt

import pytest

from gongkai.applications.clock import ClockError, ClockRules, Event, derive
from gongkai.core import workdays
from gongkai.core.workdays import add_working_days, working_days_between

# The working-day calendar reads administrator-maintained years from the database.
pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
RECEIVED = D("2026-09-28")
TODAY = D("2026-11-23")


def run(*events, channel="in_person", today=TODAY, rules_for=None, imported=False):
    return derive(list(events), channel=channel, organisation="ORG1", today=today, rules_for=rules_for,
                  imported=imported)


def received(on=RECEIVED, **fields):
    return Event("received", on, fields)


def refused(*events, match, **kwargs):
    with pytest.raises(ClockError, match=match) as info:
        run(*events, **kwargs)
    return info.value


# --- the basic period ----------------------------------------------------------------------------------

def test_reply_is_due_20_working_days_after_receipt_the_receipt_day_not_counted():
    clock = run(received(), today=RECEIVED)
    assert clock.due_on == add_working_days(RECEIVED, 20)
    assert working_days_between(RECEIVED, clock.due_on) == 20
    assert clock.state == "in_progress" and clock.status == "open"
    assert clock.calendar_version == workdays.calendar_version()
    assert "收到申请 2026-09-28" in clock.explanation_text
    assert f"→ 答复期限 {clock.due_on}" in clock.explanation_text


def test_supplement_notice_deadline_is_7_working_days_after_receipt():
    clock = run(received(), today=RECEIVED)
    assert clock.supplement_notice_deadline == add_working_days(RECEIVED, 7)


def test_state_is_due_soon_then_overdue_as_days_pass():
    due = add_working_days(RECEIVED, 20)
    assert run(received(), today=add_working_days(RECEIVED, 16)).state == "due_soon"
    assert run(received(), today=due).state == "due_soon"
    late = run(received(), today=due + dt.timedelta(days=1))
    assert late.state == "overdue" and late.due_on == due


def test_received_on_a_friday_counts_from_the_next_working_day():
    friday = D("2026-10-16")
    clock = run(received(friday), today=friday)
    assert clock.due_on == add_working_days(friday, 20)
    assert workdays.working_days_between(friday, clock.due_on) == 20


def test_a_deadline_crossing_the_year_boundary():
    on = D("2025-12-15")
    clock = run(received(on), today=on)
    assert clock.due_on.year == 2026
    assert clock.due_on == add_working_days(on, 20)


# --- the receipt date by channel (第三十一条) -------------------------------------------------------------

def test_online_application_runs_from_the_confirmation_date_not_the_submission():
    submitted = D("2026-09-25")
    clock = run(Event("submitted", submitted), received(D("2026-09-29"), confirmed_on="2026-09-29"),
                channel="online", today=D("2026-09-29"))
    assert clock.received_on == D("2026-09-29")
    assert clock.due_on == add_working_days(D("2026-09-29"), 20)
    assert "双方确认之日" in clock.explanation_text


@pytest.mark.parametrize("channel,evidence", [("online", "confirmed_on"), ("fax", "confirmed_on"),
                                              ("letter", "signed_on"), ("ordinary_letter", "confirmed_on")])
def test_receipt_needs_the_channels_evidence_date(channel, evidence):
    refused(received(), channel=channel, match=evidence)
    refused(received(**{evidence: "2026-09-29"}), channel=channel, match="不一致")
    assert run(received(**{evidence: "2026-09-28"}), channel=channel).received_on == RECEIVED


def test_in_person_application_is_received_the_day_it_is_handed_in():
    refused(Event("submitted", D("2026-09-25")), received(), channel="in_person", match="当面提交")
    clock = run(Event("submitted", RECEIVED), received(), channel="in_person")
    assert clock.received_on == RECEIVED


def test_imported_history_may_lack_the_evidence_date():
    assert run(received(), channel="online", imported=True).received_on == RECEIVED


def test_receipt_before_submission_is_refused():
    refused(Event("submitted", D("2026-09-29")), received(confirmed_on="2026-09-28"), channel="online",
            match="早于")


# --- supplement (第三十条) ---------------------------------------------------------------------------------

def supplement_request(on, due="2026-10-20", items="请写明所需文件的年份"):
    return Event("supplement_requested", on, {"items": items, "due_on": due})


def test_supplement_pauses_and_the_reply_period_restarts_from_its_receipt():
    asked = add_working_days(RECEIVED, 3)
    waiting = run(received(), supplement_request(asked), today=asked)
    assert waiting.state == "paused" and waiting.pause_reason == "supplement"
    assert waiting.due_on is None and waiting.supplement_due_on == D("2026-10-20")
    back = D("2026-10-15")
    clock = run(received(), supplement_request(asked), Event("supplement_received", back), today=back)
    assert clock.due_on == add_working_days(back, 20)
    assert clock.anchor_on == back and clock.state == "in_progress"
    assert "收到补正 2026-10-15，答复期限重新起算" in clock.explanation_text


def test_supplement_request_after_7_working_days_is_refused():
    too_late = add_working_days(RECEIVED, 8)
    err = refused(received(), supplement_request(too_late, due="2026-11-20"), match="7 个工作日内")
    assert err.index == 1
    assert run(received(), supplement_request(add_working_days(RECEIVED, 7))).status == "paused"


def test_second_supplement_request_is_refused():
    asked = add_working_days(RECEIVED, 2)
    refused(received(), supplement_request(asked), Event("supplement_received", D("2026-10-08")),
            supplement_request(D("2026-10-08"), due="2026-10-30"), match="一次性告知")


def test_supplement_request_must_name_what_and_by_when():
    refused(received(), Event("supplement_requested", D("2026-09-29"), {"items": "年份"}), match="due_on")
    refused(received(), Event("supplement_requested", D("2026-09-29"), {"due_on": "2026-10-20"}), match="items")


def test_supplement_lapse_closes_as_other_processing_only_after_the_period():
    asked = D("2026-09-30")
    refused(received(), supplement_request(asked), Event("supplement_lapsed", D("2026-10-20")), match="尚未届满")
    clock = run(received(), supplement_request(asked), Event("supplement_lapsed", D("2026-10-21")))
    assert clock.state == "closed" and clock.outcome == "other_no_supplement"
    assert clock.concluded_on == D("2026-10-21")


def test_late_supplement_needs_a_reason():
    asked = D("2026-09-30")
    refused(received(), supplement_request(asked), Event("supplement_received", D("2026-10-22")), match="正当理由")
    clock = run(received(), supplement_request(asked),
                Event("supplement_received", D("2026-10-22"), {"late_reason": "邮寄延误"}))
    assert clock.due_on == add_working_days(D("2026-10-22"), 20)


# --- consultation (第三十二条、第三十四条) ----------------------------------------------------------------

def consult(on, party="某某公司", kind="third_party"):
    return Event("consultation_started", on, {"kind": kind, "party": party})


def consult_end(on, response="agreed", party=""):
    return Event("consultation_ended", on, {"response": response, "party": party})


def test_consultation_pauses_the_clock_for_its_working_days():
    start, end = D("2026-10-09"), D("2026-10-23")
    paused = working_days_between(start, end)
    clock = run(received(), consult(start), consult_end(end))
    assert clock.paused_working_days == paused
    assert clock.due_on == add_working_days(RECEIVED, 20 + paused)
    assert f"暂停计时 {paused} 个工作日" in clock.explanation_text
    assert clock.consultations[0].reply_due_on == add_working_days(start, 15)
    assert clock.consultations[0].effect == "第三方同意公开。"


def test_open_consultation_shows_paused_with_a_provisional_due_date():
    start = D("2026-10-09")
    today = D("2026-10-16")
    clock = run(received(), consult(start), today=today)
    assert clock.state == "paused" and clock.pause_reason == "consultation"
    assert clock.due_on == add_working_days(RECEIVED, 20 + working_days_between(start, today))


def test_silence_can_be_recorded_only_after_the_15_working_days():
    start = D("2026-10-09")
    deadline = add_working_days(start, 15)
    refused(received(), consult(start), consult_end(deadline, "silent"), match="尚未届满")
    third = run(received(), consult(start), consult_end(deadline + dt.timedelta(days=1), "silent"))
    assert "由行政机关依照条例的规定决定是否公开" in third.consultations[0].effect
    agency = run(received(), consult(start, "市财政局", "agency"), consult_end(deadline + dt.timedelta(days=1), "silent"))
    assert "视为同意公开" in agency.consultations[0].effect


def test_overlapping_consultations_pause_once_for_their_union():
    a_start, b_start, a_end, b_end = D("2026-10-09"), D("2026-10-12"), D("2026-10-14"), D("2026-10-21")
    clock = run(received(), consult(a_start, "甲公司"), consult(b_start, "乙公司"),
                consult_end(a_end, party="甲公司"), consult_end(b_end, party="乙公司"))
    assert clock.paused_working_days == working_days_between(a_start, b_end)
    assert clock.due_on == add_working_days(RECEIVED, 20 + working_days_between(a_start, b_end))


def test_determination_while_a_consultation_is_open_is_refused():
    refused(received(), consult(D("2026-10-09")), Event("determination", D("2026-10-12"), {"outcome": "disclosed"}),
            match="征求意见尚未结束")


# --- extension (第三十三条) --------------------------------------------------------------------------------

def extension(on, days=20, approver="王主任", notice="auto"):
    fields = {"days": days, "approver": approver}
    if notice:
        fields["notice_sent_on"] = on.isoformat() if notice == "auto" else notice
    return Event("extension", on, fields)


def test_extension_adds_up_to_20_working_days_once():
    on = D("2026-10-20")
    clock = run(received(), extension(on))
    assert clock.due_on == add_working_days(RECEIVED, 40)
    assert "延期 +20 个工作日（批准人：王主任）" in clock.explanation_text
    refused(received(), extension(on), extension(D("2026-10-21"), days=5), match="只能延期一次")


def test_extension_beyond_the_cap_is_refused():
    refused(received(), extension(D("2026-10-20"), days=21), match="最长不得超过 20 个工作日")
    assert run(received(), extension(D("2026-10-20"), days=10)).due_on == add_working_days(RECEIVED, 30)


def test_extension_needs_the_office_heads_approval_and_a_notice():
    refused(received(), extension(D("2026-10-20"), approver=""), match="负责人同意")
    refused(received(), extension(D("2026-10-20"), notice=None), match="告知申请人")


def test_extension_after_the_due_date_is_refused():
    late = add_working_days(RECEIVED, 21)
    refused(received(), extension(late), match="已届满")


def test_extension_notice_dated_after_the_original_period_is_refused():
    """Issue 14 §2.6: the extension must be decided and notified within the period (第三十三条)."""
    due = add_working_days(RECEIVED, 20)
    refused(received(), extension(due, notice=add_working_days(RECEIVED, 21).isoformat()), match="原答复期限")
    assert run(received(), extension(due, notice=due.isoformat())).due_on == add_working_days(RECEIVED, 40)


def test_consultation_pause_and_extension_combine_in_the_explanation():
    start, end = D("2026-10-09"), D("2026-10-23")
    clock = run(received(), consult(start), consult_end(end), extension(D("2026-10-26")))
    paused = working_days_between(start, end)
    assert clock.due_on == add_working_days(RECEIVED, 20 + paused + 20)
    text = clock.explanation_text
    assert text.index("收到申请 2026-09-28") < text.index("征求第三方意见") < text.index("延期 +20")
    assert f"暂停 {paused} 个工作日，延期 20 个工作日 → 答复期限 {clock.due_on}" in text


# --- fees (RULES §2, configurable) ---------------------------------------------------------------------

def fee(on, amount=700, received_on=None):
    return Event("fee_notice", on, {"amount": amount, "basis": "by_volume",
                                    "notice_received_on": (received_on or on).isoformat()})


def test_waiting_for_the_fee_pauses_the_clock():
    notice, paid = D("2026-10-12"), D("2026-10-19")
    clock = run(received(), fee(notice), Event("fee_paid", paid))
    assert clock.due_on == add_working_days(RECEIVED, 20 + working_days_between(notice, paid))
    waiting = run(received(), fee(notice), today=D("2026-10-14"))
    assert waiting.state == "paused" and waiting.pause_reason == "fee"
    assert waiting.fee_payment_due_on == add_working_days(notice, 20)


def test_fee_pause_can_be_switched_off():
    rules = ClockRules(fee_pauses_clock=False)
    clock = run(received(), fee(D("2026-10-12")), Event("fee_paid", D("2026-10-19")), rules_for=lambda code: rules)
    assert clock.due_on == add_working_days(RECEIVED, 20)


def test_payment_period_runs_from_the_day_after_the_notice_is_received():
    clock = run(received(), fee(D("2026-10-12"), received_on=D("2026-10-14")), today=D("2026-10-14"))
    assert clock.fee_payment_due_on == add_working_days(D("2026-10-14"), 20)


def test_fee_lapse_closes_as_other_processing_only_after_the_payment_period():
    notice = D("2026-10-12")
    due = add_working_days(notice, 20)
    refused(received(), fee(notice), Event("fee_lapsed", due), match="尚未届满")
    clock = run(received(), fee(notice), Event("fee_lapsed", due + dt.timedelta(days=1)))
    assert clock.state == "closed" and clock.outcome == "other_unpaid_fee"


# --- transfer -------------------------------------------------------------------------------------------

def test_transfer_applies_the_receiving_organisations_rules():
    rules = {"ORG1": ClockRules(), "ORG2": ClockRules(reply_days=15)}
    transfer = Event("transferred", D("2026-09-29"), {"to_organisation": "ORG2", "reason": "职责调整"})
    clock = run(received(), transfer, rules_for=lambda code: rules[code])
    assert clock.organisation == "ORG2"
    assert clock.due_on == add_working_days(RECEIVED, 15)
    assert "转交 ORG2（职责调整）" in clock.explanation_text


def test_after_a_transfer_the_new_organisation_may_record_its_own_receipt():
    transfer = Event("transferred", D("2026-09-29"), {"to_organisation": "ORG2", "reason": "非本机关职责"})
    refused(received(), received(D("2026-09-29")), match="不能重复记录")
    clock = run(received(), transfer, received(D("2026-09-30")))
    assert clock.due_on == add_working_days(D("2026-09-30"), 20)


def test_transfer_needs_a_reason():
    refused(received(), Event("transferred", D("2026-09-29"), {"to_organisation": "ORG2"}), match="原因")


# --- determination, delivery, reopening --------------------------------------------------------------------

def test_determination_closes_the_case_and_records_timeliness():
    on = add_working_days(RECEIVED, 10)
    clock = run(received(), Event("determination", on, {"outcome": "disclosed"}))
    assert clock.state == "closed" and clock.outcome == "disclosed" and clock.reply_type == "disclosable"
    assert clock.on_time is True and clock.concluded_on == on
    late = run(received(), Event("determination", add_working_days(RECEIVED, 21), {"outcome": "disclosed"}))
    assert late.on_time is False and "（逾期）" in late.explanation_text


def test_reply_on_a_closed_case_is_refused():
    done = Event("determination", D("2026-10-12"), {"outcome": "disclosed"})
    err = refused(received(), done, Event("determination", D("2026-10-13"), {"outcome": "disclosed"}),
                  match="案件已办结")
    assert "重新办理" in err.message
    refused(received(), done, extension(D("2026-10-13")), match="案件已办结")


def test_partial_disclosure_needs_the_reason_of_each_withheld_part():
    refused(received(), Event("determination", D("2026-10-12"), {"outcome": "partial"}), match="withheld_parts")
    refused(received(), Event("determination", D("2026-10-12"), {"outcome": "partial", "withheld_parts": [{"part": "附件2"}]}),
            match="第 1 部分")
    parts = [{"part": "附件2 中的个人信息", "reason_code": "withheld_third_party", "reason": "涉及个人隐私"}]
    assert run(received(), Event("determination", D("2026-10-12"), {"outcome": "partial", "withheld_parts": parts})).outcome == "partial"


def test_withholding_needs_a_reason_and_not_responsible_names_the_agency():
    refused(received(), Event("determination", D("2026-10-12"), {"outcome": "withheld_state_secret"}), match="理由")
    refused(received(), Event("determination", D("2026-10-12"), {"outcome": "unavailable_not_held", "reply_type": "not_responsible"}),
            match="负责公开的机关")
    clock = run(received(), Event("determination", D("2026-10-12"),
                                  {"outcome": "unavailable_not_held", "reply_type": "not_responsible",
                                   "responsible_agency": "市自然资源局"}))
    assert clock.reply_type == "not_responsible"


def test_unknown_outcome_code_is_refused():
    refused(received(), Event("determination", D("2026-10-12"), {"outcome": "granted"}), match="表三")


def test_delivery_archive_and_reopening_after_reconsideration():
    done = Event("determination", D("2026-10-12"), {"outcome": "withheld_process_info", "reason": "过程性信息"})
    refused(received(), Event("delivery", D("2026-10-12"), {"method": "post"}), match="尚未作出答复")
    refused(received(), done, Event("delivery", D("2026-10-13"), {"method": "post"}), match="tracking_no")
    delivered = Event("delivery", D("2026-10-13"), {"method": "post", "tracking_no": "EMS1234"})
    archived = Event("archived", D("2026-10-14"))
    clock = run(received(), done, delivered, archived)
    assert clock.delivered_on == D("2026-10-13") and clock.archived and clock.state == "closed"
    reopened = Event("reopened", D("2026-11-02"), {"reason": "复议决定责令重新答复", "basis": "reconsideration"})
    again = run(received(), done, delivered, archived, reopened)
    assert again.status == "open" and again.outcome == "" and not again.archived
    assert again.due_on == add_working_days(D("2026-11-02"), 20)
    assert run(received(), done, reopened, extension(D("2026-11-03"))).due_on == add_working_days(D("2026-11-02"), 40)


# --- general sequence rules ----------------------------------------------------------------------------

def test_events_before_receipt_are_refused():
    err = refused(Event("submitted", D("2026-09-25")), extension(D("2026-09-26")), match="尚未记录收到申请")
    assert err.index == 1
    refused(Event("determination", D("2026-09-26"), {"outcome": "disclosed"}), match="尚未记录收到申请")


def test_events_out_of_order_or_in_the_future_are_refused():
    refused(received(), consult(D("2026-09-25")), match="早于上一事件")
    refused(received(), consult(D("2026-12-01")), match="晚于今天")


def test_unknown_event_type_is_refused():
    refused(received(), Event("escalated", D("2026-09-29")), match="未知的事件类型")


def test_pending_case_has_no_due_date():
    clock = run(Event("submitted", D("2026-09-25")), channel="online")
    assert clock.state == "pending" and clock.due_on is None


def test_consultation_and_fee_pauses_overlap_without_double_counting():
    start, notice, end, paid = D("2026-10-09"), D("2026-10-12"), D("2026-10-16"), D("2026-10-21")
    clock = run(received(), consult(start), fee(notice), consult_end(end), Event("fee_paid", paid))
    assert clock.paused_working_days == working_days_between(start, paid)
    assert "仍在等待缴费，继续暂停" in clock.explanation_text
