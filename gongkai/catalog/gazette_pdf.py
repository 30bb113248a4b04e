"""One issue of the 政府公报 as PDF: a cover (title, 年·期·总期号, publication date, publisher), the table of
contents with the page each document starts on, then each document (title, 发文字号 and issuer, text), CJK
fonts embedded (`core.pdf_fonts`), "第 N 页" on every page after the cover, an outline and links from the
contents to the pages and from each document to its page on the portal.

Page numbers are physical pages (the cover is page 1) so that a reader's "page N" and the printed number
agree; ReportLab's `multiBuild` lays the issue out until the contents' page numbers are stable.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from gongkai.core.html import html_to_text
from gongkai.core.pdf_fonts import register_fonts

from . import conf
from .models import GazetteArticle, GazetteIssue


class _ArticleTitle(Paragraph):
    """A document's title: tells the template where the document starts."""

    def __init__(self, text, style, *, article: GazetteArticle):
        super().__init__(text, style)
        self.article = article


class _SectionTitle(Paragraph):
    pass


class _Issue(BaseDocTemplate):
    def __init__(self, out, *, issue: GazetteIssue, title: str, fonts, **kw):
        super().__init__(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm,
                         bottomMargin=22 * mm, title=title, author=issue.organisation.name, **kw)
        self.issue, self.fonts, self.gazette_title = issue, fonts, title
        self.starts: dict[int, int] = {}
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="cover", frames=[frame]),
                               PageTemplate(id="body", frames=[frame], onPage=self._footer)])

    def _footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(self.fonts.body, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{self.gazette_title} {self.issue} · 第 {doc.page} 页")
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, _SectionTitle):
            key = f"s{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)
            self.notify("TOCEntry", (0, escape(flowable.getPlainText()), self.page, key))
        elif isinstance(flowable, _ArticleTitle):
            key = f"a{flowable.article.pk}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=1)
            self.notify("TOCEntry", (1, escape(flowable.getPlainText()), self.page, key))
            self.starts[flowable.article.pk] = self.page


def gazette_title(issue: GazetteIssue) -> str:
    return conf.GAZETTE_TITLE.format(name=issue.organisation.name)


def gazette_pdf(*, issue: GazetteIssue, articles: list[GazetteArticle], out) -> tuple[int, dict[int, int]]:
    """Write the issue to the binary file `out`; returns (number of pages, {article pk: first page})."""
    fonts = register_fonts()
    title = gazette_title(issue)
    big = ParagraphStyle("cover", fontName=fonts.heading, fontSize=34, leading=46, alignment=1, textColor="#b00000")
    cover_line = ParagraphStyle("cover-line", fontName=fonts.heading, fontSize=16, leading=26, alignment=1)
    cover_small = ParagraphStyle("cover-small", fontName=fonts.body, fontSize=13, leading=22, alignment=1)
    h1 = ParagraphStyle("h1", fontName=fonts.heading, fontSize=18, leading=26, alignment=1, spaceAfter=6 * mm)
    section = ParagraphStyle("section", fontName=fonts.heading, fontSize=15, leading=22, alignment=1,
                             spaceBefore=2 * mm, spaceAfter=6 * mm)
    art_title = ParagraphStyle("art-title", fontName=fonts.heading, fontSize=16, leading=24, alignment=1,
                               spaceAfter=3 * mm, wordWrap="CJK")
    meta = ParagraphStyle("meta", fontName=fonts.body, fontSize=11, leading=16, alignment=1, spaceAfter=4 * mm)
    body = ParagraphStyle("body", fontName=fonts.body, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK",
                          spaceAfter=1 * mm)
    link = ParagraphStyle("link", fontName=fonts.body, fontSize=9, leading=13, textColor="#1a4f8b", spaceBefore=3 * mm)

    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        ParagraphStyle("toc0", fontName=fonts.heading, fontSize=13, leading=20, spaceBefore=3 * mm),
        ParagraphStyle("toc1", fontName=fonts.body, fontSize=11, leading=17, leftIndent=8 * mm, wordWrap="CJK"),
    ]
    story = [
        Spacer(1, 40 * mm), Paragraph(escape(title), big), Spacer(1, 18 * mm),
        Paragraph(escape(f"{issue.year}年第{issue.number}期（总第{issue.total_number}期）"), cover_line),
        Spacer(1, 90 * mm),
        Paragraph(escape(f"{issue.organisation.name}办公室编印"), cover_small),
        Paragraph(escape(f"{issue.published_on.year}年{issue.published_on.month}月{issue.published_on.day}日出版"), cover_small),
        NextPageTemplate("body"), PageBreak(),
        Paragraph("目　　录", h1), toc,
    ]
    current = None
    for article in articles:
        doc = article.document
        if article.section != current:
            current = article.section
            story += [PageBreak(), _SectionTitle(escape(f"【{current}】"), section)]
        else:
            story.append(PageBreak())
        story.append(_ArticleTitle(escape(doc.title), art_title, article=article))
        line = "　".join(x for x in (doc.doc_number, doc.organisation.name) if x)
        story.append(Paragraph(escape(line), meta))
        text = html_to_text(doc.body or "") or doc.summary or ""
        for para in (p.strip() for p in text.splitlines()):
            if para:
                story.append(Paragraph(escape(para), body))
        if doc.written_on:
            story.append(Paragraph(escape(f"{doc.written_on.year}年{doc.written_on.month}月{doc.written_on.day}日"),
                                   ParagraphStyle("date", parent=body, alignment=2, firstLineIndent=0)))
        url = settings.SITE_URL + reverse("portal:document", kwargs={"index_no": doc.index_no})
        story.append(Paragraph(f'网页版：<a href="{escape(url)}" color="#1a4f8b">{escape(url)}</a>（索引号 {escape(doc.index_no)}）', link))
    template = _Issue(out, issue=issue, title=title, fonts=fonts)
    template.multiBuild(story, maxPasses=6)
    return template.page, dict(template.starts)
