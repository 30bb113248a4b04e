"""The official table layouts as grids of (possibly merged) cells, shared by HTML, XLSX, DOCX and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from .format import APPLICANT_COLUMNS, REMEDY_RESULTS

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    align: str = "center"


@dataclass
class Grid:
    n_cols: int
    widths: list[float]  # relative column widths
    cells: list[Cell] = field(default_factory=list)
    n_rows: int = 0

    def add(self, row: int, col: int, text, *, rowspan: int = 1, colspan: int = 1, header: bool = False,
            align: str = "center") -> None:
        self.cells.append(Cell(row, col, "" if text is None else str(text), rowspan, colspan, header, align))
        self.n_rows = max(self.n_rows, row + rowspan)


def table2_grid(data: dict) -> Grid:
    t2 = data["table2"]
    grid = Grid(n_cols=4, widths=[3, 2, 2, 2])
    r = 0
    grid.add(r, 0, t2["item1"]["group"], colspan=4, header=True)
    r += 1
    grid.add(r, 0, "信息内容", header=True)
    for i, label in enumerate(t2["item1"]["columns"]):
        grid.add(r, 1 + i, label, header=True)
    r += 1
    for row in t2["item1"]["rows"]:
        grid.add(r, 0, row["label"], header=True)
        for i, value in enumerate(row["values"]):
            grid.add(r, 1 + i, value)
        r += 1
    for key in ("licensing", "penalty_enforcement", "fees"):
        part = t2[key]
        grid.add(r, 0, part["group"], colspan=4, header=True)
        r += 1
        grid.add(r, 0, "信息内容", header=True)
        grid.add(r, 1, part["columns"][0], colspan=3, header=True)
        r += 1
        for row in part["rows"]:
            grid.add(r, 0, row["label"], header=True)
            grid.add(r, 1, row["values"][0], colspan=3)
            r += 1
    return grid


def table3_grid(data: dict) -> Grid:
    t3 = data["table3"]
    grid = Grid(n_cols=10, widths=[1.2, 1.6, 4.2, 1, 1, 1, 1, 1, 1, 1])
    grid.add(0, 0, TABLE3_NOTE, rowspan=3, colspan=3, header=True)
    grid.add(0, 3, "申请人情况", colspan=7, header=True)
    grid.add(1, 3, "自然人", rowspan=2, header=True)
    grid.add(1, 4, "法人或其他组织", colspan=5, header=True)
    grid.add(1, 9, "总计", rowspan=2, header=True)
    for i, (_, label) in enumerate(APPLICANT_COLUMNS[1:]):
        grid.add(2, 4 + i, label, header=True)
    rows = t3["rows"]
    r = 3
    result_rows = [row for row in rows if row["section"]]
    first_result = rows.index(result_rows[0])
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row["section"]:
            grid.add(r, 0, row["label"], colspan=3, header=True, align="left")
        else:
            if i == first_result:
                grid.add(r, 0, row["section"], rowspan=len(result_rows), header=True)
            if row["group"]:
                group_rows = [x for x in rows if x["group"] == row["group"]]
                if rows.index(group_rows[0]) == i:
                    grid.add(r, 1, row["group"], rowspan=len(group_rows), header=True, align="left")
                grid.add(r, 2, row["label"], header=True, align="left")
            else:
                grid.add(r, 1, row["label"], colspan=2, header=True, align="left")
        for c, value in enumerate(row["values"]):
            grid.add(r, 3 + c, value)
        r += 1
        i += 1
    return grid


def table4_grid(data: dict) -> Grid:
    t4 = data["table4"]
    labels = [label for _, label in REMEDY_RESULTS]
    grid = Grid(n_cols=15, widths=[1] * 15)
    grid.add(0, 0, "行政复议", colspan=5, header=True)
    grid.add(0, 5, "行政诉讼", colspan=10, header=True)
    for i, label in enumerate(labels):
        grid.add(1, i, label, rowspan=2, header=True)
    grid.add(1, 5, "未经复议直接起诉", colspan=5, header=True)
    grid.add(1, 10, "复议后起诉", colspan=5, header=True)
    for i, label in enumerate(labels * 2):
        grid.add(2, 5 + i, label, header=True)
    for i, value in enumerate(t4["values"]):
        grid.add(3, i, value)
    return grid


def report_blocks(data: dict) -> list[tuple[str, object]]:
    """The report in reading order: ("heading", text) | ("text", text) | ("table", Grid)."""
    sections = data["sections"]
    blocks: list[tuple[str, object]] = [("title", data["title"])]
    if data.get("correction_note"):
        blocks.append(("note", f"更正说明：{data['correction_note']}"))
    blocks += [("heading", sections["1"]["title"]), ("text", sections["1"]["text"])]
    blocks += [("heading", "二、主动公开政府信息情况"), ("table", table2_grid(data))]
    if data["table2"].get("source_note"):
        blocks.append(("small", f"数据来源：{data['table2']['source_note']}"))
    blocks += [("heading", "三、收到和处理政府信息公开申请情况"), ("table", table3_grid(data))]
    blocks += [("heading", "四、政府信息公开行政复议、行政诉讼情况"), ("table", table4_grid(data))]
    blocks += [("heading", sections["5"]["title"]), ("text", sections["5"]["text"])]
    blocks += [("heading", sections["6"]["title"]), ("text", sections["6"]["text"])]
    return blocks
