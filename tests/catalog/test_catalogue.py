"""The disclosure catalogue (条例 第十二条): live, grouped by structure, exported, with its change history."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.catalog import selectors, services
from gongkai.catalog.exports import catalogue_xlsx_bytes
from gongkai.catalog.models import CatalogueEntry
from gongkai.core.pdf_fonts import register_fonts
from gongkai.documents import services as doc_services
from gongkai.documents.models import Topic
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(department, editor):
    edu = Topic.objects.get(name="教育")
    finance = Topic.objects.get(name="财政", parent__isnull=False)
    a = published_document(organisation=department, by=editor, title="关于做好招生工作的通知", topic=edu,
                           summary="招生安排", written_on=dt.date(2026, 3, 2))
    b = published_document(organisation=department, by=editor, title="2026年部门预算", topic=finance, genre="report",
                           written_on=dt.date(2026, 2, 1))
    c = published_document(organisation=department, by=editor, title="无主题的通知")
    return a, b, c


def test_default_structure_groups_by_topic_then_genre(docs, department):
    headings = selectors.catalogue_headings(organisation=department)
    assert [(h.name, h.count) for h in headings] == [
        ("科技、教育 / 通知", 1), ("财政、金融、审计 / 报告", 1), ("未分类 / 通知", 1)]


def test_rows_carry_the_four_elements_grouped(docs, department):
    a, _b, c = docs
    rows = list(selectors.catalogue_rows(organisation=department))
    assert [r.title for r in rows] == ["关于做好招生工作的通知", "2026年部门预算", "无主题的通知"]
    first = rows[0]
    assert (first.index_no, first.summary, first.generated_on) == (a.index_no, "招生安排", dt.date(2026, 3, 2))
    # No 成文日期: the 生成日期 is the publication day.
    assert rows[2].generated_on == timezone.localdate(c.published_at)


def test_configured_structure_first_matching_node_wins(docs, department):
    services.catalogue_structure_set(organisation=department, nodes=[
        {"name": "财政信息", "children": [{"name": "预决算", "topic_codes": [Topic.objects.get(name="财政", parent__isnull=False).code]}]},
        {"name": "通知公告", "genres": ["notice"]},
    ])
    headings = [(h.name, h.count) for h in selectors.catalogue_headings(organisation=department)]
    assert headings == [("财政信息 / 预决算", 1), ("通知公告", 2)]
    # Every heading's filter selects exactly the documents placed under it in Python.
    for h in selectors.catalogue_headings(organisation=department):
        assert selectors.heading_documents(organisation=department, heading=h).count() == h.count


def test_other_heading_catches_the_rest(docs, department):
    services.catalogue_structure_set(organisation=department, nodes=[{"name": "报告", "genres": ["report"]}])
    assert [(h.name, h.count) for h in selectors.catalogue_headings(organisation=department)] == [("报告", 1), ("其他", 2)]


def test_xlsx_export_reads_back(docs, department):
    wb = load_workbook(io.BytesIO(catalogue_xlsx_bytes(organisation=department)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "测试市教育局政府信息公开目录"
    assert list(rows[1]) == ["目录类别", "索引", "名称", "内容概述", "生成日期"]
    assert rows[2][:3] == ("科技、教育 / 通知", docs[0].index_no, "关于做好招生工作的通知")
    assert rows[2][4] == "2026-03-02"
    assert len(rows) == 5


def test_change_history_follows_publication_and_withdrawal(docs, department, reviewer):
    a, _b, _c = docs
    open_entries = CatalogueEntry.objects.filter(organisation=department, left_at__isnull=True)
    assert set(open_entries.values_list("document_id", flat=True)) == {d.pk for d in docs}
    doc_services.document_withdraw(document=a, by=None, reason="内容有误")
    entry = CatalogueEntry.objects.get(document=a)
    assert entry.left_at is not None and entry.left_reason == "移出目录"
    assert selectors.catalogue_documents(organisation=department).count() == 2


def test_sync_records_reclassification(docs, department):
    assert services.catalogue_sync(organisation=department) == (0, 0)
    services.catalogue_structure_set(organisation=department, nodes=[{"name": "报告", "genres": ["report"]}])
    moved = CatalogueEntry.objects.filter(organisation=department, left_reason="调整类别")
    assert moved.count() == 3
    assert set(CatalogueEntry.objects.filter(left_at__isnull=True).values_list("heading", flat=True)) == {"报告", "其他"}


def test_structure_rejects_a_node_without_name(department):
    with pytest.raises(ValueError):
        services.catalogue_structure_set(organisation=department, nodes=[{"name": " "}])


def test_pdf_reads_back_with_text_fonts_and_page_numbers(docs, department, editor):
    from pypdf import PdfReader  # noqa: PLC0415 — dev-only reader

    from gongkai.catalog.pdf import catalogue_pdf  # noqa: PLC0415

    for n in range(60):  # enough rows for several pages
        published_document(organisation=department, by=editor, title=f"关于第{n}批事项的通知")
    buf = io.BytesIO()
    assert catalogue_pdf(organisation=department, out=buf) == 63
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "测试市教育局政府信息公开目录" in first and "索引" in first
    for number, page in enumerate(reader.pages, start=1):
        assert f"第 {number} 页" in page.extract_text()
    text = "".join(p.extract_text() for p in reader.pages)
    assert docs[0].index_no in text and "关于第59批事项的通知" in text
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    if register_fonts().embedded:  # the CJK faces travel with the file (/FontFile2 streams)
        embedded = [f for f in fonts if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"]]
        assert embedded, "no embedded TrueType font"


def test_catalogue_and_guide_pdfs_render_to_png_and_the_guide_reads_back(docs, department, client):
    pdfium = pytest.importorskip("pypdfium2", reason="dev dependency pypdfium2 renders PDF pages")
    from pathlib import Path  # noqa: PLC0415

    from pypdf import PdfReader  # noqa: PLC0415

    from gongkai.catalog.pdf import catalogue_pdf, guide_pdf  # noqa: PLC0415

    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "catalogue"
    folder.mkdir(parents=True, exist_ok=True)
    guide = io.BytesIO()
    missing = guide_pdf(organisation=department, out=guide)
    assert missing == selectors.guide_for(organisation=department).missing
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(guide.getvalue())).pages)
    for label in ("测试市教育局政府信息公开指南", "分类", "编排体系", "获取方式", "工作机构名称", "互联网联系方式", "信息处理费"):
        assert label in text, label
    assert "科技、教育 / 通知" in text  # 分类 = the catalogue's headings
    cat = io.BytesIO()
    catalogue_pdf(organisation=department, out=cat)
    for name, data in (("guide", guide.getvalue()), ("catalogue", cat.getvalue())):
        image = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
        image.save(folder / f"{name}.png")
        dark = sum(1 for v in image.tobytes() if v < 100)
        assert dark > 2000, name  # text was drawn
    r = client.get(f"/gongkai/{department.code}/zhinan.pdf")
    assert r["Content-Type"] == "application/pdf"
