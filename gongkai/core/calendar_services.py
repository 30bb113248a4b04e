"""Writes of the working-day calendar: import a year's arrangement, record back-office edits, delete a year.

Every change bumps the year's `revision` and the `CalendarState` token (so every process reloads
its in-memory calendar) and goes to the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import workdays
from .calendar_format import Arrangement, weekday_name
from .models import CalendarDay, CalendarState, CalendarYear, User
from .services import audit_record


@dataclass(frozen=True)
class ImportResult:
    calendar_year: CalendarYear
    created: bool
    changed: bool


def _state_touch() -> None:
    token = uuid.uuid4().hex
    now = timezone.now()
    if not CalendarState.objects.filter(pk=1).update(token=token, changed_at=now):
        CalendarState.objects.update_or_create(pk=1, defaults={"token": token, "changed_at": now})
    workdays.calendar_cache_clear()
    # The snapshot may be re-read before this transaction commits (with its uncommitted data);
    # clearing again afterwards makes this process reload what was actually committed.
    transaction.on_commit(workdays.calendar_cache_clear)


def calendar_year_days(*, calendar_year: CalendarYear) -> dict[str, list]:
    """A year's days as plain data (for the audit log and for comparing imports)."""
    days = calendar_year.days.order_by("date").values_list("date", "kind", "name")
    return {
        "holidays": [[d.isoformat(), n] for d, k, n in days if k == CalendarDay.Kind.HOLIDAY],
        "workdays": [[d.isoformat(), n] for d, k, n in days if k == CalendarDay.Kind.WORKDAY],
    }


def _arrangement_days(arrangement: Arrangement) -> dict[str, list]:
    return {
        "holidays": [[d.isoformat(), n] for d, n in sorted(arrangement.holiday_days().items())],
        "workdays": [[d.isoformat(), n] for d, n in arrangement.workdays.items()],
    }


def _year_state(calendar_year: CalendarYear) -> dict:
    return {
        "year": calendar_year.year, "source": calendar_year.source, "title": calendar_year.title, "note": calendar_year.note,
        **calendar_year_days(calendar_year=calendar_year),
    }


@transaction.atomic
def calendar_year_import(*, arrangement: Arrangement, by: User | None = None) -> ImportResult:
    """Store a year's arrangement, replacing that year's days; a no-op when nothing changed."""
    calendar_year, created = CalendarYear.objects.get_or_create(
        year=arrangement.year, defaults={"source": arrangement.source}
    )
    # Two imports of one year at once: the second waits here and then compares with the first's result.
    calendar_year = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    wanted = {
        "year": arrangement.year, "source": arrangement.source, "title": arrangement.title, "note": arrangement.note,
        **_arrangement_days(arrangement),
    }
    before = None if created else _year_state(calendar_year)
    if before == wanted:
        return ImportResult(calendar_year=calendar_year, created=False, changed=False)
    calendar_year.source = arrangement.source
    calendar_year.title = arrangement.title
    calendar_year.note = arrangement.note
    calendar_year.save(update_fields=["source", "title", "note"])
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar_year=calendar_year, date=d, kind=CalendarDay.Kind.HOLIDAY, name=n)
         for d, n in sorted(arrangement.holiday_days().items())]
        + [CalendarDay(calendar_year=calendar_year, date=d, kind=CalendarDay.Kind.WORKDAY, name=n)
           for d, n in arrangement.workdays.items()]
    )
    _revision_bump(calendar_year=calendar_year, by=by)
    audit_record(
        actor=by, action="calendar.import", obj=calendar_year, before=before, after=wanted,
        note=f"导入 {arrangement.year} 年节假日安排（{arrangement.source}）",
    )
    return ImportResult(calendar_year=calendar_year, created=created, changed=True)


def _revision_bump(*, calendar_year: CalendarYear, by: User | None) -> None:
    calendar_year.revision += 1
    calendar_year.entered_by = by if by is not None and by.is_authenticated else None
    calendar_year.entered_at = timezone.now()
    calendar_year.save(update_fields=["revision", "entered_by", "entered_at"])
    _state_touch()


def calendar_days_validate(*, year: int, days: list[tuple[dt.date, str]]) -> list[str]:
    """Problems with a year's days entered by hand (date, kind); the same rules as the file format."""
    problems = []
    seen: set[dt.date] = set()
    for day, kind in days:
        if day.year != year:
            problems.append(f"{day} 不在 {year} 年内")
        if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            problems.append(f"{day} 是{weekday_name(day)}，调休上班日必须是周六或周日")
        if day in seen:
            problems.append(f"{day} 重复列出（不能既放假又调休上班）")
        seen.add(day)
    return problems


@transaction.atomic
def calendar_year_changed(*, calendar_year: CalendarYear, by: User | None, before: dict | None) -> None:
    """Record an edit made in the back office (after the year and its days were saved)."""
    problems = calendar_days_validate(
        year=calendar_year.year, days=list(calendar_year.days.values_list("date", "kind"))
    )
    if problems:
        raise ValidationError(problems)
    after = _year_state(calendar_year)
    if after == before:
        return
    _revision_bump(calendar_year=calendar_year, by=by)
    audit_record(
        actor=by, action="calendar.edit" if before is not None else "calendar.create", obj=calendar_year,
        before=before, after=after,
    )


@transaction.atomic
def calendar_year_delete(*, calendar_year: CalendarYear, by: User | None) -> None:
    """Remove a year from the database calendar (the package, if it covers the year, applies again)."""
    before = _year_state(calendar_year)
    audit_record(actor=by, action="calendar.delete", obj=calendar_year, before=before)
    calendar_year.delete()
    _state_touch()


def calendar_year_state(*, calendar_year: CalendarYear) -> dict:
    """Source, note and days of a stored year (what the audit log records as before/after)."""
    return _year_state(calendar_year)
