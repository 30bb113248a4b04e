"""Working-day arithmetic: the single place every deadline in the platform asks.

For now a working day is Monday to Friday. The 调休 calendar (holidays and make-up working days
from the State Council's yearly notice) plugs in here and nowhere else; it keeps this interface:

- `is_working_day(day)`, `add_working_days(start, n)`, `working_days_between(start, end)`;
- `CalendarYearMissing` is raised (naming the year) when a computation needs a year with no data;
- `calendar_version()` names the calendar data used, so a stored deadline can say what it was computed with.
"""

from __future__ import annotations

import datetime as dt


class CalendarYearMissing(Exception):
    """A computation needs a year whose holiday arrangement is not in the calendar."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year} 年的节假日安排尚未录入工作日历，无法计算期限；请管理员先导入 {year} 年的放假通知。")


def calendar_version() -> str:
    return "weekdays-only"


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start`; the start day itself is not counted."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
