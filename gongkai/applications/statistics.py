"""Statistics of disclosure applications for the staff dashboard, with charts drawn by the platform.

Figures (over the cases received in the period): requests per month, per organisation, per
applicant kind and per result group (the applications carry no topic classification, so "per topic"
is the Table 三 result group until intake records one); the share of replies given on time; the
median number of working days from receipt to reply (calendar-aware, pauses included, as the
applicant experiences it).

Charts are plain SVG built here (no scripts, no CDN); every label is escaped, and each chart comes with
the same figures as a table for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from statistics import median

from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.core import workdays

from .models import Application
from .outcomes import APPLICANT_KINDS, OUTCOMES


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    received: int
    per_month: list[tuple[str, int]]
    per_organisation: list[tuple[str, int]]
    per_applicant_kind: list[tuple[str, int]]
    per_result: list[tuple[str, int]]
    concluded: int
    on_time: int
    on_time_share: float | None
    median_working_days: float | None


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def application_statistics(*, organisation_ids: list[int], start: dt.date, end: dt.date) -> Statistics:
    """The dashboard's figures for the cases of `organisation_ids` received between `start` and `end`."""
    cases = Application.objects.filter(organisation_id__in=organisation_ids, received_on__range=(start, end))
    by_month = Counter(f"{d:%Y-%m}" for d in cases.values_list("received_on", flat=True))
    per_org = [(row["organisation__name"], row["n"]) for row in
               cases.values("organisation__name").annotate(n=Count("id")).order_by("-n", "organisation__name")]
    kinds = Counter(cases.values_list("applicant_kind", flat=True))
    results = Counter(OUTCOMES[o].group_label.split("）", 1)[-1].split("（")[0]
                      for o in cases.exclude(outcome="").values_list("outcome", flat=True))
    concluded = list(cases.filter(concluded_on__isnull=False).values_list("received_on", "concluded_on", "on_time"))
    timed = [c for c in concluded if c[2] is not None]
    on_time = sum(1 for c in timed if c[2])
    days = []
    for received_on, concluded_on, _ in concluded:
        try:
            days.append(workdays.working_days_between(received_on, concluded_on))
        except workdays.CalendarYearMissing:
            continue
    return Statistics(
        start=start, end=end, received=cases.count(),
        per_month=[(m, by_month.get(m, 0)) for m in _months(start, end)],
        per_organisation=per_org,
        per_applicant_kind=[(APPLICANT_KINDS[k], kinds[k]) for k in APPLICANT_KINDS if kinds.get(k)],
        per_result=sorted(results.items(), key=lambda kv: -kv[1]),
        concluded=len(concluded), on_time=on_time,
        on_time_share=round(on_time / len(timed), 3) if timed else None,
        median_working_days=float(median(days)) if days else None,
    )


# --- SVG charts --------------------------------------------------------------------------------------------

FONT = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\""


def column_chart_svg(*, title: str, items: list[tuple[str, int]], width: int = 640, height: int = 240) -> SafeString:
    """Vertical bars, e.g. requests per month. Labels are escaped; the result is safe to embed."""
    top, bottom, left, right = 28, 40, 36, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for _, v in items] + [1])
    step = plot_w / max(len(items), 1)
    bar = max(step * 0.7, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" {FONT} font-size="11">',
             f"<title>{escape(title)}</title>",
             f'<text x="{left}" y="16" font-size="13" fill="#222">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#888"/>']
    for n, (label, value) in enumerate(items):
        h = plot_h * value / peak
        x = left + n * step + (step - bar) / 2
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#b3261e">'
                     f"<title>{escape(label)}：{value}</title></rect>")
        if value:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="#222">{value}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" fill="#444">'
                     f"{escape(label[-5:] if len(items) > 6 else label)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above


def bar_chart_svg(*, title: str, items: list[tuple[str, int]], width: int = 640) -> SafeString:
    """Horizontal bars with long labels, e.g. requests per organisation."""
    row, top, label_w, right = 22, 28, 200, 40
    height = top + row * max(len(items), 1) + 8
    peak = max([v for _, v in items] + [1])
    plot_w = width - label_w - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" {FONT} font-size="12">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" font-size="13" fill="#222">{escape(title)}</text>']
    for n, (label, value) in enumerate(items):
        y = top + n * row
        w = plot_w * value / peak
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" fill="#444">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="#1f5fa8">'
                     f"<title>{escape(label)}：{value}</title></rect>")
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" fill="#222">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above
