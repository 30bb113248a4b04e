"""The report as an XLSX workbook: the three tables with the official merged cells, and the checks."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ..layout import Grid, table2_grid, table3_grid, table4_grid

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _write_grid(ws, grid: Grid, top: int) -> int:
    for cell in grid.cells:
        row, col = top + cell.row, 1 + cell.col
        target = ws.cell(row=row, column=col)
        value = cell.text
        if not cell.header and value.lstrip("-").isdigit():
            target.value = int(value)
        else:
            target.value = value
        target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
        target.font = Font(name="宋体", bold=cell.header, size=10)
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                ws.cell(row=r, column=c).border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
    return top + grid.n_rows


def render_xlsx(data: dict, checks: list[dict] | None = None) -> bytes:
    workbook = Workbook()
    sheets = [("表二 主动公开", table2_grid(data)), ("表三 依申请公开", table3_grid(data)), ("表四 复议诉讼", table4_grid(data))]
    first = True
    for title, grid in sheets:
        ws = workbook.active if first else workbook.create_sheet()
        first = False
        ws.title = title
        ws.cell(row=1, column=1, value=data["title"]).font = Font(name="宋体", bold=True, size=12)
        _write_grid(ws, grid, top=3)
        for i, width in enumerate(grid.widths):
            ws.column_dimensions[chr(ord("A") + i)].width = max(8, width * 10)
    ws = workbook.create_sheet("检查结果")
    ws.append(["规则", "内容", "结果", "说明"])
    for check in checks or []:
        ws.append([check["rule"], check["title"], "通过" if check["passed"] else "未通过", "\n".join(check["details"])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
