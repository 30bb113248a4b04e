"""Deadlines on the real 调休 calendar, each cross-checked against `chinese_calendar` directly."""

import datetime as dt

import chinese_calendar
import pytest

from gongkai.applications.clock import Event, derive
from gongkai.core.calendar_format import arrangement_parse
from gongkai.core.calendar_services import calendar_year_import

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def package_add(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start`, counted with chinese_calendar alone."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def due(received_on, *, channel="in_person", extra=(), submitted=None, today=None):
    events = [Event("submitted", submitted)] if submitted else []
    fields = {"confirmed_on": received_on.isoformat()} if channel in ("online", "fax") else {}
    events.append(Event("received", received_on, fields))
    events += list(extra)
    return derive(events, channel=channel, organisation="ORG", today=today or received_on, rules_for=None,
                  imported=False)


def test_rules_worked_example_received_26_september_2025_is_due_30_october():
    clock = due(D("2025-09-26"))
    assert clock.due_on == D("2025-10-30") == package_add(D("2025-09-26"), 20)


def test_spring_festival_make_up_saturdays_count_as_working_days():
    received = D("2026-02-13")  # Friday; 2/14 and 2/28 are 调休 Saturdays, 2/15-2/23 the holiday
    assert chinese_calendar.is_workday(D("2026-02-14")) and chinese_calendar.is_workday(D("2026-02-28"))
    clock = due(received)
    # 2/14 (1), 2/24-2/28 (2-6), 3/2-3/6 (7-11), 3/9-3/13 (12-16), 3/16-3/19 (17-20).
    assert clock.due_on == package_add(received, 20) == D("2026-03-19")


def test_national_day_holiday_is_skipped_and_the_10_october_saturday_counts():
    clock = due(D("2026-09-28"))
    assert clock.due_on == package_add(D("2026-09-28"), 20) == D("2026-10-30")


def test_online_application_confirmed_on_a_holiday_runs_from_that_confirmation():
    clock = due(D("2026-10-03"), channel="online", submitted=D("2026-10-02"))
    assert clock.due_on == package_add(D("2026-10-03"), 20) == D("2026-11-03")


def test_supplement_notice_deadline_skips_the_holiday():
    clock = due(D("2026-09-30"))
    # 7 working days after 9/30: 10/8, 10/9, 10/10 (Saturday, works), 10/12, 10/13, 10/14, 10/15.
    assert clock.supplement_notice_deadline == package_add(D("2026-09-30"), 7) == D("2026-10-15")


def test_a_due_date_in_2027_is_refused_until_2027_is_entered_then_computed():
    received = D("2026-12-15")
    clock = due(received)
    assert clock.due_on is None
    assert "2027" in clock.problem
    calendar_year_import(arrangement=arrangement_parse({
        "year": 2027,
        "source": "测试用安排",
        "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
        "workdays": [{"date": "2027-01-09", "name": "元旦"}],
    }))
    clock = due(received)
    # 12/16-12/31: 12 working days; then 1/4-1/8 (5) and 1/9, the make-up Saturday, is the 18th; 1/11, 1/12.
    assert clock.due_on == D("2027-01-12")
    assert "2027r1" in clock.calendar_version
