"""The report as a DOCX document in the official layout (仿宋 body, merged table headers)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from ..layout import Grid, report_blocks

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, *, font: str, size: float, bold=False, align=None, indent=True) -> None:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(text), font, size, bold)


def _table(doc, grid: Grid) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(grid.widths)
    for cell in grid.cells:
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        target.text = ""
        p = target.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.align == "left" else WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(cell.text), TABLE_FONT, 9, cell.header)
    _set_widths(table, [Emu(int(Cm(16) * w / total)) for w in grid.widths])


def _set_widths(table, widths) -> None:
    """Fixed column widths written into the table grid and every cell (Word and LibreOffice both honour it)."""
    table.autofit = False
    tbl = table._tbl
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(int(width.twips)))
    for tr in tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = int(sum(widths[column : column + span]))
            column += span


def render_docx(data: dict) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    for kind, content in report_blocks(data):
        if kind == "title":
            _paragraph(doc, content, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        elif kind == "heading":
            _paragraph(doc, content, font=HEADING_FONT, size=16)
        elif kind in ("text", "note", "small"):
            for line in (content or "").splitlines() or [""]:
                _paragraph(doc, line, font=BODY_FONT, size=16 if kind == "text" else 12)
        elif kind == "table":
            _table(doc, content)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
