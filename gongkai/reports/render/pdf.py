"""The report as a PDF (A4), with Chinese text in the standard Adobe-GB1 font STSong-Light.

STSong-Light is one of the CID fonts every conforming PDF reader provides for simplified Chinese, so
the platform needs no font file of its own.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..layout import Grid, report_blocks

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=12)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=22, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=20, firstLineIndent=22, wordWrap="CJK")
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=14)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=10, alignment=TA_CENTER, wordWrap="CJK")
CELL_LEFT = ParagraphStyle("cell_left", parent=CELL, alignment=0)


def _table(grid: Grid, width: float) -> Table:
    rows = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for cell in grid.cells:
        rows[cell.row][cell.col] = Paragraph(escape(cell.text), CELL_LEFT if cell.align == "left" else CELL)
        if cell.rowspan > 1 or cell.colspan > 1:
            style.append(("SPAN", (cell.col, cell.row), (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)))
        if cell.header:
            style.append(("BACKGROUND", (cell.col, cell.row), (cell.col, cell.row), colors.HexColor("#f2f2f2")))
    total = sum(grid.widths)
    table = Table(rows, colWidths=[width * w / total for w in grid.widths], repeatRows=0)
    table.setStyle(TableStyle(style))
    return table


def render_pdf(data: dict) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2.5 * cm,
                            bottomMargin=2.5 * cm, title=data["title"], author=data["organisation"]["name"])
    story = []
    heading = None
    for kind, content in report_blocks(data):
        if heading is not None and kind != "table":
            story.append(heading)
            heading = None
        if kind == "title":
            story.append(Paragraph(escape(content), TITLE))
        elif kind == "heading":
            heading = Paragraph(escape(content), HEADING)
        elif kind in ("text", "note", "small"):
            for line in (content or "").splitlines():
                story.append(Paragraph(escape(line), BODY if kind == "text" else SMALL))
        elif kind == "table":
            # A table starts on a new page rather than leaving its header behind; the heading goes with it.
            story.append(KeepTogether([heading, _table(content, doc.width)] if heading else [_table(content, doc.width)]))
            story.append(Spacer(1, 6))
            heading = None
    if heading is not None:
        story.append(heading)
    doc.build(story)
    return out.getvalue()
