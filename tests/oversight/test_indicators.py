"""Each indicator against records built here and numbers computed by hand (docs/oversight.md lists the
formulas). The period is 2026-Q3 (07-01…09-30); "today" is 2026-11-23, so the period is past."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from gongkai.applications.services import application_record_event, remedy_record
from gongkai.compliance.models import Finding
from gongkai.consultations import services as consultation_services
from gongkai.documents import services as document_services
from gongkai.documents.models import Document
from gongkai.interaction.services import mailbox_create, message_act, message_submit
from gongkai.opendata.models import Dataset
from gongkai.oversight import services
from gongkai.oversight.indicators import indicator_value
from gongkai.oversight.periods import period_parse
from tests.applications.conftest import new_case
from tests.consultations.conftest import make_consultation
from tests.documents.factories import published_document

from .conftest import at

Q3 = period_parse("2026-Q3")
Q4 = period_parse("2026-Q4")


def value(code, org, period=Q3):
    return indicator_value(code=code, organisation_ids=[org.pk], period=period)


def failed(v):
    return sorted(i.label for i in v.items if not i.ok)


# --- interpretations ---------------------------------------------------------------------------------------------
def normative(department, editor, title, published, interpreted=None):
    d = published_document(organisation=department, by=editor, title=title, genre="normative", at=published)
    if interpreted is not None:
        interpretation = d.interpretations.get()
        document_services.interpretation_publish(interpretation=interpretation, by=None, at=interpreted)
    return d


@pytest.fixture
def interpreted_documents(department, editor):
    # 09-23 + 3 working days = 09-29 (中秋 9-25…27 off): 09-29 is on time, 09-30 late.
    normative(department, editor, "甲办法", at(2026, 9, 23), at(2026, 9, 29, 16))
    normative(department, editor, "乙办法", at(2026, 9, 23), at(2026, 9, 30, 9))
    # published in Q2, due 07-02: in Q3's timeliness, not in Q3's rate.
    normative(department, editor, "丙办法", at(2026, 6, 29), at(2026, 7, 2))
    # 09-29 + 3 = 10-09 (国庆): due in Q4; not interpreted by 09-30 → missing in Q3's rate.
    normative(department, editor, "丁办法", at(2026, 9, 29), at(2026, 10, 9))
    # Not normative: never counted.
    published_document(organisation=department, by=editor, title="戊通知", genre="notice", at=at(2026, 8, 3))


def test_interpretation_rate_counts_q3_normative_documents_interpreted_by_the_period_end(interpreted_documents, department):
    v = value("interpretation_rate", department)
    assert (v.numerator, v.denominator) == (2, 3)  # 甲 乙 interpreted by 09-30; 丁 interpreted only on 10-09
    assert failed(v) == ["丁办法"]
    assert value("interpretation_rate", department, Q4).denominator == 0  # nothing published in Q4


def test_interpretation_timeliness_uses_working_days_and_deadlines_inside_the_period(interpreted_documents, department):
    v = value("interpretation_timeliness", department)
    assert (v.numerator, v.denominator) == (2, 3)  # 甲 (due 09-29, on 09-29) 丙 (due 07-02) on time; 乙 late
    assert failed(v) == ["乙办法"]
    q4 = value("interpretation_timeliness", department, Q4)
    assert (q4.numerator, q4.denominator) == (1, 1)  # 丁: due 10-09 across 国庆, interpreted 10-09


# --- applications ------------------------------------------------------------------------------------------------
def determine(case, handler, on):
    return application_record_event(application=case, by=handler, type="determination", occurred_on=on,
                                    fields={"outcome": "disclosed"})


@pytest.fixture
def cases(department, handler):
    a = determine(new_case(department, handler, received_on="2026-07-01"), handler, "2026-07-20")  # due 07-29: on time
    b = determine(new_case(department, handler, received_on="2026-07-01"), handler, "2026-08-20")  # late
    c = new_case(department, handler, received_on="2026-08-20")  # due 09-17, open at 09-30: late
    new_case(department, handler, received_on="2026-09-20")  # due 10-23: not yet due in Q3
    e = determine(new_case(department, handler, received_on="2026-09-01"), handler, "2026-10-10")  # due 09-29
    return {"a": a, "b": b, "c": c, "e": e}


def test_applications_on_time_counts_concluded_and_overdue_open_cases(cases, department):
    v = value("applications_on_time", department)
    assert (v.numerator, v.denominator) == (1, 4)
    assert sorted(i.label for i in v.items if i.ok) == [cases["a"].tracking_code]
    assert cases["e"].due_on == dt.date(2026, 9, 29)
    # Q4 is still running (today 11-23): e concluded late (10-10 > 09-29); c (due 09-17) and the case received
    # 09-20 (due 10-23) are open and overdue today.
    q4 = value("applications_on_time", department, Q4)
    assert (q4.numerator, q4.denominator) == (0, 3)


def test_applications_corrected_counts_remedies_decided_corrected_in_the_period(cases, department, handler):
    remedy_record(application=cases["a"], by=handler, kind="reconsideration", filed_on=dt.date(2026, 8, 1),
                  result="corrected", decided_on=dt.date(2026, 9, 10))
    remedy_record(application=cases["b"], by=handler, kind="reconsideration", filed_on=dt.date(2026, 8, 25),
                  result="upheld", decided_on=dt.date(2026, 9, 15))
    remedy_record(application=cases["e"], by=handler, kind="litigation_direct", filed_on=dt.date(2026, 10, 12),
                  result="corrected", decided_on=dt.date(2026, 11, 2))
    assert value("applications_corrected", department).count == 1
    assert value("applications_corrected", department, Q4).count == 1


# --- consultations -----------------------------------------------------------------------------------------------
def test_consultation_feedback_on_time_by_due_date_in_the_period(department, editor):
    on_time = make_consultation(department, editor, title="甲草案", starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 30))
    with time_machine.travel(at(2026, 7, 20), tick=False):
        consultation_services.feedback_publish(consultation=on_time, by=editor, summary="未收到意见。",
                                               today=dt.date(2026, 7, 20))
    make_consultation(department, editor, title="乙草案", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 7, 31))
    late = make_consultation(department, editor, title="丙草案", starts_on=dt.date(2026, 8, 1), ends_on=dt.date(2026, 8, 20))
    with time_machine.travel(at(2026, 10, 8), tick=False):  # due 09-20, published only after the period
        consultation_services.feedback_publish(consultation=late, by=editor, summary="未收到意见。",
                                               today=dt.date(2026, 10, 8))
    v = value("consultation_feedback_on_time", department)
    assert (v.numerator, v.denominator) == (1, 3)  # due 07-30 (on time), 08-31 (missing), 09-20 (late)
    assert failed(v) == ["丙草案", "乙草案"] or failed(v) == ["乙草案", "丙草案"]


# --- messages ----------------------------------------------------------------------------------------------------
def submit(box, when, subject):
    return message_submit(mailbox=box, subject=subject, text="请问今年小学招生的报名时间？", contact={"name": "张三"},
                          consent_publish=True, client_address=f"10.0.0.{ord(subject)}", now=when).message


def reply(m, handler, when):
    m = message_act(message=m, type="accepted", by=handler, at=when - dt.timedelta(hours=1))
    return message_act(message=m, type="replied", by=handler, at=when, text="报名时间为每年6月，请关注教育局通知。")


@pytest.fixture
def messages(department):
    from tests.conftest import make_user

    handler = make_user("box_handler", department, "handler")
    box = mailbox_create(organisation=department, kind="consultation", name="咨询", slug="oversight-zixun")
    reply(submit(box, at(2026, 9, 1), "甲"), handler, at(2026, 9, 7))  # due 09-08: on time
    reply(submit(box, at(2026, 9, 10), "乙"), handler, at(2026, 9, 18))  # due 09-17: late
    submit(box, at(2026, 9, 14), "丙")  # due 09-20 (a working Sunday): unanswered
    submit(box, at(2026, 9, 24), "丁")  # due 10-09: not in Q3
    submit(box, at(2026, 5, 10), "戊")  # unanswered for over 3 months at 09-30
    reply(submit(box, at(2026, 6, 15), "己"), handler, at(2026, 10, 20))  # over 3 months at 09-30 (limit 09-15)
    reply(submit(box, at(2026, 7, 5), "庚"), handler, at(2026, 10, 20))  # limit 10-05: not yet at 09-30
    return box


def test_messages_on_time_by_due_date_including_a_working_sunday(messages, department):
    v = value("messages_on_time", department)
    # 庚 (07-05, due 07-10, answered only 10-20) is late too; 丁 is due in Q4; 戊 and 己 were due in Q2.
    assert (v.numerator, v.denominator) == (1, 4)
    assert [i.label.split()[1] for i in v.items] == ["庚", "甲", "乙", "丙"]


def test_messages_over_three_months_as_it_stood_at_the_period_end(messages, department):
    v = value("messages_over_three_months", department)
    assert sorted(i.label.split()[1] for i in v.items) == ["己", "戊"]
    # Q4 is running: as of today (11-23) 庚 was answered after its 3 months (10-20 > 10-05); 丙 (limit 12-14)
    # and 丁 (12-24) are not over yet.
    q4 = value("messages_over_three_months", department, Q4)
    assert sorted(i.label.split()[1] for i in q4.items) == ["己", "庚", "戊"]


# --- content -----------------------------------------------------------------------------------------------------
def finding(org, doc, text, seen, status="open", resolved=None):
    f = Finding.objects.create(organisation=org, content_type=ContentType.objects.get_for_model(Document),
                               object_id=str(doc.pk), item_title=doc.title, field="body", start=0, end=2, kind="wording",
                               rule="test", text=text, severity="warning", fingerprint=f"{doc.pk}:{text}",
                               last_seen=seen, status=status, resolved_at=resolved)
    Finding.objects.filter(pk=f.pk).update(first_seen=seen)  # first_seen is set on creation: put it in Q3
    return f


def test_findings_fixed_rate_and_days_to_fix(department, editor):
    doc = published_document(organisation=department, by=editor, title="己通知", genre="notice", at=at(2026, 7, 1))
    finding(department, doc, "甲", at(2026, 7, 10), "fixed", at(2026, 7, 14))
    finding(department, doc, "乙", at(2026, 8, 1), "fixed", at(2026, 8, 11))
    finding(department, doc, "丙", at(2026, 9, 1), "fixed", at(2026, 10, 3))  # fixed after the period
    finding(department, doc, "丁", at(2026, 9, 2), "accepted", at(2026, 9, 3))  # no error: not counted
    finding(department, doc, "戊", at(2026, 6, 30))  # seen in Q2
    v = value("findings_fixed", department)
    assert (v.numerator, v.denominator) == (2, 3)
    assert v.extra["mean_days_to_fix"] == 7.0  # (4 + 10) / 2


def test_columns_stale_and_empty_at_the_period_end(department, editor):
    published_document(organisation=department, by=editor, title="庚通知", genre="notice", at=at(2026, 1, 5))
    published_document(organisation=department, by=editor, title="辛办法", genre="normative", at=at(2026, 9, 1))
    v = value("columns_stale", department)
    # 通知公告: last 01-05, 268 days before 09-30 (> 183): stale; 政策文件 fresh; other columns empty.
    assert "通知公告" in [i.label for i in v.items if i.note == "期末不更新"]
    assert "政策文件" not in [i.label for i in v.items]
    # A notice published after the period does not make Q3 fresher.
    published_document(organisation=department, by=editor, title="壬通知", genre="notice", at=at(2026, 10, 8))
    assert value("columns_stale", department).count == v.count


def test_datasets_update_overdue_by_frequency(department):
    common = {"organisation": department, "state": Dataset.State.PUBLISHED, "published_at": at(2026, 1, 10),
              "frequency": Dataset.Frequency.MONTHLY}
    Dataset.objects.create(name="a", title="月度甲", data_updated_on=dt.date(2026, 8, 1), **common)  # 60 days > 31
    Dataset.objects.create(name="b", title="月度乙", data_updated_on=dt.date(2026, 9, 15), **common)
    Dataset.objects.create(name="c", title="年度丙", data_updated_on=dt.date(2026, 1, 2),
                           **{**common, "frequency": Dataset.Frequency.ANNUAL})
    assert failed(value("datasets_update_overdue", department)) == ["月度甲"]


def test_an_indicator_of_an_absent_module_is_unavailable_not_zero(department):
    installed = [c.name for c in apps.get_app_configs() if c.name != "gongkai.opendata"]
    apps.set_available_apps(installed)
    try:
        v = value("datasets_update_overdue", department)
    finally:
        apps.unset_available_apps()
    assert v.available is False and v.display == "不可用" and v.items == []


# --- oversight's own records -------------------------------------------------------------------------------------
def test_rectification_on_time_needs_the_answer_by_the_deadline_and_the_recheck(department, office_admin, editor):
    def item(title, deadline):
        return services.rectification_create(organisation=department, by=office_admin, source="third_party",
                                             title=title, found_on=dt.date(2026, 7, 1), deadline=deadline)

    a = item("甲", dt.date(2026, 7, 15))
    services.rectification_answer(rectification=a, by=editor, answer="已更正", evidence="https://example.gov.cn/a",
                                  on=dt.date(2026, 7, 14))
    services.rectification_recheck(rectification=a, by=office_admin, accept=True, on=dt.date(2026, 7, 20))
    b = item("乙", dt.date(2026, 8, 15))
    services.rectification_answer(rectification=b, by=editor, answer="已更正", evidence="https://example.gov.cn/b",
                                  on=dt.date(2026, 8, 20))
    services.rectification_recheck(rectification=b, by=office_admin, accept=True, on=dt.date(2026, 8, 21))
    c = item("丙", dt.date(2026, 9, 15))
    services.rectification_answer(rectification=c, by=editor, answer="已更正", evidence="https://example.gov.cn/c",
                                  on=dt.date(2026, 9, 10))  # answered in time, not yet re-checked
    item("丁", dt.date(2026, 10, 15))
    v = value("rectification_on_time", department)
    assert (v.numerator, v.denominator) == (1, 3)
    assert failed(v) == ["丙", "乙"] or failed(v) == ["乙", "丙"]


def test_workplan_on_time(department, government, office_admin, editor):
    plan = services.plan_create(organisation=government, year=2026, title="2026年政务公开工作要点", by=office_admin)
    t1 = services.task_create(plan=plan, by=office_admin, number="1", title="甲", lead_unit=department,
                              deadline=dt.date(2026, 8, 31))
    t2 = services.task_create(plan=plan, by=office_admin, number="2", title="乙", lead_unit=department,
                              deadline=dt.date(2026, 9, 30))
    services.task_create(plan=plan, by=office_admin, number="3", title="丙", lead_unit=department,
                         deadline=dt.date(2026, 9, 30))
    services.task_report(task=t1, by=editor, text="已完成", on=dt.date(2026, 8, 28), evidence=["https://example.gov.cn/1"],
                         completes=True)
    services.task_report(task=t2, by=editor, text="已完成", on=dt.date(2026, 10, 9), evidence=["https://example.gov.cn/2"],
                         completes=True)
    v = value("workplan_on_time", department)
    assert (v.numerator, v.denominator) == (1, 3)
