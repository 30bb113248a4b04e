"""Working-day arithmetic: the single place every deadline in the platform asks.

A working day (工作日) follows the State Council's yearly holiday arrangement: weekdays are working
days unless they fall inside a holiday; weekend days are not, unless they are make-up working days
(调休上班). The arrangement of a year comes from

1. the administrator-maintained calendar in the database (`CalendarYear`/`CalendarDay`, filled from
   the 国办发明电 notice by `gongkai calendar import` or the back office) — a year there overrides
2. the `chinesecalendar` package (covers 2004 to its last published year).

A year in neither raises `CalendarYearMissing` naming the year: never a silent guess. A computation
that only touches known years works even when later years are unknown.

Public interface (callers depend on it):

- `is_working_day(day)`, `add_working_days(start, n)`, `working_days_between(start, end)`;
- `CalendarYearMissing(year)` when a computation needs a year with no data;
- `calendar_version()` names the calendar data used, so a stored deadline can say what it was computed with;
- `day_info(day)`, `known_years()`, `year_summary(year)` for pages that explain a due date.

Speed: each process keeps every year's non-working/make-up days as precomputed per-year tables
(a cumulative count of working days per day of the year), so `add_working_days` and
`working_days_between` cost a few list look-ups, not a loop over days or a query per day. The
database calendar is re-read only when the token of the `CalendarState` row has changed; that token
is read at most once per `settings.CALENDAR_RECHECK_SECONDS` (default 1 s) per process, and a
change made in this process is seen at once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from django.conf import settings

SOURCE_PACKAGE = "package"
SOURCE_DATABASE = "database"


class CalendarYearMissing(Exception):
    """A computation needs a year whose holiday arrangement is not in the calendar."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year} 年的节假日安排尚未录入工作日历，无法计算期限；请管理员先导入 {year} 年的放假通知。")


@dataclass(frozen=True)
class YearCalendar:
    """One year's arrangement, ready for arithmetic."""

    year: int
    holidays: dict[dt.date, str]  # day off (weekend days inside a holiday included) → holiday name
    workdays: dict[dt.date, str]  # make-up working day (调休上班) → the holiday it makes up for
    source: str  # SOURCE_PACKAGE or SOURCE_DATABASE
    notice: str  # e.g. 国办发明电〔2025〕7号, or the package name and version
    revision: int  # 0 for package years
    cumulative: tuple[int, ...]  # cumulative[i] = working days from 1 January to day i (0-based) inclusive

    @property
    def total(self) -> int:
        return self.cumulative[-1]

    def is_working(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def count_through(self, day: dt.date) -> int:
        """Working days from 1 January up to and including `day`."""
        return self.cumulative[day.timetuple().tm_yday - 1]


@dataclass(frozen=True)
class DayInfo:
    """What a day is, for pages that explain how a due date was computed."""

    day: dt.date
    is_working: bool
    kind: str  # "workday", "weekend", "holiday" or "makeup_workday"
    name: str  # holiday name, or "" for an ordinary day


def build_year(
    *, year: int, holidays: dict[dt.date, str], workdays: dict[dt.date, str], source: str, notice: str, revision: int
) -> YearCalendar:
    """Precompute the cumulative working-day table of a year."""
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    running = 0
    cumulative = []
    while day.year == year:
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            running += 1
        cumulative.append(running)
        day += one
    return YearCalendar(
        year=year, holidays=dict(holidays), workdays=dict(workdays), source=source, notice=notice,
        revision=revision, cumulative=tuple(cumulative),
    )


# --- the chinesecalendar package -------------------------------------------------------------------


@cache
def package_version() -> str:
    return metadata.version("chinesecalendar")


@cache
def package_years() -> dict[int, YearCalendar]:
    """Every year the `chinesecalendar` package covers, with Chinese holiday names."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    def chinese(name: str) -> str:
        try:
            return Holiday(name).chinese
        except ValueError:
            return name

    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    notice = f"chinesecalendar {package_version()}"
    years = {}
    for year in range(first, last + 1):
        holidays = {d: chinese(n) for d, n in chinese_calendar.holidays.items() if d.year == year}
        workdays = {d: chinese(n) for d, n in chinese_calendar.workdays.items() if d.year == year}
        years[year] = build_year(
            year=year, holidays=holidays, workdays=workdays, source=SOURCE_PACKAGE, notice=notice, revision=0
        )
    return years


# --- the in-process snapshot of the database calendar ----------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    token: str | None
    years: dict[int, YearCalendar]  # database years only
    version: str


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_checked_at = 0.0


def _current_token() -> str | None:
    from .models import CalendarState

    return CalendarState.objects.values_list("token", flat=True).first()


def _load(token: str | None) -> _Snapshot:
    from .models import CalendarDay, CalendarYear

    rows = {cy.pk: cy for cy in CalendarYear.objects.all()}
    holidays: dict[int, dict[dt.date, str]] = {pk: {} for pk in rows}
    workdays: dict[int, dict[dt.date, str]] = {pk: {} for pk in rows}
    for year_id, date, kind, name in CalendarDay.objects.values_list("calendar_year_id", "date", "kind", "name"):
        target = workdays if kind == CalendarDay.Kind.WORKDAY else holidays
        target[year_id][date] = name
    years = {
        cy.year: build_year(
            year=cy.year, holidays=holidays[pk], workdays=workdays[pk], source=SOURCE_DATABASE, notice=cy.source,
            revision=cy.revision,
        )
        for pk, cy in rows.items()
    }
    version = f"chinesecalendar-{package_version()}"
    if years:
        version += "+db:" + ",".join(f"{y}r{years[y].revision}" for y in sorted(years))
    return _Snapshot(token=token, years=years, version=version)


def _snapshot_now() -> _Snapshot:
    global _snapshot, _checked_at
    snapshot = _snapshot
    now = time.monotonic()
    interval = getattr(settings, "CALENDAR_RECHECK_SECONDS", 1.0)
    if snapshot is not None and now - _checked_at < interval:
        return snapshot
    token = _current_token()
    if snapshot is None or snapshot.token != token:
        snapshot = _load(token)
    with _lock:
        _snapshot = snapshot
        _checked_at = now
    return snapshot


def calendar_cache_clear() -> None:
    """Forget the in-process calendar; the next computation re-reads the database.

    Called by the calendar services after every change (other processes notice the new token).
    """
    global _snapshot, _checked_at
    with _lock:
        _snapshot = None
        _checked_at = 0.0


def _year(snapshot: _Snapshot, year: int) -> YearCalendar:
    found = snapshot.years.get(year) or package_years().get(year)
    if found is None:
        raise CalendarYearMissing(year)
    return found


# --- public interface ------------------------------------------------------------------------------


def calendar_version() -> str:
    """The calendar data in use, e.g. "chinesecalendar-1.11.0+db:2027r2"; store it with each deadline."""
    return _snapshot_now().version


def known_years() -> dict[int, str]:
    """Every year with an arrangement → where it comes from (SOURCE_DATABASE or SOURCE_PACKAGE)."""
    snapshot = _snapshot_now()
    years = dict.fromkeys(package_years(), SOURCE_PACKAGE)
    years.update(dict.fromkeys(snapshot.years, SOURCE_DATABASE))
    return dict(sorted(years.items()))


def year_calendar(year: int) -> YearCalendar:
    """The arrangement used for `year` (database first, then the package); CalendarYearMissing otherwise."""
    return _year(_snapshot_now(), year)


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date too, but would never match the calendar's date keys.
    return day.date() if isinstance(day, dt.datetime) else day


def is_working_day(day: dt.date) -> bool:
    day = _as_date(day)
    return _year(_snapshot_now(), day.year).is_working(day)


def day_info(day: dt.date) -> DayInfo:
    day = _as_date(day)
    cal = _year(_snapshot_now(), day.year)
    if day in cal.workdays:
        return DayInfo(day=day, is_working=True, kind="makeup_workday", name=cal.workdays[day])
    if day in cal.holidays:
        return DayInfo(day=day, is_working=False, kind="holiday", name=cal.holidays[day])
    if day.weekday() >= 5:
        return DayInfo(day=day, is_working=False, kind="weekend", name="")
    return DayInfo(day=day, is_working=True, kind="workday", name="")


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start`; the start day itself is not counted.

    Touches only the years the count passes through: a deadline inside a known year never needs the
    next one.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    start = _as_date(start)
    if n == 0:
        return start
    snapshot = _snapshot_now()
    year = start.year
    # Working days already used up in the start year (up to and including the start day).
    if start.month == 12 and start.day == 31:
        year += 1
        used = 0
    else:
        used = _year(snapshot, year).count_through(start)
    remaining = n
    while True:
        cal = _year(snapshot, year)
        target = used + remaining
        if target <= cal.total:
            index = bisect.bisect_left(cal.cumulative, target)
            return dt.date(year, 1, 1) + dt.timedelta(days=index)
        remaining -= cal.total - used
        year += 1
        used = 0


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    snapshot = _snapshot_now()
    if start.year == end.year:
        cal = _year(snapshot, start.year)
        return cal.count_through(end) - cal.count_through(start)
    count = 0
    if not (start.month == 12 and start.day == 31):
        cal = _year(snapshot, start.year)
        count += cal.total - cal.count_through(start)
    for year in range(start.year + 1, end.year):
        count += _year(snapshot, year).total
    return count + _year(snapshot, end.year).count_through(end)
