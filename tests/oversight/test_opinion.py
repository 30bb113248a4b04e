"""Public-opinion clocks (RULES §8, seed 001 (八)): 3 h target, 5 h at the latest, press conference within
24 h for 特别重大; press-conference plans 3 / 5 working days ahead (seed 001 (九)); alerts by the task queue."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEvent
from gongkai.core.services import organisation_create
from gongkai.oversight import services, tasks
from gongkai.oversight.clocks import incident_clocks, press_plan_due_on, press_plan_on_time
from gongkai.oversight.indicators import indicator_value
from gongkai.oversight.models import OpinionClock, PressConference
from gongkai.oversight.periods import period_parse

from .conftest import at


def incident(org, by, level="very_major", seen=None):
    return services.incident_create(organisation=org, by=by, title="某小区供水中断引发关注", source="微博", level=level,
                                    first_seen_at=seen or at(2026, 11, 20, 22, 30))


def info(i, by, when):
    return services.incident_act(incident=i, by=by, kind="info", at=when, text="发布情况通报",
                                 url="https://example.gov.cn/tongbao")


def test_clocks_of_a_very_major_incident_seen_late_at_night(department, editor):
    i = incident(department, editor)  # 22:30: the 3 h clock ends 01:30, 5 h at 03:30, press by 22:30 next day
    info(i, editor, at(2026, 11, 21, 2, 45))
    clocks = {c.key: c for c in incident_clocks(incident=i, now=at(2026, 11, 21, 12))}
    assert clocks["info"].due_at == at(2026, 11, 21, 1, 30) and clocks["info"].latest_at == at(2026, 11, 21, 3, 30)
    assert clocks["info"].state == "met_late"  # after 3 h, within 5 h
    assert clocks["press"].state == "running"
    clocks = {c.key: c for c in incident_clocks(incident=i, now=at(2026, 11, 21, 22, 31))}
    assert clocks["press"].state == "missed"


def test_info_after_five_hours_is_missed_and_levels_have_their_own_clocks(department, editor):
    i = incident(department, editor, level="major")
    info(i, editor, at(2026, 11, 21, 3, 31))
    assert [c.state for c in incident_clocks(incident=i, now=at(2026, 11, 22))] == ["missed"]  # no press clock
    OpinionClock.objects.filter(level="major").update(info_latest_hours=6)  # a local rule, as data
    assert [c.state for c in incident_clocks(incident=i, now=at(2026, 11, 22))] == ["met_late"]


def test_an_information_release_needs_its_link_and_cannot_predate_the_incident(department, editor):
    i = incident(department, editor)
    with pytest.raises(ValidationError):
        services.incident_act(incident=i, by=editor, kind="info", at=at(2026, 11, 21), text="通报")
    with pytest.raises(ValidationError):
        info(i, editor, at(2026, 11, 20, 20))


def test_opinion_indicator_counts_incidents_whose_clocks_were_kept(department, editor):
    kept = incident(department, editor, seen=at(2026, 8, 3, 9))
    info(kept, editor, at(2026, 8, 3, 11))
    services.incident_act(incident=kept, by=editor, kind="press", at=at(2026, 8, 4, 8), text="新闻发布会")
    late = incident(department, editor, level="major", seen=at(2026, 9, 1, 9))
    info(late, editor, at(2026, 9, 1, 16))
    v = indicator_value(code="opinion_response_on_time", organisation_ids=[department.pk], period=period_parse("2026-Q3"))
    assert (v.numerator, v.denominator) == (1, 2)


def test_missed_clock_alerts_the_office_once_through_the_task_queue(department, government, editor, office_admin):
    office_admin.email = "office@example.gov.cn"
    office_admin.save()
    i = incident(department, editor, seen=at(2026, 11, 23, 2))  # 5 h passed at 07:00; "now" is 10:00
    mail.outbox.clear()
    tasks.check_opinion_clocks.call_local()
    tasks.check_opinion_clocks.call_local()
    assert len(mail.outbox) == 1 and "舆情回应超时" in mail.outbox[0].subject
    assert "office@example.gov.cn" in mail.outbox[0].to
    i.refresh_from_db()
    assert i.alerts_sent == ["info:missed"]
    assert AuditEvent.objects.filter(action="oversight.incident.alert", object_id=str(i.pk)).count() == 1


def test_press_plan_lead_time_three_working_days_for_a_government_five_for_a_department(government, department,
                                                                                         office_admin):
    gov = services.conference_plan(organisation=government, by=office_admin, topic="2026年民生实事进展", speakers="副市长",
                                   held_on=dt.date(2026, 10, 12), plan_filed_on=dt.date(2026, 9, 29))
    # 10-12 (Monday) minus 3 working days across 国庆 (10-1…7 off, Saturday 10-10 worked): 10-08.
    assert press_plan_due_on(gov) == dt.date(2026, 10, 8) and press_plan_on_time(gov) is True
    dep = services.conference_plan(organisation=department, by=office_admin, topic="秋季招生政策", speakers="局长",
                                   held_on=dt.date(2026, 10, 12), plan_filed_on=dt.date(2026, 9, 30))
    # 5 working days: 10-12 ← 10-10 (Sat, worked), 10-9, 10-8, 9-30 → filed on 9-29 at the latest.
    assert press_plan_due_on(dep) == dt.date(2026, 9, 29) and press_plan_on_time(dep) is False
    services.conference_transcript(conference=dep, by=office_admin, url="https://example.gov.cn/shilu")
    assert PressConference.objects.get(pk=dep.pk).transcript_url


def test_an_office_of_another_government_may_not_log_an_incident_here(department):
    other = organisation_create(name="邻县人民政府", code="OTHER0001", kind="government")
    from tests.conftest import make_user

    stranger = make_user("stranger", other, "office_admin")
    with time_machine.travel(at(2026, 11, 23, 11), tick=False), pytest.raises(Exception, match="工作人员"):
        incident(department, stranger)
