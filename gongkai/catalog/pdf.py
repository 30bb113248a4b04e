"""The 政府信息公开目录 as PDF: title page block, one table per heading, page numbers, CJK fonts embedded
(`core.pdf_fonts`)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from gongkai.core.models import Organisation
from gongkai.core.pdf_fonts import register_fonts

from . import conf
from .selectors import catalogue_rows, guide_for


def catalogue_pdf(*, organisation: Organisation, out) -> int:
    """Write the catalogue to the binary file `out`; returns the number of entries. Every page carries
    "第 N 页" in its footer."""
    fonts = register_fonts()
    title = ParagraphStyle("title", fontName=fonts.heading, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm)
    h2 = ParagraphStyle("h2", fontName=fonts.heading, fontSize=13, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm)
    cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=9, leading=12, wordWrap="CJK")
    story = [Paragraph(escape(f"{organisation.name}政府信息公开目录"), title),
             Paragraph(escape(f"依据《中华人民共和国政府信息公开条例》第十二条编制，生成于 {timezone.localdate():%Y年%m月%d日}。"), cell),
             Spacer(1, 4 * mm)]
    n = 0
    current, rows = None, []

    def flush():
        if current is None:
            return
        story.append(Paragraph(escape(current), h2))
        table = LongTable([[Paragraph(e, cell) for e in conf.CATALOGUE_ELEMENTS], *rows],
                          colWidths=[40 * mm, 60 * mm, 50 * mm, 24 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)

    for row in catalogue_rows(organisation=organisation):
        if row.heading != current:
            flush()
            current, rows = row.heading, []
        rows.append([Paragraph(escape(row.index_no), cell), Paragraph(escape(row.title), cell),
                     Paragraph(escape(row.summary[:120]), cell),
                     Paragraph(row.generated_on.isoformat() if row.generated_on else "", cell)])
        n += 1
    flush()
    if n == 0:
        story.append(Paragraph("本机关暂无主动公开信息。", cell))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.body, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=f"{organisation.name}政府信息公开目录", author=organisation.name)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return n


def guide_pdf(*, organisation: Organisation, out) -> list[str]:
    """Write the generated 政府信息公开指南 (条例 第十二条, `selectors.guide_for`) to `out`: the law's elements, the
    application channels and the fee rules the platform applies. Returns the missing elements (printed as
    “（未填写）” so the gap is visible on paper too)."""
    fonts = register_fonts()
    guide = guide_for(organisation=organisation)
    title = ParagraphStyle("title", fontName=fonts.heading, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm)
    h2 = ParagraphStyle("h2", fontName=fonts.heading, fontSize=13, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm)
    body = ParagraphStyle("body", fontName=fonts.body, fontSize=11, leading=18, wordWrap="CJK")
    story = [Paragraph(escape(f"{organisation.name}政府信息公开指南"), title),
             Paragraph(escape(f"依据《中华人民共和国政府信息公开条例》第十二条，由本平台数据生成于 {timezone.localdate():%Y年%m月%d日}。"), body)]
    for n, e in enumerate(guide.elements, start=1):
        story += [Paragraph(escape(f"{n}. {e.label}"), h2), Paragraph(escape(e.value or "（未填写）"), body)]
    story.append(Paragraph("依申请公开的渠道", h2))
    story += [Paragraph(escape(f"· {c}"), body) for c in guide.channels]
    story.append(Paragraph("信息处理费", h2))
    story.append(Paragraph(escape(guide.fee_basis), body))
    story += [Paragraph(escape(f"· {r}"), body) for r in guide.fee_rules]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.body, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{organisation.name}政府信息公开指南", author=organisation.name)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return guide.missing
