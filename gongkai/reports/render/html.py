"""The report as HTML (the portal page and `--format html`)."""

from __future__ import annotations

from django.template.loader import render_to_string

from ..layout import report_blocks


def grid_rows(grid) -> list[list]:
    rows: list[list] = [[] for _ in range(grid.n_rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(cell)
    return rows


def report_html_blocks(data: dict) -> list[tuple[str, object]]:
    return [(kind, grid_rows(content) if kind == "table" else content) for kind, content in report_blocks(data)]


def render_html(data: dict, *, standalone: bool = True) -> str:
    return render_to_string("reports/report.html", {"data": data, "blocks": report_html_blocks(data), "standalone": standalone})
