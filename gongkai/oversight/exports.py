"""The ranking as XLSX and PDF: one row per agency, one column per indicator (its value and points)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from gongkai.core.pdf_fonts import register_fonts

from .models import Scheme
from .periods import Period
from .scoring import Score


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def ranking_xlsx(*, scores: list[Score], scheme: Scheme, period: Period) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "排名"
    ws.append([f"{period.label}政务公开工作考核结果", "", f"方案：{scheme}"])
    ws["A1"].font = Font(bold=True, size=13)
    rules = scores[0].lines if scores else []
    ws.append(["名次", "单位", "总分", *[f"{line.value.definition.label}（{line.weight:g}分）" for line in rules]])
    for n, score in enumerate(scores, start=1):
        ws.append([n if score.total is not None else "", score.organisation.name,
                   score.total if score.total is not None else "无应考核事项",
                   *[f"{line.value.display}；得分 {_points(line.points)}" for line in score.lines]])
    defs = wb.create_sheet("指标说明")
    defs.append(["指标", "定义", "计算公式", "依据", "分值", "满分线", "每项扣分", "单项否决"])
    for line in rules:
        d, r = line.value.definition, line.rule
        defs.append([d.label, d.definition, d.formula, d.source, float(r.weight),
                     float(r.target) if r.target is not None else "", float(r.deduction) if r.deduction is not None else "",
                     "是" if r.veto else ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ranking_pdf(*, scores: list[Score], scheme: Scheme, period: Period) -> bytes:
    fonts = register_fonts()
    title = ParagraphStyle("title", fontName=fonts.heading, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm)
    cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=8, leading=10, wordWrap="CJK")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=14 * mm, title=f"{period.label}政务公开工作考核结果")
    rules = scores[0].lines if scores else []
    header = ["名次", "单位", "总分", *[f"{line.value.definition.label}（{line.weight:g}）" for line in rules]]
    rows = [[Paragraph(escape(h), cell) for h in header]]
    for n, score in enumerate(scores, start=1):
        rows.append([Paragraph(str(n) if score.total is not None else "", cell), Paragraph(escape(score.organisation.name), cell),
                     Paragraph(_points(score.total), cell),
                     *[Paragraph(escape(f"{line.value.display} / {_points(line.points)}"), cell) for line in score.lines]])
    width = (277 - 12 - 36 - 14) * mm / max(len(rules), 1)
    table = LongTable(rows, colWidths=[12 * mm, 36 * mm, 14 * mm, *[width] * len(rules)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph(escape(f"{period.label}政务公开工作考核结果"), title),
             Paragraph(escape(f"考核方案：{scheme}。{scheme.source} 生成于 {timezone.localdate():%Y年%m月%d日}。"
                              "每格为 指标值 / 得分；“无应考核事项”的指标不计入总分，总分按其余分值折算为百分制。"), cell),
             Spacer(1, 3 * mm), table]

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont(fonts.body, 8)
        canvas.drawRightString(landscape(A4)[0] - 12 * mm, 7 * mm, f"第 {doc_.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
