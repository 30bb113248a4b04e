"""Reminders through the task layer, with frozen time; follow-up visits."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from gongkai.applications import reminders, tasks
from gongkai.applications.letter_models import ReminderSent
from gongkai.applications.services import application_record_event

from .conftest import APPLICANT, new_case

CST = dt.timezone(dt.timedelta(hours=8))


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day + "T08:30:00").replace(tzinfo=CST), tick=False)


@pytest.fixture
def assigned(department, handler, office_admin):
    handler.email, office_admin.email = "handler@example.gov.cn", "office@example.gov.cn"
    handler.save()
    office_admin.save()
    case = new_case(department, handler, received_on="2026-11-02")
    case = application_record_event(application=case, by=handler, type="assigned", occurred_on="2026-11-02",
                                    fields={"assignee": handler.pk})
    assert case.due_on == dt.date(2026, 11, 30)  # 20 working days after 2026-11-02
    return case


def run(day: str) -> list:
    mail.outbox.clear()
    with at(day):
        tasks.send_application_reminders()
    return list(mail.outbox)


def test_assignee_is_reminded_5_and_1_working_days_before_once_each(assigned):
    assert run("2026-11-20") == []  # 6 working days left
    sent = run("2026-11-23")  # 5 left
    assert [m.to for m in sent] == [["handler@example.gov.cn"]]
    assert "2026年11月30日到期（剩余 5 个工作日）" in sent[0].subject
    assert run("2026-11-23") == [] and run("2026-11-24") == []  # no duplicates on the next runs
    sent = run("2026-11-27")  # 1 left
    assert len(sent) == 1 and "剩余 1 个工作日" in sent[0].subject
    assert run("2026-11-28") == []  # Saturday: still 1 left, already sent


def test_office_is_told_once_when_a_case_becomes_overdue(assigned):
    run("2026-11-23")
    sent = run("2026-12-01")
    assert len(sent) == 1 and sorted(sent[0].to) == ["handler@example.gov.cn", "office@example.gov.cn"]
    assert "已超过答复期限" in sent[0].subject
    assert run("2026-12-02") == []
    assert ReminderSent.objects.filter(kind="overdue").count() == 1


def test_an_extension_starts_the_reminders_afresh(assigned, handler, office_admin):
    run("2026-11-23")
    with at("2026-11-24"):
        application_record_event(application=assigned, by=handler, type="extension",
                                 fields={"days": 5, "approver_id": office_admin.pk, "notice_sent_on": "2026-11-24"})
    sent = run("2026-12-01")  # new due date 2026-12-07: 4 working days left
    assert len(sent) == 1 and "2026年12月7日到期" in sent[0].subject


def test_late_consultation_reply_is_reported_once(assigned, handler):
    with at("2026-11-03"):
        application_record_event(application=assigned, by=handler, type="consultation_started",
                                 fields={"kind": "third_party", "party": "测试建设有限公司"})
    assert run("2026-11-24") == []  # 15 working days: reply due 2026-11-24
    sent = run("2026-11-25")
    assert len(sent) == 1 and "征求意见逾期未复" in sent[0].subject and "测试建设有限公司" in sent[0].body
    assert run("2026-11-26") == []


def test_reminders_carry_no_personal_data(assigned):
    sent = run("2026-11-23") + run("2026-12-01")
    assert sent
    for message in sent:
        for value in [*APPLICANT.values(), assigned.description]:
            assert value not in message.subject + message.body


def test_unassigned_cases_remind_the_office(department, handler, office_admin):
    office_admin.email = "office@example.gov.cn"
    office_admin.save()
    department.disclosure_office_email = "gkb@example.gov.cn"
    department.save()
    new_case(department, handler, received_on="2026-11-02")
    sent = run("2026-11-23")
    assert sent[0].to == ["gkb@example.gov.cn", "office@example.gov.cn"]


def test_follow_up_after_the_reply(case, handler):
    with pytest.raises(ValidationError, match="答复后方可回访"):
        reminders.follow_up_record(application=case, by=handler, visited_on=dt.date(2026, 11, 20), method="phone",
                                   result="satisfied")
    case = application_record_event(application=case, by=handler, type="determination", occurred_on="2026-10-20",
                                    fields={"outcome": "disclosed"})
    visit = reminders.follow_up_record(application=case, by=handler, visited_on=dt.date(2026, 11, 20),
                                       method="phone", result="basically_satisfied", note="申请人表示已收到")
    assert visit.get_result_display() == "基本满意"
    assert list(reminders.follow_ups_for(application=case)) == [visit]


def test_reminders_run_as_a_periodic_task_of_the_task_layer():
    from huey.contrib.djhuey import HUEY

    assert "send_application_reminders" in [t.name for t in HUEY._registry.periodic_tasks]
