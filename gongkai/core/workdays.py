"""Working-day arithmetic: the single place every deadline in the platform asks.

For now a working day is Monday to Friday. The 调休 calendar (holidays and make-up working days
from the State Council's yearly notice) plugs in here and nowhere else.
"""

from __future__ import annotations

import datetime as dt


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
