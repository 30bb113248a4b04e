"""Letters as DOCX and PDF, laid out after GB/T 9704-2012 (党政机关公文格式).

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title in 2号 小标宋 (22 pt) centred;
the letter number centred under it; body in 3号 仿宋 (16 pt) on a 28 pt line, paragraphs indented two
characters; the signing organisation and the date (in full, no leading zeros) right-aligned, the seal
over them; page numbers “— 1 —” at the foot.

The DOCX names the fonts Chinese offices have (方正小标宋简体, 仿宋_GB2312). The PDF embeds the faces of
`gongkai.core.pdf_fonts` (a 仿宋 face where installed, else Noto Serif SC for the body, a 黑体 face for the
title), so it looks the same in every reader; STSong-Light (unembedded) only when no font is available.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import paragraph as _rl_paragraph

from gongkai.core.pdf_fonts import register_fonts

from .dates import date_cn
from .letter_models import Letter

# ReportLab's CJK line breaking lacks the full-width Chinese punctuation among the characters that may
# not start a line (GB/T 15834 禁则), so "，" could open a line; add them (hung in the margin instead).
_NO_LINE_START = "，。、：；？！）》」』】〕”’…—"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START)
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
BODY_PT, TITLE_PT, LINE_PT = 16, 22, 28
SEAL = "（印章）"


def letter_blocks(letter: Letter) -> list[tuple[str, str]]:
    """The letter as typed blocks: title, number, recipient, para, contact, signature, date, seal."""
    blocks = [("title", letter.title), ("number", letter.number or "（文书编号于发出时生成）"),
              ("recipient", letter.recipient)]
    for part in (letter.opening, letter.decision, letter.remedy):
        blocks += [("para", line.strip()) for line in (part or "").splitlines() if line.strip()]
    if letter.kind == "reply" or letter.kind == "fee_notice":
        blocks.append(("para", "特此告知。"))
    blocks += [("contact", line.strip()) for line in (letter.closing or "").splitlines() if line.strip()]
    blocks += [("seal", SEAL), ("signature", letter.signature),
               ("date", date_cn(letter.dated_on) if letter.dated_on else "（发出日期）")]
    return blocks


# --- DOCX --------------------------------------------------------------------------------------------------

def _run(paragraph, text: str, font: str, size: float) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def render_docx(letter: Letter) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = letter.title
    doc.core_properties.author = letter.signature
    for kind, text in letter_blocks(letter):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_after = Pt(0)
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(LINE_PT / 2)
            fmt.line_spacing = Pt(36)
            _run(p, text, TITLE_FONT, TITLE_PT)
        elif kind == "number":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(LINE_PT)
            _run(p, text, BODY_FONT, BODY_PT)
        elif kind == "recipient":
            _run(p, text, BODY_FONT, BODY_PT)
        elif kind in ("para", "contact"):
            fmt.first_line_indent = Pt(BODY_PT * 2)
            _run(p, text, BODY_FONT, BODY_PT)
        elif kind == "seal":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(BODY_PT * 4)
            fmt.space_before = Pt(LINE_PT)
            _run(p, text, BODY_FONT, BODY_PT)
        else:  # signature, date
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(BODY_PT * 2)
            _run(p, text, BODY_FONT, BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------

def pdf_font() -> str:
    """The body face of the PDF (registered on first use)."""
    return register_fonts().body


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles: body in the body face (仿宋/宋体), the title in the heading face (黑体)."""
    fonts = register_fonts()
    base = dict(fontName=fonts.body, fontSize=BODY_PT, leading=LINE_PT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", **{**base, "fontName": fonts.heading, "fontSize": TITLE_PT, "leading": 34},
                                alignment=TA_CENTER, spaceAfter=10),
        "number": ParagraphStyle("number", **base, alignment=TA_CENTER, spaceAfter=LINE_PT),
        "recipient": ParagraphStyle("recipient", **base),
        "continued": ParagraphStyle("continued", **base),
        "para": ParagraphStyle("para", **base, firstLineIndent=BODY_PT * 2),
        "contact": ParagraphStyle("contact", **base, firstLineIndent=BODY_PT * 2),
        "seal": ParagraphStyle("seal", **{**base, "textColor": "#999999"}, alignment=TA_RIGHT,
                               rightIndent=BODY_PT * 4, spaceBefore=LINE_PT),
        "signature": ParagraphStyle("signature", **base, alignment=TA_RIGHT, rightIndent=BODY_PT * 2),
        "date": ParagraphStyle("date", **base, alignment=TA_RIGHT, rightIndent=BODY_PT * 2),
    }


_NO_LINE_END = "（《「『【〔“‘"
_TOKENS = re.compile(r"[0-9A-Za-z.%@_\-]+|.", re.DOTALL)


def cjk_lines(text: str, first_width: float, width: float, size: float = BODY_PT) -> list[str]:
    """Break `text` into lines by width with the Chinese line-breaking rules (禁则): closing punctuation
    never starts a line (it hangs in the margin), opening brackets and quotes never end one, and runs of
    Latin letters and digits (2026, 0000-12345678) are not split."""
    font = pdf_font()
    lines: list[str] = []
    current, used, limit = "", 0.0, first_width
    for token in _TOKENS.findall(text):
        w = pdfmetrics.stringWidth(token, font, size)
        if current and used + w > limit + 0.01 and token not in _NO_LINE_START:
            carry = ""
            while len(current) > 1 and current[-1] in _NO_LINE_END:
                carry, current = current[-1] + carry, current[:-1]
            lines.append(current)
            current, limit = carry, width
            used = pdfmetrics.stringWidth(current, font, size)
        current += token
        used += w
    if current:
        lines.append(current)
    return lines


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(pdf_font(), 14)
    canvas.drawCentredString(A4[0] / 2, 20 * mm, f"— {doc.page} —")
    canvas.restoreState()


def render_pdf(letter: Letter) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, title=letter.title, author=letter.signature, subject=letter.number)
    story, previous, style_of = [], "", styles()
    for kind, text in letter_blocks(letter):
        if kind == "contact" and previous != "contact":
            story.append(Spacer(1, LINE_PT / 2))
        if kind in ("para", "contact", "recipient"):
            style = style_of[kind]
            # a little slack: ReportLab wraps again and must not move a hung comma to the next line
            width = doc.width - 12 - 0.5
            lines = cjk_lines(text, width - style.firstLineIndent, width)
            # one flowable per line: ReportLab keeps a hung comma on its line instead of re-wrapping
            story.append(Paragraph(escape(lines[0]), style))
            story += [Paragraph(escape(line), style_of["continued"]) for line in lines[1:]]
        else:
            story.append(Paragraph(escape(text), style_of[kind]))
        previous = kind
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()
