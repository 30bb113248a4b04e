"""Working-day arithmetic on the real calendars, each result cross-checked against `chinese_calendar` itself."""

import datetime as dt

import chinese_calendar
import pytest

from gongkai.core.calendar_format import arrangement_parse
from gongkai.core.calendar_services import calendar_year_import
from gongkai.core.workdays import (
    CalendarYearMissing,
    add_working_days,
    calendar_version,
    day_info,
    is_working_day,
    known_years,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


def reference_add(start: dt.date, n: int) -> dt.date:
    """Day-by-day count with the package alone: the independent answer our tables must match."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def reference_between(start: dt.date, end: dt.date) -> int:
    return sum(
        chinese_calendar.is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )


def year_2027(**changes) -> dict:
    """An invented 2027 arrangement for tests (the real notice is not published yet)."""
    data = {
        "year": 2027,
        "source": "测试用 2027 年安排",
        "holidays": [
            {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
            {"name": "春节", "start": "2027-02-06", "end": "2027-02-14"},
        ],
        "workdays": [{"date": "2027-02-20", "name": "春节"}],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 10, 10), D(2026, 1, 4), D(2026, 9, 20), D(2026, 5, 9)]
)
def test_a_make_up_weekend_day_is_a_working_day(day):
    assert day.weekday() >= 5
    assert is_working_day(day) is True
    assert chinese_calendar.is_workday(day) is True
    assert day_info(day).kind == "makeup_workday"


def test_spring_festival_and_national_day_2026_are_not_working_days():
    for first, last in [(D(2026, 2, 15), D(2026, 2, 23)), (D(2026, 10, 1), D(2026, 10, 7))]:
        day = first
        while day <= last:
            assert is_working_day(day) is False
            assert chinese_calendar.is_workday(day) is False
            day += dt.timedelta(days=1)
    assert day_info(D(2026, 2, 17)).name == "春节"
    assert day_info(D(2026, 10, 5)).name == "国庆节"


def test_counting_across_the_spring_festival_skips_it_and_counts_the_make_up_saturdays():
    # Received Friday 2026-02-13: 2/14 (调休 Saturday) is day 1, 2/15-2/23 are off, 2/28 counts.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 20) == D(2026, 3, 19) == reference_add(D(2026, 2, 13), 20)


def test_counting_across_national_day_2026():
    # Received Tuesday 2026-09-29: 9/30 is day 1, 10/1-10/7 off, 10/8 Thursday day 2, 10/10 Saturday day 4.
    assert add_working_days(D(2026, 9, 29), 2) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 29), 4) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 29), 20) == reference_add(D(2026, 9, 29), 20) == D(2026, 11, 2)


def test_received_on_a_friday_counting_starts_the_next_working_day():
    # Friday 2026-03-06: the weekend is skipped, Monday is day 1.
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 6), 20) == reference_add(D(2026, 3, 6), 20) == D(2026, 4, 3)


def test_received_on_a_holiday_counting_starts_after_the_holiday():
    # Received on 2026-10-03 (inside National Day): the first working day is 10/8.
    assert add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 3), 20) == reference_add(D(2026, 10, 3), 20)


def test_rules_worked_example_received_2025_09_26_twentieth_working_day_is_2025_10_30():
    assert add_working_days(D(2025, 9, 26), 20) == D(2025, 10, 30) == reference_add(D(2025, 9, 26), 20)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 30)) == 20


def test_a_datetime_is_treated_as_its_date():
    assert is_working_day(dt.datetime(2026, 2, 14, 9, 30)) is True
    assert add_working_days(dt.datetime(2026, 2, 13, 17, 0), 1) == D(2026, 2, 14)
    assert working_days_between(dt.datetime(2026, 2, 13, 8), D(2026, 2, 24)) == 2


def test_zero_days_is_the_start_day_and_negative_is_refused():
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 10, 3), -1)


def test_add_and_between_agree_with_the_package_over_every_covered_year(settings):
    settings.CALENDAR_RECHECK_SECONDS = 60  # nothing changes during the loop
    # Start days spread over 2004-2026 (every 11th day), counts of 0-60: our tables against a day-by-day count.
    start = D(2004, 1, 1)
    checked = 0
    while start < D(2026, 10, 1):
        n = start.toordinal() % 61
        due = add_working_days(start, n)
        assert due == reference_add(start, n), (start, n)
        assert working_days_between(start, due) == n
        checked += 1
        start += dt.timedelta(days=11)
    assert checked > 700


def test_between_is_the_inverse_of_add_for_every_day_of_2025_and_2026(settings):
    settings.CALENDAR_RECHECK_SECONDS = 60
    day = D(2025, 1, 1)
    while day < D(2026, 11, 1):
        for n in (1, 3, 7, 15, 20, 40):
            assert working_days_between(day, add_working_days(day, n)) == n
        day += dt.timedelta(days=1)


def test_between_counts_after_the_start_up_to_and_including_the_end_and_is_antisymmetric():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 14)) == 1
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 14)) == 0
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 13)) == -1
    assert working_days_between(D(2004, 1, 1), D(2026, 12, 31)) == reference_between(D(2004, 1, 1), D(2026, 12, 31))
    assert working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == reference_between(D(2025, 12, 31), D(2026, 1, 5)) == 2


def test_year_boundary_needs_2027_and_is_refused_naming_the_year():
    # Received 2026-12-10: 2026 has 15 working days left, so the 20th working day lies in 2027.
    assert add_working_days(D(2026, 12, 10), 15) == D(2026, 12, 31)
    with pytest.raises(CalendarYearMissing) as excinfo:
        add_working_days(D(2026, 12, 10), 20)
    assert excinfo.value.year == 2027
    assert "2027 年" in str(excinfo.value)
    with pytest.raises(CalendarYearMissing, match="2027"):
        working_days_between(D(2026, 12, 10), D(2027, 1, 8))
    with pytest.raises(CalendarYearMissing, match="2027"):
        is_working_day(D(2027, 1, 4))
    # No silent weekends-only guess before the package's first year either.
    with pytest.raises(CalendarYearMissing, match="2003"):
        is_working_day(D(2003, 6, 2))


def test_after_importing_2027_the_year_boundary_deadline_is_computed():
    calendar_year_import(arrangement=arrangement_parse(year_2027()))
    # 2026-12-11..31 gives 15; 2027-01-01..03 off; 1/4 Monday is 16th … 1/8 Friday is 20th.
    assert add_working_days(D(2026, 12, 10), 20) == D(2027, 1, 8)
    assert working_days_between(D(2026, 12, 10), D(2027, 1, 8)) == 20
    assert is_working_day(D(2027, 2, 20)) is True  # make-up Saturday
    assert is_working_day(D(2027, 2, 8)) is False  # inside 春节
    assert known_years()[2027] == "database"


def test_a_database_year_overrides_the_package_for_that_year_only():
    before = calendar_version()
    # A correction: suppose 2026-03-02 (Monday) were declared a day off.
    data = {
        "year": 2026,
        "source": "更正测试",
        "holidays": [{"name": "测试假日", "start": "2026-03-02", "end": "2026-03-02"}],
        "workdays": [],
    }
    calendar_year_import(arrangement=arrangement_parse(data))
    assert is_working_day(D(2026, 3, 2)) is False
    assert chinese_calendar.is_workday(D(2026, 3, 2)) is True
    # The package's 2026 arrangement no longer applies: 2/14 is an ordinary Saturday now.
    assert is_working_day(D(2026, 2, 14)) is False
    # Other years still come from the package.
    assert is_working_day(D(2025, 10, 11)) is chinese_calendar.is_workday(D(2025, 10, 11)) is True
    assert calendar_version() != before
    assert calendar_version().endswith("+db:2026r1")


def test_a_computation_inside_known_years_works_while_later_years_are_unknown():
    assert add_working_days(D(2026, 12, 1), 5) == D(2026, 12, 8)
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == reference_between(D(2026, 1, 1), D(2026, 12, 31))


def test_calendar_version_names_the_package_and_each_database_year_revision():
    assert calendar_version() == f"chinesecalendar-{chinese_calendar.__version__}"
    calendar_year_import(arrangement=arrangement_parse(year_2027()))
    assert calendar_version() == f"chinesecalendar-{chinese_calendar.__version__}+db:2027r1"
    calendar_year_import(arrangement=arrangement_parse(year_2027(workdays=[])))
    assert calendar_version() == f"chinesecalendar-{chinese_calendar.__version__}+db:2027r2"


def test_cached_calendar_answers_hundreds_of_deadlines_without_queries(settings, django_assert_num_queries):
    settings.CALENDAR_RECHECK_SECONDS = 60
    calendar_year_import(arrangement=arrangement_parse(year_2027()))
    add_working_days(D(2026, 12, 10), 20)  # loads the calendar once
    with django_assert_num_queries(0):
        for i in range(500):
            start = D(2026, 1, 1) + dt.timedelta(days=i % 700)
            add_working_days(start, 20)
            working_days_between(start, start + dt.timedelta(days=30))
        calendar_version()


def test_another_process_change_is_seen_after_the_recheck_interval(settings, django_assert_num_queries):
    # Another process changes the calendar: here we change the token row directly, as its commit would.
    from gongkai.core.models import CalendarState

    settings.CALENDAR_RECHECK_SECONDS = 0
    assert calendar_version() == f"chinesecalendar-{chinese_calendar.__version__}"
    with django_assert_num_queries(1):  # only the token check: nothing changed
        is_working_day(D(2026, 2, 14))
    calendar_year_import(arrangement=arrangement_parse(year_2027()))
    CalendarState.objects.filter(pk=1).update(token="changed-elsewhere")
    with django_assert_num_queries(3):  # token, years, days
        assert is_working_day(D(2027, 1, 4)) is True
