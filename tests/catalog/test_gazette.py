"""The 政府公报 (seed 001 (十四)): issues of library documents, the PDF read back (cover, contents with the right
page numbers, fonts embedded), a page rendered to PNG, the pages of each document linked both ways."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from gongkai.catalog import selectors, services
from gongkai.catalog.models import GazetteIssue
from gongkai.core.pdf_fonts import register_fonts
from gongkai.documents import services as doc_services
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

LONG = "".join(f"<p>第{n}条　为规范本市政务公开工作，依据有关法律法规，结合本市实际，制定本办法。本办法所称政务公开，是指行政机关公开其行政管理和公共服务信息的活动。</p>" for n in range(1, 60))


@pytest.fixture
def issue(government, department, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = published_document(organisation=department, by=editor, title="关于印发测试市政务公开工作办法的通知",
                           doc_number="测教发〔2026〕3号", body=LONG, written_on=dt.date(2026, 3, 2))
    b = published_document(organisation=department, by=editor, title="关于做好2026年义务教育招生工作的通知",
                           doc_number="测教发〔2026〕5号", body="<p>各区教育局：现就招生工作通知如下。</p>")
    c = published_document(organisation=department, by=editor, title="关于张三等同志职务任免的通知", body="<p>任命张三为测试市教育局副局长。</p>")
    issue = services.gazette_issue_create(organisation=government, year=2026, number=3, total_number=45,
                                          published_on=dt.date(2026, 3, 20))
    services.gazette_issue_set_articles(issue=issue, articles=[(c, "人事任免"), (a, "部门文件"), (b, "部门文件")])
    return issue, (a, b, c)


def toc_page_of(page, title: str) -> int | None:
    """The number printed on the same line as `title` on a contents page (text order in a PDF is not reading
    order, so chunks are matched by their baseline)."""
    chunks = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            chunks.append((round(cm[5] + tm[5]), cm[4] + tm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    y = next(y for y, _x, t in chunks if title[:8] in t)
    numbers = [re.sub(r"[.\s]", "", t) for cy, _x, t in sorted(chunks, key=lambda c: c[1]) if abs(cy - y) <= 2]
    digits = [n for n in numbers if n.isdigit()]
    return int(digits[-1]) if digits else None


def test_issue_numbers_continue_and_are_unique(government):
    first = services.gazette_issue_create(organisation=government, year=2026, number=1, published_on=dt.date(2026, 1, 10))
    second = services.gazette_issue_create(organisation=government, year=2026, number=2, published_on=dt.date(2026, 2, 10))
    assert (first.total_number, second.total_number) == (1, 2)
    with pytest.raises(ValueError, match="已存在"):
        services.gazette_issue_create(organisation=government, year=2026, number=2, published_on=dt.date(2026, 2, 11))


def test_only_public_documents_and_only_while_editing(issue, department, editor):
    issue, (a, _b, _c) = issue
    draft = doc_services.document_create(organisation=department, by=editor, title="未发布的通知")
    with pytest.raises(ValueError, match="未主动公开"):
        services.gazette_issue_set_articles(issue=issue, articles=[(draft, "部门文件")])
    services.gazette_issue_publish(issue=issue)
    with pytest.raises(ValueError, match="已出版"):
        services.gazette_issue_set_articles(issue=issue, articles=[(a, "部门文件")])


def test_pdf_reads_back_with_contents_and_right_page_numbers(issue):
    issue, (a, b, c) = issue
    issue = services.gazette_issue_publish(issue=issue)
    assert issue.state == GazetteIssue.State.PUBLISHED
    reader = PdfReader(io.BytesIO(issue.pdf.read()))
    assert len(reader.pages) == issue.pages >= 5
    cover = reader.pages[0].extract_text()
    assert "测试市人民政府公报" in cover and "2026年第3期（总第45期）" in cover and "2026年3月20日出版" in cover
    contents = reader.pages[1].extract_text()
    assert "目" in contents and "部门文件" in contents and "人事任免" in contents
    articles = selectors.gazette_articles(issue=issue)
    # Printed order: sections in conf order (部门文件 before 人事任免), then position.
    assert [x.document for x in articles] == [a, b, c]
    for article in articles:
        page_text = reader.pages[article.page - 1].extract_text()
        assert article.document.title[:12] in page_text.replace("\n", ""), article.document.title
        assert f"第 {article.page} 页" in page_text
        # The contents give the same page number beside the title (after the dot leader).
        assert toc_page_of(reader.pages[1], article.document.title) == article.page, article.document.title
    assert articles[1].page > articles[0].page + 1  # the long document runs over several pages
    assert reader.outline, "no PDF outline"
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    if register_fonts().embedded:
        assert any("/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"] for f in fonts)


def test_pdf_page_renders_to_png(issue, tmp_path):
    pdfium = pytest.importorskip("pypdfium2", reason="dev dependency pypdfium2 renders PDF pages")
    issue, _docs = issue
    issue = services.gazette_issue_publish(issue=issue)
    pdf = pdfium.PdfDocument(issue.pdf.read())
    image = pdf[0].render(scale=1).to_pil()
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "gazette"  # kept for a look by a person
    folder.mkdir(parents=True, exist_ok=True)
    image.save(folder / "cover.png")
    pdf[1].render(scale=1).to_pil().save(folder / "contents.png")
    pdf[2].render(scale=1).to_pil().save(folder / "first-article.png")
    assert image.size[0] > 500
    # The cover's title is printed in red: there are red pixels, so text was drawn with a real font.
    raw = image.convert("RGB").tobytes()
    reds = sum(1 for i in range(0, len(raw), 3) if raw[i] > 150 and raw[i + 1] < 80 and raw[i + 2] < 80)
    assert reds > 500


def test_document_knows_where_it_was_printed_and_search_is_restricted(issue, department, editor):
    issue, (a, _b, _c) = issue
    other = published_document(organisation=department, by=editor, title="关于政务公开工作的另一份通知")
    assert selectors.gazette_refs(document=a) == []  # not yet published
    services.gazette_issue_publish(issue=issue)
    refs = selectors.gazette_refs(document=a)
    assert len(refs) == 1 and refs[0].issue == issue and refs[0].page >= 3
    gazette = set(selectors.gazette_documents().values_list("pk", flat=True))
    assert a.pk in gazette and other.pk not in gazette
