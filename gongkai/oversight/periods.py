"""Assessment periods: a year (2026), a quarter (2026-Q3) or a month (2026-09), in local time."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        year, _, rest = self.key.partition("-")
        if not rest:
            return f"{year}年"
        if rest.startswith("Q"):
            return f"{year}年第{'一二三四'[int(rest[1]) - 1]}季度"
        return f"{year}年{int(rest)}月"

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        """The last instant of the period: the cut-off of the evidence an assessment counts."""
        return timezone.make_aware(dt.datetime.combine(self.end, dt.time.max))

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def period_parse(key: str) -> Period:
    m = _PERIOD.match((key or "").strip())
    if not m:
        raise ValidationError("考核期格式应为 2026、2026-Q3 或 2026-09。")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    if part.startswith("Q"):
        q = int(part[1])
        first, last = 3 * q - 2, 3 * q
        return Period(f"{year}-{part}", dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]))
    month = int(part)
    if not 1 <= month <= 12:
        raise ValidationError("月份应在 01 至 12 之间。")
    return Period(f"{year}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def period_choices(*, today: dt.date, years: int = 2) -> list[Period]:
    """The last periods a user picks from: years, quarters and months that have begun, newest first."""
    out: list[Period] = []
    for year in range(today.year, today.year - years, -1):
        out.append(period_parse(str(year)))
        out += [period_parse(f"{year}-Q{q}") for q in range(4, 0, -1) if dt.date(year, 3 * q - 2, 1) <= today]
        out += [period_parse(f"{year}-{m:02d}") for m in range(12, 0, -1) if dt.date(year, m, 1) <= today]
    return out
