"""Dates as Chinese official writing shows them."""

from __future__ import annotations

import datetime as dt


def date_cn(day: dt.date | str | None) -> str:
    """A date in full, without leading zeros: 2026年1月5日 (GB/T 9704-2012 §7.3.5.3)."""
    if not day:
        return "【日期】"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"
